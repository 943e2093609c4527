"""Reading the spreadsheets offices already have into rows of text, numbered as the file
numbers them: a CSV in whatever encoding and separator it was saved with (Spanish Excel saves
Windows-1252 with `;`), or a workbook (XLSX, XLS, ODS) and any of its sheets. Blank rows and
title rows are kept, so that row 7 of a report is row 7 of the user's file."""

import codecs
import csv
import datetime
import io
from collections import Counter
from dataclasses import dataclass, field
from itertools import islice

import python_calamine
from charset_normalizer import from_bytes
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_COLUMNS = 60

CSV_KINDS = {".csv": "csv", ".txt": "csv", ".tsv": "csv"}
WORKBOOK_KINDS = {".xlsx": "xlsx", ".xlsm": "xlsx", ".xls": "xls", ".ods": "ods"}
DELIMITERS = (";", ",", "\t", "|")
# Enough records to tell the separator by parsing them (a quoted cell may span lines).
RECORDS_SAMPLED = 200
# The encodings office files come in when they are not UTF-8: Windows and old Mac and DOS
# code pages of Western Europe, and UTF-16 without its mark.
LEGACY_ENCODINGS = ["cp1252", "latin_1", "iso8859_15", "mac_roman", "cp850", "utf_16"]
BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


@dataclass
class Table:
    """One sheet of a file: every row as the file numbers it (`rows[0]` is row 1), cells as
    stripped text; the sheet's name among the file's (a CSV has one, unnamed), and how the
    file was read (its encoding and separator, for a CSV)."""

    rows: list[list[str]]
    sheet: str = ""
    sheets: list[str] = field(default_factory=list)
    reading: dict = field(default_factory=dict)

    def numbered(self, after: int = 0):
        """(row number, cells) of every non-blank row after row `after`."""
        for index in range(after, len(self.rows)):
            cells = self.rows[index]
            if any(cells):
                yield index + 1, cells


def file_kind(name: str) -> str:
    """The kind of file ("csv", "xlsx", "xls" or "ods") from its name; others are refused."""
    lowered = name.lower()
    for suffix, kind in (CSV_KINDS | WORKBOOK_KINDS).items():
        if lowered.endswith(suffix):
            return kind
    raise ValidationError(
        _("Upload a CSV file or a spreadsheet from Excel (.xlsx, .xls) or LibreOffice (.ods).")
    )


# CSV ----------------------------------------------------------------------------------------


def decode(data: bytes) -> tuple[str, str]:
    """The text of a CSV and the encoding it was in: by its byte-order mark, else UTF-8 if
    it decodes as such, else what charset-normalizer finds among the legacy encodings."""
    for mark, encoding in BOMS:
        if data.startswith(mark):
            return data.decode(encoding), encoding
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    matches = from_bytes(data, cp_isolation=LEGACY_ENCODINGS)
    best = _likeliest(matches)
    if best is None:
        raise ValidationError(
            _(
                "We could not tell how the file's text is encoded. In your spreadsheet, save it "
                "as “CSV UTF-8” or as an Excel file and upload it again."
            )
        )
    # Windows' code page is what Spanish and Catalan Excel saves; it reads Latin-1 text too.
    encoding = "cp1252" if best.encoding in ("latin_1", "iso8859_15") else best.encoding
    try:
        return data.decode(encoding), encoding
    except UnicodeDecodeError:
        return str(best), best.encoding


def _likeliest(matches):
    """charset-normalizer's best match, but Windows' code page where it reads the text as
    well: a short file reads as well in several code pages, and Spanish and Catalan Excel
    saves in Windows-1252 (the DOS and Mac pages would turn "Càrrec" into "CÓrrec")."""
    best = matches.best()
    if best is None:
        return None
    for match in matches:
        if match.encoding == "cp1252" and match.chaos <= best.chaos:
            return match
    return best


def _records(text: str, delimiter: str):
    return csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=False)


def _fit(text: str, delimiter: str) -> tuple[float, int]:
    """How well `delimiter` splits the first records: the share of non-blank records with
    the most common number of cells, and that number (one cell is no split at all)."""
    widths = [len(r) for r in islice(_records(text, delimiter), RECORDS_SAMPLED) if any(r)]
    if not widths:
        return 0.0, 0
    width, count = Counter(widths).most_common(1)[0]
    if width < 2:
        return 0.0, width
    return count / len(widths), width


def find_delimiter(text: str) -> str:
    """The separator that splits the file's records most evenly into most cells, found by
    parsing them (quoted cells with separators and line breaks included)."""
    fits = {delimiter: _fit(text, delimiter) for delimiter in DELIMITERS}
    best = max(DELIMITERS, key=lambda d: fits[d])
    if fits[best][1] < 2:
        raise ValidationError(
            _(
                "We could not find the columns of this file: save it from your spreadsheet as "
                "CSV (separated by semicolons or commas) or as an Excel file."
            )
        )
    return best


def _csv_table(data: bytes, limit: int | None) -> Table:
    text, encoding = decode(data)
    delimiter = find_delimiter(text)
    records = islice(_records(text, delimiter), limit)
    rows = [[unquoted(cell.strip()) for cell in row] for row in records]
    return Table(rows=rows, sheets=[""], reading={"encoding": encoding, "delimiter": delimiter})


# Workbooks ------------------------------------------------------------------------------------


def cell_text(value) -> str:
    """A workbook cell as the text a CSV of it would hold: whole numbers without ".0", dates
    as year-month-day (a birth date or a start date read alike from every kind of file)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return unquoted(str(value).strip())


def unquoted(text: str) -> str:
    """A cell as written before our own downloads quoted it (`exports.safe_cell` writes
    "+34 600…" as "'+34 600…" so that no spreadsheet takes it for a formula)."""
    if text[:1] == "'" and text[1:2] in ("=", "+", "-", "@"):
        return text[1:]
    return text


def _open_workbook(data: bytes, kind: str):
    try:
        return python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    except Exception as error:  # noqa: BLE001 - a damaged file raises many kinds
        raise ValidationError(
            _("This is not a valid %(kind)s file, or it is protected by a password.")
            % {"kind": kind.upper()}
        ) from error


def _workbook_table(data: bytes, kind: str, sheet: str | None, limit: int | None) -> Table:
    workbook = _open_workbook(data, kind)
    names = list(workbook.sheet_names)
    if not names:
        raise ValidationError(_("The file has no sheet."))
    chosen = sheet if sheet in names else names[0]
    try:
        cells = workbook.get_sheet_by_name(chosen).to_python(skip_empty_area=False, nrows=limit)
    except Exception as error:  # noqa: BLE001 - as above
        raise ValidationError(
            _("The sheet “%(sheet)s” cannot be read.") % {"sheet": chosen}
        ) from error
    rows = [[cell_text(value) for value in row] for row in cells]
    return Table(rows=rows, sheet=chosen, sheets=names, reading={})


# Either ---------------------------------------------------------------------------------------


def read_table(
    name: str, data: bytes, sheet: str | None = None, *, limit: int | None = None
) -> Table:
    """The file's sheet (`sheet`, or its first) as numbered rows (its first `limit` rows
    only, for a preview). A file too big, of another kind, unreadable or empty is refused
    (ValidationError) with what to do about it."""
    if len(data) > MAX_FILE_BYTES:
        raise ValidationError(
            _("The file is larger than %(mb)s MB.") % {"mb": MAX_FILE_BYTES // (1024 * 1024)}
        )
    kind = file_kind(name)
    table = _sheet(data, kind, sheet, limit)
    if sum(1 for _row in table.numbered()) < 2:
        raise ValidationError(
            _("The sheet needs a header row and at least one row of data.")
            if kind != "csv"
            else _("The file needs a header row and at least one row of data.")
        )
    return table


def _sheet(data: bytes, kind: str, sheet: str | None, limit: int | None) -> Table:
    if kind == "csv":
        table = _csv_table(data, limit)
    else:
        table = _workbook_table(data, kind, sheet, limit)
    table.reading["kind"] = kind
    return table


def read_rows(name: str, data: bytes) -> list[list[str]]:
    """Every non-blank row of every sheet, for a look at what a file holds (erasure)."""
    kind = file_kind(name)
    first = _sheet(data, kind, None, None)
    rows = [cells for _number, cells in first.numbered()]
    for sheet in first.sheets[1:]:
        rows += [cells for _number, cells in _sheet(data, kind, sheet, None).numbered()]
    return rows
