"""Template filters for translated content."""

from django import template

from oae.catalogue import content as content_lib

register = template.Library()


@register.filter
def tr(value):
    """A translated value ({"ca": …, "es": …}) in the current language, falling back to Catalan."""
    return content_lib.text(value)
