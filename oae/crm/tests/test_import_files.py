"""Uploaded spreadsheets hold personal data: each is removed when its import ends, fails or is
left untouched for `IMPORT_FILE_HOURS`, and no file in the imports folder outlives its job."""

from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from oae.crm.imports import jobs
from oae.crm.models import ImportJob, Person
from oae.testing.factories import MunicipalityFactory

SHEET = (
    "Nom;Cognoms;DNI;Correu;Municipi\n"
    "Anna;Serra Puig;12345678Z;anna@example.org;Sant Boi de Llobregat\n"
)


@pytest.fixture(autouse=True)
def fresh_storage(settings):
    """A media storage of this test's own, so the folder's walk sees only this test's files."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }
    settings.IMPORT_FILE_HOURS = 24


@pytest.fixture
def towns(db):
    MunicipalityFactory(ine_code="08200", name="Sant Boi de Llobregat")


def _upload(client) -> ImportJob:
    upload = SimpleUploadedFile("clients.csv", SHEET.encode())
    client.post(reverse("crm:import_upload"), {"file": upload})
    job = ImportJob.objects.latest("created_at")
    assert job.file and default_storage.exists(job.file.name)
    return job


def _start(client, job, run, capture):
    mapping = {field: str(index) for field, index in job.mapping.items()}
    with capture(execute=True):  # the run is queued on commit
        return client.post(reverse("crm:import_detail", args=[job.public_id]), mapping | run)


def _later(monkeypatch, hours: int):
    """The imports' clock moved `hours` on."""
    moved = timezone.now() + timedelta(hours=hours)
    monkeypatch.setattr(jobs, "timezone", SimpleNamespace(now=lambda: moved))


@pytest.mark.django_db
def test_the_sheet_is_removed_once_imported(client_for, towns, django_capture_on_commit_callbacks):
    client = client_for("advisor_a")
    job = _upload(client)
    name = job.file.name
    _start(client, job, {"run": "dry"}, django_capture_on_commit_callbacks)
    assert default_storage.exists(name)  # a dry run keeps it for the real run

    _start(client, job, {"run": "real"}, django_capture_on_commit_callbacks)

    assert Person.objects.count() == 1
    assert not default_storage.exists(name)
    assert not ImportJob.objects.get().file


@pytest.mark.django_db
def test_the_sheet_is_removed_when_its_import_fails_and_the_page_says_so(
    client_for, towns, django_capture_on_commit_callbacks, monkeypatch
):
    def broken(**_kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(jobs, "_import_job_run", broken)
    client = client_for("advisor_a")
    job = _upload(client)
    name = job.file.name

    _start(client, job, {"run": "dry"}, django_capture_on_commit_callbacks)

    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED and job.finished_at is not None
    assert not default_storage.exists(name) and not job.file
    page = client.get(reverse("crm:import_detail", args=[job.public_id])).content.decode()
    assert "the database went away" in page
    assert "The uploaded file has been removed" in page
    assert "Which column is which" not in page  # nothing left to run: upload it again
    again = _start(client, job, {"run": "real"}, django_capture_on_commit_callbacks)
    assert again.status_code == 200  # refused, and said so
    assert again.content.decode().count("The uploaded file has been removed") == 2
    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED


@pytest.mark.django_db
def test_a_sheet_left_untouched_is_removed_after_the_configured_hours(
    client_for, towns, django_capture_on_commit_callbacks, monkeypatch
):
    client = client_for("advisor_a")
    never_run = _upload(client)
    checked_only = _upload(client)
    _start(client, checked_only, {"run": "dry"}, django_capture_on_commit_callbacks)
    names = [never_run.file.name, checked_only.file.name]

    assert jobs.import_files_remove() == {"abandoned": 0, "orphans": 0, "reports": 0}  # not yet
    _later(monkeypatch, 23)
    assert jobs.import_files_remove() == {"abandoned": 0, "orphans": 0, "reports": 0}
    _later(monkeypatch, 25)
    assert jobs.import_files_remove() == {"abandoned": 2, "orphans": 0, "reports": 0}

    assert not any(default_storage.exists(name) for name in names)
    running = _upload(client)  # started just now: its end removes the file
    ImportJob.objects.filter(pk=running.pk).update(status=ImportJob.Status.RUNNING)
    _later(monkeypatch, 50)
    assert jobs.import_files_remove() == {"abandoned": 0, "orphans": 0, "reports": 0}
    assert default_storage.exists(running.file.name)
    page = client.get(reverse("crm:import_detail", args=[never_run.public_id])).content.decode()
    assert "The uploaded file has been removed" in page
    assert "Which column is which" not in page


@pytest.mark.django_db
def test_files_no_job_names_are_removed_once_as_old(client_for, towns, monkeypatch):
    job = _upload(client_for("advisor_a"))
    orphan = default_storage.save("imports/2025/left-behind.csv", ContentFile(SHEET.encode()))
    deleted_with_its_job = _upload(client_for("advisor_a"))
    gone = deleted_with_its_job.file.name
    deleted_with_its_job.delete()  # as when its office is deleted: the file stays behind
    elsewhere = default_storage.save("cases/other.pdf", ContentFile(b"%PDF-1.4"))

    assert jobs.import_files_remove()["orphans"] == 0  # too recent: maybe an upload under way
    _later(monkeypatch, 25)
    # Its job was touched meanwhile: only the files no job names go.
    ImportJob.objects.filter(pk=job.pk).update(created_at=timezone.now() + timedelta(hours=25))

    assert jobs.import_files_remove() == {"abandoned": 0, "orphans": 2, "reports": 0}

    assert not default_storage.exists(orphan) and not default_storage.exists(gone)
    assert default_storage.exists(job.file.name)  # its job is recent: kept
    assert default_storage.exists(elsewhere)  # not an import's


@pytest.mark.django_db
def test_the_hourly_job_is_scheduled_and_runs_from_the_command_line(
    settings, client_for, towns, monkeypatch
):
    schedule = settings.CELERY_BEAT_SCHEDULE["crm-import-files"]
    assert schedule["task"] == "oae.crm.tasks.remove_import_files"
    job = _upload(client_for("advisor_a"))
    _later(monkeypatch, 25)

    call_command("remove_import_files")

    assert not default_storage.exists(job.file.name)


@pytest.mark.django_db
def test_the_cells_a_report_keeps_of_its_rows_to_fix_go_after_the_configured_hours(
    people, office_a, towns, monkeypatch
):
    sheet = SHEET + "Pere;Roca;12345678A;pere@example.org;Sant Boi de Llobregat\n"
    upload = SimpleUploadedFile("clients.csv", sheet.encode())
    job = jobs.import_job_create(actor=people["advisor_a"], office=office_a, upload=upload)
    jobs.import_job_run(job_id=job.pk, dry_run=False)
    job.refresh_from_db()
    (rejected,) = [line for line in job.report if line["outcome"] == "rejected"]
    assert rejected["cells"][0] == "Pere"  # for the file of rows to fix, meanwhile
    _later(monkeypatch, 23)
    assert jobs.import_files_remove()["reports"] == 0
    _later(monkeypatch, 25)
    assert jobs.import_files_remove()["reports"] == 1
    job.refresh_from_db()
    (rejected,) = [line for line in job.report if line["outcome"] == "rejected"]
    assert "cells" not in rejected and "control letter" in rejected["note"]
    assert "Pere" not in str(job.report)
