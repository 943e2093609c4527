"""E-mails owed to the people of a session, each sent once in the person's language: a place
freed for the first on the waiting list, a session cancelled (before it starts, by a
coordinator, after a confirmation), a certificate issued."""

import pytest
from django.contrib.messages import get_messages
from django.core import mail
from django.urls import reverse

from oae.privacy.models import AuditEvent
from oae.training import notices, services
from oae.training.models import Enrolment
from oae.training.tests.conftest import started


def _messages(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


@pytest.fixture(autouse=True)
def _reading_english(people):
    """Everyone reads English unless a test says otherwise."""
    for user in people.values():
        if user is not None:
            user.language = "en"
            user.save(update_fields=["language"])


@pytest.fixture
def full(coordinator, session, people):
    """Tomorrow's induction (two places) taken by advisor A and manager A; advisor B waits."""
    return [
        services.enrol(actor=coordinator, session=session, user=people[persona])
        for persona in ("advisor_a", "manager_a", "advisor_b")
    ]


@pytest.mark.django_db(transaction=True)
def test_the_first_waiting_is_told_a_place_is_theirs(coordinator, session, full, people):
    services.enrolment_cancel(actor=coordinator, enrolment=full[0])
    assert [m.to for m in mail.outbox] == [[people["advisor_b"].email]]
    assert "A place for you" in mail.outbox[0].subject
    assert reverse("training:session", args=[session.public_id]) in mail.outbox[0].body
    promoted = Enrolment.objects.get(pk=full[2].pk)
    assert promoted.notice == "" and promoted.notice_sent_at is not None
    assert notices.notice_send(enrolment_id=promoted.pk) is False  # sent once
    assert len(mail.outbox) == 1


@pytest.mark.django_db(transaction=True)
def test_the_notice_reads_in_the_persons_language(coordinator, session, full, people):
    people["advisor_b"].language = "ca"
    people["advisor_b"].save()
    services.enrolment_cancel(actor=coordinator, enrolment=full[0])
    assert "Acollida a la xarxa OAE" in mail.outbox[0].subject


@pytest.mark.django_db(transaction=True)
def test_cancelling_a_session_tells_everyone_enrolled_or_waiting(coordinator, session, full):
    services.enrolment_cancel(actor=coordinator, enrolment=full[1])  # manager A gave up
    mail.outbox.clear()
    assert services.session_cancel(actor=coordinator, session=session) == 2
    told = sorted(recipient for m in mail.outbox for recipient in m.to)
    assert told == sorted([full[0].user.email, full[2].user.email])
    assert all("cancelled" in m.subject for m in mail.outbox)
    assert "&#x27;" not in mail.outbox[0].body  # plain text, not HTML-escaped
    event = AuditEvent.objects.get(action="training.session.cancel")
    assert event.details["told"] == 2


@pytest.mark.django_db
def test_a_session_is_cancelled_once_and_never_once_started(coordinator, session):
    services.session_cancel(actor=coordinator, session=session)
    with pytest.raises(Exception, match="has been cancelled"):
        services.session_cancel(actor=coordinator, session=session)


@pytest.mark.django_db
def test_a_started_session_is_not_cancelled(coordinator, session):
    started(session)
    with pytest.raises(Exception, match="already started"):
        services.session_cancel(actor=coordinator, session=session)
    session.refresh_from_db()
    assert session.cancelled_at is None


@pytest.mark.django_db(transaction=True)
def test_completing_a_module_tells_the_person_their_certificate_is_ready(
    coordinator, session, people
):
    enrolment = services.enrol(actor=coordinator, session=session, user=people["advisor_a"])
    started(session)
    enrolment.refresh_from_db()
    services.attendance_record(actor=coordinator, enrolment=enrolment, attended=True)
    services.assessment_record(actor=coordinator, enrolment=enrolment, passed=True)
    services.assessment_record(actor=coordinator, enrolment=enrolment, passed=True)  # again
    assert [m.subject for m in mail.outbox] == ["Your certificate: Induction to the OAE network"]
    assert reverse("training:mine") in mail.outbox[0].body


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["advisor_a", "manager_a", "auditor"])
def test_only_coordinators_cancel_a_session(client_for, session, persona):
    url = reverse("training:session_cancel", args=[session.public_id])
    assert client_for(persona).post(url).status_code == 403
    session.refresh_from_db()
    assert session.cancelled_at is None


@pytest.mark.django_db
def test_a_coordinator_confirms_then_cancels(client_for, session, full):
    client = client_for("coordinator")
    url = reverse("training:session_cancel", args=[session.public_id])
    confirm = client.get(url).content.decode()
    assert "The 3 people enrolled or waiting are told by e-mail." in confirm
    done = client.post(url)
    assert done.status_code == 302
    assert _messages(done) == ["The session is cancelled; 3 people are told by e-mail."]
    again = client.post(url)
    assert _messages(again)[-1] == "This session has been cancelled."
    page = client.get(reverse("training:session", args=[session.public_id])).content.decode()
    assert "This session has been cancelled." in page and "Cancel the session" not in page


@pytest.mark.django_db
def test_a_started_session_refuses_cancelling_with_a_message(client_for, session):
    started(session)
    client = client_for("coordinator")
    done = client.post(reverse("training:session_cancel", args=[session.public_id]))
    assert done.status_code == 302
    assert _messages(done) == ["This session has already started: record who attended instead."]


@pytest.mark.django_db
def test_the_curriculum_lists_the_sessions_held(client_for, coordinator, session):
    started(session, hours_ago=48)
    html = client_for("advisor_a").get(reverse("training:curriculum")).content.decode()
    assert "Held recently" in html
    assert reverse("training:session", args=[session.public_id]) in html
