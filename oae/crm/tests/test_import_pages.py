"""An import's pages with signed-in users: the preview of the rows as they will be read, reading
the file again from another sheet or header row, cancelling, the rows-to-fix download, and every
refusal said on the page (or a plain 403 or 404), never a server error."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from oae.crm.imports import jobs
from oae.crm.models import ImportJob, Person

# As Spanish Excel saves a CSV: Windows-1252, `;`, CRLF, a title and a blank row first.
CLIENTS_CSV = "\r\n".join(
    [
        "Llistat de clients;;;;",
        ";;;;",
        "Nom;Cognoms;DNI;Correu;Notes",
        'Núria;Muñoz Vidal;12345678Z;nuria@example.org;"Truca-la\ndimarts"',
        "Àngel;Garcia;87654321X;angel@example.org;",
        "Pere;Roca;11111111A;pere@example.org;",  # the DNI's letter is wrong
    ]
).encode("cp1252")
ALL_GOOD_CSV = "Nom;Cognoms;Correu\r\nAnna;Serra;anna@example.org\r\n".encode("cp1252")


def _workbook() -> bytes:
    """Clients on a first sheet (header in row 2), former clients on a second (row 1)."""
    workbook = Workbook()
    clients = workbook.active
    clients.title = "Clients"
    clients.append(["Llistat de clients"])
    clients.append(["Nom", "Cognoms", "Correu"])
    clients.append(["Anna", "Serra", "anna@example.org"])
    former = workbook.create_sheet("Baixes")
    former.append(["Correu", "Nom"])
    former.append(["joan@example.org", "Joan"])
    data = io.BytesIO()
    workbook.save(data)
    return data.getvalue()


def _upload(client, name="clients.csv", data=CLIENTS_CSV) -> ImportJob:
    response = client.post(reverse("crm:import_upload"), {"file": SimpleUploadedFile(name, data)})
    assert response.status_code == 302, response.content.decode()[:2000]
    return ImportJob.objects.latest("created_at")


def _url(job) -> str:
    return reverse("crm:import_detail", args=[job.public_id])


def _mapping(job) -> dict[str, str]:
    return {field: str(column) for field, column in job.mapping.items()}


def _page(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


def _run(client, job, run, capture):
    with capture(execute=True):  # the run is queued on commit
        response = client.post(_url(job), _mapping(job) | {"run": run})
    assert response.status_code == 302
    job.refresh_from_db()


# The preview, and reading the file again ----------------------------------------------------------


@pytest.mark.django_db
def test_the_page_previews_the_first_rows_as_read_and_lists_the_title_rows(client_for):
    client = client_for("advisor_a")
    job = _upload(client)
    response = client.get(_url(job))
    page = _page(response)
    preview = response.context["preview"]
    assert [number for number, _cells in preview["rows"]] == [4, 5, 6]  # the file's rows
    assert preview["rows"][0][1] == [
        "Núria",
        "Muñoz Vidal",
        "12345678Z",
        "nuria@example.org",
        "Truca-la\ndimarts",
    ]
    assert preview["titles"][0][0] == "Llistat de clients"
    assert "Rows above the header, left out:" in page and "Llistat de clients" in page
    assert "Muñoz Vidal" in page and "→ DNI, NIE or passport" in page
    assert "Read as text in Windows-1252, columns separated by semicolons." in page


@pytest.mark.django_db
def test_reading_from_another_header_row_proposes_the_mapping_again(client_for):
    client = client_for("advisor_a")
    job = _upload(client)
    detected = job.mapping
    response = client.post(_url(job), {"run": "reread", "sheet": "", "header_row": "4"})
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.header_row == 4 and job.headers[0] == "Núria"
    assert job.mapping != detected and job.total_rows == 2
    client.post(_url(job), {"run": "reread", "sheet": "", "header_row": "3"})
    job.refresh_from_db()
    assert (job.header_row, job.mapping, job.total_rows) == (3, detected, 3)


@pytest.mark.django_db
def test_reading_another_sheet_offers_it_and_maps_its_columns(client_for):
    client = client_for("advisor_a")
    job = _upload(client, "clients.xlsx", _workbook())
    assert (job.sheet, job.header_row) == ("Clients", 2)
    page = _page(client.get(_url(job)))
    assert 'value="Baixes"' in page  # the sheets are offered
    response = client.post(_url(job), {"run": "reread", "sheet": "Baixes", "header_row": "1"})
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.sheet == "Baixes" and job.mapping == {"email": 0, "first_name": 1}


@pytest.mark.django_db
def test_a_header_row_beyond_the_sheet_is_refused_with_a_message(client_for):
    client = client_for("advisor_a")
    job = _upload(client)
    page = _page(client.post(_url(job), {"run": "reread", "sheet": "", "header_row": "500"}))
    assert "The sheet has 6 rows: choose one of them as the header." in page
    job.refresh_from_db()
    assert job.header_row == 3


@pytest.mark.django_db
@pytest.mark.parametrize("header_row", ["0", "abc", ""])
def test_a_header_row_that_is_no_row_number_is_refused_with_a_message(client_for, header_row):
    client = client_for("advisor_a")
    job = _upload(client)
    page = _page(client.post(_url(job), {"run": "reread", "sheet": "", "header_row": header_row}))
    assert "There is 1 problem to fix" in page and "Header row:" in page
    job.refresh_from_db()
    assert job.header_row == 3


@pytest.mark.django_db
def test_an_unknown_sheet_is_refused_with_a_message(client_for):
    client = client_for("advisor_a")
    job = _upload(client, "clients.xlsx", _workbook())
    page = _page(client.post(_url(job), {"run": "reread", "sheet": "Altres", "header_row": "1"}))
    assert "Sheet: Select a valid choice. Altres is not one of the available choices." in page
    job.refresh_from_db()
    assert job.sheet == "Clients"


@pytest.mark.django_db
def test_a_refused_reread_leaves_the_page_showing_the_sheet_in_use(client_for):
    client = client_for("advisor_a")
    job = _upload(client, "clients.xlsx", _workbook())
    response = client.post(_url(job), {"run": "reread", "sheet": "Baixes", "header_row": "99"})
    page = _page(response)
    assert "The sheet has 2 rows" in page
    # Nothing was saved: the page goes on showing the sheet and the rows the import will read.
    assert "sheet “Clients”" in page and "sheet “Baixes”" not in page
    assert [cells[1] for _number, cells in response.context["preview"]["rows"]] == ["Serra"]


# Running, cancelling ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_same_column_for_two_fields_is_refused_with_a_message(
    client_for, django_capture_on_commit_callbacks
):
    client = client_for("advisor_a")
    job = _upload(client)
    twice = _mapping(job) | {"last_name": "0"}  # the names' column for the surnames too
    with django_capture_on_commit_callbacks() as callbacks:
        page = _page(client.post(_url(job), twice | {"run": "dry"}))
    assert "A column can hold one field only: choose it once." in page
    assert callbacks == []
    job.refresh_from_db()
    assert job.status == ImportJob.Status.UPLOADED and job.mapping["last_name"] == 1


@pytest.mark.django_db
def test_cancelling_an_import_that_is_not_running_says_so(client_for):
    client = client_for("advisor_a")
    job = _upload(client)
    page = _page(client.post(_url(job), {"run": "cancel"}, follow=True))
    assert "This import is not running: there is nothing to cancel." in page
    job.refresh_from_db()
    assert job.status == ImportJob.Status.UPLOADED and not job.cancel_requested


@pytest.mark.django_db
def test_cancelling_an_import_that_is_done_says_so(client_for, django_capture_on_commit_callbacks):
    client = client_for("advisor_a")
    job = _upload(client)
    _run(client, job, "real", django_capture_on_commit_callbacks)
    page = _page(client.post(_url(job), {"run": "cancel"}, follow=True))
    assert "This import is not running: there is nothing to cancel." in page
    assert ImportJob.objects.get().status == ImportJob.Status.DONE


@pytest.mark.django_db
def test_cancelling_a_queued_dry_run_stops_it_and_leaves_it_uploaded(
    client_for, django_capture_on_commit_callbacks
):
    client = client_for("advisor_a")
    job = _upload(client)
    with django_capture_on_commit_callbacks() as queued:  # not started yet
        client.post(_url(job), _mapping(job) | {"run": "dry"})
    job.refresh_from_db()
    assert job.status == ImportJob.Status.QUEUED
    assert 'value="cancel"' in _page(client.get(_url(job)))
    assert client.post(_url(job), {"run": "cancel"}).status_code == 302
    for start in queued:
        start()  # the worker picks it up, and stops before its first batch
    job.refresh_from_db()
    assert job.status == ImportJob.Status.UPLOADED and job.report == []
    assert 'value="dry"' in _page(client.get(_url(job)))  # it may be run again


@pytest.mark.django_db
def test_cancelling_a_queued_real_run_stops_it_with_nothing_imported(
    client_for, django_capture_on_commit_callbacks
):
    client = client_for("advisor_a")
    job = _upload(client)
    with django_capture_on_commit_callbacks() as queued:
        client.post(_url(job), _mapping(job) | {"run": "real"})
    client.post(_url(job), {"run": "cancel"})
    for start in queued:
        start()
    job.refresh_from_db()
    assert job.status == ImportJob.Status.CANCELLED and Person.objects.count() == 0
    assert "The import was cancelled." in _page(client.get(_url(job)))


# The rows to fix ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_page_offers_the_rows_to_fix_and_the_download_holds_them(
    client_for, django_capture_on_commit_callbacks
):
    client = client_for("advisor_a")
    job = _upload(client)
    _run(client, job, "dry", django_capture_on_commit_callbacks)
    page = _page(client.get(_url(job)))
    rejects_url = reverse("crm:import_rejects", args=[job.public_id])
    assert rejects_url in page and "Download the rows to fix" in page
    response = client.get(rejects_url)
    assert response.status_code == 200 and response["Content-Type"] == "text/csv"
    lines = response.content.decode("cp1252").split("\r\n")
    assert lines[0] == "Nom;Cognoms;DNI;Correu;Notes;Import notes"
    assert lines[1].startswith("Pere;Roca;11111111A;pere@example.org;;document number: ")


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["manager_a", "advisor_b"])
def test_the_rows_to_fix_are_not_given_to_another_user(
    client_for, persona, django_capture_on_commit_callbacks
):
    client = client_for("advisor_a")
    job = _upload(client)
    _run(client, job, "dry", django_capture_on_commit_callbacks)
    response = client_for(persona).get(reverse("crm:import_rejects", args=[job.public_id]))
    assert response.status_code == 404 and response.content
    assert b"Pere" not in response.content


@pytest.mark.django_db
def test_there_is_no_download_when_no_row_needs_fixing(
    client_for, django_capture_on_commit_callbacks
):
    client = client_for("advisor_a")
    job = _upload(client, data=ALL_GOOD_CSV)
    _run(client, job, "dry", django_capture_on_commit_callbacks)
    assert job.counts["created"] == 1
    rejects_url = reverse("crm:import_rejects", args=[job.public_id])
    assert rejects_url not in _page(client.get(_url(job)))
    response = client.get(rejects_url)
    assert response.status_code == 404 and response.content


@pytest.mark.django_db
def test_there_is_no_download_before_any_run(client_for):
    client = client_for("advisor_a")
    job = _upload(client)
    response = client.get(reverse("crm:import_rejects", args=[job.public_id]))
    assert response.status_code == 404 and response.content


# Who may import -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_read_only_user_cannot_upload(client_for):
    client = client_for("readonly_a")
    page = client.get(reverse("crm:import_upload"))
    assert page.status_code == 403 and page.content
    upload = SimpleUploadedFile("clients.csv", CLIENTS_CSV)
    response = client.post(reverse("crm:import_upload"), {"file": upload})
    assert response.status_code == 403 and response.content
    assert not ImportJob.objects.exists()


@pytest.mark.django_db
def test_a_read_only_user_cannot_open_or_run_an_import(client_for, people, office_a):
    upload = SimpleUploadedFile("clients.csv", CLIENTS_CSV)
    job = jobs.import_job_create(actor=people["readonly_a"], office=office_a, upload=upload)
    client = client_for("readonly_a")
    assert client.get(_url(job)).status_code == 403
    assert client.post(_url(job), _mapping(job) | {"run": "real"}).status_code == 403
    job.refresh_from_db()
    assert job.status == ImportJob.Status.UPLOADED
