"""When two records may be the same person: pure rules shared by the screens, the import and
the generated data."""

from rapidfuzz import fuzz, process

from oae.common.text import fold

NAME_SIMILARITY = 85  # percent of characters in common, in order (Indel similarity)


def name_key(first_name: str, last_name: str, birth_year: int | None) -> str:
    """The year of birth, the surname's first three letters and the name's first two, without
    accents or case ("1984fersma"); empty without a year or a surname. One indexed lookup
    finds the people whose names may be alike: a typo after those letters still matches."""
    if not birth_year or not (last_name or "").strip():
        return ""
    surname = fold(last_name).replace(" ", "")[:3]
    return f"{birth_year}{surname}{fold(first_name or '').strip()[:2]}"


def similar_names(a: str, b: str) -> bool:
    return fuzz.ratio(fold(a), fold(b), score_cutoff=NAME_SIMILARITY) > 0


def any_similar(folded_name: str, folded_others: list[str]) -> bool:
    """Whether one of the names (already folded) is similar to this one (compared in C)."""
    found = process.extractOne(
        folded_name, folded_others, scorer=fuzz.ratio, score_cutoff=NAME_SIMILARITY
    )
    return found is not None
