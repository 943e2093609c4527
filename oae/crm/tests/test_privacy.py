"""Subject access export, erasure by anonymisation and the retention rule."""

from datetime import timedelta

import pytest
from django.apps import apps
from django.db import models
from django.urls import reverse
from django.utils import timezone

from oae.crm import privacy_services, services
from oae.crm.models import ConsentEvent, DataRequest, Person, Purpose

DATA = {
    "first_name": "Genoveva",
    "last_name": "Quintanilla Zubiri",
    "id_type": "dni",
    "id_number": "73920451S",
    "email": "genoveva.qz@example.org",
    "phone": "677 123 987",
    "birth_year": 1987,
    "gender": "female",
    "language": "es",
}
PERSONAL_VALUES = [
    "Genoveva",
    "Quintanilla",
    "73920451S",
    "genoveva.qz",
    "677 12 39 87",
    "677123987",
]


@pytest.fixture
def genoveva(people, office_a):
    person = services.person_create(actor=people["advisor_a"], office=office_a, data=DATA)
    services.consent_record(
        actor=people["advisor_a"],
        office=office_a,
        person=person,
        purpose=Purpose.NETWORK_SHARING,
        action=ConsentEvent.Action.GIVEN,
        lawful_basis="consent",
        notice_version="2026-01",
    )
    services.person_read_logged(actor=people["advisor_b"], person=person)
    return person


def _text_in_database() -> str:
    """Every text and JSON value of every table, to look for personal values."""
    chunks = []
    for model in apps.get_models():
        fields = [
            f.name
            for f in model._meta.concrete_fields
            if isinstance(f, models.CharField | models.TextField | models.JSONField)
        ]
        if fields:
            chunks += [str(row) for row in model.objects.values_list(*fields)]
    return "\n".join(chunks)


@pytest.mark.django_db
def test_subject_export_holds_every_table_about_the_person(client_for, genoveva):
    response = client_for("advisor_a").post(reverse("crm:person_data", args=[genoveva.public_id]))
    data = response.json()
    assert data["person"]["email"] == "genoveva.qz@example.org"
    assert [c["purpose"] for c in data["consents"]] == ["network_sharing"]
    assert any(e["action"] == "crm.person.read" for e in data["audit_trail"])
    assert {"cases", "sessions", "appointments", "tool_results"} <= set(data)
    assert DataRequest.objects.get().kind == DataRequest.Kind.ACCESS


def _case_with_personal_texts(people, office_a, person):
    """Free texts an advisor may write about the person, on a case, a session, a task…"""
    import datetime

    from django.core.files.uploadedfile import SimpleUploadedFile

    from oae.cases import agenda
    from oae.cases import services as cases
    from oae.catalogue import services as catalogue
    from oae.testing.catalogue import build_small_model

    build_small_model()
    catalogue.office_catalogue_adopt(
        actor=None, office=office_a, version=catalogue.network_publish(actor=None, changelog="v1")
    )
    advisor = people["advisor_a"]
    case = cases.case_open(
        actor=advisor, office=office_a, service_code="crear", advisor=advisor, person=person
    )
    cases.session_log(
        actor=advisor,
        case=case,
        started_at=timezone.now(),
        duration_minutes=30,
        channel="phone",
        topics="Genoveva vol obrir",
        private_notes="La Genoveva Quintanilla té deutes",
    )
    cases.task_add(
        actor=advisor,
        case=case,
        title="Trucar a Genoveva",
        due_on=timezone.localdate(),
        assignee=advisor,
    )
    cases.attachment_add(
        actor=advisor, case=case, upload=SimpleUploadedFile("Quintanilla.pdf", b"%PDF-1.4\n")
    )
    start = timezone.now() + datetime.timedelta(days=1)
    agenda.appointment_book(
        actor=advisor,
        office=office_a,
        advisor=advisor,
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=1),
        person=person,
        note="Genoveva porta el DNI",
    )
    return case


@pytest.mark.django_db
def test_after_erasure_no_personal_value_remains_anywhere(client_for, genoveva, people, office_a):
    case = _case_with_personal_texts(people, office_a, genoveva)
    assert "Quintanilla" in _text_in_database()
    response = client_for("advisor_a").post(reverse("crm:person_erase", args=[genoveva.public_id]))
    assert response.status_code == 302
    text = _text_in_database()
    for value in PERSONAL_VALUES:
        assert value.lower() not in text.lower(), value  # folded copies too ("quintanilla")
    person = Person.objects.get(pk=genoveva.pk)
    # Statistics survive: office, gender, age band, consents.
    assert (person.gender, person.birth_year, person.office_id) == (
        "female",
        1980,
        genoveva.office_id,
    )
    assert person.consent_events.count() == 1
    assert DataRequest.objects.filter(kind=DataRequest.Kind.ERASURE).count() == 1
    # Case statistics survive too: the case, its minutes, its document count.
    assert case.sessions.get().duration_minutes == 30 and case.attachments.count() == 1


@pytest.mark.django_db
def test_other_offices_cannot_erase(client_for, genoveva):
    response = client_for("advisor_b").post(reverse("crm:person_erase", args=[genoveva.public_id]))
    assert response.status_code == 403
    assert Person.objects.get(pk=genoveva.pk).last_name == "Quintanilla Zubiri"


@pytest.mark.django_db
def test_retention_anonymises_only_people_untouched_for_years(genoveva, office_a, settings):
    recent = services.person_create(
        actor=None,
        office=office_a,
        data=DATA
        | {
            "first_name": "Recent",
            "id_number": "",
            "id_type": "",
            "email": "r@example.org",
            "phone": "",
        },
    )
    old = timezone.now() - timedelta(days=365 * settings.CRM_RETENTION_YEARS + 1)
    Person.objects.filter(pk=genoveva.pk).update(created_at=old, updated_at=old)
    ConsentEvent.objects.filter(person=genoveva).update(occurred_at=old)  # her last activity
    assert privacy_services.retention_apply() == 1
    assert privacy_services.retention_apply() == 0  # idempotent
    assert Person.objects.get(pk=genoveva.pk).anonymised_at is not None
    assert Person.objects.get(pk=recent.pk).anonymised_at is None
    assert DataRequest.objects.get().kind == DataRequest.Kind.RETENTION
