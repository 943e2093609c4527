"""Every rule of the identity-document and tax-ID checks, with its arithmetic worked by hand;
generated documents checked against our own small oracle written from the public rules; and
the refusals followed through the services, the forms and a page, where a malformed number must
be refused, never taken as no number. No test here touches the database: they run in a moment
(the mutation run uses them); the same refusals on the pages are in test_views.py."""

import datetime
import re
import unicodedata

import pytest
from django.core.exceptions import ValidationError
from hypothesis import example, given
from hypothesis import strategies as st

from oae.crm.forms import LinkCompanyForm
from oae.crm.models import Company
from oae.crm.services import company_clean, person_clean
from oae.crm.validators import (
    EARLIEST_BIRTH_YEAR,
    guess_document_type,
    normalise_id_document,
    normalise_tax_id,
    validate_birth_date,
    validate_birth_year,
)

# The oracle, from the public rules (Ministerio del Interior for DNI and NIE; Orden EHA/451/2008
# for the NIF of entities), written here rather than taken from the module under test.

# A DNI's letter: the number's remainder modulo 23 indexes this table.
DNI_LETTERS = "TRWAGMYFPDXBNJZSQVHLCKE"
# A NIE is a DNI whose first digit is written X (0), Y (1) or Z (2).
NIE_PREFIXES = "XYZ"
# An entity's NIF: its letter, 7 digits, a control written as a digit or as the letter
# CIF_LETTERS[digit]. The rule: a digit for A, B, E, H; a letter for N, P, Q, R, S, W; either
# for the rest. stdnum accepts either kind for every letter, as its sources disagree.
CIF_LETTERS = "JABCDEFGHI"
CIF_DIGIT_CONTROL, CIF_LETTER_CONTROL, CIF_EITHER_CONTROL = "ABEH", "NPQRSW", "CDFGJUV"
CIF_ENTITIES = CIF_DIGIT_CONTROL + CIF_LETTER_CONTROL + CIF_EITHER_CONTROL
# K (under 14), L (living abroad), M (foreigners without NIE): a DNI's letter over 7 digits.
KLM_PREFIXES = "KLM"
ALPHANUMERIC = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"

DNI_MESSAGE = "{} is not a valid DNI (for example 12345678Z)."
NIE_MESSAGE = "{} is not a valid NIE (for example X1234567L)."
LETTER_MESSAGE = "{}: the control letter does not match the number."
PASSPORT_MESSAGE = "A passport number has 5 to 20 letters and digits."
NIF_MESSAGE = "{} is not a valid NIF (for example B58818501)."
CONTROL_MESSAGE = "{}: the control character does not match."


def dni_letter(number: int) -> str:
    return DNI_LETTERS[number % 23]


def nie_letter(prefix: str, digits: str) -> str:
    return dni_letter(NIE_PREFIXES.index(prefix) * 10_000_000 + int(digits))


def cif_control_digit(digits: str) -> int:
    """Digits in odd places (1st, 3rd, 5th, 7th) are doubled and the doubled value's digits
    added; those in even places are added as they are; the control brings the sum to a
    multiple of ten."""
    total = 0
    for place, char in enumerate(digits, start=1):
        digit = int(char)
        total += sum(divmod(digit * 2, 10)) if place % 2 else digit
    return (10 - total % 10) % 10


def cif_controls(digits: str) -> set[str]:
    digit = cif_control_digit(digits)
    return {str(digit), CIF_LETTERS[digit]}


def valid_tax_id(value: str) -> bool:
    """Whether `value` (compact) is a NIF in any of its forms, by the oracle."""
    if len(value) != 9 or not value[1:-1].isdigit() or not value[1:-1].isascii():
        return False
    first, digits, control = value[0], value[1:-1], value[-1]
    if first.isdigit() and first.isascii():
        return control == dni_letter(int(value[:-1]))
    if first in NIE_PREFIXES:
        return control == nie_letter(first, digits)
    if first in KLM_PREFIXES:
        return control == dni_letter(int(digits))
    return first in CIF_ENTITIES and control in cif_controls(digits)


def refusal(function, *args) -> tuple[str, str]:
    """The code and the message (in English: conftest's `_english`) of the refusal."""
    with pytest.raises(ValidationError) as refused:
        function(*args)
    assert len(refused.value.messages) == 1
    return refused.value.code, refused.value.messages[0]


def digits(size: int):
    return st.text(alphabet="0123456789", min_size=size, max_size=size)


# The oracle itself, against figures worked by hand and published examples -----------------


def test_the_oracle_agrees_with_the_worked_examples():
    assert dni_letter(12345678) == "Z"  # 12345678 = 23 × 536768 + 14; table[14] = Z
    assert nie_letter("X", "1234567") == "L"  # 01234567 = 23 × 53676 + 19; table[19] = L
    # B58818501: odd places 5,8,8,0 doubled 10,16,16,0 → 1+7+7+0 = 15; even places
    # 8,1,5 → 14; 15 + 14 = 29 → 10 − 9 = 1
    assert cif_control_digit("5881850") == 1
    assert cif_control_digit("0000000") == 0  # a sum of 0 needs 0, not 10
    assert valid_tax_id("M1234567L") and not valid_tax_id("M1234567K")


# DNI ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("number", "why"),
    [
        ("12345678Z", "12345678 = 23 × 536768 + 14; table[14] = Z"),
        ("00000000T", "0 = 23 × 0 + 0; table[0] = T"),
        ("00000022E", "22 = 23 × 0 + 22; table[22] = E, the table's last"),
        ("00000023T", "23 = 23 × 1 + 0; the table starts again"),
        ("99999999R", "99999999 = 23 × 4347826 + 1; table[1] = R"),
        ("87654321X", "87654321 = 23 × 3811057 + 10; table[10] = X"),
        ("73920451S", "73920451 = 23 × 3213932 + 15; table[15] = S"),
        ("11111111H", "11111111 = 23 × 483091 + 18; table[18] = H"),
    ],
)
def test_a_dni_whose_letter_is_the_remainder_mod_23_is_accepted(number, why):
    assert normalise_id_document("dni", number) == number


@pytest.mark.parametrize(
    "typed",
    [
        "12.345.678-Z",
        "12 345 678 z",
        "12345678-z",
        " 12345678Z ",
        "12345678\tZ",
        "1234\n5678Z",
        "12\u00a0345\u00a0678Z",  # no-break spaces, as pasted from a document
        "12345678\u2013Z",  # an en dash
        "１２３４５６７８z",  # full-width digits (stdnum reads them as digits)
    ],
)
def test_a_dni_is_kept_compact_and_in_capitals_however_typed(typed):
    assert normalise_id_document("dni", typed) == "12345678Z"


@pytest.mark.parametrize(
    ("typed", "compact"),
    [
        ("1234567Z", "1234567Z"),  # 7 digits
        ("123456789Z", "123456789Z"),  # 9 digits
        ("12345678", "12345678"),  # no letter: its last digit is taken as the letter
        ("Z", "Z"),
        ("", ""),
        ("1234567AZ", "1234567AZ"),  # a letter among the digits
        ("X1234567L", "X1234567L"),  # a NIE is not a DNI
        ("12345678ZZ", "12345678ZZ"),
        ("1234567\nL", "1234567L"),  # the line break is dropped: 8 characters, too short
    ],
)
def test_a_malformed_dni_is_refused_saying_what_a_dni_looks_like(typed, compact):
    assert refusal(normalise_id_document, "dni", typed) == ("format", DNI_MESSAGE.format(compact))


def test_a_missing_number_of_a_dni_is_refused_as_an_empty_one():
    assert refusal(normalise_id_document, "dni", None) == ("format", DNI_MESSAGE.format(""))


@pytest.mark.parametrize(
    "typed",
    [
        "12345678A",  # Z expected (remainder 14); A is table[3]
        "12345678T",  # table[0], the table's first
        "12345678E",  # table[22], its last
        "12345678J",  # table[13], the remainder one less
        "12345677Z",  # the number changed, not the letter: 12345677 → table[13] = J
        "123456780",  # a digit where the letter goes
        "00000000R",  # 0 → T
    ],
)
def test_a_dni_with_the_wrong_letter_is_refused_saying_the_letter_does_not_match(typed):
    assert refusal(normalise_id_document, "dni", typed) == (
        "checksum",
        LETTER_MESSAGE.format(typed),
    )


def test_the_letter_of_a_dni_is_checked_after_its_separators_and_case():
    assert refusal(normalise_id_document, "dni", "12.345.678-a") == (
        "checksum",
        LETTER_MESSAGE.format("12345678A"),
    )


@given(st.integers(min_value=0, max_value=99_999_999))
def test_every_dni_built_by_the_oracle_is_accepted(number):
    dni = f"{number:08d}{dni_letter(number)}"
    assert normalise_id_document("dni", dni) == dni
    assert normalise_id_document("dni", f" {dni[:4]}.{dni[4:8]}-{dni[8].lower()} ") == dni


@given(st.integers(min_value=0, max_value=99_999_999), st.sampled_from(ALPHANUMERIC))
def test_any_other_control_character_of_a_dni_is_refused(number, control):
    if control == dni_letter(number):
        control = DNI_LETTERS[(DNI_LETTERS.index(control) + 1) % 23]
    dni = f"{number:08d}{control}"
    assert refusal(normalise_id_document, "dni", dni) == ("checksum", LETTER_MESSAGE.format(dni))


# NIE ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("number", "why"),
    [
        ("X1234567L", "X → 0: 01234567 = 23 × 53676 + 19; table[19] = L"),
        ("Y1234567X", "Y → 1: 11234567 = 23 × 488459 + 10; table[10] = X"),
        ("Z1234567R", "Z → 2: 21234567 = 23 × 923242 + 1; table[1] = R"),
        ("X2482300W", "X → 0: 2482300 = 23 × 107926 + 2; table[2] = W"),
        ("X0000000T", "X → 0: 0; table[0] = T"),
        ("Y0000000Z", "Y → 1: 10000000 = 23 × 434782 + 14; table[14] = Z"),
        ("Z0000000M", "Z → 2: 20000000 = 23 × 869565 + 5; table[5] = M"),
    ],
)
def test_a_nie_whose_letter_counts_its_prefix_as_a_digit_is_accepted(number, why):
    assert normalise_id_document("nie", number) == number


@pytest.mark.parametrize("typed", ["x1234567l", "X-1234567-L", "X.123.456.7 L", "\tx1234567L\n"])
def test_a_nie_is_kept_compact_and_in_capitals_however_typed(typed):
    assert normalise_id_document("nie", typed) == "X1234567L"


@pytest.mark.parametrize(
    ("typed", "compact"),
    [
        ("X123456L", "X123456L"),  # 6 digits
        ("X12345678L", "X12345678L"),  # 8 digits
        ("W1234567L", "W1234567L"),  # not X, Y nor Z
        ("K1234567L", "K1234567L"),  # a NIF of K, L or M is not a NIE
        ("01234567L", "01234567L"),  # the prefix written as its digit
        ("12345678Z", "12345678Z"),  # a DNI is not a NIE
        ("X12A4567L", "X12A4567L"),
        ("", ""),
    ],
)
def test_a_malformed_nie_is_refused_saying_what_a_nie_looks_like(typed, compact):
    assert refusal(normalise_id_document, "nie", typed) == ("format", NIE_MESSAGE.format(compact))


@pytest.mark.parametrize(
    "typed",
    [
        "X1234567X",  # the letter of Y1234567
        "Y1234567L",  # the letter of X1234567: the prefix counts
        "Z1234567L",
        "X1234567A",
        "X12345670",
    ],
)
def test_a_nie_with_the_wrong_letter_is_refused_saying_the_letter_does_not_match(typed):
    assert refusal(normalise_id_document, "nie", typed) == (
        "checksum",
        LETTER_MESSAGE.format(typed),
    )


@given(st.sampled_from(NIE_PREFIXES), digits(7))
def test_every_nie_built_by_the_oracle_is_accepted(prefix, seven):
    nie = f"{prefix}{seven}{nie_letter(prefix, seven)}"
    assert normalise_id_document("nie", f"{nie[0].lower()}-{nie[1:8]}-{nie[8]}") == nie


@given(st.sampled_from(NIE_PREFIXES), digits(7), st.sampled_from(ALPHANUMERIC))
def test_any_other_control_character_of_a_nie_is_refused(prefix, seven, control):
    right = nie_letter(prefix, seven)
    if control == right:
        control = DNI_LETTERS[(DNI_LETTERS.index(right) + 22) % 23]
    nie = f"{prefix}{seven}{control}"
    assert refusal(normalise_id_document, "nie", nie) == ("checksum", LETTER_MESSAGE.format(nie))


# Passport -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "compact"),
    [
        ("AB123", "AB123"),  # 5 characters: the shortest
        ("12345", "12345"),  # digits alone
        ("ABCDE", "ABCDE"),  # letters alone
        ("A" * 20, "A" * 20),  # 20 characters: the longest
        ("paa123456", "PAA123456"),  # capitals
        ("PAA 123 456", "PAA123456"),
        ("PAA-123.456", "PAA123456"),
        ("PAA\t123\n456", "PAA123456"),
        ("AB-1.2 3", "AB123"),  # 5 once the separators are gone
        ("A" * 20 + "...", "A" * 20),
    ],
)
def test_a_passport_of_5_to_20_letters_and_digits_is_accepted_compact(typed, compact):
    assert normalise_id_document("passport", typed) == compact


@pytest.mark.parametrize(
    "typed",
    [
        "AB12",  # 4 characters
        "A" * 21,  # 21 characters
        "AB-1.2",  # 4 once the separators are gone
        "",
        None,
        "AB123/4",
        "AB_1234",
        "AB123#",
        "ÑA12345",  # letters A to Z only
        "ÀB12345",
        "AB１２３４５",  # full-width digits
        "AB12²45",  # a superscript is not a digit
    ],
)
def test_a_passport_of_other_lengths_or_characters_is_refused(typed):
    assert refusal(normalise_id_document, "passport", typed) == ("passport", PASSPORT_MESSAGE)


@given(st.text(alphabet=ALPHANUMERIC + ALPHANUMERIC.lower(), min_size=5, max_size=20))
def test_every_passport_of_ascii_letters_and_digits_is_accepted(number):
    assert normalise_id_document("passport", number) == number.upper()
    assert normalise_id_document("passport", "-".join(number)) == number.upper()


@given(st.text(alphabet=ALPHANUMERIC, max_size=4) | st.text(alphabet=ALPHANUMERIC, min_size=21))
def test_every_passport_too_short_or_too_long_is_refused(number):
    assert refusal(normalise_id_document, "passport", number) == ("passport", PASSPORT_MESSAGE)


# No document, and a number typed without its type --------------------------------------------


@pytest.mark.parametrize("id_type", ["", "other", "DNI", None])
def test_without_a_known_type_there_is_no_number(id_type):
    """The service refuses a number whose type is not said (below): this is not the refusal."""
    assert normalise_id_document(id_type, "12345678Z") == ""
    assert normalise_id_document(id_type, "") == ""


@pytest.mark.parametrize(
    ("number", "guess"),
    [
        ("X1234567L", "nie"),
        ("y1234567x", "nie"),  # in capitals first
        ("  z1234567r", "nie"),  # blanks first removed
        ("12345678Z", "dni"),
        (" 1", "dni"),
        ("0", "dni"),
        ("AB123456", "passport"),
        ("K1234567L", "passport"),  # K, L, M NIFs are no identity document
        ("W", "passport"),
        ("-12345678Z", "passport"),
        ("", ""),
        ("   ", ""),
    ],
)
def test_the_type_of_a_number_typed_without_it_is_guessed_from_its_first_character(number, guess):
    assert guess_document_type(number) == guess


# Tax ID (NIF): CIF, DNI, NIE and K, L, M forms ----------------------------------------------


@pytest.mark.parametrize(
    ("number", "why"),
    [
        # CIF: odd places doubled, their digits added; even places added; 10 − last digit
        ("B58818501", "odd 5,8,8,0 → 1+7+7+0 = 15; even 8,1,5 → 14; 29 → 10 − 9 = 1"),
        ("A08001851", "odd 0,0,1,5 → 0+0+2+1 = 3; even 8,0,8 → 16; 19 → 10 − 9 = 1"),
        ("F08000002", "odd 0,0,0,0 → 0; even 8,0,0 → 8; 8 → 10 − 8 = 2"),
        ("J99216582", "odd 9,2,6,8 → 9+4+3+7 = 23; even 9,1,5 → 15; 38 → 10 − 8 = 2"),
        ("A00000000", "a sum of 0 → (10 − 0) mod 10 = 0"),
        # letter control: JABCDEFGHI indexed by the digit
        ("Q2826000H", "odd 2,2,0,0 → 4+4+0+0 = 8; even 8,6,0 → 14; 22 → 8 → table[8] = H"),
        ("P0800000B", "odd 0,0,0,0 → 0; even 8,0,0 → 8; 8 → 2 → table[2] = B"),
        ("S0000000J", "a sum of 0 → 0 → table[0] = J"),
        ("N0000000J", "a sum of 0 → 0 → table[0] = J"),
        # a self-employed person's NIF is their DNI or NIE; K, L, M use a DNI's letter
        ("12345678Z", "12345678 = 23 × 536768 + 14; table[14] = Z"),
        ("00000000T", "0 → T"),
        ("X1234567L", "X → 0: 01234567 = 23 × 53676 + 19; table[19] = L"),
        ("Y1234567X", "Y → 1: 11234567 = 23 × 488459 + 10; table[10] = X"),
        ("Z1234567R", "Z → 2: 21234567 = 23 × 923242 + 1; table[1] = R"),
        ("K1234567L", "the 7 digits alone: 1234567 = 23 × 53676 + 19; table[19] = L"),
        ("L1234567L", "as K"),
        ("M1234567L", "as K"),
    ],
)
def test_a_nif_whose_control_character_follows_its_form_is_accepted(number, why):
    assert normalise_tax_id(number) == number


@pytest.mark.parametrize(
    ("typed", "compact"),
    [
        ("b-58818501", "B58818501"),
        ("B.58.818.501", "B58818501"),
        (" B 5881 8501 ", "B58818501"),
        ("B5881\n8501", "B58818501"),
        ("12.345.678-z", "12345678Z"),
        ("x-1234567-l", "X1234567L"),  # in capitals before its form is read
        ("m 1234567 l", "M1234567L"),
        ("q2826000h", "Q2826000H"),
    ],
)
def test_a_nif_is_kept_compact_and_in_capitals_however_typed(typed, compact):
    assert normalise_tax_id(typed) == compact


@pytest.mark.parametrize("typed", ["", None, " ", " . - "])
def test_no_nif_is_no_nif(typed):
    assert normalise_tax_id(typed) == ""


@pytest.mark.parametrize(
    ("typed", "compact"),
    [
        ("B5881850", "B5881850"),  # 8 characters
        ("B588185011", "B588185011"),  # 10 characters
        ("B58A18501", "B58A18501"),  # a letter among the digits
        ("B", "B"),
        ("1", "1"),
        ("O1234567L", "O1234567L"),  # O is no entity letter
        ("I58818501", "I58818501"),
        ("T58818501", "T58818501"),
        ("ESB58818501", "ESB58818501"),  # the intra-community VAT number is not the NIF
        ("ES12345678Z", "ES12345678Z"),
        ("1234567Z", "1234567Z"),  # a DNI of 7 digits
        ("X123456L", "X123456L"),
        ("K123456L", "K123456L"),
        ("B588185\n1", "B5881851"),  # it crashed: stdnum read "588185\n" as digits
        ("1234567\nL", "1234567L"),  # it was stored with its line break
    ],
)
def test_a_malformed_nif_is_refused_with_an_example(typed, compact):
    assert refusal(normalise_tax_id, typed) == ("format", NIF_MESSAGE.format(compact))


@pytest.mark.parametrize(
    "typed",
    [
        "B58818502",  # 1 expected, or A
        "B5881850B",
        "B58818511",  # a digit changed: 5881851 → odd 5,8,8,1 → 1+7+7+2 = 17; 31 → 9
        "Q2826000I",  # H expected, or 8
        "A00000001",  # 0 expected, or J
        "12345678A",  # Z expected
        "X1234567A",  # L expected
        "Y1234567L",  # X expected: the prefix counts
        "K1234567A",  # L expected
        "M1234567K",
    ],
)
def test_a_nif_with_the_wrong_control_character_is_refused(typed):
    assert refusal(normalise_tax_id, typed) == ("checksum", CONTROL_MESSAGE.format(typed))


def test_either_kind_of_control_is_accepted_for_every_entity_letter_as_sources_disagree():
    """B58818501's control is 1, written A as a letter; Q2826000H's is H, written 8 as a
    digit. The Orden's rule by entity letter is not enforced (stdnum's choice)."""
    assert normalise_tax_id("B5881850A") == "B5881850A"
    assert normalise_tax_id("Q28260008") == "Q28260008"


@given(st.sampled_from(CIF_ENTITIES), digits(7), st.booleans())
def test_every_entity_nif_built_by_the_oracle_is_accepted(entity, seven, as_letter):
    digit = cif_control_digit(seven)
    if entity in CIF_LETTER_CONTROL or (entity in CIF_EITHER_CONTROL and as_letter):
        control = CIF_LETTERS[digit]
    else:
        control = str(digit)
    number = f"{entity}{seven}{control}"
    assert normalise_tax_id(number) == number
    assert normalise_tax_id(f"{entity.lower()}-{seven[:2]}.{seven[2:]}{control.lower()}") == number


@given(st.sampled_from(CIF_ENTITIES), digits(7), st.sampled_from(ALPHANUMERIC))
def test_any_other_control_character_of_an_entity_nif_is_refused(entity, seven, control):
    if control in cif_controls(seven):
        control = "K"  # a letter no control digit is written as
    number = f"{entity}{seven}{control}"
    assert refusal(normalise_tax_id, number) == ("checksum", CONTROL_MESSAGE.format(number))


@given(st.integers(min_value=0, max_value=99_999_999))
def test_every_self_employed_nif_of_dni_form_is_accepted(number):
    nif = f"{number:08d}{dni_letter(number)}"
    assert normalise_tax_id(nif) == nif


@given(st.sampled_from(NIE_PREFIXES + KLM_PREFIXES), digits(7), st.sampled_from(ALPHANUMERIC))
def test_a_nif_of_nie_or_klm_form_is_accepted_with_its_letter_only(prefix, seven, control):
    right = nie_letter(prefix, seven) if prefix in NIE_PREFIXES else dni_letter(int(seven))
    number = f"{prefix}{seven}{right}"
    assert normalise_tax_id(number.lower()) == number
    if control != right:
        wrong = number[:-1] + control
        assert refusal(normalise_tax_id, wrong) == ("checksum", CONTROL_MESSAGE.format(wrong))


# Any text at all: refused, or a valid number kept compact ------------------------------------

JUNK = st.text() | st.text(alphabet="0123456789XYZKLMBQSEabxz .-\n\t\u00a0\u2013/_ÑＡ１")


def _alphanumerics(text: str) -> str:
    """The letters and digits of `text` in capitals, full-width digits read as digits."""
    text = unicodedata.normalize("NFKC", text).upper()
    return "".join(c for c in text if c.isascii() and c.isalnum())


@given(st.sampled_from(["dni", "nie", "passport", ""]), JUNK)
@example("dni", "1234567\nL")
@example("nie", "X123456\nS")
@example("passport", "ＡＢ１２３")
def test_any_text_as_a_document_is_refused_or_a_valid_number(id_type, text):
    try:
        number = normalise_id_document(id_type, text)
    except ValidationError as error:
        assert error.code in {"format", "checksum", "passport"}
        return
    if id_type == "":
        assert number == ""
        return
    assert number == _alphanumerics(text)
    assert normalise_id_document(id_type, number) == number
    if id_type == "passport":
        assert re.fullmatch(r"[A-Z0-9]{5,20}", number)
    elif id_type == "dni":
        assert re.fullmatch(r"[0-9]{8}[A-Z]", number) and number[8] == dni_letter(int(number[:8]))
    else:
        assert re.fullmatch(r"[XYZ][0-9]{7}[A-Z]", number)
        assert number[8] == nie_letter(number[0], number[1:8])


@given(JUNK)
@example("B588185\n1")
@example("ESB58818501")
def test_any_text_as_a_nif_is_refused_or_a_valid_nif(text):
    try:
        number = normalise_tax_id(text)
    except ValidationError as error:
        assert error.code in {"format", "checksum"}
        return
    assert number == _alphanumerics(text)
    assert number == "" or valid_tax_id(number)
    assert normalise_tax_id(number) == number


# Year and date of birth -----------------------------------------------------------------------


def test_the_earliest_year_of_birth_is_1900():
    assert EARLIEST_BIRTH_YEAR == 1900


@pytest.mark.parametrize("year", [None, 1900, 1990, 2026])
def test_a_year_of_birth_from_1900_to_this_year_is_accepted(year):
    assert validate_birth_year(year, this_year=2026) is None


def test_a_year_of_birth_after_this_year_is_refused():
    assert refusal(lambda: validate_birth_year(2027, this_year=2026)) == (
        "future",
        "The year of birth cannot be in the future.",
    )


def test_a_year_of_birth_before_1900_is_refused():
    assert refusal(lambda: validate_birth_year(1899, this_year=2026)) == (
        "too_early",
        "Enter a year of birth from 1900 on.",
    )


TODAY = datetime.date(2026, 3, 15)


@pytest.mark.parametrize(
    "born", [None, datetime.date(1900, 1, 1), datetime.date(1985, 6, 30), TODAY]
)
def test_a_date_of_birth_from_1_january_1900_to_today_is_accepted(born):
    assert validate_birth_date(born, today=TODAY) is None


def test_a_date_of_birth_after_today_is_refused():
    tomorrow = TODAY + datetime.timedelta(days=1)
    assert refusal(lambda: validate_birth_date(tomorrow, today=TODAY)) == (
        "future",
        "The date of birth cannot be in the future.",
    )


def test_a_date_of_birth_before_1900_is_refused():
    assert refusal(lambda: validate_birth_date(datetime.date(1899, 12, 31), today=TODAY)) == (
        "too_early",
        "Enter a date of birth from 1900 on.",
    )


# Through the services and the forms (still no database) ------------------------------------


def _person(**changes) -> dict:
    return {"first_name": "Anna", "last_name": "Serra", "language": "ca"} | changes


def _person_refusals(**changes) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as refused:
        person_clean(_person(**changes))
    return refused.value.message_dict


@pytest.mark.parametrize(
    ("id_type", "typed", "message"),
    [
        ("dni", "1234567Z", DNI_MESSAGE.format("1234567Z")),
        ("dni", "12.345.678", DNI_MESSAGE.format("12345678")),
        ("nie", "X123456L", NIE_MESSAGE.format("X123456L")),
        ("nie", "12345678Z", NIE_MESSAGE.format("12345678Z")),
        ("dni", "12345678A", LETTER_MESSAGE.format("12345678A")),
        ("nie", "Y1234567L", LETTER_MESSAGE.format("Y1234567L")),
        ("passport", "AB12", PASSPORT_MESSAGE),
    ],
)
def test_registering_a_person_refuses_a_malformed_document_on_its_field(id_type, typed, message):
    assert _person_refusals(id_type=id_type, id_number=typed) == {"id_number": [message]}


@pytest.mark.parametrize(
    ("id_type", "typed", "compact"),
    [
        ("dni", "12.345.678-z", "12345678Z"),
        ("nie", "x-1234567-l", "X1234567L"),
        ("passport", "paa 123 456", "PAA123456"),
        ("", "", ""),
    ],
)
def test_registering_a_person_keeps_a_valid_document_compact(id_type, typed, compact):
    data = person_clean(_person(id_type=id_type, id_number=typed))
    assert (data["id_type"], data["id_number"]) == (id_type, compact)


@pytest.mark.parametrize("typed", ["12345678Z", "AB123456", "1234"])
def test_a_number_without_its_type_is_refused_not_dropped(typed):
    """It was dropped: the number normalised to "" before its type was asked for."""
    assert _person_refusals(id_type="", id_number=typed) == {
        "id_type": ["Say which kind of document this number is."]
    }


@pytest.mark.parametrize(
    ("legal_form", "typed", "compact"),
    [
        ("self_employed", "12345678z", "12345678Z"),
        ("self_employed", "x-1234567-l", "X1234567L"),
        ("self_employed", "M1234567L", "M1234567L"),
        ("limited", "b-58818501", "B58818501"),
        ("cooperative", "F08000002", "F08000002"),
        ("limited", "", ""),
    ],
)
def test_registering_a_company_keeps_its_nif_compact(legal_form, typed, compact):
    data = company_clean({"legal_name": "Forn Mas", "legal_form": legal_form, "tax_id": typed})
    assert data["tax_id"] == compact


@pytest.mark.parametrize(
    ("legal_form", "typed", "message"),
    [
        ("self_employed", "12345678A", CONTROL_MESSAGE.format("12345678A")),
        ("self_employed", "X1234567A", CONTROL_MESSAGE.format("X1234567A")),
        ("self_employed", "1234567Z", NIF_MESSAGE.format("1234567Z")),
        ("self_employed", "X123456L", NIF_MESSAGE.format("X123456L")),
        ("limited", "B58818502", CONTROL_MESSAGE.format("B58818502")),
        ("limited", "B5881850", NIF_MESSAGE.format("B5881850")),
    ],
)
def test_registering_a_company_refuses_a_malformed_nif_on_its_field(legal_form, typed, message):
    with pytest.raises(ValidationError) as refused:
        company_clean({"legal_name": "Forn Mas", "legal_form": legal_form, "tax_id": typed})
    assert refused.value.message_dict == {"tax_id": [message]}


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("B5881850", NIF_MESSAGE.format("B5881850")),
        ("B58818502", CONTROL_MESSAGE.format("B58818502")),
        ("B588185\n1", NIF_MESSAGE.format("B5881851")),
        # a valid NIF gets past the check to the look-up
        ("b-58818501", "No company with this NIF is registered; register it first."),
    ],
)
def test_linking_a_company_refuses_a_malformed_nif_before_looking_it_up(typed, message):
    form = LinkCompanyForm(
        {"tax_id": typed, "relation": "partner"}, companies=Company.objects.none()
    )
    assert not form.is_valid()
    assert form.errors == {"tax_id": [message]}
