"""Erasure reaches every copy: a person who was imported, registered twice and merged,
referred, with cases, sessions, documents, appointments, a survey answer and a tool result
leaves no value behind, in any column of any table nor in any stored file."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from oae.cases import agenda, referrals
from oae.cases import services as cases
from oae.cases.models import AvailabilitySlot, SurveyResponse
from oae.cases.surveys import survey_token
from oae.catalogue import services as catalogue
from oae.crm import privacy_services, services
from oae.crm.models import ConsentEvent, ImportJob, NameWord, Person, PersonMerge, Purpose
from oae.testing.catalogue import build_small_model
from oae.testing.factories import MunicipalityFactory
from oae.testing.privacy import personal_value_hits
from oae.tools.results import result_save

HEADER = "Nom;Cognoms;DNI;Correu;Telèfon;Any naixement;Municipi\n"
ROW = "Genoveva;Quintanilla Zubiría;73920451S;genoveva.qz@example.org;677 123 987;1987;Badalona\n"
OTHER_ROW = "Jordi;Ferrer;;jordi.ferrer@example.org;;1970;Badalona\n"
# Her values as she gave them and as they are stored (the phone formatted, names folded),
# and those of her second record (an older e-mail and phone).
VALUES = [
    "Genoveva",
    "Quintanilla",
    "Zubiría",
    "73920451S",
    "genoveva.qz@example.org",
    "677 123 987",
    "677123987",
    "677 12 39 87",
    "gqz.antiga@example.net",
    "622 33 44 55",
    "622334455",
]
PDF = b"%PDF-1.4\n% Informe de Genoveva Quintanilla Zubiria\n1 0 obj\n<<>>\nendobj\n%%EOF\n"


@pytest.fixture
def fresh_storage(settings):
    """A media storage of this test's own, so its walk sees only this test's files."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }


def _csv(*rows: str) -> SimpleUploadedFile:
    return SimpleUploadedFile("clients.csv", (HEADER + "".join(rows)).encode())


def _import(client, rows, *, real: bool, capture) -> ImportJob:
    """Upload a spreadsheet and run it (or rehearse it) through the import's pages."""
    client.post(reverse("crm:import_upload"), {"file": _csv(*rows)})
    job = ImportJob.objects.order_by("-pk").first()
    mapping = {field: str(index) for field, index in job.mapping.items()}
    with capture(execute=True):  # the run is queued on commit
        client.post(
            reverse("crm:import_detail", args=[job.public_id]),
            mapping | {"run": "real" if real else "dry"},
        )
    job.refresh_from_db()
    return job


def _whole_life(people, office_a, office_b, client_for, capture) -> dict:
    """Everything the platform records about Genoveva, most of it through its pages."""
    advisor = people["advisor_a"]
    MunicipalityFactory(ine_code="08019", name="Badalona")
    client = client_for("advisor_a")
    # Imported from a spreadsheet; a second sheet was only rehearsed, so its file is kept.
    first = _import(client, [ROW, OTHER_ROW], real=True, capture=capture)
    assert first.status == ImportJob.Status.DONE
    pending = _import(client, [OTHER_ROW, ROW], real=False, capture=capture)
    assert pending.status == ImportJob.Status.CHECKED and pending.file
    # Imported again with a town nobody knows: the report keeps her row's cells, to fix.
    warned = _import(client, [ROW.replace("Badalona", "Springfield")], real=True, capture=capture)
    assert warned.report[0]["warnings"] and "73920451S" in warned.report[0]["cells"]
    genoveva = Person.objects.get(id_number="73920451S")
    # Registered again by hand with older contact data, then the two records merged.
    twin = services.person_create(
        actor=advisor,
        office=office_a,
        data={
            "first_name": "Genoveva",
            "last_name": "Quintanilla Zubiría",
            "email": "gqz.antiga@example.net",
            "phone": "622 33 44 55",
            "birth_year": 1987,
            "language": "ca",
        },
        confirm_probable=True,
    )
    merge_url = reverse("crm:person_merge", args=[genoveva.public_id, twin.public_id])
    assert client_for("manager_a").post(merge_url, {"phone": "other"}).status_code == 302
    twin.refresh_from_db()
    assert twin.merged_into_id == genoveva.pk
    for purpose in (Purpose.NETWORK_SHARING, Purpose.REFERRAL):
        services.consent_record(
            actor=advisor,
            office=office_a,
            person=genoveva,
            purpose=purpose,
            action=ConsentEvent.Action.GIVEN,
            lawful_basis="consent",
            notice_version="2026-01",
        )
    services.person_read_logged(actor=people["advisor_b"], person=genoveva)
    # A case with a session, a document, a task, an outcome, an appointment, a tool result.
    build_small_model()
    version = catalogue.network_publish(actor=None, changelog="v1")
    for office in (office_a, office_b):
        catalogue.office_catalogue_adopt(actor=None, office=office, version=version)
    case = cases.case_open(
        actor=advisor, office=office_a, service_code="crear", advisor=advisor, person=genoveva
    )
    session_url = reverse("cases:session_add", args=[case.public_id])
    client.post(
        session_url,
        {
            "started_at": (timezone.localtime() - datetime.timedelta(hours=1)).strftime(
                "%Y-%m-%dT%H:%M"
            ),
            "duration_minutes": "45",
            "channel": "in_person",
            "topics": "Pla d'empresa de la Genoveva",
            "private_notes": "La Genoveva Quintanilla té deutes",
            "version": str(case.lock_version),
            "file": SimpleUploadedFile("Genoveva Quintanilla.pdf", PDF, "application/pdf"),
        },
    )
    assert case.sessions.count() == 1 and case.attachments.count() == 1
    cases.task_add(
        actor=advisor,
        case=case,
        title="Trucar a la Genoveva",
        due_on=timezone.localdate(),
        assignee=advisor,
    )
    cases.outcome_record(
        actor=advisor,
        case=case,
        data={
            "kind": "jobs_created",
            "occurred_on": timezone.localdate(),
            "jobs_fte": 1,
            "description": "La Genoveva contracta una persona",
        },
    )
    starts = timezone.localtime().replace(hour=10, minute=0, second=0, microsecond=0)
    starts += datetime.timedelta(days=7)
    AvailabilitySlot.objects.create(
        advisor=advisor,
        office=office_a,
        weekday=starts.weekday(),
        starts=datetime.time(9),
        ends=datetime.time(14),
    )
    agenda.appointment_book(
        actor=advisor,
        office=office_a,
        advisor=advisor,
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=1),
        person=genoveva,
        case=case,
        note="La Genoveva porta el DNI 73920451S",
    )
    result_save(
        actor=advisor,
        tool="viability",
        title="Pla de viabilitat de Genoveva Quintanilla",
        inputs={"promoter": "Genoveva Quintanilla Zubiría"},
        person=genoveva,
        case=case,
    )
    # Referred to office B, which accepts: a case of its own for her.
    referral = referrals.referral_create(
        actor=advisor,
        case=case,
        to_office=office_b,
        service_code="financar",
        reason="La Genoveva necessita finançament",
        shared=["contact", "summary", "sessions"],
    )
    referrals.referral_answer(
        actor=people["advisor_b"], referral=referral, accept=True, note="Benvinguda, Genoveva"
    )
    # Closed (the survey goes out and she answers it), reopened for a reason naming her.
    with capture(execute=True):
        cases.case_close(
            actor=advisor,
            case=case,
            reason="goals_met",
            note="La Genoveva ja té local",
            expected_version=case.lock_version,
        )
    survey = SurveyResponse.objects.get(case=case)
    answer = client_for("anonymous").post(
        reverse("cases:survey", args=[survey_token(survey)]),
        {"score": "9", "comment": "Gràcies! Genoveva Quintanilla"},
    )
    assert answer.status_code == 200
    case.refresh_from_db()
    cases.case_reopen(
        actor=advisor,
        case=case,
        reason="La Genoveva torna amb un soci",
        expected_version=case.lock_version,
    )
    return {"genoveva": genoveva, "twin": twin, "case": case, "pending": pending}


@pytest.mark.django_db
def test_erasure_leaves_no_value_of_the_person_in_the_database_or_the_files(
    people, office_a, office_b, client_for, fresh_storage, django_capture_on_commit_callbacks
):
    life = _whole_life(people, office_a, office_b, client_for, django_capture_on_commit_callbacks)
    before = personal_value_hits(VALUES)
    # The scan finds her everywhere before: the check is real.
    for place in (
        "table crm_person:",  # both records and their search texts
        "table crm_personmerge:",
        "table crm_nameword:",
        "table privacy_auditevent:",
        "table cases_session:",
        "table cases_attachment:",
        "table cases_referral:",
        "table cases_appointment:",
        "table cases_surveyresponse:",
        "table tools_toolresult:",
        "file imports/",  # the spreadsheet still waiting to be imported
        "file cases/",  # the document's content
    ):
        assert any(place in hit for hit in before), place
    genoveva = life["genoveva"]
    response = client_for("advisor_a").post(reverse("crm:person_erase", args=[genoveva.public_id]))
    assert response.status_code == 302
    assert personal_value_hits(VALUES) == []
    # Statistics survive: both records (erased), the cases, the session's minutes, the survey
    # score, the merge; the other person imported with her is untouched.
    twin = Person.objects.get(pk=life["twin"].pk)
    assert twin.anonymised_at is not None and twin.merged_into_id == genoveva.pk
    case = life["case"]
    assert case.sessions.get().duration_minutes == 45
    assert SurveyResponse.objects.get(case=case).score == 9
    assert PersonMerge.objects.get().survivor_id == genoveva.pk
    assert Person.objects.filter(email="jordi.ferrer@example.org").exists()
    assert not NameWord.objects.filter(word__in=["genoveva", "quintanilla", "zubiria"]).exists()
    pending = ImportJob.objects.get(pk=life["pending"].pk)
    assert (pending.file.name, pending.status) == ("", ImportJob.Status.FAILED)
    assert "deleted" in pending.error


@pytest.mark.django_db
def test_erasing_an_absorbed_record_blanks_its_merge_snapshot(people, office_a):
    """The retention rule reaches absorbed records too (they are never edited again): the
    merge's copy of their fields goes with them, the kept record's copy stays."""
    keep = services.person_create(
        actor=None,
        office=office_a,
        data={"first_name": "Remei", "last_name": "Vall", "email": "remei@example.org"},
    )
    absorbed = services.person_create(
        actor=None,
        office=office_a,
        data={"first_name": "Remei", "last_name": "Vall", "email": "rv.antic@example.net"},
        confirm_probable=True,
    )
    services.person_merge(actor=None, survivor=keep, absorbed=absorbed, take=set())
    privacy_services.person_erase(actor=None, person=Person.objects.get(pk=absorbed.pk))
    merge = PersonMerge.objects.get()
    assert merge.absorbed_before["email"] == "" and merge.absorbed_before["first_name"] == "—"
    assert merge.survivor_before["email"] == "remei@example.org"
    assert Person.objects.get(pk=keep.pk).email == "remei@example.org"


@pytest.mark.django_db
def test_the_copy_of_a_merged_person_holds_the_absorbed_record_too(client_for, people, office_a):
    keep = services.person_create(
        actor=None,
        office=office_a,
        data={"first_name": "Remei", "last_name": "Vall", "email": "remei@example.org"},
    )
    absorbed = services.person_create(
        actor=None,
        office=office_a,
        data={"first_name": "Remei", "last_name": "Vall", "email": "rv.antic@example.net"},
        confirm_probable=True,
    )
    services.person_merge(actor=None, survivor=keep, absorbed=absorbed, take=set())
    response = client_for("advisor_a").post(reverse("crm:person_data", args=[keep.public_id]))
    data = response.json()
    assert data["person"]["email"] == "remei@example.org"
    (merged,) = data["merged_records"]
    assert merged["person"]["email"] == "rv.antic@example.net"


@pytest.mark.django_db
def test_an_import_reports_notes_and_file_name_naming_the_person_are_blanked(people, office_a):
    person = services.person_create(
        actor=None,
        office=office_a,
        data={
            "first_name": "Remei",
            "last_name": "Vall Roca",
            "id_type": "dni",
            "id_number": "12345678Z",
            "language": "ca",
        },
    )
    job = ImportJob.objects.create(
        office=office_a,
        original_name="fitxa Remei Vall Roca.csv",
        counts={"created": 1, "rejected": 2},
        report=[
            {"line": 2, "outcome": "rejected", "note": "12345678Z: registered twice"},
            {"line": 3, "outcome": "rejected", "note": "the municipality “Springfield”"},
            {"line": 4, "outcome": "created", "note": ""},
        ],
    )
    privacy_services.person_erase(actor=None, person=person)
    job.refresh_from_db()
    assert job.original_name == "—"
    assert [line["note"] for line in job.report] == ["—", "the municipality “Springfield”", ""]
