"""Importing the spreadsheets offices already have."""

import gc
import io
import re

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from oae.common.collector import YOUNG_THRESHOLD
from oae.crm import services
from oae.crm.imports import jobs
from oae.crm.imports.people import Writes
from oae.crm.models import ImportJob, Person
from oae.privacy.models import AuditEvent
from oae.reference.models import CnaeActivity
from oae.reference.services import cnae_load
from oae.scoping import OfficeRole
from oae.testing.factories import MembershipFactory, MunicipalityFactory

HEADER = "Nom;Cognoms;DNI;Correu;Telèfon;Any naixement;Municipi\n"
GOOD = [
    "Anna;Serra Puig;12345678Z;anna@example.org;612345678;1990;Sant Boi de Llobregat",
    "Joan;Mas;;joan@example.org;;;Badalona",
]
BAD = [
    "Pere;Roca;12345678A;pere@example.org;;;",  # wrong DNI letter
    "Laia;Soler;;;;;",  # nothing to recognise her by
    "Núria;Puig;;nuria@example.org;;abc;",  # not a year
    "Marc;Vidal;;marc@example.org;;;Springfield",  # not a network town
]


def _csv(lines, encoding="utf-8"):
    return SimpleUploadedFile("clients.csv", (HEADER + "\n".join(lines) + "\n").encode(encoding))


def _run(job, dry_run):
    jobs.import_job_run(job_id=job.pk, dry_run=dry_run)
    job.refresh_from_db()
    return job


@pytest.fixture
def towns(db):
    MunicipalityFactory(ine_code="08200", name="Sant Boi de Llobregat")
    MunicipalityFactory(ine_code="08015", name="Badalona")


@pytest.mark.django_db
def test_header_columns_are_recognised(people, office_a, towns):
    job = jobs.import_job_create(actor=people["advisor_a"], office=office_a, upload=_csv(GOOD))
    assert job.mapping == {
        "first_name": 0,
        "last_name": 1,
        "id_number": 2,
        "email": 3,
        "phone": 4,
        "birth_date": 5,
        "municipality": 6,
    }
    assert job.total_rows == 2


@pytest.mark.django_db
def test_dry_run_changes_nothing_and_the_real_run_is_idempotent(people, office_a, towns):
    job = jobs.import_job_create(
        actor=people["advisor_a"], office=office_a, upload=_csv(GOOD + BAD)
    )
    checked = _run(job, dry_run=True)
    assert checked.status == ImportJob.Status.CHECKED
    counts = {"created": 3, "updated": 0, "unchanged": 0, "rejected": 3, "warned": 1}
    assert checked.counts == counts
    assert Person.objects.count() == 0

    done = _run(job, dry_run=False)
    assert done.counts == counts
    assert Person.objects.count() == 3
    assert not done.file  # the sheet is not kept once imported
    same_file = jobs.import_job_create(
        actor=people["advisor_a"], office=office_a, upload=_csv(GOOD + BAD)
    )
    again = _run(same_file, dry_run=False)
    assert again.counts == {
        "created": 0,
        "updated": 0,
        "unchanged": 3,
        "rejected": 3,
        "warned": 1,
    }
    assert Person.objects.count() == 3
    rejected = {row["line"]: row["note"] for row in again.report if row["outcome"] == "rejected"}
    assert set(rejected) == {4, 5, 6}
    assert rejected[4].startswith("document number: ") and "control letter" in rejected[4]
    assert "no document, e-mail or phone" in rejected[5]
    assert "nor a year" in rejected[6]
    # A town we do not know leaves the person without one, with a warning: not rejected.
    (marc,) = [row for row in again.report if row["line"] == 7]
    assert marc["outcome"] == "unchanged" and "Springfield" in marc["warnings"][0]
    assert Person.objects.get(first_name="Marc").municipality is None


@pytest.mark.django_db
def test_a_person_repeated_in_a_later_batch_is_not_created_twice(
    people, office_a, towns, monkeypatch
):
    monkeypatch.setattr(jobs, "IMPORT_BATCH", 2)
    lines = [
        GOOD[0],
        GOOD[1],
        "Pau;Ferrer;;pau@example.org;;;",
        GOOD[0],  # batch 2: Anna again
        "Joan;Mas;;joan@example.org;;;",  # batch 3: Joan again, by his e-mail
    ]
    job = jobs.import_job_create(actor=people["advisor_a"], office=office_a, upload=_csv(lines))
    done = _run(job, dry_run=False)
    assert done.counts == {"created": 3, "updated": 0, "unchanged": 2, "rejected": 0, "warned": 0}
    assert done.processed_rows == 5 and [row["line"] for row in done.report] == [2, 3, 4, 5, 6]
    public_ids = set(Person.objects.values_list("public_id", flat=True))
    assert len(public_ids) == 3 and None not in public_ids


@pytest.mark.django_db
def test_an_imported_person_is_whole_searchable_and_audited(people, office_a, towns):
    lines = [GOOD[0], "Rosa;Puig;;rosa@@example;;;"]
    job = jobs.import_job_create(actor=people["advisor_a"], office=office_a, upload=_csv(lines))
    done = _run(job, dry_run=False)
    assert [row["outcome"] for row in done.report] == ["created", "rejected"]
    assert done.report[1]["note"].startswith("it has no document, e-mail or phone")
    assert "the e-mail “rosa@@example” is not a valid address" in done.report[1]["note"]
    anna = Person.objects.get()
    assert (anna.first_name, anna.last_name, anna.id_type, anna.id_number) == (
        "Anna",
        "Serra Puig",
        "dni",
        "12345678Z",
    )
    assert (anna.birth_year, anna.municipality.name, anna.language) == (
        1990,
        "Sant Boi de Llobregat",
        "ca",
    )
    assert anna.office == office_a and anna.created_by == people["advisor_a"]
    assert anna.name_key == "1990seran" and "serra puig" in anna.search_text
    assert anna.lock_version == 1 and anna.created_at and anna.public_id.version == 4
    event = AuditEvent.objects.get(action="crm.person.create")
    assert event.target_id == str(anna.public_id) and event.target_label == "Anna Serra Puig"
    assert event.actor == people["advisor_a"] and event.office == office_a


@pytest.mark.django_db
def test_a_changed_row_updates_the_record(people, office_a, towns):
    first = jobs.import_job_create(
        actor=people["advisor_a"], office=office_a, upload=_csv(GOOD[:1])
    )
    _run(first, dry_run=False)
    changed = GOOD[0].replace("anna@example.org", "anna.serra@example.org")
    second = jobs.import_job_create(
        actor=people["advisor_a"], office=office_a, upload=_csv([changed])
    )
    kept = _run(second, dry_run=False)
    # By default the registered value stays, and the difference is listed.
    assert kept.counts["updated"] == 0 and kept.counts["warned"] == 1
    assert "“anna@example.org” is registered" in kept.report[0]["warnings"][0]
    assert Person.objects.get().email == "anna@example.org"
    third = jobs.import_job_create(
        actor=people["advisor_a"], office=office_a, upload=_csv([changed])
    )
    third.overwrite = True  # "the file wins"
    third.save()
    won = _run(third, dry_run=False)
    assert won.counts["updated"] == 1
    assert won.report[0]["changes"] == [["e-mail", "anna@example.org", "anna.serra@example.org"]]
    assert Person.objects.get().email == "anna.serra@example.org"


@pytest.mark.django_db
def test_a_turned_down_change_leaves_nothing_for_later_rows(people, office_a, towns):
    first = jobs.import_job_create(
        actor=people["advisor_a"], office=office_a, upload=_csv(GOOD[:1])
    )
    _run(first, dry_run=False)
    lines = [
        GOOD[0].replace("anna@example.org", "anna@@example"),  # not an e-mail
        "Anna;Serra Puig;12345678Z;;699111222;1990;",  # another phone, no e-mail
    ]
    second = jobs.import_job_create(actor=people["advisor_a"], office=office_a, upload=_csv(lines))
    done = _run(second, dry_run=False)
    assert [row["outcome"] for row in done.report] == ["unchanged", "unchanged"]
    assert "is not a valid address: left out" in done.report[0]["warnings"][0]
    assert done.report[1]["note"] == "repeats row 2"
    assert "differs from row 2 (“+34 612 34 56 78”)" in done.report[1]["warnings"][0]
    anna = Person.objects.get()
    assert anna.email == "anna@example.org" and "anna@example.org" in anna.search_text
    assert anna.phone == "+34 612 34 56 78"


@pytest.mark.django_db
def test_a_later_row_of_the_same_batch_completes_a_new_person(people, office_a, towns):
    lines = [
        "Anna;Serra Puig;12345678Z;anna@example.org;;1990;Sant Boi de Llobregat",
        "Anna;Serra Puig;12345678Z;;699111222;1990;Badalona",
    ]
    job = jobs.import_job_create(actor=people["advisor_a"], office=office_a, upload=_csv(lines))
    done = _run(job, dry_run=False)
    assert [(row["outcome"], row["note"]) for row in done.report] == [
        ("created", ""),
        ("updated", "repeats row 2"),
    ]
    # The later row fills a blank; where it differs from the earlier row, the earlier stays.
    assert done.report[1]["changes"] == [["phone", "—", "+34 699 11 12 22"]]
    assert "differs from row 2" in done.report[1]["warnings"][0]
    anna = Person.objects.get()
    assert (anna.phone, anna.municipality.name) == ("+34 699 11 12 22", "Sant Boi de Llobregat")
    assert "699111222" in anna.search_text and anna.email == "anna@example.org"


@pytest.mark.django_db
def test_xlsx_is_read_like_csv(people, office_a, towns):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Nombre", "Apellidos", "Correo"])
    sheet.append(["Lucía", "Fernández", "lucia@example.org"])
    data = io.BytesIO()
    workbook.save(data)
    upload = SimpleUploadedFile("clientes.xlsx", data.getvalue())
    job = jobs.import_job_create(actor=people["advisor_a"], office=office_a, upload=upload)
    assert _run(job, dry_run=False).counts["created"] == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("clients.pdf", b"%PDF-1.4"), "a CSV file or a spreadsheet"),
        (SimpleUploadedFile("clients.xlsx", b"not a zip file"), "not a valid XLSX"),
        (SimpleUploadedFile("clients.ods", b"not a zip file"), "not a valid ODS"),
        (SimpleUploadedFile("clients.csv", "Nom\nNúria\n".encode()), "find the columns"),
        (SimpleUploadedFile("clients.csv", HEADER.encode()), "at least one row"),
    ],
)
def test_bad_files_get_clear_errors(people, office_a, upload, message):
    with pytest.raises(ValidationError, match=message):
        jobs.import_job_create(actor=people["advisor_a"], office=office_a, upload=upload)


@pytest.mark.django_db
def test_a_huge_cell_rejects_its_row_only(people, office_a, towns):
    huge = "Anna;" + "x" * 600 + ";;anna@example.org;;;"
    job = jobs.import_job_create(
        actor=people["advisor_a"], office=office_a, upload=_csv([huge, GOOD[1]])
    )
    done = _run(job, dry_run=False)
    assert done.counts == {"created": 1, "updated": 0, "unchanged": 0, "rejected": 1, "warned": 0}
    assert done.report[0]["note"] == "the “Surnames” cell is longer than 500 characters"


@pytest.mark.django_db
def test_another_offices_unshared_client_is_reported_not_revealed(
    people, office_a, office_b, towns
):
    _run(
        jobs.import_job_create(actor=people["advisor_a"], office=office_a, upload=_csv(GOOD[:1])),
        dry_run=False,
    )
    job = jobs.import_job_create(actor=people["advisor_b"], office=office_b, upload=_csv(GOOD[:1]))
    done = _run(job, dry_run=False)
    assert done.counts["rejected"] == 1
    assert "another office" in done.report[0]["note"]
    assert Person.objects.count() == 1


@pytest.mark.django_db
def test_the_import_wizard_through_its_pages(
    client_for, office_a, towns, django_capture_on_commit_callbacks
):
    client = client_for("advisor_a")
    response = client.post(reverse("crm:import_upload"), {"file": _csv(GOOD + BAD)})
    job = ImportJob.objects.get()
    assert response["Location"] == reverse("crm:import_detail", args=[job.public_id])
    mapping = {field: str(index) for field, index in job.mapping.items()}
    page_url = reverse("crm:import_detail", args=[job.public_id])
    with django_capture_on_commit_callbacks(execute=True):  # the run is queued on commit
        client.post(page_url, mapping | {"run": "dry"})
    assert Person.objects.count() == 0
    page = client.get(page_url).content.decode()
    assert "3 created" in page and "3 rejected" in page
    assert 'value="real"' in page  # the real run is offered once the dry run is done
    with django_capture_on_commit_callbacks(execute=True):
        client.post(page_url, mapping | {"run": "real"})
    assert Person.objects.count() == 3
    done = client.get(page_url).content.decode()
    assert "Which column is which" not in done  # an import done is not run again


@pytest.mark.django_db
def test_export_contains_only_visible_people_and_neutralises_formulas(
    client_for, people, office_a, office_b
):
    services.person_create(
        actor=None,
        office=office_a,
        data={"first_name": "=HYPERLINK(1)", "last_name": "Serra", "language": "ca"},
    )
    services.person_create(
        actor=None,
        office=office_b,
        data={"first_name": "Hidden", "last_name": "B", "language": "ca"},
    )
    response = client_for("advisor_a").get(reverse("crm:people_export"), {"format": "csv"})
    body = response.content.decode("utf-8-sig")
    assert response["Content-Disposition"] == 'attachment; filename="people.csv"'
    assert "'=HYPERLINK(1)" in body and "Hidden" not in body
    xlsx = client_for("advisor_a").get(reverse("crm:people_export"), {"format": "xlsx"})
    rows = list(load_workbook(io.BytesIO(xlsx.content)).active.iter_rows(values_only=True))
    assert len(rows) == 2 and rows[1][1] == "Serra"


@pytest.mark.django_db
def test_companies_filter_by_legal_form_cnae_section_and_office(client_for, office_a, office_b):
    cnae_load()
    bakery = CnaeActivity.objects.get(code="1071")  # section C, manufacturing
    services.company_save(
        actor=None,
        office=office_a,
        company=None,
        data={
            "legal_name": "Forn Serra SL",
            "legal_form": "limited",
            "stage": "active",
            "employees": 3,
            "cnae": bakery,
        },
    )
    services.company_save(
        actor=None,
        office=office_b,
        company=None,
        data={
            "legal_name": "Coop Verda",
            "legal_form": "cooperative",
            "stage": "active",
            "employees": 5,
        },
    )
    client = client_for("advisor_a")

    def names(**query):
        response = client.get(reverse("crm:companies"), query)
        return [c.legal_name for c in response.context["page"].object_list]

    assert names(legal_form="cooperative") == ["Coop Verda"]
    assert names(cnae_section="C") == ["Forn Serra SL"]
    assert names(office=str(office_b.public_id)) == ["Coop Verda"]
    export = client.get(reverse("crm:companies_export"), {"format": "csv", "legal_form": "limited"})
    body = export.content.decode("utf-8-sig")
    assert "Forn Serra SL" in body and "Coop Verda" not in body


ACROSS_BATCHES = [
    GOOD[0],
    GOOD[1],
    "Pau;Ferrer;;pau@example.org;;;",
    GOOD[0],  # batch 2: Anna again, written or not yet
    "Rosa;Mas;;joan@example.org;;;",  # batch 3: Joan's e-mail, another name: new
    GOOD[1].replace(";;;Badalona", ";600123456;;Badalona"),  # Joan gives his phone
    GOOD[1].replace(";;;Badalona", ";600123456;1980;Badalona"),  # batch 4: and his year
]


def _import_across_batches(people, office_a, monkeypatch):
    """A row repeated or changed in a later batch is recognised, whether the batch before is
    written already or not."""
    monkeypatch.setattr(jobs, "IMPORT_BATCH", 2)
    job = jobs.import_job_create(
        actor=people["advisor_a"], office=office_a, upload=_csv(ACROSS_BATCHES)
    )
    done = _run(job, dry_run=False)
    outcomes = ["created", "created", "created", "unchanged", "created", "updated", "updated"]
    assert [row["outcome"] for row in done.report] == outcomes
    assert done.processed_rows == 7 and done.status == ImportJob.Status.DONE
    assert Person.objects.count() == 4
    joan = Person.objects.get(first_name="Joan")
    assert (joan.phone, joan.birth_year, joan.lock_version) == ("+34 600 12 34 56", 1980, 3)
    assert AuditEvent.objects.filter(action="crm.person.create").count() == 4
    assert AuditEvent.objects.filter(action="crm.person.update").count() == 2


@pytest.mark.django_db
def test_later_batches_recognise_and_change_people_of_earlier_ones(
    people, office_a, towns, monkeypatch
):
    _import_across_batches(people, office_a, monkeypatch)  # each batch written at once


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs two real connections (PostgreSQL in CI)"
)
@pytest.mark.django_db(transaction=True)
def test_batches_written_while_the_next_is_decided_give_the_same_outcomes(
    people, office_a, towns, monkeypatch
):
    """Outside a transaction, on PostgreSQL, each batch is written on a second connection
    while the next is decided."""
    _import_across_batches(people, office_a, monkeypatch)


@pytest.mark.django_db
def test_an_import_runs_with_fewer_cycle_collections(people, office_a, towns, monkeypatch):
    seen = []
    run = jobs._import_job_run

    def watched(**kwargs):
        seen.append(gc.get_threshold()[0])
        run(**kwargs)

    monkeypatch.setattr(jobs, "_import_job_run", watched)
    job = jobs.import_job_create(actor=people["advisor_a"], office=office_a, upload=_csv(GOOD))
    assert _run(job, dry_run=False).counts["created"] == 2
    assert seen == [YOUNG_THRESHOLD]
    assert gc.get_threshold()[0] != YOUNG_THRESHOLD


@pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL setting")
@pytest.mark.django_db(transaction=True)
def test_batches_are_committed_without_waiting_for_the_disk_and_the_end_as_usual(
    people, office_a, towns, monkeypatch
):
    settings_seen = []
    insert = Writes.insert

    def watched(self):
        with connection.cursor() as cursor:  # the writing thread's own connection
            cursor.execute("SHOW synchronous_commit")
            settings_seen.append(cursor.fetchone()[0])
        insert(self)

    monkeypatch.setattr(Writes, "insert", watched)
    job = jobs.import_job_create(actor=people["advisor_a"], office=office_a, upload=_csv(GOOD))
    assert _run(job, dry_run=False).counts["created"] == 2
    assert settings_seen == ["off"]
    with connection.cursor() as cursor:
        cursor.execute("SHOW synchronous_commit")
        assert cursor.fetchone()[0] == "on"


@pytest.mark.django_db
def test_values_the_fields_refuse_are_rejected_with_the_fields_own_messages(
    people, office_a, towns
):
    rows = [
        "Anna;" + " ".join(["Serra"] * 30) + ";;anna@example.org;;;",  # 179 characters
        "Joan;Mas;;joan@@example.org;;;",
        "Pe\x00re;Roca;;pere@example.org;;;",
        GOOD[1].replace("Joan", "Jana").replace("joan@", "jana@"),
    ]
    job = jobs.import_job_create(actor=people["advisor_a"], office=office_a, upload=_csv(rows))
    done = _run(job, dry_run=False)
    notes = [line["note"] for line in done.report]
    assert notes[0] == "surnames: Ensure this value has at most 150 characters (it has 179)."
    assert notes[1].startswith("it has no document, e-mail or phone")
    assert "the e-mail “joan@@example.org” is not a valid address" in notes[1]
    assert notes[2] == "the “Name” cell holds a null character"
    assert done.report[2]["cells"][0] == "Pere"  # kept for the file to fix, without the null
    assert done.counts == {"created": 1, "updated": 0, "unchanged": 0, "rejected": 3, "warned": 0}


@pytest.mark.django_db
def test_the_names_under_a_key_are_read_once_and_still_found_by_later_batches(
    people, office_a, towns, monkeypatch
):
    base = {"first_name": "Marta", "last_name": "Fernández Soler", "birth_year": 1984}
    services.person_create(actor=None, office=office_a, data=base | {"email": "marta@example.org"})
    monkeypatch.setattr(jobs, "IMPORT_BATCH", 1)
    lines = [
        "Mateu;Ferrer Pons;;mateu@example.org;;1984;",  # the same name key, another person
        "Marta;Fernandes Soler;;marta.f@example.org;;1984;",  # batch 2: Marta, misspelt
    ]
    job = jobs.import_job_create(actor=people["advisor_a"], office=office_a, upload=_csv(lines))
    with CaptureQueriesContext(connection) as queries:
        done = _run(job, dry_run=False)
    assert [row["outcome"] for row in done.report] == ["created", "rejected"]
    assert "similar person" in done.report[1]["note"]
    asked = [q for q in queries.captured_queries if re.search(r'"name_key" (= ANY|IN)', q["sql"])]
    assert len(asked) == 1


# The job: who sees it, how it is started ------------------------------------------------------


@pytest.mark.django_db
def test_the_mapping_is_audited_without_the_files_contents(people, office_a):
    job = jobs.import_job_create(actor=people["advisor_a"], office=office_a, upload=_csv(GOOD))
    jobs.import_job_set_mapping(
        actor=people["advisor_a"], job=job, mapping={"first_name": 0, "email": 3}
    )
    event = AuditEvent.objects.get(action="crm.import.mapping")
    assert (event.actor, event.office, event.target_id) == (
        people["advisor_a"],
        office_a,
        str(job.public_id),
    )
    assert event.details == {"first_name": 0, "email": 3, "overwrite": False}
    job.refresh_from_db()
    assert job.mapping == {"first_name": 0, "email": 3}


@pytest.mark.django_db
def test_the_run_is_queued_only_once_the_mapping_is_committed(
    people, office_a, towns, django_capture_on_commit_callbacks
):
    job = jobs.import_job_create(actor=people["advisor_a"], office=office_a, upload=_csv(GOOD))
    with django_capture_on_commit_callbacks() as callbacks:
        jobs.import_job_start(actor=people["advisor_a"], job=job, mapping=job.mapping, dry_run=True)
        job.refresh_from_db()
        assert job.status == ImportJob.Status.QUEUED  # jobs run eagerly in tests: not yet
    assert len(callbacks) == 1
    callbacks[0]()
    job.refresh_from_db()
    assert job.status == ImportJob.Status.CHECKED and job.counts["created"] == 2


@pytest.mark.django_db
def test_a_refused_start_queues_nothing_and_leaves_the_mapping(
    people, office_a, django_capture_on_commit_callbacks
):
    job = jobs.import_job_create(actor=people["advisor_a"], office=office_a, upload=_csv(GOOD))
    guessed = job.mapping
    with django_capture_on_commit_callbacks() as callbacks, pytest.raises(ValidationError):
        jobs.import_job_start(
            actor=people["advisor_a"], job=job, mapping={"email": 3}, dry_run=True
        )
    assert callbacks == []
    job.refresh_from_db()
    assert job.mapping == guessed
    assert not AuditEvent.objects.filter(action="crm.import.mapping").exists()


@pytest.mark.django_db
def test_an_import_done_cannot_be_started_again(
    people, office_a, towns, django_capture_on_commit_callbacks
):
    job = jobs.import_job_create(actor=people["advisor_a"], office=office_a, upload=_csv(GOOD))
    _run(job, dry_run=False)
    with django_capture_on_commit_callbacks() as callbacks, pytest.raises(ValidationError):
        jobs.import_job_start(actor=people["advisor_a"], job=job, mapping=job.mapping, dry_run=True)
    assert callbacks == []


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["manager_a", "advisor_b"])
def test_someone_other_than_the_uploader_gets_404_on_the_job_page(
    people, office_a, client_for, persona
):
    job = jobs.import_job_create(actor=people["advisor_a"], office=office_a, upload=_csv(GOOD))
    url = reverse("crm:import_detail", args=[job.public_id])
    assert client_for(persona).get(url).status_code == 404
    assert client_for(persona).post(url, {"first_name": "0", "run": "dry"}).status_code == 404
    probes = AuditEvent.objects.filter(action="access.denied", target_id=str(job.public_id))
    assert probes.count() == 2 and {p.actor for p in probes} == {people[persona]}
    job.refresh_from_db()
    assert job.status == ImportJob.Status.UPLOADED
    assert client_for("advisor_a").get(url).status_code == 200


@pytest.mark.django_db
def test_a_missing_job_gets_the_same_404(client_for):
    url = reverse("crm:import_detail", args=["00000000-0000-4000-8000-000000000000"])
    assert client_for("advisor_a").get(url).status_code == 404


@pytest.mark.django_db
def test_a_mapping_without_the_name_column_is_shown_why_on_the_page(
    people, office_a, client_for, django_capture_on_commit_callbacks
):
    job = jobs.import_job_create(actor=people["advisor_a"], office=office_a, upload=_csv(GOOD))
    url = reverse("crm:import_detail", args=[job.public_id])
    with django_capture_on_commit_callbacks() as callbacks:
        response = client_for("advisor_a").post(url, {"email": "3", "run": "dry"})
    assert response.status_code == 200
    assert (
        "Choose at least the column with the name (or the full name)." in response.content.decode()
    )
    assert callbacks == []
    job.refresh_from_db()
    assert job.status == ImportJob.Status.UPLOADED and "first_name" in job.mapping


@pytest.mark.django_db
def test_the_upload_page_lists_only_the_users_own_imports(people, office_a, client_for):
    jobs.import_job_create(actor=people["advisor_a"], office=office_a, upload=_csv(GOOD))
    jobs.import_job_create(actor=people["manager_a"], office=office_a, upload=_csv(GOOD[:1]))
    response = client_for("advisor_a").get(reverse("crm:import_upload"))
    assert [job.created_by for job in response.context["jobs"]] == [people["advisor_a"]]


@pytest.mark.django_db
def test_an_upload_registers_for_the_acting_office_not_one_named_in_the_request(
    people, office_a, office_b, client_for
):
    MembershipFactory(office=office_b, role=OfficeRole.ADVISOR, user=people["advisor_a"])
    client = client_for("advisor_a")
    client.post(reverse("accounts:office_switch"), {"office": str(office_b.public_id)})
    page = client.get(reverse("crm:import_upload")).content.decode()
    assert office_b.name in page
    client.post(
        reverse("crm:import_upload") + f"?office={office_a.public_id}",
        {"file": _csv(GOOD), "office": str(office_a.public_id)},
    )
    assert ImportJob.objects.get().office == office_b


@pytest.mark.django_db
def test_an_office_where_the_user_only_reads_refuses_the_upload(
    people, office_a, office_b, client_for
):
    MembershipFactory(office=office_b, role=OfficeRole.READ_ONLY, user=people["advisor_a"])
    client = client_for("advisor_a")
    client.post(reverse("accounts:office_switch"), {"office": str(office_b.public_id)})
    assert client.post(reverse("crm:import_upload"), {"file": _csv(GOOD)}).status_code == 403
    assert not ImportJob.objects.exists()
