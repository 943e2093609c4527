"""Template filters of case management."""

from django import template

register = template.Library()


@register.filter
def hours(minutes) -> str:
    """Minutes as "3 h 20 min" (or "45 min"), how advisors count their time."""
    minutes = int(minutes or 0)
    whole, rest = divmod(minutes, 60)
    if not whole:
        return f"{rest} min"
    return f"{whole} h {rest:02d} min" if rest else f"{whole} h"
