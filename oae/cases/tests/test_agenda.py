"""Availability, booking without double booking (also under two simultaneous transactions),
reminders and the iCalendar feed."""

import datetime
import threading
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import IntegrityError, connection, connections, transaction
from django.urls import reverse
from django.utils import timezone

from oae.cases import agenda, reminders
from oae.cases.models import Appointment
from oae.testing.crm import client_with_company


def _at(days: int, hour: int, minute: int = 0) -> datetime.datetime:
    day = timezone.localdate() + datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def _book(advisor, office, starts, minutes=60, **kwargs):
    return agenda.appointment_book(
        actor=advisor,
        office=office,
        advisor=advisor,
        starts_at=starts,
        ends_at=starts + datetime.timedelta(minutes=minutes),
        **kwargs,
    )


@pytest.mark.django_db
def test_overlapping_appointments_are_refused(people, office_a):
    advisor = people["advisor_a"]
    _book(advisor, office_a, _at(1, 10))
    with pytest.raises(ValidationError, match="already has an appointment"):
        _book(advisor, office_a, _at(1, 10, 30))
    _book(advisor, office_a, _at(1, 11))  # back to back is fine
    other = _book(people["manager_a"], office_a, _at(1, 10))  # another advisor is free
    assert other.pk


@pytest.mark.django_db
def test_a_cancelled_appointment_frees_its_time(people, office_a):
    advisor = people["advisor_a"]
    first = _book(advisor, office_a, _at(1, 10))
    agenda.appointment_set_status(actor=advisor, appointment=first, status="cancelled")
    assert _book(advisor, office_a, _at(1, 10)).pk


@pytest.mark.django_db
def test_bad_times_get_clear_messages(people, office_a):
    advisor = people["advisor_a"]
    for starts, minutes, text in (
        (_at(-1, 10), 60, "already passed"),
        (_at(1, 10), 0, "after the start"),
        (_at(1, 10), 9 * 60, "at most 8 hours"),
    ):
        with pytest.raises(ValidationError, match=text):
            _book(advisor, office_a, starts, minutes)
    with pytest.raises(ValidationError, match="not an advisor of this office"):
        _book(people["advisor_b"], office_a, _at(1, 10))


@pytest.mark.django_db
def test_weekly_slots_and_days_away_limit_bookings(people, office_a):
    advisor = people["advisor_a"]
    day = _at(7, 9)
    agenda.availability_set(
        actor=advisor,
        advisor=advisor,
        office=office_a,
        slots=[(day.weekday(), datetime.time(9), datetime.time(14))],
    )
    with pytest.raises(ValidationError, match="outside"):
        _book(advisor, office_a, _at(7, 16))
    agenda.away_add(actor=advisor, advisor=advisor, date=day.date(), note="Formació")
    with pytest.raises(ValidationError, match="away"):
        _book(advisor, office_a, _at(7, 10))
    with pytest.raises(ValidationError, match="overlap"):
        agenda.availability_set(
            actor=advisor,
            advisor=advisor,
            office=office_a,
            slots=[
                (0, datetime.time(9), datetime.time(12)),
                (0, datetime.time(11), datetime.time(13)),
            ],
        )


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs two real connections (PostgreSQL in CI)"
)
@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_bookings_of_the_same_time_give_one_appointment(people, office_a):
    advisor = people["advisor_a"]
    starts = _at(2, 12)
    barrier = threading.Barrier(2)
    outcomes = []

    def attempt():
        try:
            barrier.wait()
            _book(advisor, office_a, starts)
            outcomes.append("booked")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=attempt) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["booked", "refused"]
    assert Appointment.objects.filter(advisor=advisor, status="booked").count() == 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL exclusion constraint")
@pytest.mark.django_db
def test_the_database_itself_refuses_overlaps(people, office_a):
    advisor = people["advisor_a"]
    _book(advisor, office_a, _at(3, 9))
    with pytest.raises(IntegrityError), transaction.atomic():
        Appointment.objects.create(
            office=office_a, advisor=advisor, starts_at=_at(3, 9, 30), ends_at=_at(3, 10, 30)
        )


@pytest.mark.django_db
def test_reminders_go_out_once_for_tomorrows_appointments(people, office_a, mailoutbox):
    person, _company = client_with_company(office_a)
    advisor = people["advisor_a"]
    soon = timezone.now().replace(microsecond=0) + datetime.timedelta(hours=20)
    _book(advisor, office_a, soon, person=person)
    _book(advisor, office_a, soon + datetime.timedelta(days=3), person=person)
    assert reminders.appointment_reminders_send() == 1
    assert reminders.appointment_reminders_send() == 0
    assert [m.to for m in mailoutbox] == [["anna@example.org"]]


@pytest.mark.django_db
def test_the_calendar_feed_lists_appointments_without_names(people, office_a, client):
    person, _company = client_with_company(office_a)
    advisor = people["advisor_a"]
    _book(advisor, office_a, _at(1, 10), person=person, note="Secret note")
    token = agenda.calendar_feed_token(advisor)
    response = client.get(reverse("cases:feed", args=[token]))
    body = response.content.decode()
    assert response["Content-Type"] == "text/calendar"
    assert "BEGIN:VEVENT" in body and "Anna" not in body and "Secret" not in body
    renewed = agenda.calendar_feed_token(advisor, renew=True)
    assert client.get(reverse("cases:feed", args=[token])).status_code == 404
    assert client.get(reverse("cases:feed", args=[renewed])).status_code == 200


@pytest.mark.django_db
def test_the_reminder_command_sends_what_is_due(people, office_a, mailoutbox):
    person, _company = client_with_company(office_a)
    soon = timezone.now().replace(microsecond=0) + datetime.timedelta(hours=2)
    _book(people["advisor_a"], office_a, soon, person=person)
    out = StringIO()
    call_command("send_reminders", stdout=out)
    assert "1 appointments" in out.getvalue() and len(mailoutbox) == 1
