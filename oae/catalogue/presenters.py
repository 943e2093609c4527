"""Turn item content into what a page shows in the reader's language."""

from dataclasses import dataclass

from oae.catalogue import content as content_lib
from oae.catalogue.models import Category, Resource
from oae.catalogue.schema import STEP_FIELDS, FieldType, Kind, fields_of


@dataclass
class Shown:
    name: str
    label: str
    type: str
    value: object  # str, SafeString (Markdown), list, or list of step dicts


def _choice_labels(field, values) -> list[str]:
    labels = dict(field.choices)
    return [str(labels.get(v, v)) for v in values or []]


def _resolve(field, value, language, lookups) -> object:
    if field.type == FieldType.I18N_MARKDOWN:
        return content_lib.render_markdown(content_lib.text(value, language))
    if field.translated:
        return content_lib.text(value, language)
    if field.type == FieldType.CHOICES:
        return _choice_labels(field, value)
    if field.type == FieldType.CATEGORY:
        category = lookups["categories"].get(value)
        return category_name(category, language) if category else ""
    if field.type in (FieldType.REF, FieldType.REFS):
        codes = [value] if field.type == FieldType.REF and value else (value or [])
        return [lookups["titles"].get((field.ref_kind, c), c) for c in codes]
    if field.type == FieldType.RESOURCES:
        return [lookups["resources"][c] for c in value or [] if c in lookups["resources"]]
    if field.type == FieldType.STEPS:
        return [
            {f.name: _resolve(f, step.get(f.name), language, lookups) for f in STEP_FIELDS}
            | {"id": step.get("id")}
            for step in value or []
        ]
    return value


def lookups_for(titles: dict | None = None) -> dict:
    return {
        "categories": {c.key: c for c in Category.objects.all()},
        "resources": {r.code: r for r in Resource.objects.all()},
        "titles": titles or {},
    }


def shown_fields(kind: Kind, content: dict, language: str, lookups: dict) -> list[Shown]:
    """The non-empty fields of an item, resolved for display (title field left out)."""
    shown = []
    for field in fields_of(Kind(kind)):
        value = _resolve(field, content.get(field.name), language, lookups)
        if value in (None, "", []) or field.name in ("name", "title"):
            continue
        shown.append(Shown(field.name, str(field.label), field.type, value))
    return shown


def category_name(category: Category, language: str) -> str:
    return getattr(category, f"name_{language}", "") or category.name_ca


def services_by_category(items, language: str) -> list[tuple[str, list]]:
    """Services grouped under their category, in the network's category order."""
    groups = []
    placed = set()
    for category in Category.objects.order_by("position", "key"):
        members = [e for e in items if e.content.get("category") == category.key]
        placed.update(id(e) for e in members)
        if members:
            groups.append((category_name(category, language), members))
    rest = [e for e in items if id(e) not in placed]
    if rest:
        groups.append(("", rest))
    return groups
