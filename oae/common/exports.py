"""Tables as CSV or XLSX downloads."""

import csv
import io

from django.http import HttpResponse

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _safe(value) -> object:
    """Spreadsheet formulas in data are neutralised (CSV/formula injection)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return "" if value is None else value


def table_response(*, headers: list[str], rows, file_format: str, filename: str) -> HttpResponse:
    if file_format not in FORMATS:
        file_format = "csv"
    response = HttpResponse(content_type=FORMATS[file_format])
    response["Content-Disposition"] = f'attachment; filename="{filename}.{file_format}"'
    if file_format == "csv":
        response.write("\ufeff")  # so spreadsheets open it as UTF-8
        writer = csv.writer(response)
        writer.writerow(headers)
        writer.writerows([_safe(v) for v in row] for row in rows)
        return response
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(headers)
    for row in rows:
        sheet.append([_safe(v) for v in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    response.write(buffer.getvalue())
    return response
