"""Template filters of the advisory tools."""

from django import template

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
