"""Pure functions over item content: translated text with fallback, office overrides,
differences between versions, validation before publishing, safe Markdown."""

import markdown as markdown_lib
import nh3
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from oae.catalogue.schema import (
    LANGUAGES,
    REQUIRED_LANGUAGE,
    STEP_FIELDS,
    TITLE_FIELD,
    FieldType,
    Kind,
    Problem,
    fields_of,
)
from oae.common.text import fold, fold_words  # noqa: F401 - fold_words: views call it from here

_ALLOWED_TAGS = {
    "p",
    "br",
    "strong",
    "em",
    "ul",
    "ol",
    "li",
    "a",
    "h3",
    "h4",
    "blockquote",
    "code",
    "pre",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "hr",
}


def current_language() -> str:
    language = (get_language() or REQUIRED_LANGUAGE)[:2]
    return language if language in LANGUAGES else REQUIRED_LANGUAGE


def text(value, language: str | None = None):
    """The value in `language`, falling back to Catalan; non-translated values as they are."""
    if not isinstance(value, dict):
        return value
    language = language or current_language()
    return value.get(language) or value.get(REQUIRED_LANGUAGE) or ""


def title(kind: Kind, content: dict, language: str | None = None) -> str:
    return text(content.get(TITLE_FIELD[Kind(kind)], {}), language) or ""


def render_markdown(source: str) -> SafeString:
    """Markdown to HTML with only harmless tags kept (no scripts, styles or event handlers)."""
    html = markdown_lib.markdown(source or "", extensions=["tables"])
    return mark_safe(nh3.clean(html, tags=_ALLOWED_TAGS, link_rel="noopener noreferrer"))  # noqa: S308


def _is_empty(value) -> bool:
    if isinstance(value, dict):
        return not any(v for v in value.values())
    return value in (None, "", [], {})


def merge_overrides(kind: Kind, base: dict, overrides: dict) -> dict:
    """The office's wording: each overridden field replaces the network's, language by
    language for translated fields (a language the office left empty keeps the network's)."""
    merged = dict(base)
    for field in fields_of(Kind(kind)):
        if field.name not in overrides or not field.overridable:
            continue
        value = overrides[field.name]
        if field.translated and isinstance(value, dict):
            network = base.get(field.name) or {}
            merged[field.name] = {
                lang: value.get(lang) or network.get(lang, "") for lang in LANGUAGES
            }
        elif not _is_empty(value):
            merged[field.name] = value
    return merged


def changed_fields(old: dict, new: dict) -> list[str]:
    names = sorted(set(old) | set(new))
    return [name for name in names if old.get(name) != new.get(name)]


def _problem(kind, code, message, field_name="") -> Problem:
    return Problem(kind=Kind(kind), code=code, message=message, field=field_name)


def _check_required(kind, code, fields, content, prefix="") -> list[Problem]:
    problems = []
    for field in fields:
        if not field.required:
            continue
        value = content.get(field.name)
        missing = (not text(value, REQUIRED_LANGUAGE)) if field.translated else _is_empty(value)
        if missing:
            label = f"{prefix}{field.label}"
            message = (
                _("“%(field)s” is empty in Catalan.")
                if field.translated
                else _("“%(field)s” is required.")
            ) % {"field": label}
            problems.append(_problem(kind, code, message, field.name))
    return problems


def _check_refs(kind, code, fields, content, known, categories, resources, prefix=""):
    problems = []
    for field in fields:
        value = content.get(field.name)
        if field.type in (FieldType.REF, FieldType.REFS) and value:
            for target in [value] if field.type == FieldType.REF else value:
                if target not in known.get(field.ref_kind, set()):
                    problems.append(
                        _problem(
                            kind,
                            code,
                            _(
                                "“%(field)s” points to %(kind)s “%(target)s”, "
                                "which does not exist in the draft."
                            )
                            % {
                                "field": f"{prefix}{field.label}",
                                "kind": field.ref_kind,
                                "target": target,
                            },
                            field.name,
                        )
                    )
        elif field.type == FieldType.CATEGORY and value and value not in categories:
            problems.append(
                _problem(
                    kind,
                    code,
                    _("Category “%(target)s” does not exist.") % {"target": value},
                    field.name,
                )
            )
        elif field.type == FieldType.RESOURCES:
            for target in value or []:
                if target not in resources:
                    problems.append(
                        _problem(
                            kind,
                            code,
                            _("Resource “%(target)s” is not in the library.") % {"target": target},
                            field.name,
                        )
                    )
    return problems


def validate_item(kind, code, content, *, known, categories, resources) -> list[Problem]:
    """Problems of one item. `known` maps each kind to the codes that exist in the draft."""
    fields = fields_of(Kind(kind), network_only=True)
    problems = _check_required(kind, code, fields, content)
    problems += _check_refs(kind, code, fields, content, known, categories, resources)
    if kind == Kind.PROCESS:
        problems += _validate_steps(code, content.get("steps") or [], known, categories, resources)
    return problems


def _validate_steps(code, steps, known, categories, resources) -> list[Problem]:
    problems, seen = [], set()
    for number, step in enumerate(steps, start=1):
        prefix = _("Step %(number)s: ") % {"number": number}
        if not step.get("id"):
            problems.append(_problem(Kind.PROCESS, code, prefix + _("it has no identifier.")))
        elif step["id"] in seen:
            problems.append(
                _problem(
                    Kind.PROCESS,
                    code,
                    prefix + _("identifier “%(id)s” is used twice.") % {"id": step["id"]},
                )
            )
        seen.add(step.get("id"))
        problems += _check_required(Kind.PROCESS, code, STEP_FIELDS, step, prefix)
        problems += _check_refs(
            Kind.PROCESS, code, STEP_FIELDS, step, known, categories, resources, prefix
        )
    return problems


def search_text(kind: Kind, content: dict, language: str) -> str:
    """Every translated and plain text of an item in one language, for full-text search."""
    parts = []
    for field in fields_of(Kind(kind)):
        value = content.get(field.name)
        if field.translated:
            value = text(value, language)
            parts.append("\n".join(value) if isinstance(value, list) else str(value or ""))
        elif field.type == FieldType.TEXT:
            parts.append(str(value or ""))
        elif field.type == FieldType.STEPS:
            for step in value or []:
                parts.append(text(step.get("name"), language))
    return "\n".join(p for p in parts if p)


def matches(kind: Kind, content: dict, words: list[str]) -> bool:
    """Whether every word appears in the item's text, in any language (accent-free)."""
    haystack = fold(" ".join(search_text(kind, content, lang) for lang in LANGUAGES))
    return all(word in haystack for word in words)
