"""Folding accents and case, for searches and matching."""

from hypothesis import given
from hypothesis import strategies as st

from oae.common.text import fold, fold_words


def test_fold_takes_off_accents_and_case():
    assert fold("Núria Güell i Ça") == "nuria guell i ca"
    assert fold("ÀNGEL") == "angel"


def test_fold_keeps_spaces_where_they_were():
    assert fold("  Núria  Puig ") == "  nuria  puig "


def test_fold_words_are_the_folded_words():
    assert fold_words("  Núria\tPUIG  Ferrer ") == ["nuria", "puig", "ferrer"]


@given(st.text())
def test_fold_is_idempotent_and_never_upper_case(value):
    folded = fold(value)
    assert fold(folded) == folded
    assert folded == folded.lower()


def test_fold_lowers_letters_that_decompose_into_capitals():
    assert fold("ꟲ") == "c"
    assert fold("İstanbul") == "istanbul"
