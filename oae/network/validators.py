"""Validators for network data: INE codes, coordinates, phone numbers."""

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

INE_CODE_LENGTH = 5
# Spanish province codes run from 01 to 52.
_PROVINCES = range(1, 53)


def validate_ine_code(value: str) -> None:
    if len(value) != INE_CODE_LENGTH or not value.isdigit():
        raise ValidationError(
            _(
                "An INE municipality code has exactly 5 digits (province + municipality), "
                "for example 08019."
            ),
            code="ine_format",
        )
    if int(value[:2]) not in _PROVINCES:
        raise ValidationError(
            _("%(code)s does not start with a Spanish province code (01 to 52)."),
            code="ine_province",
            params={"code": value},
        )
    if value[2:] == "000":
        raise ValidationError(_("Municipality number 000 does not exist."), code="ine_zero")


def validate_latitude(value) -> None:
    if value is not None and not -90 <= float(value) <= 90:
        raise ValidationError(
            _("Latitude must be between -90 and 90 degrees (Barcelona is about 41.38)."),
            code="latitude_range",
        )


def validate_longitude(value) -> None:
    if value is not None and not -180 <= float(value) <= 180:
        raise ValidationError(
            _("Longitude must be between -180 and 180 degrees (Barcelona is about 2.17)."),
            code="longitude_range",
        )


def normalise_phone(value: str) -> str:
    """Return the number in international format, or raise a clear ValidationError."""
    try:
        number = phonenumbers.parse(value, "ES")
    except phonenumbers.NumberParseException as error:
        raise ValidationError(
            _("Enter a phone number such as 934 123 456 or +34 934 123 456."), code="phone_parse"
        ) from error
    if not phonenumbers.is_valid_number(number):
        raise ValidationError(
            _("%(value)s is not a valid phone number."),
            code="phone_invalid",
            params={"value": value},
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def validate_phone(value: str) -> None:
    if value:
        normalise_phone(value)
