"""The rows an office has to fix, as a file of the same kind as the one it uploaded: its header,
then each rejected or warned row with its cells as they were and the reasons in a column added
at the end. Fixed in the office's own spreadsheet, the file imports again as it is."""

import csv
import io
from pathlib import PurePath

from django.utils.translation import gettext as _
from odf.opendocument import OpenDocumentSpreadsheet
from odf.table import Table, TableCell, TableRow
from odf.text import P
from openpyxl import Workbook

from oae.common.exports import safe_cell

CONTENT_TYPES = {
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
}


def lines_to_fix(report: list[dict]) -> list[dict]:
    """The report's rejected rows and rows with warnings that still hold their cells."""
    return [
        line
        for line in report
        if (line["outcome"] == "rejected" or line.get("warnings")) and "cells" in line
    ]


def reasons(line: dict) -> str:
    """Why the row is in the file: its rejection and its warnings, in one cell."""
    parts = [line["note"]] if line["outcome"] == "rejected" and line.get("note") else []
    return "; ".join([*parts, *line.get("warnings", [])])


def rejects_table(headers: list[str], report: list[dict]) -> list[list[str]]:
    """The header with a reason column, then each row to fix as it was, its reasons last."""
    width = max([len(headers), *(len(line["cells"]) for line in lines_to_fix(report))])
    rows = [[*headers, *[""] * (width - len(headers)), _("Import notes")]]
    for line in lines_to_fix(report):
        cells = line["cells"]
        rows.append([*cells, *[""] * (width - len(cells)), reasons(line)])
    return [[safe_cell(cell) for cell in row] for row in rows]


def rejects_file(job) -> tuple[bytes, str, str]:
    """(content, content type, file name) of the job's rows to fix, in the format of its
    upload: a CSV in its encoding and separator, an ODS as ODS, any Excel file as XLSX."""
    rows = rejects_table(job.headers, job.report)
    kind = job.reading.get("kind", "csv")
    if kind == "csv":
        content = _csv(rows, job.reading.get("encoding", "utf-8"), job.reading.get("delimiter"))
        extension = PurePath(job.original_name).suffix.lower() or ".csv"
    elif kind == "ods":
        content, extension = _ods(rows, job.sheet), ".ods"
    else:
        content, extension, kind = _xlsx(rows, job.sheet), ".xlsx", "xlsx"
    suffix = _("to fix")
    name = f"{PurePath(job.original_name).stem} - {suffix}{extension}"
    return content, CONTENT_TYPES[kind if kind in CONTENT_TYPES else "csv"], name


def _csv(rows: list[list[str]], encoding: str, delimiter: str | None) -> bytes:
    buffer = io.StringIO(newline="")
    csv.writer(buffer, delimiter=delimiter or ";", lineterminator="\r\n").writerows(rows)
    # What the file came in, so that the office's spreadsheet opens it as it opened theirs.
    return buffer.getvalue().encode(encoding, errors="replace")


def _xlsx(rows: list[list[str]], sheet: str) -> bytes:
    workbook = Workbook(write_only=True)
    worksheet = workbook.create_sheet(title=(sheet or _("To fix"))[:31])
    for row in rows:
        worksheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _ods(rows: list[list[str]], sheet: str) -> bytes:
    document = OpenDocumentSpreadsheet()
    table = Table(name=sheet or _("To fix"))
    for row in rows:
        table_row = TableRow()
        for value in row:
            cell = TableCell(valuetype="string")
            for line in str(value).split("\n"):  # a paragraph per line, as LibreOffice keeps them
                cell.addElement(P(text=line))
            table_row.addElement(cell)
        table.addElement(table_row)
    document.spreadsheet.addElement(table)
    buffer = io.BytesIO()
    document.write(buffer)
    return buffer.getvalue()
