"""Importing the spreadsheets offices really keep, built here as their programs save them: a CSV
from Spanish Excel (Windows-1252, semicolons, title rows, quoted cells over several lines), a
UTF-8 CSV with its byte-order mark, a workbook whose list starts below a title and right of an
empty column, a LibreOffice sheet, a UTF-16 tab-separated export; then the rows to fix downloaded,
fixed and imported again, re-imports, conflicts, repeats, saved mappings and companies."""

import codecs
import csv
import datetime
import io
from dataclasses import dataclass

import pytest
import python_calamine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from odf.opendocument import OpenDocumentSpreadsheet
from odf.table import Table, TableCell, TableRow
from odf.text import P
from openpyxl import Workbook, load_workbook

from oae.crm import services
from oae.crm.imports import files, jobs
from oae.crm.models import Company, ImportJob, Person, PersonCompany
from oae.reference.models import SpanishMunicipality
from oae.reference.services import cnae_load, spanish_municipalities_load

# The office's clients, in the order of every file below and as the import reads their cells.
NURIA = [
    "Núria",
    "Muñoz Vidal",
    "12345678Z",
    "nuria@example.org",
    "612345678",
    "15/03/1985",
    "Sant Boi de Llobregat",
    'Diu "urgent"; truca-la\ndimarts',
]
# A phone too short (a warning), an Excel serial date (1985-01-01), a town outside the network.
ANGEL = ["Àngel", "Garcia Puig", "87654321X", "angel@example.org", "6123", "31048", "Lleida", ""]
PERE = [  # the DNI's letter is wrong
    "Pere",
    "Roca Serra",
    "11111111A",
    "pere@example.org",
    "",
    "",
    "",
    'DNI copiat "de memòria";\nrevisar',
]
LAIA = ["Laia", "Soler", "", "", "", "", "", ""]  # nothing to recognise her by
MARC = ["Marc", "Vidal", "23456789D", "marc@example.org", "", "31/02/1980", "", ""]  # no such day
ROSA = ["Rosa", "Ferrer", "34567890V", "rosa@example.org", "", "", "Springfield", ""]  # no town
CLIENTS = [NURIA, ANGEL, PERE, LAIA, MARC, ROSA]
CREATED, REJECTED, WARNED = [NURIA, ANGEL, ROSA], [PERE, LAIA, MARC], [ANGEL, ROSA]
FIELDS_IN_ORDER = [
    "first_name",
    "last_name",
    "id_number",
    "email",
    "phone",
    "birth_date",
    "municipality",
]
# What the office writes in the rows to fix before importing them again (field → value).
FIXES = {
    "Pere": {"id_number": "11111111H"},
    "Laia": {"email": "laia@example.org"},
    "Marc": {"birth_date": "28/02/1980"},
    "Àngel": {"phone": "612000111"},
    "Rosa": {"municipality": "Badalona"},
}


@dataclass
class Sample:
    """A file as an office uploads it, and where its list is: the header's row as the file
    numbers it, the column of the first name (0 = A), and how the file is to be read."""

    name: str
    data: bytes
    header_row: int
    first_column: int = 0
    encoding: str = ""
    delimiter: str = ""
    sheet: str = ""

    @property
    def kind(self) -> str:
        return files.file_kind(self.name)

    def upload(self) -> SimpleUploadedFile:
        return SimpleUploadedFile(self.name, self.data)

    def row_of(self, client: list[str]) -> int:
        """The client's row as the user's spreadsheet numbers it."""
        return self.header_row + 1 + CLIENTS.index(client)

    def column(self, field: str) -> int:
        return self.first_column + FIELDS_IN_ORDER.index(field)


# The files ---------------------------------------------------------------------------------------

SPANISH_EXCEL_LINES = [
    "Llistat de clients;;;;;;;",
    ";;;;;;;",
    "Nom;Cognoms;DNI;Correu;Telèfon;Data naixement;Municipi;Notes",
    # Excel quotes a cell holding ; or " (doubled), and keeps a line break inside it as LF.
    "Núria;Muñoz Vidal;12345678Z;nuria@example.org;612345678;15/03/1985;Sant Boi de Llobregat;"
    '"Diu ""urgent""; truca-la\ndimarts"',
    "Àngel;Garcia Puig;87654321X;angel@example.org;6123;31048;Lleida;",
    'Pere;Roca Serra;11111111A;pere@example.org;;;;"DNI copiat ""de memòria"";\nrevisar"',
    "Laia;Soler;;;;;;",
    "Marc;Vidal;23456789D;marc@example.org;;31/02/1980;;",
    "Rosa;Ferrer;34567890V;rosa@example.org;;;Springfield;",
]


def spanish_excel_csv() -> Sample:
    """As Excel in Spanish or Catalan saves "CSV (delimitado por comas)": Windows-1252, `;`,
    CRLF after each record, a title and a blank row above the header."""
    data = ("\r\n".join(SPANISH_EXCEL_LINES) + "\r\n").encode("cp1252")
    return Sample("clients.csv", data, header_row=3, encoding="cp1252", delimiter=";")


def _delimited(rows: list[list[str]], delimiter: str, terminator: str) -> str:
    buffer = io.StringIO(newline="")
    csv.writer(buffer, delimiter=delimiter, lineterminator=terminator).writerows(rows)
    return buffer.getvalue()


def utf8_bom_csv() -> Sample:
    """As a spreadsheet saves "CSV UTF-8" in English: a byte-order mark, commas, LF."""
    header = ["First name", "Last name", "ID number", "Email", "Phone", "Date of birth", "City"]
    text = _delimited([[*header, "Notes"], *CLIENTS], ",", "\n")
    data = codecs.BOM_UTF8 + text.encode("utf-8")
    return Sample("clients.csv", data, header_row=1, encoding="utf-8-sig", delimiter=",")


def utf16_tab_export() -> Sample:
    """As some programs export "Unicode text": UTF-16 little-endian with its mark, tabs."""
    header = [
        "Nombre",
        "Apellidos",
        "DNI/NIE",
        "Correo electrónico",
        "Teléfono",
        "Fecha de nacimiento",
        "Municipio",
        "Observaciones",
    ]
    text = _delimited([header, *CLIENTS], "\t", "\r\n")
    data = codecs.BOM_UTF16_LE + text.encode("utf-16-le")
    return Sample("export.txt", data, header_row=1, encoding="utf-16", delimiter="\t")


def _typed(cells: list[str]) -> list:
    """A client's cells as a workbook holds them: a real date where the day exists, a number
    where the cell is digits only (a phone, an Excel serial date), text otherwise."""
    typed = []
    for value in cells:
        try:
            typed.append(datetime.datetime.strptime(value, "%d/%m/%Y").date())  # noqa: DTZ007
        except ValueError:
            typed.append(int(value) if value.isdigit() else value)
    return typed


XLSX_HEADER = ["Nom", "Cognoms", "DNI/NIE", "E-mail", "Telèfon", "Data naixement", "Municipi"]


def xlsx_with_title() -> Sample:
    """A workbook as offices dress it: the title in B1, the date in B2, a blank row, the
    header in row 4 from column B (A left empty); a second sheet of former clients."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Clients"
    sheet["B1"] = "Llistat de clients de l'oficina"
    sheet["B2"] = "Data: 03/11/2026"
    for column, header in enumerate([*XLSX_HEADER, "Notes"], start=2):
        sheet.cell(row=4, column=column, value=header)
    for row, client in enumerate(CLIENTS, start=5):
        for column, value in enumerate(_typed(client), start=2):
            if value != "":
                cell = sheet.cell(row=row, column=column, value=value)
                if isinstance(value, datetime.date):
                    cell.number_format = "DD/MM/YYYY"
    former = workbook.create_sheet("Baixes")
    former.append(["Nom", "Cognoms", "Correu"])
    former.append(["Jordi", "Pons", "jordi@example.org"])
    data = io.BytesIO()
    workbook.save(data)
    return Sample("clients.xlsx", data.getvalue(), header_row=4, first_column=1, sheet="Clients")


def _ods_cell(value) -> TableCell:
    if value in ("", None):
        return TableCell()
    if isinstance(value, datetime.date):
        cell = TableCell(valuetype="date", datevalue=value.isoformat())
        cell.addElement(P(text=value.strftime("%d/%m/%Y")))
        return cell
    if isinstance(value, int):
        cell = TableCell(valuetype="float", value=value)
        cell.addElement(P(text=str(value)))
        return cell
    cell = TableCell(valuetype="string")
    for line in str(value).split("\n"):  # LibreOffice writes a paragraph per line of a cell
        cell.addElement(P(text=line))
    return cell


def ods_bytes(sheets: list[tuple[str, list[list]]]) -> bytes:
    """An OpenDocument spreadsheet of (sheet name, rows) as LibreOffice Calc writes it."""
    document = OpenDocumentSpreadsheet()
    for name, rows in sheets:
        table = Table(name=name)
        for cells in rows:
            row = TableRow()
            for value in cells:
                row.addElement(_ods_cell(value))
            table.addElement(row)
        document.spreadsheet.addElement(table)
    data = io.BytesIO()
    document.write(data)
    return data.getvalue()


def ods_with_titles() -> Sample:
    """A LibreOffice sheet: two title rows, the header in row 3, dates and phones typed."""
    header = [
        "Nom",
        "Cognoms",
        "Document d'identitat",
        "Correu electrònic",
        "Mòbil",
        "Data de naixement",
        "Població",
        "Observacions",
    ]
    rows = [
        ["Persones usuàries del servei"],
        ["Actualitzat el 03/11/2026"],
        header,
        *[_typed(client) for client in CLIENTS],
    ]
    data = ods_bytes([("Persones", rows)])
    return Sample("persones.ods", data, header_row=3, sheet="Persones")


SAMPLES = {
    "spanish-excel-csv": spanish_excel_csv,
    "utf8-bom-csv": utf8_bom_csv,
    "xlsx-with-title": xlsx_with_title,
    "ods-with-titles": ods_with_titles,
    "utf16-tab": utf16_tab_export,
}


@pytest.fixture(params=list(SAMPLES))
def sample(request) -> Sample:
    return SAMPLES[request.param]()


@pytest.fixture
def spain(people):
    """Every municipality of Spain, as `load_reference_data` loads them (after the network's
    towns, which the offices' fixtures create)."""
    spanish_municipalities_load()


# Helpers -----------------------------------------------------------------------------------------


def _import(actor, office, upload, *, kind="people", overwrite=False, dry_run=False):
    job = jobs.import_job_create(actor=actor, office=office, upload=upload, kind=kind)
    if overwrite:
        job.overwrite = True
        job.save(update_fields=["overwrite"])
    jobs.import_job_run(job_id=job.pk, dry_run=dry_run)
    job.refresh_from_db()
    return job


def _lines(job) -> dict[int, dict]:
    return {line["line"]: line for line in job.report}


def _cp1252_csv(name: str, lines: list[str]) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, ("\r\n".join(lines) + "\r\n").encode("cp1252"))


def _page_url(job) -> str:
    return reverse("crm:import_detail", args=[job.public_id])


def _run_on_page(client, job, run: str, capture, **fields) -> None:
    """Press a run button on the job's page with its proposed mapping (and `fields`)."""
    mapping = {field: str(column) for field, column in job.mapping.items()}
    with capture(execute=True):  # the run is queued on commit
        response = client.post(_page_url(job), mapping | {"run": run} | fields)
    assert response.status_code == 302, response.content.decode()[:2000]
    job.refresh_from_db()


def _upload_on_page(client, upload, kind="people") -> ImportJob:
    response = client.post(reverse("crm:import_upload"), {"file": upload, "kind": kind})
    assert response.status_code == 302, response.content.decode()[:2000]
    return ImportJob.objects.latest("created_at")


# Each file: read where its list is ---------------------------------------------------------------


@pytest.mark.django_db
def test_spanish_excel_csv_is_read_as_a_spreadsheet_shows_it():
    data = spanish_excel_csv().data
    assert b"N\xfaria;Mu\xf1oz" in data and b"\r\n" in data  # Windows-1252 bytes, CRLF
    table = files.read_table("clients.csv", data)
    assert table.reading == {"kind": "csv", "encoding": "cp1252", "delimiter": ";"}
    # Nine records, as the spreadsheet shows nine rows: a quoted cell over two lines is one.
    assert len(table.rows) == 9
    assert table.rows[0][0] == "Llistat de clients" and not any(table.rows[1])
    assert table.rows[3:] == CLIENTS  # the notes, with their ; " and line break, one column


COMPANY_PEOPLE_LINES = [
    "Nom;Cognoms;Correu;Empresa;NIF empresa;Càrrec",
    "Anna;Serra Puig;anna@example.org;Forn Serra SL;B58818501;Sòcia",
    "Joan;Mas;joan@example.org;Taller Mas SL;B12345674;Fundador",
]


@pytest.mark.parametrize(
    "lines",
    [COMPANY_PEOPLE_LINES, [COMPANY_PEOPLE_LINES[0], COMPANY_PEOPLE_LINES[2]]],
    ids=["carrec-and-socia", "carrec-only"],
)
def test_a_short_windows_1252_file_with_catalan_words_is_read_as_windows_1252(lines):
    """Spanish and Catalan Excel save Windows-1252: a few accented letters among plain text
    must not read as another code page (à as "Ó" in DOS's, as "‡" in the old Mac's)."""
    data = ("\r\n".join(lines) + "\r\n").encode("cp1252")
    table = files.read_table("clients.csv", data)
    assert table.reading["encoding"] == "cp1252"
    assert table.rows[0][-1] == "Càrrec"


@pytest.mark.django_db
def test_the_header_row_is_found_below_the_titles_and_every_column_mapped(people, office_a, sample):
    job = jobs.import_job_create(actor=people["advisor_a"], office=office_a, upload=sample.upload())
    assert job.header_row == sample.header_row
    assert job.mapping == {field: sample.column(field) for field in FIELDS_IN_ORDER}
    assert len(job.headers) == sample.first_column + 8  # the notes column stays one column
    assert job.total_rows == len(CLIENTS)
    assert job.reading["kind"] == sample.kind
    if sample.encoding:
        assert (job.reading["encoding"], job.reading["delimiter"]) == (
            sample.encoding,
            sample.delimiter,
        )
    assert job.headers[sample.first_column] in ("Nom", "First name", "Nombre")  # no BOM left


@pytest.mark.django_db
def test_everyone_who_should_be_is_created_on_the_files_own_row_numbers(
    people, office_a, spain, sample
):
    job = _import(people["advisor_a"], office_a, sample.upload())
    assert job.status == ImportJob.Status.DONE
    assert job.counts == {"created": 3, "updated": 0, "unchanged": 0, "rejected": 3, "warned": 2}
    outcomes = {line["line"]: line["outcome"] for line in job.report}
    assert outcomes == {
        sample.row_of(client): "rejected" if client in REJECTED else "created" for client in CLIENTS
    }
    assert sorted(Person.objects.values_list("first_name", flat=True)) == [
        "Núria",
        "Rosa",
        "Àngel",
    ]
    nuria = Person.objects.get(first_name="Núria")
    assert (nuria.last_name, nuria.id_number, nuria.email, nuria.phone) == (
        "Muñoz Vidal",
        "12345678Z",
        "nuria@example.org",
        "+34 612 34 56 78",
    )
    assert nuria.municipality.name == "Sant Boi de Llobregat" and nuria.office == office_a


@pytest.mark.django_db
def test_rejected_rows_carry_their_cells_and_reasons(people, office_a, spain, sample):
    job = _import(people["advisor_a"], office_a, sample.upload())
    table = files.read_table(sample.name, sample.data, sample.sheet or None)
    lines = _lines(job)
    for client in REJECTED:
        line = lines[sample.row_of(client)]
        assert line["cells"] == table.rows[line["line"] - 1]  # the file's row, as it was
        assert line["cells"][sample.first_column] == client[0]
    pere, laia, marc = (lines[sample.row_of(client)] for client in REJECTED)
    assert pere["note"].startswith("document number: ") and "control letter" in pere["note"]
    assert pere["cells"][-1] == PERE[-1]  # the notes cell whole, its line break included
    assert "no document, e-mail or phone" in laia["note"]
    assert "31/02/1980" in marc["note"] and "does not exist" in marc["note"]


@pytest.mark.django_db
def test_warned_rows_are_imported_and_say_what_was_left_out(people, office_a, spain, sample):
    job = _import(people["advisor_a"], office_a, sample.upload())
    lines = _lines(job)
    angel, rosa = (lines[sample.row_of(client)] for client in WARNED)
    assert angel["outcome"] == "created" and angel["cells"][sample.first_column] == "Àngel"
    assert angel["warnings"] == ["the phone “6123” is not a valid number: left out"]
    assert rosa["outcome"] == "created"
    assert rosa["warnings"] == ["“Springfield” is not a Spanish municipality we know: left out"]
    assert "warnings" not in lines[sample.row_of(NURIA)]
    angel_person = Person.objects.get(first_name="Àngel")
    # Lleida is a town of Spain outside the network: accepted as the other municipality.
    assert angel_person.phone == "" and angel_person.municipality is None
    assert angel_person.other_municipality == SpanishMunicipality.objects.get(ine_code="25120")
    rosa_person = Person.objects.get(first_name="Rosa")
    assert rosa_person.municipality is None and rosa_person.other_municipality is None


@pytest.mark.django_db
def test_dates_of_birth_and_excel_serials_become_the_date_and_its_year(
    people, office_a, spain, sample
):
    job = _import(people["advisor_a"], office_a, sample.upload())
    nuria = Person.objects.get(first_name="Núria")
    assert (nuria.birth_date, nuria.birth_year) == (datetime.date(1985, 3, 15), 1985)
    angel = Person.objects.get(first_name="Àngel")  # 31048 days after Excel's day 0
    assert (angel.birth_date, angel.birth_year) == (datetime.date(1985, 1, 1), 1985)
    assert _lines(job)[sample.row_of(MARC)]["outcome"] == "rejected"
    assert not Person.objects.filter(first_name="Marc").exists()


@pytest.mark.django_db
def test_importing_the_same_file_again_creates_and_changes_nothing(people, office_a, spain, sample):
    _import(people["advisor_a"], office_a, sample.upload())
    again = _import(people["advisor_a"], office_a, sample.upload())
    assert again.counts == {"created": 0, "updated": 0, "unchanged": 3, "rejected": 3, "warned": 2}
    assert not any(line.get("changes") for line in again.report)
    assert Person.objects.count() == 3


@pytest.mark.django_db
def test_the_workbook_offers_its_sheets_and_numbers_rows_as_the_sheet_does(people, office_a, spain):
    sample = xlsx_with_title()
    job = _import(people["advisor_a"], office_a, sample.upload())
    assert job.sheet == "Clients" and job.reading["sheets"] == ["Clients", "Baixes"]
    assert [line["line"] for line in job.report] == [5, 6, 7, 8, 9, 10]
    assert job.headers == ["", *XLSX_HEADER, "Notes"]  # column A empty, kept so
    # The phone was a number cell, the date a date cell: read as the text they show.
    assert _lines(job)[5]["outcome"] == "created" and "cells" not in _lines(job)[5]
    assert Person.objects.get(first_name="Núria").phone == "+34 612 34 56 78"


# The rows to fix, downloaded, fixed and imported again -------------------------------------------


def _parsed_download(sample: Sample, content: bytes) -> list[list[str]]:
    """The downloaded rows to fix, read as the office's program reads them."""
    if sample.kind == "csv":
        text = content.decode(sample.encoding)
        return [
            list(row)
            for row in csv.reader(io.StringIO(text, newline=""), delimiter=sample.delimiter)
        ]
    if sample.kind == "xlsx":
        sheet = load_workbook(io.BytesIO(content)).active
        return [
            ["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)
        ]
    workbook = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(content))
    rows = workbook.get_sheet_by_name(workbook.sheet_names[0]).to_python(skip_empty_area=False)
    return [["" if v is None else str(v) for v in row] for row in rows]


def _fixed(sample: Sample, rows: list[list[str]]) -> list[list[str]]:
    """The rows with each client's fix written in their cells, as the office would."""
    fixed = [list(rows[0])]
    for row in rows[1:]:
        row = list(row)
        for field, value in FIXES[row[sample.first_column]].items():
            row[sample.column(field)] = value
        fixed.append(row)
    return fixed


def _saved_again(sample: Sample, content: bytes, rows: list[list[str]]) -> bytes:
    """The fixed rows saved in the format they were downloaded in."""
    if sample.kind == "csv":
        return _delimited(rows, sample.delimiter, "\r\n").encode(sample.encoding)
    if sample.kind == "xlsx":
        workbook = load_workbook(io.BytesIO(content))
        for row_number, cells in enumerate(rows, start=1):
            for column, value in enumerate(cells, start=1):
                workbook.active.cell(row=row_number, column=column, value=value or None)
        data = io.BytesIO()
        workbook.save(data)
        return data.getvalue()
    return ods_bytes([(sample.sheet, rows)])


@pytest.mark.django_db
def test_the_rows_to_fix_download_fixed_and_imported_again_all_pass(
    client_for, office_a, spain, sample, django_capture_on_commit_callbacks
):
    client = client_for("advisor_a")
    job = _upload_on_page(client, sample.upload())
    _run_on_page(client, job, "real", django_capture_on_commit_callbacks)
    response = client.get(reverse("crm:import_rejects", args=[job.public_id]))
    assert response.status_code == 200
    extension = {"csv": "." + sample.name.rsplit(".", 1)[1], "xlsx": ".xlsx", "ods": ".ods"}
    stem = sample.name.rsplit(".", 1)[0]
    download_name = f"{stem} - to fix{extension[sample.kind]}"
    assert download_name in response["Content-Disposition"]

    rows = _parsed_download(sample, response.content)
    header, body = rows[0], rows[1:]
    assert header[-1] == "Import notes"
    assert header[: len(job.headers)] == job.headers
    expected = [ANGEL, PERE, LAIA, MARC, ROSA]  # rejected and warned, in the file's order
    assert [row[sample.first_column] for row in body] == [client[0] for client in expected]
    assert all(row[-1] for row in body)  # each says why
    table = files.read_table(sample.name, sample.data, sample.sheet or None)
    for row, listed in zip(body, expected, strict=True):
        as_read = table.rows[sample.row_of(listed) - 1]
        assert row[: len(as_read)] == as_read  # the cells as they were

    fixed = _saved_again(sample, response.content, _fixed(sample, rows))
    again = _upload_on_page(client, SimpleUploadedFile(download_name, fixed))
    assert again.mapping == job.mapping
    _run_on_page(client, again, "real", django_capture_on_commit_callbacks)
    assert again.counts == {"created": 3, "updated": 2, "unchanged": 0, "rejected": 0, "warned": 0}
    assert Person.objects.count() == 6
    assert Person.objects.get(first_name="Pere").id_number == "11111111H"
    assert Person.objects.get(first_name="Marc").birth_date == datetime.date(1980, 2, 28)
    assert Person.objects.get(first_name="Àngel").phone == "+34 612 00 01 11"
    assert Person.objects.get(first_name="Rosa").municipality.name == "Badalona"


# Registered values, repeats, resemblances --------------------------------------------------------


def _register_nuria(office, email="nuria.old@example.org"):
    return services.person_create(
        actor=None,
        office=office,
        data={
            "first_name": "Núria",
            "last_name": "Muñoz Vidal",
            "id_type": "dni",
            "id_number": "12345678Z",
            "email": email,
            "language": "ca",
        },
    )


@pytest.mark.django_db
def test_a_registered_email_is_kept_and_the_difference_listed_by_default(people, office_a, spain):
    _register_nuria(office_a)
    job = _import(people["advisor_a"], office_a, spanish_excel_csv().upload())
    nuria = _lines(job)[4]
    assert nuria["warnings"] == [
        "e-mail: the file says “nuria@example.org” but “nuria.old@example.org” is registered, "
        "which was kept (choose “the file wins” to replace it)"
    ]
    assert "e-mail" not in [change[0] for change in nuria.get("changes", [])]
    assert Person.objects.get(first_name="Núria").email == "nuria.old@example.org"


@pytest.mark.django_db
def test_when_the_file_wins_the_email_is_replaced_and_the_change_listed(
    client_for, office_a, spain, django_capture_on_commit_callbacks
):
    _register_nuria(office_a)
    client = client_for("advisor_a")
    job = _upload_on_page(client, spanish_excel_csv().upload())
    _run_on_page(client, job, "dry", django_capture_on_commit_callbacks, overwrite="1")
    _run_on_page(client, job, "real", django_capture_on_commit_callbacks, overwrite="1")
    nuria = _lines(job)[4]
    assert nuria["outcome"] == "updated" and "warnings" not in nuria
    assert ["e-mail", "nuria.old@example.org", "nuria@example.org"] in nuria["changes"]
    assert Person.objects.get(first_name="Núria").email == "nuria@example.org"


def _twice_lines(*rows: str) -> list[str]:
    return [*SPANISH_EXCEL_LINES[:4], *rows]


@pytest.mark.django_db
def test_the_same_person_later_in_the_file_with_another_phone_warns_naming_the_earlier_row(
    people, office_a, spain
):
    other_phone = SPANISH_EXCEL_LINES[3].replace("612345678", "699111222")
    upload = _cp1252_csv("clients.csv", _twice_lines(SPANISH_EXCEL_LINES[4], other_phone))
    job = _import(people["advisor_a"], office_a, upload)
    again = _lines(job)[6]  # row 4 holds a cell over two lines: still one row
    assert again["note"] == "repeats row 4"
    assert again["warnings"] == [
        "phone: “+34 699 11 12 22” differs from row 4 (“+34 612 34 56 78”), which was kept"
    ]
    assert Person.objects.get(first_name="Núria").phone == "+34 612 34 56 78"


@pytest.mark.django_db
def test_an_identical_repeat_is_noted_as_repeating_the_earlier_row(people, office_a, spain):
    upload = _cp1252_csv("clients.csv", _twice_lines(SPANISH_EXCEL_LINES[3]))
    job = _import(people["advisor_a"], office_a, upload)
    assert [(line["line"], line["outcome"], line["note"]) for line in job.report] == [
        (4, "created", ""),
        (5, "unchanged", "repeats row 4"),
    ]
    assert "warnings" not in job.report[1] and Person.objects.count() == 1


def _register_marta(office):
    return services.person_create(
        actor=None,
        office=office,
        data={
            "first_name": "Marta",
            "last_name": "Fernández Soler",
            "birth_year": 1984,
            "email": "marta@example.org",
            "language": "ca",
        },
    )


MARTA_MISSPELT = [
    "Nom;Cognoms;Correu;Any naixement",
    "Marta;Fernandes Soler;marta.f@example.org;1984",
]


@pytest.mark.django_db
def test_a_similar_person_of_another_office_is_named_with_their_office(people, office_a, office_b):
    _register_marta(office_b)
    job = _import(people["advisor_a"], office_a, _cp1252_csv("clients.csv", MARTA_MISSPELT))
    (line,) = job.report
    assert line["outcome"] == "rejected"
    assert "Marta Fernández Soler" in line["note"] and "OAE Beta" in line["note"]
    assert "similar" not in line  # not a page the importer may open
    assert Person.objects.count() == 1


@pytest.mark.django_db
def test_a_similar_person_of_the_same_office_is_linked(people, office_a):
    marta = _register_marta(office_a)
    job = _import(people["advisor_a"], office_a, _cp1252_csv("clients.csv", MARTA_MISSPELT))
    (line,) = job.report
    assert "Marta Fernández Soler" in line["note"] and "OAE Alfa" in line["note"]
    assert line["similar"] == str(marta.public_id)


# Mappings -----------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_column_mapped_by_hand_is_proposed_in_the_offices_next_file(
    client_for, office_a, django_capture_on_commit_callbacks
):
    client = client_for("advisor_a")
    first = ["Nom;Cognoms;Doc.;Correu", "Anna;Serra Puig;AB123456;anna@example.org"]
    job = _upload_on_page(client, _cp1252_csv("clients.csv", first))
    assert "id_number" not in job.mapping  # "Doc." over passports says nothing
    job.mapping["id_number"] = 2  # the user's choice on the page
    _run_on_page(client, job, "real", django_capture_on_commit_callbacks)
    assert Person.objects.get().id_number == "AB123456"

    later = ["Correu;Nom;Cognoms;Doc.", "joan@example.org;Joan;Mas;CD654321"]
    next_job = _upload_on_page(client, _cp1252_csv("nous.csv", later))
    assert next_job.mapping["id_number"] == 3  # by its header, wherever the column is now
    page = client.get(reverse("crm:import_detail", args=[next_job.public_id])).content.decode()
    assert "Proposed as your office mapped its last import" in page
    assert (
        "Proposed as your office"
        not in client.get(reverse("crm:import_detail", args=[job.public_id])).content.decode()
    )
    other_office = _upload_on_page(client_for("advisor_b"), _cp1252_csv("nous.csv", later))
    assert "id_number" not in other_office.mapping


# Companies ---------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_company_headers_are_proposed_as_their_fields_and_imported(people, office_a):
    cnae_load()
    lines = [
        "Llistat d'empreses;;;",
        "Raó social;NIF;CNAE;Forma jurídica",
        "Forn Serra SL;B58818501;10.71;S.L.",
        "Cooperativa Verda SCCL;F65432106;62.01;cooperativa",
    ]
    upload = _cp1252_csv("empreses.csv", lines)
    job = jobs.import_job_create(
        actor=people["advisor_a"], office=office_a, upload=upload, kind="companies"
    )
    assert job.header_row == 2
    assert job.mapping == {"legal_name": 0, "tax_id": 1, "cnae": 2, "legal_form": 3}
    jobs.import_job_run(job_id=job.pk, dry_run=False)
    job.refresh_from_db()
    assert job.counts["created"] == 2 and [line["line"] for line in job.report] == [3, 4]
    forn = Company.objects.get(tax_id="B58818501")
    assert (forn.legal_name, forn.legal_form, forn.cnae.code) == (
        "Forn Serra SL",
        "limited",
        "1071",
    )


@pytest.mark.django_db
def test_a_people_file_naming_companies_links_each_person_in_their_role(people, office_a):
    forn = services.company_save(
        actor=None,
        office=office_a,
        company=None,
        data={
            "legal_name": "Forn Serra SL",
            "tax_id": "B58818501",
            "legal_form": "limited",
            "stage": "active",
            "employees": 3,
        },
    )
    upload = _cp1252_csv("clients.csv", COMPANY_PEOPLE_LINES)
    job = jobs.import_job_create(actor=people["advisor_a"], office=office_a, upload=upload)
    assert {f: job.mapping.get(f) for f in ("company_legal_name", "company_tax_id")} == {
        "company_legal_name": 3,
        "company_tax_id": 4,
    }
    assert job.mapping.get("company_relation") == 5
    jobs.import_job_run(job_id=job.pk, dry_run=False)
    links = {
        (link.person.first_name, link.company.legal_name, link.relation)
        for link in PersonCompany.objects.select_related("person", "company")
    }
    assert links == {("Anna", "Forn Serra SL", "partner"), ("Joan", "Taller Mas SL", "founder")}
    assert Company.objects.count() == 2 and Company.objects.get(tax_id="B58818501") == forn
