"""Every refused booking, session or task says why on the page it was sent from (each of these
was a server error once), and dates no one means (year 1, 9999) are refused by the services
themselves, so every caller gets the same message."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from oae.cases import agenda, services
from oae.network.models import OpeningPeriod


def _weekday_ahead(weekday: int) -> datetime.date:
    """The next such weekday at least two days ahead (never today: no time has passed yet)."""
    day = timezone.localdate() + datetime.timedelta(days=2)
    return day + datetime.timedelta(days=(weekday - day.weekday()) % 7)


def _book(client, advisor, day, time="10:00", minutes="60"):
    return client.post(
        reverse("cases:book"),
        {
            "advisor": str(advisor.pk),
            "date": str(day),
            "starts": time,
            "minutes": minutes,
            "channel": "in_person",
            "note": "",
        },
    )


def _page(response) -> str:
    assert response.status_code == 200, response.status_code  # the form again, not an error
    return response.content.decode()


@pytest.mark.django_db
def test_a_double_booking_says_the_advisor_is_taken(client_for, people):
    client, advisor = client_for("advisor_a"), people["advisor_a"]
    day = _weekday_ahead(1)
    assert _book(client, advisor, day).status_code == 302
    assert "already has an appointment then" in _page(_book(client, advisor, day, "10:30"))


@pytest.mark.django_db
def test_a_booking_in_the_past_says_the_time_has_passed(client_for, people):
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    page = _page(_book(client_for("advisor_a"), people["advisor_a"], yesterday))
    assert "That time has already passed." in page


@pytest.mark.django_db
def test_a_booking_on_a_day_away_says_the_advisor_is_away(client_for, people):
    advisor, day = people["advisor_a"], _weekday_ahead(2)
    agenda.away_add(actor=advisor, advisor=advisor, date=day, note="Formació")
    page = _page(_book(client_for("advisor_a"), advisor, day))
    assert "is away that day (Formació)." in page


@pytest.mark.django_db
def test_a_booking_outside_the_advisors_hours_says_so(client_for, people, office_a):
    advisor, day = people["advisor_a"], _weekday_ahead(3)
    slots = [(day.weekday(), datetime.time(9), datetime.time(14))]
    agenda.availability_set(actor=advisor, advisor=advisor, office=office_a, slots=slots)
    page = _page(_book(client_for("advisor_a"), advisor, day, "16:00"))
    assert "outside" in page and "opening hours for appointments" in page


@pytest.mark.django_db
def test_an_advisor_without_weekly_hours_is_not_booked_while_the_office_is_closed(
    client_for, people, office_a
):
    client, advisor, day = client_for("advisor_a"), people["advisor_a"], _weekday_ahead(0)
    OpeningPeriod.objects.create(
        office=office_a, weekday=day.weekday(), opens=datetime.time(9), closes=datetime.time(14)
    )
    assert "OAE Alfa is closed then." in _page(_book(client, advisor, day, "16:00"))
    sunday = _weekday_ahead(6)
    assert "OAE Alfa is closed then." in _page(_book(client, advisor, sunday, "10:00"))
    assert _book(client, advisor, day, "10:00").status_code == 302  # open: booked


@pytest.mark.django_db
def test_an_office_without_recorded_hours_takes_bookings_at_any_time(client_for, people):
    sunday = _weekday_ahead(6)
    response = _book(client_for("advisor_a"), people["advisor_a"], sunday, "20:00")
    assert response.status_code == 302


@pytest.mark.django_db
def test_a_booking_on_the_last_day_of_the_calendar_is_refused_on_the_form(client_for, people):
    page = _page(_book(client_for("advisor_a"), people["advisor_a"], "9999-12-31", "23:59"))
    assert "2100" in page  # the latest day the form takes


@pytest.mark.django_db
def test_a_booking_years_ahead_is_refused_by_the_service(people, office_a):
    advisor = people["advisor_a"]
    starts = timezone.now().replace(microsecond=0) + datetime.timedelta(days=3 * 365)
    with pytest.raises(ValidationError, match="at most two years ahead"):
        agenda.appointment_book(
            actor=advisor,
            office=office_a,
            advisor=advisor,
            starts_at=starts,
            ends_at=starts + datetime.timedelta(hours=1),
        )


@pytest.mark.django_db
def test_a_session_in_year_one_is_refused_with_a_message(client_for, case_a):
    response = client_for("advisor_a").post(
        reverse("cases:session_add", args=[case_a.public_id]),
        {"started_at": "0001-01-01T10:00", "duration_minutes": "30", "channel": "phone"},
        follow=True,
    )
    assert "A session of more than two years ago cannot be logged" in response.content.decode()
    assert not case_a.sessions.exists()


@pytest.mark.django_db
def test_a_task_due_in_9999_is_refused_with_a_message(client_for, people, case_a):
    response = client_for("advisor_a").post(
        reverse("cases:task_add", args=[case_a.public_id]),
        {"title": "Pla", "due_on": "9999-12-31", "assignee": str(people["advisor_a"].pk)},
        follow=True,
    )
    assert "A task is due within two years of today" in response.content.decode()
    assert not case_a.tasks.exists()
    with pytest.raises(ValidationError, match="within two years"):
        services.task_add(
            actor=people["advisor_a"],
            case=case_a,
            title="Pla",
            due_on=datetime.date(1, 1, 1),
            assignee=people["advisor_a"],
        )


@pytest.mark.django_db
def test_ticking_a_step_the_case_does_not_have_says_so(client_for, case_a):
    response = client_for("advisor_a").post(
        reverse("cases:step_tick", args=[case_a.public_id, "no-such-step"]),
        {"item": "0", "done": "1"},
        follow=True,
    )
    assert "That step is not part of this case" in response.content.decode()


@pytest.mark.django_db
def test_a_task_ticked_from_the_day_view_goes_back_only_to_a_page_of_this_site(
    client_for, people, case_a
):
    task = services.task_add(
        actor=people["advisor_a"],
        case=case_a,
        title="Pla",
        due_on=timezone.localdate(),
        assignee=people["advisor_a"],
    )
    url = reverse("cases:task_done", args=[task.public_id])
    client = client_for("advisor_a")
    back = client.post(url, {"done": "1", "next": reverse("cases:today")})
    assert back["Location"] == reverse("cases:today")
    for elsewhere in ("x", "https://elsewhere.example/", "//elsewhere.example/"):
        response = client.post(url, {"done": "1", "next": elsewhere})
        assert response["Location"] == reverse("cases:detail", args=[case_a.public_id])
