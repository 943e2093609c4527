"""The example lists the import page offers show what an import does with a real list: every
client kept (with warnings where a value was left out), the rows to fix rejected with a
reason, a company linked, a registered value kept. The files shipped are the generator's."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from oae.crm import services
from oae.crm.imports import jobs
from oae.crm.models import Person, PersonCompany
from oae.devdata.demo.spreadsheets import EXAMPLES
from oae.devdata.management.commands.example_spreadsheets import FOLDER
from oae.reference.services import cnae_load, spanish_municipalities_load
from oae.testing.factories import MunicipalityFactory


@pytest.fixture
def reference(office_a, office_b):
    MunicipalityFactory(ine_code="08245", name="Santa Coloma de Gramenet")
    spanish_municipalities_load()
    cnae_load()


def _import(user, office, name: str, kind: str = "people"):
    upload = SimpleUploadedFile(name, (FOLDER / name).read_bytes())
    job = jobs.import_job_create(actor=user, office=office, upload=upload, kind=kind)
    jobs.import_job_run(job_id=job.pk, dry_run=False)
    job.refresh_from_db()
    return job


def _by_line(job) -> dict[int, dict]:
    return {line["line"]: line for line in job.report}


def test_every_example_is_shipped():
    assert sorted(path.name for path in Path(FOLDER).iterdir()) == sorted(EXAMPLES)


@pytest.mark.django_db
def test_the_sant_boi_csv_keeps_its_clients_and_rejects_only_what_is_wrong(
    people, office_a, reference
):
    marta = services.person_create(
        actor=people["manager_a"],
        office=office_a,
        data={
            "first_name": "Marta",
            "last_name": "Vila Rovira",
            "id_type": "dni",
            "id_number": "47100231A",
            "email": "marta.vila@example.org",
            "birth_year": 1988,
        },
    )
    job = _import(people["manager_a"], office_a, "clients-sant-boi.csv")
    assert job.header_row == 4 and job.reading["encoding"] == "cp1252"
    lines = _by_line(job)
    assert job.counts == {"created": 3, "updated": 1, "unchanged": 1, "rejected": 3, "warned": 2}
    assert "not a valid number" in lines[6]["warnings"][0]  # Àngel kept, his phone left out
    laia = Person.objects.get(email="laia.roca@example.org")
    assert str(laia.other_municipality) == "Lleida (Lleida)"
    assert "does not exist" in lines[8]["note"] and "control letter" in lines[9]["note"]
    assert "“marta.vila@example.org” is registered" in lines[10]["warnings"][0]
    marta.refresh_from_db()
    assert marta.email == "marta.vila@example.org" and marta.birth_year == 1988
    assert lines[11]["note"] == "repeats row 5"
    assert "no document, e-mail or phone" in lines[12]["note"]
    nuria = Person.objects.get(email="nuria.sole@example.org")
    link = PersonCompany.objects.get(person=nuria)
    assert (link.company.legal_name, link.relation) == ("Forn Solé SL", "partner")


@pytest.mark.django_db
def test_the_badalona_workbook_reads_its_dates_and_warns_of_what_it_leaves_out(
    people, office_b, reference
):
    job = _import(people["advisor_b"], office_b, "clientes-badalona.xlsx")
    assert job.sheet == "Clientes 2026" and job.reading["sheets"] == ["Clientes 2026", "Bajas"]
    assert job.header_row == 4
    assert job.counts["created"] == 4 and job.counts["rejected"] == 0
    rosa = Person.objects.get(email="rosa.martin@example.org")
    assert (
        str(rosa.birth_date) == "1990-01-01" and str(rosa.other_municipality) == "Madrid (Madrid)"
    )
    jorge = Person.objects.get(first_name="Jorge")
    assert jorge.email == "" and jorge.phone == "+34 677 88 99 00"


@pytest.mark.django_db
def test_the_companies_ods_is_mapped_and_imported(people, office_a, reference):
    job = _import(people["manager_a"], office_a, "empreses.ods", kind="companies")
    assert set(job.mapping) >= {"legal_name", "tax_id", "cnae", "legal_form", "start_date"}
    assert job.counts["created"] == 4 and job.counts["rejected"] == 1
    assert job.counts["warned"] == 1  # an unknown legal form and CNAE class, left out
