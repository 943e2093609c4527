"""Recognising a municipality of Spain as offices write it: in a form field or a spreadsheet cell.

The index is built once from the shipped files (the same ones `load_reference_data` writes to
the database), so a lookup reads no database and an import of 100,000 rows costs one dict
lookup per distinct cell. Callers turn the INE code found into their row."""

import csv
import functools
import re
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from django.utils.translation import gettext as _

from oae.common.text import fold

DATA_DIR = Path(__file__).resolve().parent / "data"
SPANISH_FILE = "spanish_municipalities.csv"
NETWORK_FILE = "amb_municipalities.csv"

# The articles INE writes after a name ("Prat de Llobregat, El"), folded: Spanish, Catalan,
# Galician and Balearic. Offices write them in front ("El Prat"), inverted, or not at all.
ARTICLES = frozenset(
    {"el", "la", "los", "las", "l", "els", "les", "a", "o", "as", "os", "es", "sa", "ses"}
)
# Province names offices write besides the official ones (the Spanish or older forms).
PROVINCE_ALIASES = {
    "alava": "01",
    "baleares": "07",
    "islas baleares": "07",
    "la coruna": "15",
    "gerona": "17",
    "guipuzcoa": "20",
    "lerida": "25",
    "orense": "32",
    "vizcaya": "48",
    "tenerife": "38",
}
# Names offices still write for a few municipalities whose official name is another: the
# Spanish or older form, or the name people use.
COMMON_NAMES = {
    "vitoria": "01059",
    "palma de mallorca": "07040",
    "castellon": "12040",
    "castellon de la plana": "12040",
    "gerona": "17079",
    "lerida": "25120",
    "orense": "32054",
    "las palmas": "35016",
    "sant just": "08221",
}
# What follows the main name of a network town and is often left out ("Sant Boi" for Sant Boi
# de Llobregat, "Montcada" for Montcada i Reixac).
_QUALIFIER_WORDS = frozenset({"de", "del", "dels", "d", "i"})
_ABBREVIATIONS = {"st": "sant", "sta": "santa", "sto": "santo"}
_SHOWN_CANDIDATES = 6


@dataclass(frozen=True)
class SpanishPlace:
    """A municipality of Spain as the matcher knows it; `name` and `province` as INE writes
    them ("Hospitalet de Llobregat, L'", "Balears, Illes")."""

    ine_code: str
    name: str
    province_code: str
    province: str
    in_network: bool

    @property
    def display_name(self) -> str:
        return natural_name(self.name)

    @property
    def label(self) -> str:
        """The name with its province, as a person may type it back to say which one."""
        return f"{self.display_name} ({province_name(self.province)})"


class MatchStatus(StrEnum):
    FOUND = "found"
    AMBIGUOUS = "ambiguous"  # several municipalities fit: the province (or INE code) tells
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class MunicipalityMatch:
    """What a text names: one municipality, several (`candidates`), or none. An unknown text
    may still have candidates: names that exist, but not in the province it gave."""

    status: MatchStatus
    municipality: SpanishPlace | None = None
    candidates: tuple[SpanishPlace, ...] = ()
    province_code: str = ""  # the province the text named, if any

    @property
    def found(self) -> bool:
        return self.status == MatchStatus.FOUND


@dataclass
class _Index:
    by_code: dict[str, SpanishPlace]
    with_article: dict[str, list[SpanishPlace]]  # "el prat de llobregat"
    bare: dict[str, list[SpanishPlace]]  # "prat de llobregat", and each half of a bilingual name
    # "sant boi" (a network town's short form), "palma de mallorca" (`COMMON_NAMES`)
    other_names: dict[str, list[SpanishPlace]]
    provinces: dict[str, str]  # a province's name → its code


# Names -----------------------------------------------------------------------------------------


def natural_name(ine_name: str) -> str:
    """A name as it is read: "Hospitalet de Llobregat, L'" → "L'Hospitalet de Llobregat",
    "Villajoyosa/Vila Joiosa, la" → "Villajoyosa/la Vila Joiosa"."""
    return "/".join(_joined(*_uninverted(part)) for part in ine_name.split("/"))


def province_name(ine_province: str) -> str:
    """A province as it is read: "Balears, Illes" → "Illes Balears", "Coruña, A" → "A Coruña"."""
    parts = []
    for part in ine_province.split("/"):
        head, comma, tail = part.rpartition(", ")
        parts.append(f"{tail} {head}" if comma else part)
    return "/".join(parts)


def _uninverted(name: str) -> tuple[str, str]:
    """(article, name without it) of one name in INE's inverted form."""
    head, comma, tail = name.rpartition(", ")
    if comma and _words(tail) and " ".join(_words(tail)) in ARTICLES:
        return tail, head
    return "", name


def _joined(article: str, name: str) -> str:
    if not article:
        return name
    return f"{article}{name}" if article.endswith("'") else f"{article} {name}"


def _words(text: str) -> list[str]:
    """Folded words, punctuation gone: "L'Hospitalet" → ["l", "hospitalet"]; "l·l" is "ll"."""
    folded = fold(text)
    folded = re.sub(r"l[·.\-]l", "ll", folded)
    words = re.sub(r"[^a-z0-9]+", " ", folded).split()
    if words and words[0] in _ABBREVIATIONS:  # "Sta. Coloma"
        words[0] = _ABBREVIATIONS[words[0]]
    return words


def _without_article(words: list[str]) -> list[str]:
    return words[1:] if len(words) > 1 and words[0] in ARTICLES else words


def _short_form(words: list[str]) -> list[str]:
    """The name before its first qualifier: "sant boi de llobregat" → "sant boi"."""
    for position, word in enumerate(words[1:], start=1):
        if word in _QUALIFIER_WORDS:
            return words[:position]
    return []


# The index ------------------------------------------------------------------------------------


def _read(filename: str) -> list[dict]:
    with open(DATA_DIR / filename, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _add(index: dict[str, list[SpanishPlace]], words: list[str], place: SpanishPlace) -> None:
    if words and place not in index.setdefault(" ".join(words), []):
        index[" ".join(words)].append(place)


@functools.cache
def _index() -> _Index:
    network = {row["ine_code"] for row in _read(NETWORK_FILE)}
    index = _Index(by_code={}, with_article={}, bare={}, other_names={}, provinces={})
    for row in _read(SPANISH_FILE):
        place = SpanishPlace(
            ine_code=row["ine_code"],
            name=row["name"],
            province_code=row["province_code"],
            province=row["province"],
            in_network=row["ine_code"] in network,
        )
        index.by_code[place.ine_code] = place
        for part in place.name.split("/"):
            article, name = _uninverted(part)
            _add(index.with_article, _words(_joined(article, name)), place)
            _add(index.bare, _words(name), place)
            _add(index.bare, _words(re.sub(r"\(.*?\)", "", name)), place)  # "Noáin"
            if place.in_network:
                _add(index.other_names, _short_form(_words(name)), place)
        for part in place.province.split("/"):
            head = part.partition(", ")[0]  # "Balears" of "Balears, Illes"
            for words in (_words(province_name(part)), _words(head)):
                index.provinces[" ".join(words)] = place.province_code
    index.provinces |= PROVINCE_ALIASES
    for name, code in COMMON_NAMES.items():
        _add(index.other_names, _without_article(name.split()), index.by_code[code])
    return index


# Matching -------------------------------------------------------------------------------------


@functools.lru_cache(maxsize=20_000)
def find_municipality(text: str) -> MunicipalityMatch:
    """The municipality a text names: an INE code ("08101"), a name in any case, with or
    without accents, its article in front, inverted or left out ("L'Hospitalet de Llobregat",
    "Hospitalet de Llobregat, L'", "hospitalet de llobregat"), either half of a bilingual name
    ("Alicante", "Alacant/Alicante"), the short form of a network town ("Sant Boi"), and a
    province after it to tell apart names shared by several ("Castellar (Jaén)", "Sant Joan,
    Barcelona"). Cached: an import's cells repeat a great deal."""
    text = " ".join((text or "").split())
    index = _index()
    if re.fullmatch(r"\d{4,5}", text):  # a spreadsheet may have dropped the leading zero
        place = index.by_code.get(text.zfill(5))
        if place is None:
            return MunicipalityMatch(MatchStatus.UNKNOWN)
        return MunicipalityMatch(MatchStatus.FOUND, municipality=place)
    name, province_code = _name_and_province(text, index)
    candidates = _candidates(name, index)
    if province_code:
        in_province = [p for p in candidates if p.province_code == province_code]
        if not in_province:
            return MunicipalityMatch(MatchStatus.UNKNOWN, None, tuple(candidates), province_code)
        candidates = _as_written(name, in_province, index)
    if len(candidates) == 1:
        return MunicipalityMatch(MatchStatus.FOUND, candidates[0], (), province_code)
    status = MatchStatus.AMBIGUOUS if candidates else MatchStatus.UNKNOWN
    return MunicipalityMatch(status, None, tuple(candidates), province_code)


def _name_and_province(text: str, index: _Index) -> tuple[str, str]:
    """Split off a province written after the name: in brackets, after a comma or a dash. A
    bracket or comma may hold the inverted article instead ("Prat de Llobregat (El)")."""
    bracket = re.fullmatch(r"(.+)\(([^()]+)\)", text)
    if bracket:
        name, extra = bracket.groups()
    else:
        parts = re.split(r",|\s[-–]\s", text)
        name, extra = (",".join(parts[:-1]), parts[-1]) if len(parts) > 1 else (text, "")
    province_code = _province_code(extra, index)
    if province_code:
        return name, province_code
    if " ".join(_words(extra)) in ARTICLES:
        return f"{extra.strip()} {name}", ""
    # A comarca in brackets is left out; a comma that is part of the name is kept
    # ("Cruïlles, Monells i Sant Sadurní de l'Heura").
    return (name, "") if bracket else (text, "")


def _as_written(name: str, candidates: list[SpanishPlace], index: _Index) -> list[SpanishPlace]:
    """Of the candidates of one province, the one written exactly so, article and all, if
    there is one ("Píñar (Granada)" is not El Pinar, Granada); else them all."""
    keys = [" ".join(_words(_joined(*_uninverted(part.strip())))) for part in name.split("/")]
    exact = [p for p in candidates if any(p in index.with_article.get(k, []) for k in keys)]
    return exact if len(exact) == 1 else candidates


def _province_code(text: str, index: _Index) -> str:
    """The code of the province a text names, either half of a bilingual name will do
    ("Valencia/València"); "" if none."""
    for part in text.split("/"):
        code = index.provinces.get(" ".join(_words(part)))
        if code:
            return code
    return ""


def _candidates(name: str, index: _Index) -> list[SpanishPlace]:
    """Every municipality the name may be; each half of a bilingual name must agree."""
    found = [_candidates_of_one(part, index) for part in name.split("/")]
    found = [places for places in found if places]
    if not found:
        return []
    agreed = [p for p in found[0] if all(p in places for places in found[1:])]
    if agreed:
        return agreed
    return list(dict.fromkeys(p for places in found for p in places))


def _candidates_of_one(name: str, index: _Index) -> list[SpanishPlace]:
    words = _words(_joined(*_uninverted(name.strip())))
    bare = _without_article(words)
    others = index.other_names.get(" ".join(bare), [])
    # With its article, the name says which: "El Castellar" is not Castellar. Without one, a
    # name with an article is as likely ("Prat de Llobregat").
    has_article = len(bare) < len(words)
    places = index.with_article.get(" ".join(words), []) if has_article else []
    places = places or index.bare.get(" ".join(bare), [])
    return list(dict.fromkeys([*places, *others]))


def match_problem(text: str, match: MunicipalityMatch) -> str:
    """What to tell the person who wrote `text` when it names no single municipality ("" when
    it does): the candidates to choose from, written so that typing one back is understood."""
    if match.found:
        return ""
    shown = ", ".join(p.label for p in match.candidates[:_SHOWN_CANDIDATES])
    if len(match.candidates) > _SHOWN_CANDIDATES:
        shown += ", …"
    if match.status == MatchStatus.AMBIGUOUS and match.province_code:
        return _(
            "Several municipalities of that province fit “%(text)s”: write the whole name, for "
            "example %(options)s."
        ) % {"text": text, "options": shown}
    if match.status == MatchStatus.AMBIGUOUS:
        return _(
            "Several municipalities are called “%(text)s”: write the province too, for "
            "example %(options)s."
        ) % {"text": text, "options": shown}
    if match.candidates:
        return _("“%(text)s” is not in the province given. Did you mean %(options)s?") % {
            "text": text,
            "options": shown,
        }
    return _(
        "“%(text)s” is not a municipality of Spain. Check how it is written, or enter its INE code."
    ) % {"text": text}
