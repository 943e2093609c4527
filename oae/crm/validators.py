"""Spanish identity documents and tax IDs, checked and normalised with python-stdnum; the year
and date of birth."""

import datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum.es import cif, dni, nie, nif
from stdnum.exceptions import InvalidChecksum, InvalidComponent, InvalidFormat, InvalidLength

_ERRORS = (InvalidChecksum, InvalidComponent, InvalidFormat, InvalidLength)


def _clean(value: str) -> str:
    # Every kind of white space is a separator: a line break left inside (a cell of an
    # imported sheet) passes stdnum's digit check, and its CIF check then crashes on it.
    return "".join(value.split()).replace(".", "").replace("-", "").upper()


def guess_document_type(number: str) -> str:
    """What a number typed without its type most likely is: NIE (X, Y, Z first), DNI
    (a digit first) or else a passport."""
    number = number.strip().upper()
    if not number:
        return ""
    if number[0] in "XYZ":
        return "nie"
    return "dni" if number[0].isdigit() else "passport"


def normalise_id_document(id_type: str, value: str) -> str:
    """The document number in its compact form, or a ValidationError saying what is wrong."""
    value = _clean(value or "")
    if id_type == "passport":
        # Letters A-Z and digits 0-9 only (ICAO 9303): "１２３４５" is not "12345".
        if not 5 <= len(value) <= 20 or not (value.isascii() and value.isalnum()):
            raise ValidationError(
                _("A passport number has 5 to 20 letters and digits."), code="passport"
            )
        return value
    module = {"dni": dni, "nie": nie}.get(id_type)
    if module is None:
        return ""
    try:
        return module.validate(value)
    except InvalidChecksum as error:
        raise ValidationError(
            _("%(value)s: the control letter does not match the number."),
            code="checksum",
            params={"value": value},
        ) from error
    except _ERRORS as error:
        example = "12345678Z" if id_type == "dni" else "X1234567L"
        raise ValidationError(
            _("%(value)s is not a valid %(type)s (for example %(example)s)."),
            code="format",
            params={"value": value, "type": id_type.upper(), "example": example},
        ) from error


def normalise_tax_id(value: str) -> str:
    """A company or self-employed tax ID (NIF: CIF, DNI or NIE form), compact."""
    value = _clean(value or "")
    if not value:
        return ""
    try:
        if value[0].isalpha() and value[0] not in "XYZKLM":
            return cif.validate(value)
        return nif.validate(value)
    except InvalidChecksum as error:
        raise ValidationError(
            _("%(value)s: the control character does not match."),
            code="checksum",
            params={"value": value},
        ) from error
    except _ERRORS as error:
        raise ValidationError(
            _("%(value)s is not a valid NIF (for example B58818501)."),
            code="format",
            params={"value": value},
        ) from error


EARLIEST_BIRTH_YEAR = 1900


def validate_birth_year(year: int | None, *, this_year: int) -> None:
    """A year of birth is from 1900 to this year: nobody registered is born in the future."""
    if year is None:
        return
    if year > this_year:
        raise ValidationError(_("The year of birth cannot be in the future."), code="future")
    if year < EARLIEST_BIRTH_YEAR:
        raise ValidationError(
            _("Enter a year of birth from %(year)s on."),
            code="too_early",
            params={"year": EARLIEST_BIRTH_YEAR},
        )


def validate_birth_date(value: datetime.date | None, *, today: datetime.date) -> None:
    """A date of birth from 1 January 1900 to today, as the year alone is checked."""
    if value is None:
        return
    if value > today:
        raise ValidationError(_("The date of birth cannot be in the future."), code="future")
    if value.year < EARLIEST_BIRTH_YEAR:
        raise ValidationError(
            _("Enter a date of birth from %(year)s on."),
            code="too_early",
            params={"year": EARLIEST_BIRTH_YEAR},
        )
