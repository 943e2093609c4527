"""Tables as CSV or XLSX downloads, written from a list of columns (a header and how to read
its value from a row's object), so every export spells its columns once."""

import csv
import io
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from django.http import HttpResponse
from openpyxl import Workbook

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@dataclass(frozen=True)
class Column:
    label: str  # the header; a lazy translation is read in the language of the request
    value: Callable[[object], object]  # the cell, from the row's object


def safe_cell(value) -> object:
    """Spreadsheet formulas in data are neutralised (CSV/formula injection)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return "" if value is None else value


def table_response(
    *,
    columns: Sequence[Column],
    objects: Iterable,
    file_format: str,
    filename: str,
    preamble: Sequence[Sequence[str]] = (),
) -> HttpResponse:
    """A download of one row per object, one cell per column, with the columns' headers
    first (after the `preamble` rows, which say what the table is: its filters, say): XLSX
    when `file_format` says so, CSV otherwise. Cells that a spreadsheet would read as a
    formula are written as text."""
    if file_format not in FORMATS:
        file_format = "csv"
    headers = [str(column.label) for column in columns]
    rows = ([safe_cell(column.value(item)) for column in columns] for item in objects)
    if preamble:
        top = [[safe_cell(str(cell)) for cell in line] for line in preamble]
        rows = iter([*top, [], headers, *rows])
        headers = next(rows)
    response = HttpResponse(content_type=FORMATS[file_format])
    response["Content-Disposition"] = f'attachment; filename="{filename}.{file_format}"'
    if file_format == "csv":
        response.write("\ufeff")  # so spreadsheets open it as UTF-8
        writer = csv.writer(response)
        writer.writerow(headers)
        writer.writerows(rows)
        return response
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    response.write(buffer.getvalue())
    return response
