"""Template filters of the advisory tools."""

from django import template

from oae.catalogue.content import text
from oae.crm.models import LegalForm

register = template.Library()


@register.filter
def get_item(mapping, key):
    """mapping[key] in a template (None when missing)."""
    return mapping.get(key) if hasattr(mapping, "get") else None


@register.filter
def lines(text):
    """The non-empty lines of a text (steps are written one per line)."""
    return [line.strip() for line in str(text or "").splitlines() if line.strip()]


@register.filter
def legal_form_name(code):
    """The legal form's name in the current language."""
    return LegalForm(code).label if code in LegalForm.values else code


@register.filter
def label_lines(text, width=12):
    """A chart label cut into lines of about `width` characters at spaces, each with the
    vertical offset (in em) of its SVG <tspan>, so the block stays centred on its point."""
    lines: list[str] = []
    for word in str(text or "").split():
        if lines and len(lines[-1]) + 1 + len(word) <= int(width):
            lines[-1] += f" {word}"
        else:
            lines.append(word)
    first = 0.35 - 0.55 * (len(lines) - 1)
    return [(line, f"{first if i == 0 else 1.1:.2f}") for i, line in enumerate(lines)]


@register.filter
def unanswered(content, missing):
    """The error summary's entries for a questionnaire sent back: each unanswered question,
    linked to its first option."""
    return [
        (f"q-{question['id']}-0", text(question.get("text")))
        for question in content.get("questions", [])
        if question.get("id") in (missing or ())
    ]
