"""When two records may be the same person: pure rules shared by the screens, the import and
the generated data."""

from rapidfuzz import fuzz, process

from oae.catalogue.search import fold

NAME_SIMILARITY = 85  # percent of characters in common, in order (Indel similarity)


def name_key(first_name: str, last_name: str) -> str:
    """The surname's first three letters and the name's first two, without accents or case.
    With the year of birth it is an indexed way to find people whose names may be alike:
    a typo after those letters still finds the other record."""
    surname = fold(last_name or "").replace(" ", "")[:3]
    return surname + fold(first_name or "").strip()[:2]


def similar_names(a: str, b: str) -> bool:
    return fuzz.ratio(fold(a), fold(b), score_cutoff=NAME_SIMILARITY) > 0


def any_similar(folded_name: str, folded_others: list[str]) -> bool:
    """Whether one of the names (already folded) is similar to this one (compared in C)."""
    found = process.extractOne(
        folded_name, folded_others, scorer=fuzz.ratio, score_cutoff=NAME_SIMILARITY
    )
    return found is not None
