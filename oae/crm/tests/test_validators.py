"""Spanish IDs: every valid one is accepted and normalised; one changed character is refused.
Every rule with its arithmetic worked by hand: test_validators_worked.py."""

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from oae.crm.validators import normalise_id_document, normalise_tax_id

LETTERS = "TRWAGMYFPDXBNJZSQVHLCKE"


def dni_for(number: int) -> str:
    return f"{number:08d}{LETTERS[number % 23]}"


def nie_for(prefix: str, number: int) -> str:
    value = int("XYZ".index(prefix)) * 10_000_000 + number
    return f"{prefix}{number:07d}{LETTERS[value % 23]}"


@given(st.integers(min_value=0, max_value=99_999_999))
def test_every_valid_dni_is_accepted_and_normalised(number):
    dni = dni_for(number)
    messy = f"{dni[:2]}.{dni[2:5]}.{dni[5:8]}-{dni[8].lower()}"
    assert normalise_id_document("dni", messy) == dni


@given(st.integers(min_value=0, max_value=99_999_999), st.integers(min_value=0, max_value=22))
def test_a_dni_with_a_changed_letter_is_refused(number, shift):
    dni = dni_for(number)
    wrong = LETTERS[(LETTERS.index(dni[-1]) + 1 + shift % 22) % 23]
    with pytest.raises(ValidationError):
        normalise_id_document("dni", dni[:-1] + wrong)


@given(st.sampled_from("XYZ"), st.integers(min_value=0, max_value=9_999_999))
def test_every_valid_nie_is_accepted(prefix, number):
    nie = nie_for(prefix, number)
    assert normalise_id_document("nie", nie.lower()) == nie


@given(
    st.sampled_from("XYZ"),
    st.integers(min_value=0, max_value=9_999_999),
    st.integers(min_value=1, max_value=7),
)
def test_a_nie_with_a_changed_digit_is_refused(prefix, number, position):
    nie = nie_for(prefix, number)
    digit = str((int(nie[position]) + 1) % 10)
    with pytest.raises(ValidationError):
        normalise_id_document("nie", nie[:position] + digit + nie[position + 1 :])


@pytest.mark.parametrize("value", ["B58818501", "b-58818501", "A08001851"])
def test_valid_company_tax_ids(value):
    assert normalise_tax_id(value) == value.upper().replace("-", "")


def test_bad_tax_id_says_why():
    with pytest.raises(ValidationError) as refused:
        normalise_tax_id("B58818502")
    assert refused.value.messages == ["B58818502: the control character does not match."]


def test_bad_dni_says_the_letter_does_not_match():
    with pytest.raises(ValidationError) as refused:
        normalise_id_document("dni", "12345678A")
    assert refused.value.messages == ["12345678A: the control letter does not match the number."]


def test_a_malformed_dni_is_refused_not_taken_as_no_number():
    with pytest.raises(ValidationError) as refused:
        normalise_id_document("dni", "1234567Z")
    assert refused.value.messages == ["1234567Z is not a valid DNI (for example 12345678Z)."]


def test_a_malformed_tax_id_is_refused_not_taken_as_no_number():
    with pytest.raises(ValidationError) as refused:
        normalise_tax_id("B5881850")
    assert refused.value.messages == ["B5881850 is not a valid NIF (for example B58818501)."]
