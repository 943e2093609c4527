"""Reading the spreadsheets offices already have (CSV or XLSX) into rows of text, and guessing
from the header row which column holds which field."""

import csv
import io
from collections.abc import Iterator

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from oae.common.text import fold

MAX_FILE_BYTES = 20 * 1024 * 1024

# Header words that usually mean each importable field, by kind of file (ca, es, en).
PEOPLE_HEADERS = {
    "first_name": ["nom", "nombre", "first name", "name"],
    "last_name": ["cognoms", "apellidos", "cognom", "apellido", "surname", "last name"],
    "id_number": ["dni", "nie", "document", "documento", "dni/nie", "nif", "id"],
    "email": ["correu", "correo", "email", "e-mail", "correu electronic", "correo electronico"],
    "phone": ["telefon", "telefono", "phone", "mobil", "movil", "mobile"],
    "birth_year": ["any naixement", "ano nacimiento", "birth year", "any de naixement"],
    "municipality": ["municipi", "municipio", "poblacio", "poblacion", "town", "city"],
}
COMPANY_HEADERS = {
    "legal_name": ["rao social", "razon social", "empresa", "nom", "nombre", "legal name", "name"],
    "trade_name": ["nom comercial", "nombre comercial", "trade name", "marca"],
    "tax_id": ["nif", "cif", "nif/cif", "tax id"],
    "legal_form": ["forma juridica", "forma legal", "legal form", "tipus", "tipo"],
    "cnae": ["cnae", "activitat", "actividad", "activity"],
    "start_date": ["data d'inici", "data inici", "fecha de inicio", "fecha inicio", "start date"],
    "stage": ["estat", "estado", "fase", "stage"],
    "employees": ["treballadors", "trabajadores", "empleats", "empleados", "employees"],
    "address": ["adreca", "direccion", "domicili", "domicilio", "address"],
    "municipality": ["municipi", "municipio", "poblacio", "poblacion", "town", "city"],
}
HEADERS = {"people": PEOPLE_HEADERS, "companies": COMPANY_HEADERS}


def file_kind(name: str) -> str:
    """The kind of file ("csv" or "xlsx") from its name; any other file is refused."""
    lowered = name.lower()
    if lowered.endswith(".csv"):
        return "csv"
    if lowered.endswith(".xlsx"):
        return "xlsx"
    raise ValidationError(_("Upload a CSV or an Excel (.xlsx) file."))


def _csv_rows(data: bytes) -> Iterator[list[str]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ValidationError(
            _(
                "The file is not in UTF-8. In your spreadsheet, save it as “CSV UTF-8” and upload "
                "it again."
            )
        ) from error
    sample = text[:4096]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    yield from csv.reader(io.StringIO(text), dialect)


def _xlsx_rows(data: bytes) -> Iterator[list[str]]:
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # noqa: BLE001 - openpyxl raises many kinds for a bad file
        raise ValidationError(_("This is not a valid Excel (.xlsx) file.")) from error
    sheet = workbook.worksheets[0]
    for row in sheet.iter_rows(values_only=True):
        yield ["" if cell is None else str(cell).strip() for cell in row]
    workbook.close()


def read_rows(name: str, data: bytes) -> list[list[str]]:
    """All rows, the header first, as lists of stripped text; blank rows left out. A file too
    big, of another kind, unreadable or without a row of data is refused (ValidationError)."""
    if len(data) > MAX_FILE_BYTES:
        raise ValidationError(
            _("The file is larger than %(mb)s MB.") % {"mb": MAX_FILE_BYTES // (1024 * 1024)}
        )
    kind = file_kind(name)
    rows = list(_csv_rows(data) if kind == "csv" else _xlsx_rows(data))
    rows = [[cell.strip() for cell in row] for row in rows if any(c.strip() for c in row)]
    if len(rows) < 2:
        raise ValidationError(_("The file needs a header row and at least one row of data."))
    return rows


def guess_mapping(headers: list[str], kind: str = "people") -> dict[str, int]:
    """Which column most likely holds each field, from the header words; a column is given
    to one field at most."""
    folded = [fold(h).strip() for h in headers]
    mapping = {}
    for field, words in HEADERS[kind].items():
        for index, header in enumerate(folded):
            if header in words and index not in mapping.values():
                mapping[field] = index
                break
    return mapping
