"""Worked examples of the enrolment rules, each at its edge: a session starting this very
second (scheduled, closed to enrolment, open to attendance, its freed places kept), the last
place of a session, one person in two sessions, a score exactly at the pass mark, the
certificate a result earns or loses (and who the audit names), and the e-mail a completion
owes once. The clock stands still in these tests, so "now" is one instant."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from oae.privacy.models import AuditEvent
from oae.testing.factories import MembershipFactory, UserFactory
from oae.training import notices, services
from oae.training.models import Certificate, Enrolment, TrainingSession
from oae.training.tests.conftest import schedule, session_data

ALREADY_STARTED = "This session has already started: enrol in a later one."


@pytest.fixture
def now(monkeypatch) -> datetime.datetime:
    """The clock stopped at a whole second."""
    instant = timezone.now().replace(microsecond=0)
    monkeypatch.setattr(timezone, "now", lambda: instant)
    return instant


def _starting_now(session: TrainingSession, now: datetime.datetime) -> TrainingSession:
    """The session as if it started exactly now."""
    TrainingSession.objects.filter(pk=session.pk).update(
        starts_at=now, ends_at=now + datetime.timedelta(hours=4)
    )
    session.refresh_from_db()
    return session


def _staff(office):
    return MembershipFactory(office=office, user=UserFactory()).user


def _enrolled(coordinator, session, user) -> Enrolment:
    return services.enrol(actor=coordinator, session=session, user=user)


def _attended(coordinator, session, user, now) -> Enrolment:
    enrolment = _enrolled(coordinator, session, user)
    _starting_now(session, now)
    enrolment.refresh_from_db()
    return services.attendance_record(actor=coordinator, enrolment=enrolment, attended=True)


# Scheduling and enrolling at the start -------------------------------------------------------


@pytest.mark.django_db
def test_a_session_starting_this_very_second_is_scheduled(coordinator, induction, now):
    ends = now + datetime.timedelta(hours=4)
    assert services._session_problems(session_data(starts_at=now, ends_at=ends)) == {}
    session = schedule(coordinator, induction, starts_at=now, ends_at=ends)
    assert session.starts_at == now


@pytest.mark.django_db
def test_a_second_before_now_is_too_late_to_schedule(coordinator, induction, now):
    data = session_data(starts_at=now - datetime.timedelta(seconds=1), ends_at=now)
    assert list(services._session_problems(data)) == ["starts_at"]


@pytest.mark.django_db
def test_enrolment_closes_the_second_the_session_starts(coordinator, session, people, now):
    _starting_now(session, now)
    advisor = people["advisor_a"]
    with pytest.raises(ValidationError) as refused:
        services.enrol(actor=advisor, session=session, user=advisor)
    assert refused.value.messages == [ALREADY_STARTED]
    assert not Enrolment.objects.exists()


@pytest.mark.django_db
def test_enrolment_is_open_a_second_before_the_start(coordinator, session, people, now):
    TrainingSession.objects.filter(pk=session.pk).update(
        starts_at=now + datetime.timedelta(seconds=1)
    )
    advisor = people["advisor_a"]
    assert services.enrol(actor=advisor, session=session, user=advisor).status == "enrolled"


@pytest.mark.django_db
def test_the_last_place_is_taken_and_the_next_person_waits(coordinator, induction, office_a):
    session = schedule(coordinator, induction, capacity=1)
    first, second = _staff(office_a), _staff(office_a)
    assert _enrolled(coordinator, session, first).status == "enrolled"
    assert _enrolled(coordinator, session, second).status == "waiting"


@pytest.mark.django_db
def test_a_place_in_one_session_is_no_place_in_another(coordinator, induction, people):
    advisor = people["advisor_a"]
    morning, afternoon = schedule(coordinator, induction), schedule(coordinator, induction)
    _enrolled(coordinator, morning, advisor)
    assert _enrolled(coordinator, afternoon, advisor).session == afternoon
    assert Enrolment.objects.filter(user=advisor, status="enrolled").count() == 2


# Cancelling and attendance at the start ------------------------------------------------------


@pytest.mark.django_db
def test_a_place_freed_the_second_the_session_starts_goes_to_nobody(
    coordinator, session, people, now
):
    advisor, readonly, manager = people["advisor_a"], people["readonly_a"], people["manager_a"]
    for user in (advisor, readonly, manager):  # two places: manager A waits
        _enrolled(coordinator, session, user)
    _starting_now(session, now)
    freed = Enrolment.objects.get(user=advisor)
    assert services.enrolment_cancel(actor=advisor, enrolment=freed) is None
    assert Enrolment.objects.get(user=manager).status == "waiting"


@pytest.mark.django_db
def test_attendance_is_recorded_from_the_second_the_session_starts(
    coordinator, session, people, now
):
    enrolment = _attended(coordinator, session, people["advisor_a"], now)
    enrolment.refresh_from_db()
    assert enrolment.attended is True


# Results and certificates --------------------------------------------------------------------


@pytest.mark.django_db
def test_a_score_exactly_at_the_pass_mark_completes_and_certifies(
    coordinator, viability, people, now
):
    session = schedule(coordinator, viability)
    enrolment = _attended(coordinator, session, people["advisor_a"], now)
    services.assessment_record(actor=coordinator, enrolment=enrolment, score=70)
    enrolment.refresh_from_db()
    assert (enrolment.passed, enrolment.score, enrolment.completed_at) == (True, 70, now)
    certificate = Certificate.objects.get(enrolment=enrolment)
    issued = AuditEvent.objects.get(action="training.certificate.issue")
    assert (issued.actor_id, issued.target_id) == (coordinator.pk, str(certificate.public_id))


@pytest.mark.django_db
def test_a_fail_after_a_pass_revokes_the_certificate_in_the_coordinators_name(
    coordinator, session, people, now
):
    enrolment = _attended(coordinator, session, people["advisor_a"], now)
    services.assessment_record(actor=coordinator, enrolment=enrolment, passed=True)
    services.assessment_record(actor=coordinator, enrolment=enrolment, passed=False)
    certificate = Certificate.objects.get(enrolment=enrolment)
    assert certificate.revoked and certificate.revoked_by == coordinator
    revoked = AuditEvent.objects.get(action="training.certificate.revoke")
    assert revoked.actor_id == coordinator.pk


@pytest.mark.django_db
def test_an_absence_after_a_pass_revokes_the_certificate_in_the_coordinators_name(
    coordinator, session, people, now
):
    enrolment = _attended(coordinator, session, people["advisor_a"], now)
    services.assessment_record(actor=coordinator, enrolment=enrolment, passed=True)
    services.attendance_record(actor=coordinator, enrolment=enrolment, attended=False)
    certificate = Certificate.objects.get(enrolment=enrolment)
    assert certificate.revoked and certificate.revoked_by == coordinator


@pytest.mark.django_db
def test_recording_attendance_again_keeps_the_certificate(coordinator, session, people, now):
    enrolment = _attended(coordinator, session, people["advisor_a"], now)
    services.assessment_record(actor=coordinator, enrolment=enrolment, passed=True)
    services.attendance_record(actor=coordinator, enrolment=enrolment, attended=True)
    assert not Certificate.objects.get(enrolment=enrolment).revoked


# The e-mail a completion owes ----------------------------------------------------------------


@pytest.mark.django_db
def test_a_completion_owes_one_email_and_a_second_pass_none(coordinator, session, people, now):
    enrolment = _attended(coordinator, session, people["advisor_a"], now)
    services.assessment_record(actor=coordinator, enrolment=enrolment, passed=True)
    assert Enrolment.objects.get(pk=enrolment.pk).notice == notices.CERTIFIED
    assert notices.notice_send(enrolment_id=enrolment.pk) is True
    enrolment.refresh_from_db()
    services.assessment_record(actor=coordinator, enrolment=enrolment, passed=True)
    assert Enrolment.objects.get(pk=enrolment.pk).notice == ""


@pytest.mark.django_db
def test_a_fail_owes_no_email(coordinator, session, people, now):
    enrolment = _attended(coordinator, session, people["advisor_a"], now)
    services.assessment_record(actor=coordinator, enrolment=enrolment, passed=False)
    assert Enrolment.objects.get(pk=enrolment.pk).notice == ""


@pytest.fixture
def promoted(coordinator, session, people, now) -> Enrolment:
    """Manager A, promoted from the waiting list, told by e-mail, once the session started."""
    advisor, readonly, manager = people["advisor_a"], people["readonly_a"], people["manager_a"]
    first, _second, waiting = (
        _enrolled(coordinator, session, u) for u in (advisor, readonly, manager)
    )
    services.enrolment_cancel(actor=coordinator, enrolment=first)
    assert Enrolment.objects.get(pk=waiting.pk).notice == notices.PROMOTED
    _starting_now(session, now)
    return Enrolment.objects.get(pk=waiting.pk)


@pytest.mark.django_db
def test_recording_attendance_keeps_the_email_the_job_sent_meanwhile(coordinator, promoted):
    read_before = Enrolment.objects.get(pk=promoted.pk)  # the notice still owed
    assert notices.notice_send(enrolment_id=promoted.pk) is True
    services.attendance_record(actor=coordinator, enrolment=read_before, attended=True)
    stored = Enrolment.objects.get(pk=promoted.pk)
    assert (stored.attended, stored.notice) == (True, "")
    assert stored.notice_sent_at is not None


@pytest.mark.django_db
def test_recording_a_fail_keeps_the_email_the_job_sent_meanwhile(coordinator, promoted):
    services.attendance_record(actor=coordinator, enrolment=promoted, attended=True)
    read_before = Enrolment.objects.get(pk=promoted.pk)  # the notice still owed
    assert notices.notice_send(enrolment_id=promoted.pk) is True
    services.assessment_record(actor=coordinator, enrolment=read_before, passed=False)
    stored = Enrolment.objects.get(pk=promoted.pk)
    assert (stored.passed, stored.notice) == (False, "")
    assert stored.notice_sent_at is not None
