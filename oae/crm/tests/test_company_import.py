"""Importing the companies offices already have on spreadsheets."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from oae.crm.imports import jobs
from oae.crm.models import Company, ImportJob
from oae.reference.services import cnae_load
from oae.testing.factories import MunicipalityFactory

HEADER = (
    "Raó social;Nom comercial;NIF;Forma jurídica;CNAE;Data d'inici;Estat;Treballadors;Municipi\n"
)
GOOD = [
    "Forn Serra SL;Forn Serra;B58818501;S.L.;10.71;15/03/2021;actiu;3;Badalona",
    "Cooperativa Verda SCCL;;;cooperativa;;;idea;;Badalona",
    "Taller Mas;;;autònom;4520;2019-06-01;activa;1;",
]
BAD = [
    "Mala Lletra SL;;B58818502;SL;;;;;",  # wrong NIF control character
    "Sense Forma;;;societat imaginària;;;;;",  # unknown legal form
    "Data Dolenta SL;;;SL;;31/02/2020;;;",  # not a date
    "Gent SL;;;SL;;;;tres;",  # not a number
    "Codi Fals SL;;;SL;9999;;;;",  # not a CNAE class
    ";Sense nom;;SL;;;;;",  # no legal name
]


def _csv(lines):
    return SimpleUploadedFile("empreses.csv", (HEADER + "\n".join(lines) + "\n").encode())


def _import(actor, office, lines, dry_run=False):
    job = jobs.import_job_create(actor=actor, office=office, upload=_csv(lines), kind="companies")
    jobs.import_job_run(job_id=job.pk, dry_run=dry_run)
    job.refresh_from_db()
    return job


@pytest.fixture
def reference(db):
    cnae_load()
    MunicipalityFactory(ine_code="08015", name="Badalona")


@pytest.mark.django_db
def test_company_columns_are_recognised(people, office_a, reference):
    job = jobs.import_job_create(
        actor=people["advisor_a"], office=office_a, upload=_csv(GOOD), kind="companies"
    )
    assert job.mapping == {
        "legal_name": 0,
        "trade_name": 1,
        "tax_id": 2,
        "legal_form": 3,
        "cnae": 4,
        "start_date": 5,
        "stage": 6,
        "employees": 7,
        "municipality": 8,
    }


@pytest.mark.django_db
def test_good_rows_are_created_bad_ones_reported_and_a_rerun_changes_nothing(
    people, office_a, reference
):
    counts = {"created": 5, "updated": 0, "unchanged": 0, "rejected": 4, "warned": 2}
    checked = _import(people["advisor_a"], office_a, GOOD + BAD, dry_run=True)
    assert checked.counts == counts
    assert Company.objects.count() == 0

    done = _import(people["advisor_a"], office_a, GOOD + BAD)
    assert done.counts == counts
    forn = Company.objects.get(tax_id="B58818501")
    assert (forn.legal_form, forn.stage, forn.employees) == ("limited", "active", 3)
    assert forn.cnae.code == "1071" and str(forn.start_date) == "2021-03-15"
    assert Company.objects.get(legal_name="Taller Mas").legal_form == "self_employed"
    notes = {row["line"]: row["note"] for row in done.report if row["outcome"] == "rejected"}
    assert sorted(notes) == [5, 7, 8, 10]
    assert "control character" in notes[5]
    assert "date" in notes[7] and "whole number" in notes[8] and "legal name" in notes[10]
    # A legal form or an activity we do not know is left out with a warning, not the company.
    warnings = {row["line"]: row["warnings"] for row in done.report if row.get("warnings")}
    assert "legal form" in warnings[6][0] and "CNAE" in warnings[9][0]
    assert Company.objects.get(legal_name="Sense Forma").legal_form == "other"
    assert Company.objects.get(legal_name="Codi Fals SL").cnae is None

    again = _import(people["advisor_a"], office_a, GOOD)
    assert again.counts == {"created": 0, "updated": 0, "unchanged": 3, "rejected": 0, "warned": 0}
    assert Company.objects.count() == 5


@pytest.mark.django_db
def test_a_changed_row_updates_the_company_and_another_office_cannot(
    people, office_a, office_b, reference
):
    _import(people["advisor_a"], office_a, GOOD[:1])
    grown = GOOD[0].replace(";3;", ";7;")
    kept = _import(people["advisor_a"], office_a, [grown]).report[0]
    assert kept["outcome"] == "unchanged" and "“3” is registered" in kept["warnings"][0]
    assert Company.objects.get().employees == 3
    job = jobs.import_job_create(
        actor=people["advisor_a"], office=office_a, upload=_csv([grown]), kind="companies"
    )
    job.overwrite = True  # "the file wins"
    job.save()
    jobs.import_job_run(job_id=job.pk, dry_run=False)
    job.refresh_from_db()
    assert job.report[0]["outcome"] == "updated"
    assert [change[1:] for change in job.report[0]["changes"]] == [["3", "7"]]
    other = _import(people["advisor_b"], office_b, [grown.replace(";7;", ";9;")])
    assert other.report[0]["outcome"] == "unchanged"
    assert Company.objects.get().employees == 7


@pytest.mark.django_db
def test_the_wizard_imports_companies(
    client_for, office_a, reference, django_capture_on_commit_callbacks
):
    client = client_for("advisor_a")
    client.post(reverse("crm:import_upload"), {"file": _csv(GOOD), "kind": "companies"})
    job = ImportJob.objects.get()
    assert job.kind == "companies"
    page = client.get(reverse("crm:import_detail", args=[job.public_id])).content.decode()
    assert "Legal name" in page and "Surnames" not in page
    mapping = {field: str(index) for field, index in job.mapping.items()}
    url = reverse("crm:import_detail", args=[job.public_id])
    for run in ("dry", "real"):
        with django_capture_on_commit_callbacks(execute=True):  # each run is queued on commit
            client.post(url, mapping | {"run": run})
    assert Company.objects.count() == 3
