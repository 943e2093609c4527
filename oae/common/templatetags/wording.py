"""Template filters for wording in the active language: place phrases, dates, money."""

import html

from django import template
from django.utils.safestring import SafeData

from oae.common import catalan
from oae.common.money import format_money

register = template.Library()


@register.filter
def place(text, name):
    """`{{ heading|place:town }}`: the preposition before the town as the language writes it
    ("Tràmits a el Papiol" → "Tràmits al Papiol"). Use it on the translated sentence, e.g. a
    `{% blocktranslate asvar heading %}`: that text arrives escaped, so it is read as plain text
    and escaped once more on output."""
    plain = html.unescape(str(text)) if isinstance(text, SafeData) else str(text)
    return catalan.place_phrase(plain, name)


@register.filter
def long_date(day, with_year=False):
    """ "dilluns, 7 de desembre" (with the year: `long_date:True`)."""
    if not day:
        return ""
    return catalan.long_date(day, year=bool(with_year))


@register.filter
def money(amount, decimals=2):
    """ "−1.778,00 €" (`money:0` for whole euros)."""
    if amount is None or amount == "":
        return "—"
    return format_money(amount, int(decimals))
