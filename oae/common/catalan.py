"""Wording the translation catalogues cannot do alone: a preposition before a place name as
Catalan writes it ("al Papiol", "de l'Hospitalet", "d'Esplugues") and dates with their weekday
("dilluns, 7 de desembre", "1 d'abril"). Spanish and English follow their own, simpler rules.

A translation says "a %(town)s"; the place comes from the reference data with its article in
lower case ("el Papiol", "l'Hospitalet de Llobregat", "la Palma de Cervelló"), so the phrase can
only be put right once the name is in it: `place_phrase` does that, wherever a phrase is built."""

import datetime
import re

from django.utils import timezone
from django.utils.dates import MONTHS_ALT, WEEKDAYS
from django.utils.text import capfirst
from django.utils.translation import get_language

ARTICLES = ("el", "els", "la", "les")
APOSTROPHES = ("'", "’")

# (preposition, article) → the contracted form, by language; Catalan "per a" ends in "a".
CONTRACTIONS = {
    "ca": {
        ("a", "el"): "al",
        ("a", "els"): "als",
        ("de", "el"): "del",
        ("de", "els"): "dels",
        ("per", "el"): "pel",
        ("per", "els"): "pels",
    },
    "es": {("a", "el"): "al", ("de", "el"): "del"},
}
PREPOSITIONS = ("a", "de", "per")

_VOWELS = "aeiouàèéíïòóúü"


def _language(language: str | None) -> str:
    return (language or get_language() or "ca").split("-")[0].lower()


def _split_article(place: str) -> tuple[str, str]:
    """("el", "Papiol") for "el Papiol" or "El Papiol"; ("l'", "Hospitalet…") for the elided
    article; ("", place) for a name without one."""
    for mark in APOSTROPHES:
        if place[:2].lower() == "l" + mark:
            return "l'", place[2:]
    first, _, rest = place.partition(" ")
    if rest and first.lower() in ARTICLES:
        return first.lower(), rest
    return "", place


def _takes_apostrophe(word: str) -> bool:
    """Catalan "de" becomes "d'" before a vowel or a mute h, not before the semivowels i, u
    (de iogurt, de Huelva is an exception we need not know of: no town in the data)."""
    lowered = word.lower()
    if lowered.startswith("h"):
        lowered = lowered[1:]
    if not lowered or lowered[0] not in _VOWELS:
        return False
    return not (lowered[0] in "iu" and len(lowered) > 1 and lowered[1] in _VOWELS)


def _same_case(model: str, word: str) -> str:
    return capfirst(word) if model[:1].isupper() else word


def with_preposition(preposition: str, place: str, language: str | None = None) -> str:
    """The preposition joined to the place as the language writes it: "a" + "el Papiol" →
    "al Papiol", "de" + "l'Hospitalet de Llobregat" → "de l'Hospitalet de Llobregat",
    "de" + "Esplugues de Llobregat" → "d'Esplugues de Llobregat". A capital preposition (a
    sentence's first word) keeps its capital: "A" + "el Prat" → "Al Prat"."""
    language = _language(language)
    article, name = _split_article(place.strip())
    key = preposition.lower()
    contracted = CONTRACTIONS.get(language, {}).get((key, article))
    if contracted:
        return f"{_same_case(preposition, contracted)} {name}"
    if article:
        joiner = "" if article == "l'" else " "
        return f"{preposition} {article}{joiner}{name}"
    if language == "ca" and key == "de" and _takes_apostrophe(name):
        return f"{_same_case(preposition, 'd')}'{name}"
    return f"{preposition} {name}"


def place_phrase(text: str, place: str, language: str | None = None) -> str:
    """A finished sentence with the preposition before `place` put right ("Tràmits a el Papiol"
    → "Tràmits al Papiol") and the place's article capitalised when it opens the sentence."""
    text, place = str(text), str(place or "")
    if not place:
        return text
    language = _language(language)
    prepositions = "|".join(PREPOSITIONS)
    pattern = re.compile(
        rf"(?<![\w'’])({prepositions})\s+{re.escape(place)}(?!\w)", flags=re.IGNORECASE
    )
    text = pattern.sub(lambda m: with_preposition(m.group(1), place, language), text)
    stripped = text.lstrip(" «“\"'")
    if stripped.startswith(place):
        start = len(text) - len(stripped)
        text = text[:start] + capfirst(place) + text[start + len(place) :]
    return text


def _month(day: datetime.date) -> str:
    return str(MONTHS_ALT[day.month]).lower()


def _weekday(day: datetime.date, language: str) -> str:
    name = str(WEEKDAYS[day.weekday()])
    # Catalan and Spanish write weekdays in lower case; English capitalises them.
    return name if language == "en" else name.lower()


def day_and_month(day: datetime.date, language: str | None = None) -> str:
    """ "7 de desembre", "1 d'abril" (ca); "7 de diciembre" (es); "7 December" (en)."""
    language = _language(language)
    month = _month(day)
    if language == "ca":
        return f"{day.day} {with_preposition('de', month, 'ca')}"
    if language == "es":
        return f"{day.day} de {month}"
    return f"{day.day} {capfirst(month)}"


def long_date(day: datetime.date, language: str | None = None, *, year: bool = False) -> str:
    """A date with its weekday: "dilluns, 7 de desembre" (ca), "lunes, 7 de diciembre" (es),
    "Monday 7 December" (en); with the year when asked ("…de 2026", "… 2026")."""
    language = _language(language)
    if isinstance(day, datetime.datetime):
        day = timezone.localtime(day).date() if timezone.is_aware(day) else day.date()
    text = day_and_month(day, language)
    if year:
        text += f" de {day.year}" if language in ("ca", "es") else f" {day.year}"
    separator = " " if language == "en" else ", "
    return f"{_weekday(day, language)}{separator}{text}"
