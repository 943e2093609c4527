"""Tables as CSV or XLSX downloads, from a list of columns."""

import io
from operator import itemgetter

from openpyxl import load_workbook

from oae.common.exports import Column, table_response

COLUMNS = [Column("Name", itemgetter("name")), Column("Count", itemgetter("count"))]
ROWS = [{"name": "Anna", "count": 2}, {"name": "=HYPERLINK(1)", "count": None}]


def test_csv_has_the_headers_then_a_row_per_object_with_formulas_neutralised():
    response = table_response(columns=COLUMNS, objects=ROWS, file_format="csv", filename="t")
    assert response["Content-Disposition"] == 'attachment; filename="t.csv"'
    assert response.content.decode("utf-8-sig").splitlines() == [
        "Name,Count",
        "Anna,2",
        "'=HYPERLINK(1),",
    ]


def test_xlsx_holds_the_same_cells():
    response = table_response(columns=COLUMNS, objects=ROWS, file_format="xlsx", filename="t")
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert list(sheet.iter_rows(values_only=True)) == [
        ("Name", "Count"),
        ("Anna", 2),
        ("'=HYPERLINK(1)", None),
    ]


def test_an_unknown_format_is_csv():
    response = table_response(columns=COLUMNS, objects=[], file_format="pdf", filename="t")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
