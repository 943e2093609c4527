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


def field_labels(kind: Kind, names) -> list[str]:
    """Field keys ("contact", "schedule") as the schema labels them in the reader's language."""
    labels = {f.name: str(f.label) for f in fields_of(Kind(kind))}
    return [labels.get(name, name) for name in names or []]


@dataclass
class FieldChange:
    """One changed field of an item, its text before and after, to read side by side."""

    label: str
    old: str
    new: str


def _plain(field, value, language: str, titles: dict) -> str:
    """A field's value as plain text (Markdown left as its source, lists one per line)."""
    if value in (None, "", [], {}):
        return ""
    if field.translated:
        value = content_lib.text(value, language)
        return "\n".join(value) if isinstance(value, list) else str(value or "")
    if field.type == FieldType.CHOICES:
        return ", ".join(_choice_labels(field, value))
    if field.type in (FieldType.REF, FieldType.REFS):
        codes = [value] if field.type == FieldType.REF else value
        return "\n".join(titles.get((field.ref_kind, code), code) for code in codes)
    if field.type == FieldType.STEPS:
        lines = []
        for number, step in enumerate(value, start=1):
            lines.append(f"{number}. {content_lib.text(step.get('name'), language)}")
            checklist = content_lib.text(step.get("checklist"), language) or []
            lines.extend(f"   – {entry}" for entry in checklist)
        return "\n".join(lines)
    if isinstance(value, list):
        return "\n".join(str(entry) for entry in value)
    return str(value)


def field_changes(
    kind: Kind, names, old: dict, new: dict, language: str, titles: dict | None = None
) -> list[FieldChange]:
    """The changed fields `names` of an item with their old and new text in `language`;
    `titles` name the items a field refers to (guides, processes) by (kind, code)."""
    titles = titles or {}
    fields = {f.name: f for f in fields_of(Kind(kind))}
    changes = []
    for name in names or []:
        field = fields.get(name)
        if field is None:
            continue
        changes.append(
            FieldChange(
                label=str(field.label),
                old=_plain(field, (old or {}).get(name), language, titles),
                new=_plain(field, (new or {}).get(name), language, titles),
            )
        )
    return changes


def item_titles(contents: dict, language: str) -> dict[tuple[str, str], str]:
    """Each item's title by (kind, code), from published contents: what a reference shows."""
    return {key: content_lib.title(key[0], content, language) for key, content in contents.items()}
