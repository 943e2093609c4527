"""Retention counts from a person's last activity (registration, consents, appointments,
cases, sessions, referrals, survey answers, kept results), never from the last edit of the
record; each category has its own period; every domain's activity counts though crm imports
none of them; the job runs from the command line and on the schedule."""

from datetime import timedelta

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.utils import timezone

from oae.cases import referrals
from oae.cases.models import Appointment, Case, Referral, Session, SurveyResponse
from oae.cases.services import case_close, case_open, session_log
from oae.catalogue import services as catalogue
from oae.crm import privacy_services, services
from oae.crm.models import ConsentEvent, DataRequest, Person
from oae.privacy.activity import activities, register_activity
from oae.testing.catalogue import build_small_model
from oae.testing.crm import client_with_company
from oae.tools.models import ToolResult

YEAR = timedelta(days=366)


def _years_ago(years: float):
    return timezone.now() - years * YEAR


def _age(person: Person, moment) -> None:
    """Every registered activity of the person, and the record's last edit, moved to `moment`."""
    for activity in activities():
        events = activity.model._default_manager.filter(
            **{activity.person: person.pk, f"{activity.date}__isnull": False}
        )
        events.update(**{activity.date: moment})
    Person.objects.filter(pk=person.pk).update(updated_at=moment)


def _kept(person: Person) -> bool:
    return Person.objects.get(pk=person.pk).anonymised_at is None


@pytest.fixture
def client(db, people, office_a, office_b):
    """A client of office A with every kind of activity: a consent, a case (closed, with its
    survey answered), a session, a referral, an appointment and a kept result."""
    build_small_model()
    version = catalogue.network_publish(actor=None, changelog="v1")
    for office in (office_a, office_b):
        catalogue.office_catalogue_adopt(actor=None, office=office, version=version)
    person, _company = client_with_company(office_a)
    advisor = people["advisor_a"]
    case = case_open(
        actor=advisor, office=office_a, service_code="crear", advisor=advisor, person=person
    )
    session_log(
        actor=advisor,
        case=case,
        started_at=timezone.now() - timedelta(hours=2),
        duration_minutes=60,
        channel="in_person",
    )
    referrals.referral_create(
        actor=advisor,
        case=case,
        to_office=office_b,
        service_code="financar",
        reason="Finançament",
        shared=["summary"],
        consent_given_now=True,
    )
    Appointment.objects.create(
        office=office_a,
        advisor=advisor,
        person=person,
        starts_at=timezone.now() + timedelta(days=1),
        ends_at=timezone.now() + timedelta(days=1, hours=1),
    )
    ToolResult.objects.create(
        tool="canvas", title="Forn", inputs={}, office=office_a, person=person
    )
    case.refresh_from_db()
    case_close(
        actor=advisor, case=case, reason="goals_met", note="", expected_version=case.lock_version
    )
    SurveyResponse.objects.filter(case=case).update(answered_at=timezone.now(), score=9)
    return person


ACTIVITY_ROWS = {
    "registration": lambda person: Person.objects.filter(pk=person.pk),
    "a consent": lambda person: ConsentEvent.objects.filter(person=person),
    "an appointment": lambda person: Appointment.objects.filter(person=person),
    "a case opened": lambda person: Case.objects.filter(person=person),
    "a session": lambda person: Session.objects.filter(person=person),
    "a referral": lambda person: Referral.objects.filter(case__person=person),
    "a survey answer": lambda person: SurveyResponse.objects.filter(case__person=person),
    "a kept tool result": lambda person: ToolResult.objects.filter(person=person),
}
DATE_OF = {
    "registration": "created_at",
    "a consent": "occurred_at",
    "an appointment": "starts_at",
    "a case opened": "opened_at",
    "a session": "started_at",
    "a referral": "created_at",
    "a survey answer": "answered_at",
    "a kept tool result": "created_at",
}


@pytest.mark.django_db
def test_a_record_edited_lately_is_anonymised_when_the_person_has_not_come_back(client):
    _age(client, _years_ago(6))
    services.person_update(
        actor=None,
        person=Person.objects.get(pk=client.pk),
        data={"phone": "+34612345678"},
        expected_version=Person.objects.get(pk=client.pk).lock_version,
    )  # an advisor corrects the record today

    assert privacy_services.retention_apply() == 1

    assert not _kept(client)
    assert DataRequest.objects.get(person=client).kind == DataRequest.Kind.RETENTION


@pytest.mark.parametrize("activity", ACTIVITY_ROWS)
def test_any_recent_activity_keeps_a_person_registered_long_ago(client, activity):
    _age(client, _years_ago(6))
    ACTIVITY_ROWS[activity](client).update(**{DATE_OF[activity]: _years_ago(1)})

    assert privacy_services.retention_apply() == 0

    assert _kept(client)


@pytest.mark.django_db
def test_each_category_keeps_data_for_its_own_years(client, settings):
    settings.RETENTION_YEARS = {"contact": 2, "advice": 6}
    _age(client, _years_ago(8))
    Session.objects.filter(person=client).update(started_at=_years_ago(4))  # advice: kept
    assert privacy_services.retention_apply() == 0

    Session.objects.filter(person=client).update(started_at=_years_ago(7))
    ConsentEvent.objects.filter(person=client).update(occurred_at=_years_ago(1.5))  # contact
    assert privacy_services.retention_apply() == 0

    ConsentEvent.objects.filter(person=client).update(occurred_at=_years_ago(3))
    assert privacy_services.retention_apply() == 1
    assert not _kept(client)


def test_every_domain_with_a_persons_activity_registers_it():
    registered = {(a.model._meta.label, a.date) for a in activities()}
    assert registered >= {
        ("crm.Person", "created_at"),
        ("crm.ConsentEvent", "occurred_at"),
        ("cases.Case", "opened_at"),
        ("cases.Case", "closed_at"),
        ("cases.Session", "started_at"),
        ("cases.Appointment", "starts_at"),
        ("cases.Referral", "created_at"),
        ("cases.SurveyResponse", "answered_at"),
        ("tools.ToolResult", "created_at"),
    }
    assert ("crm.Person", "updated_at") not in registered


def test_an_activity_of_a_category_without_a_period_is_refused():
    with pytest.raises(ImproperlyConfigured, match="RETENTION_YEARS"):
        register_activity(
            domain="tools", category="forever", model=ToolResult, person="person", date="sent_at"
        )


@pytest.mark.django_db
def test_the_command_says_who_is_due_then_anonymises_them(client, capsys):
    _age(client, _years_ago(6))

    call_command("apply_retention", "--dry-run")
    assert "People due for anonymisation: 1." in capsys.readouterr().out
    assert _kept(client)

    call_command("apply_retention")
    assert "anonymised by the retention rule: 1." in capsys.readouterr().out
    assert not _kept(client)


def test_the_daily_job_is_scheduled(settings):
    job = settings.CELERY_BEAT_SCHEDULE["crm-retention"]
    assert job["task"] == "oae.crm.tasks.apply_retention"
    assert job["schedule"] == 24 * 60 * 60
