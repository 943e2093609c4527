"""Path converters for the parameters Django's own do not type: a value they do not match
never reaches a view (the URL is a 404), so views are handed only well-formed values."""

from django.urls import register_converter


class _Converter:
    regex = ""

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value) -> str:
        return str(value)


class NumberConverter(_Converter):
    """A small whole number (a version's number): at most 9 digits, so it fits any integer
    column."""

    regex = "[0-9]{1,9}"

    def to_python(self, value: str) -> int:
        return int(value)


class YearConverter(NumberConverter):
    regex = "[0-9]{4}"


class IneConverter(_Converter):
    """A municipality's INE code: five digits."""

    regex = "[0-9]{5}"


class TokenConverter(_Converter):
    """A secret token (URL-safe base64, signed or not): letters, digits and '-_.:'."""

    regex = "[A-Za-z0-9_.:-]{1,200}"


class DocumentKindConverter(_Converter):
    """The kind of a downloaded document, from its file name's ending."""

    regex = "pdf|xlsx"


class TableFormatConverter(_Converter):
    """The format of a downloaded table (`oae.common.exports`), from its file name's ending."""

    regex = "csv|xlsx"


def register() -> None:
    for name, converter in {
        "number": NumberConverter,
        "year": YearConverter,
        "ine": IneConverter,
        "token": TokenConverter,
        "document": DocumentKindConverter,
        "tableformat": TableFormatConverter,
    }.items():
        register_converter(converter, name)
