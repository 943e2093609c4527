"""The booking rules of `cases/agenda.py`, each pinned so that a flipped comparison, a shifted
constant or a deleted refusal fails a test: every refusal word for word in the service and on the
page it is sent from (a form error or a message, never a server error); bookings at the edges
of an advisor's hours; the week's edges in Europe/Madrid, the weeks the clocks change too; the
calendar address; and double booking on both databases (the service refuses before it writes;
on PostgreSQL the exclusion constraint refuses what slips past it, with the same message)."""

import datetime
import zoneinfo

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from icalendar import Calendar

from oae.cases import agenda
from oae.cases.models import Appointment, AvailabilityException, AvailabilitySlot, CalendarFeed
from oae.network.models import OfficeRole, OpeningPeriod
from oae.privacy.models import AuditEvent
from oae.testing.concurrency import in_a_transaction_held_until_another_waits, postgresql_only
from oae.testing.factories import MembershipFactory

MADRID = zoneinfo.ZoneInfo("Europe/Madrid")
UTC = datetime.UTC
# The service tests' "now" (fixture `frozen`): a Monday morning in winter whose next two years
# hold both clock changes of 2027. The page tests keep the real clock.
NOW = datetime.datetime(2027, 1, 4, 8, 0, tzinfo=MADRID)
MONDAY = datetime.date(2027, 1, 11)
TUESDAY = MONDAY + datetime.timedelta(days=1)
WEDNESDAY = MONDAY + datetime.timedelta(days=2)
SATURDAY = MONDAY + datetime.timedelta(days=5)
SUNDAY = MONDAY + datetime.timedelta(days=6)
CLOCKS_FORWARD = datetime.date(2027, 3, 28)  # a Sunday: 2:00 becomes 3:00 (UTC+2 from then)
CLOCKS_BACK = datetime.date(2027, 10, 31)  # a Sunday: 3:00 becomes 2:00 again (UTC+1)

PAST = "That time has already passed."
TOO_FAR = "Appointments are booked at most two years ahead: check the date."
END_BEFORE_START = "The end must be after the start."
TOO_LONG = "An appointment lasts at most 8 hours."
ONE_DAY = "An appointment starts and ends on the same day."
CLOSED = "OAE Alfa is closed then."
NOT_A_STATUS = "Choose cancelled, attended or did not come."
PERIODS_OVERLAP = "Two periods of the same day overlap."
PERIOD_BACKWARDS = "Each period must end after it starts."
ONE_TIME_ONLY = "Give both times, or none for the whole day."


def _outside(advisor) -> str:
    return f"That time is outside {advisor}'s opening hours for appointments."


def _taken(advisor) -> str:
    return f"{advisor} already has an appointment then."


def _away(advisor, note: str) -> str:
    return f"{advisor} is away that day ({note})."


def _t(text: str) -> datetime.time:
    return datetime.time.fromisoformat(text)


def _at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    """A time on the wall clocks of Madrid."""
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=MADRID)


def _days(n: int) -> datetime.timedelta:
    return datetime.timedelta(days=n)


def _minutes(n: int) -> datetime.timedelta:
    return datetime.timedelta(minutes=n)


@pytest.fixture
def frozen(monkeypatch):
    """The service reads the clock through `timezone.now()`: it is NOW."""
    monkeypatch.setattr(timezone, "now", lambda: NOW.astimezone(UTC))


@pytest.fixture
def advisor(people):
    return people["advisor_a"]


def _book(advisor, office, starts, ends, **kwargs) -> Appointment:
    return agenda.appointment_book(
        actor=kwargs.pop("actor", advisor),
        office=office,
        advisor=advisor,
        starts_at=starts,
        ends_at=ends,
        **kwargs,
    )


def _refusal(advisor, office, starts, ends, **kwargs) -> dict[str, list[str]]:
    """The service's reasons for refusing the booking (it must refuse, and save nothing)."""
    before = Appointment.objects.count()
    with pytest.raises(ValidationError) as refused:
        _book(advisor, office, starts, ends, **kwargs)
    assert Appointment.objects.count() == before
    return refused.value.message_dict


def _hours(advisor, office, *periods: tuple[int, str, str]) -> None:
    """The advisor's weekly periods for appointments at the office, as (weekday, from, to)."""
    agenda.availability_set(
        actor=advisor,
        advisor=advisor,
        office=office,
        slots=[(day, _t(starts), _t(ends)) for day, starts, ends in periods],
    )


def _open(office, *periods: tuple[int, str, str]) -> None:
    for day, opens, closes in periods:
        OpeningPeriod.objects.create(office=office, weekday=day, opens=_t(opens), closes=_t(closes))


# The advisor's weekly hours --------------------------------------------------------------


@pytest.fixture
def mondays_9_to_14(advisor, office_a, frozen):
    """advisor_a sees clients at office A on Mondays from 9:00 to 14:00, and at no other time."""
    _hours(advisor, office_a, (0, "09:00", "14:00"))
    return advisor


@pytest.mark.django_db
def test_a_booking_inside_the_slot_is_taken_from_its_first_minute_to_its_last(
    mondays_9_to_14, office_a
):
    first = _book(mondays_9_to_14, office_a, _at(MONDAY, 9), _at(MONDAY, 10))
    last = _book(mondays_9_to_14, office_a, _at(MONDAY, 13), _at(MONDAY, 14))
    assert [(a.starts_at, a.ends_at) for a in Appointment.objects.all()] == [
        (_at(MONDAY, 9), _at(MONDAY, 10)),
        (_at(MONDAY, 13), _at(MONDAY, 14)),
    ]
    assert first.advisor == last.advisor == mondays_9_to_14


@pytest.mark.django_db
def test_the_whole_slot_is_one_booking(mondays_9_to_14, office_a):
    assert _book(mondays_9_to_14, office_a, _at(MONDAY, 9), _at(MONDAY, 14)).pk


@pytest.mark.parametrize(
    ("starts", "ends"),
    [
        ((8, 59), (9, 59)),  # starts a minute early
        ((8, 59), (10, 0)),
        ((13, 1), (14, 1)),  # ends a minute late
        ((13, 0), (14, 1)),
        ((8, 59), (14, 1)),  # around the slot
        ((14, 0), (15, 0)),  # right after it
        ((8, 0), (9, 0)),  # right before it
    ],
)
@pytest.mark.django_db
def test_a_booking_a_minute_outside_the_slot_is_refused(mondays_9_to_14, office_a, starts, ends):
    refusal = _refusal(mondays_9_to_14, office_a, _at(MONDAY, *starts), _at(MONDAY, *ends))
    assert refusal == {"starts_at": [_outside(mondays_9_to_14)]}


@pytest.mark.parametrize("day", [TUESDAY, SUNDAY, MONDAY - _days(1)])
@pytest.mark.django_db
def test_the_slots_hours_on_another_weekday_are_refused(mondays_9_to_14, office_a, day):
    refusal = _refusal(mondays_9_to_14, office_a, _at(day, 10), _at(day, 11))
    assert refusal == {"starts_at": [_outside(mondays_9_to_14)]}


@pytest.mark.django_db
def test_each_of_the_advisors_slots_takes_bookings_on_its_own_day_only(advisor, office_a, frozen):
    _hours(advisor, office_a, (0, "09:00", "14:00"), (2, "16:00", "18:00"))
    assert _book(advisor, office_a, _at(WEDNESDAY, 16), _at(WEDNESDAY, 18)).pk
    assert _book(advisor, office_a, _at(MONDAY, 9), _at(MONDAY, 10)).pk
    outside = {"starts_at": [_outside(advisor)]}
    assert _refusal(advisor, office_a, _at(WEDNESDAY, 10), _at(WEDNESDAY, 11)) == outside
    assert _refusal(advisor, office_a, _at(MONDAY, 16), _at(MONDAY, 17)) == outside


@pytest.mark.django_db
def test_the_slot_is_read_on_madrid_clocks_whatever_the_time_zone_given(mondays_9_to_14, office_a):
    """9:00 in Madrid is 8:00 UTC in winter: a caller may pass either."""
    starts, ends = _at(MONDAY, 9).astimezone(UTC), _at(MONDAY, 10).astimezone(UTC)
    assert starts.hour == 8
    assert _book(mondays_9_to_14, office_a, starts, ends).starts_at == _at(MONDAY, 9)
    late = _at(MONDAY, 13, 30).astimezone(UTC), _at(MONDAY, 14, 30).astimezone(UTC)
    assert _refusal(mondays_9_to_14, office_a, *late) == {"starts_at": [_outside(mondays_9_to_14)]}


@pytest.mark.parametrize("sunday", [CLOCKS_FORWARD, CLOCKS_BACK], ids=["forward", "back"])
@pytest.mark.django_db
def test_on_the_sundays_the_clocks_change_a_slot_keeps_its_madrid_hours(
    advisor, office_a, frozen, sunday
):
    _hours(advisor, office_a, (6, "09:00", "14:00"))
    starts = _at(sunday, 9).astimezone(UTC)  # 7:00 UTC in March (summer time), 8:00 in October
    assert starts.hour == (7 if sunday == CLOCKS_FORWARD else 8)
    assert _book(advisor, office_a, starts, starts + _minutes(60)).pk
    outside = {"starts_at": [_outside(advisor)]}
    early = _at(sunday, 8, 30).astimezone(UTC)
    assert _refusal(advisor, office_a, early, early + _minutes(60)) == outside
    late = _at(sunday, 13, 30).astimezone(UTC)
    assert _refusal(advisor, office_a, late, late + _minutes(60)) == outside


@pytest.mark.django_db
def test_an_advisor_with_hours_is_not_booked_across_midnight(mondays_9_to_14, office_a):
    refusal = _refusal(mondays_9_to_14, office_a, _at(MONDAY, 23, 30), _at(TUESDAY, 0, 30))
    assert refusal == {"starts_at": [ONE_DAY]}


@pytest.mark.django_db
def test_the_advisors_hours_at_another_office_do_not_limit_bookings_here(
    advisor, office_a, office_b, frozen
):
    MembershipFactory(user=advisor, office=office_b, role=OfficeRole.ADVISOR)
    _hours(advisor, office_b, (0, "09:00", "14:00"))
    assert _book(advisor, office_a, _at(TUESDAY, 16), _at(TUESDAY, 17)).pk
    # Asked without an office, the advisor's hours at any office count.
    assert agenda.availability_problem(advisor, _at(TUESDAY, 16), _at(TUESDAY, 17)) == (
        _outside(advisor)
    )
    assert agenda.availability_problem(advisor, _at(MONDAY, 9), _at(MONDAY, 10)) == ""


@pytest.mark.django_db
def test_the_advisors_own_hours_replace_the_offices(advisor, office_a, frozen):
    _open(office_a, (0, "09:00", "14:00"))  # the office opens on Mondays
    _hours(advisor, office_a, (5, "10:00", "12:00"))  # the advisor sees clients on Saturdays
    assert _book(advisor, office_a, _at(SATURDAY, 10), _at(SATURDAY, 12)).pk
    refusal = _refusal(advisor, office_a, _at(MONDAY, 10), _at(MONDAY, 11))
    assert refusal == {"starts_at": [_outside(advisor)]}


# The office's opening hours (for an advisor without hours of their own) -----------------------


@pytest.mark.django_db
def test_without_own_hours_an_advisor_is_booked_from_the_offices_opening_to_its_closing(
    advisor, office_a, frozen
):
    _open(office_a, (0, "09:00", "14:00"))
    assert _book(advisor, office_a, _at(MONDAY, 9), _at(MONDAY, 10)).pk
    assert _book(advisor, office_a, _at(MONDAY, 13), _at(MONDAY, 14)).pk
    for starts, ends in (
        (_at(MONDAY, 8, 59), _at(MONDAY, 9, 59)),
        (_at(MONDAY, 13, 1), _at(MONDAY, 14, 1)),
        (_at(TUESDAY, 10), _at(TUESDAY, 11)),
    ):
        assert _refusal(advisor, office_a, starts, ends) == {"starts_at": [CLOSED]}


@pytest.mark.django_db
def test_an_office_open_all_day_takes_no_booking_across_midnight(advisor, office_a, frozen):
    _open(office_a, (0, "00:00", "23:59"), (1, "00:00", "23:59"))
    assert _book(advisor, office_a, _at(MONDAY, 23), _at(MONDAY, 23, 59)).pk
    refusal = _refusal(advisor, office_a, _at(TUESDAY, 23, 30), _at(WEDNESDAY, 0, 30))
    assert refusal == {"starts_at": [CLOSED]}


@pytest.mark.django_db
def test_an_office_without_recorded_hours_takes_bookings_at_any_time(advisor, office_a, frozen):
    assert _book(advisor, office_a, _at(SUNDAY, 22), _at(SUNDAY, 23)).pk
    assert _book(advisor, office_a, _at(MONDAY, 23, 30), _at(TUESDAY, 0, 30)).pk
    assert agenda.availability_problem(advisor, _at(SUNDAY, 3), _at(SUNDAY, 4)) == ""


# Days away ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_whole_day_away_refuses_every_time_of_that_day_and_says_why(advisor, office_a, frozen):
    agenda.away_add(actor=advisor, advisor=advisor, date=MONDAY, note="Formació")
    away = {"starts_at": [_away(advisor, "Formació")]}
    for starts, ends in ((0, 0), (1, 0)), ((10, 0), (11, 0)), ((23, 0), (23, 59)):
        assert _refusal(advisor, office_a, _at(MONDAY, *starts), _at(MONDAY, *ends)) == away
    assert _book(advisor, office_a, _at(SUNDAY - _days(7), 10), _at(SUNDAY - _days(7), 11)).pk
    assert _book(advisor, office_a, _at(TUESDAY, 10), _at(TUESDAY, 11)).pk


@pytest.mark.django_db
def test_a_day_away_without_a_note_says_not_available(advisor, office_a, frozen):
    agenda.away_add(actor=advisor, advisor=advisor, date=MONDAY)
    refusal = _refusal(advisor, office_a, _at(MONDAY, 10), _at(MONDAY, 11))
    assert refusal == {"starts_at": [_away(advisor, "not available")]}


@pytest.mark.django_db
def test_a_day_away_is_a_day_on_madrid_clocks(advisor, office_a, frozen):
    agenda.away_add(actor=advisor, advisor=advisor, date=TUESDAY)
    just_after_midnight = _at(TUESDAY, 0, 30).astimezone(UTC)  # still Monday in UTC
    assert just_after_midnight.date() == MONDAY
    refusal = _refusal(advisor, office_a, just_after_midnight, just_after_midnight + _minutes(30))
    assert refusal == {"starts_at": [_away(advisor, "not available")]}
    late_monday = _at(MONDAY, 23).astimezone(UTC)
    assert _book(advisor, office_a, late_monday, late_monday + _minutes(30)).pk


@pytest.mark.django_db
def test_a_booking_that_starts_on_a_day_away_is_refused_though_it_ends_the_day_after(
    advisor, office_a, frozen
):
    agenda.away_add(actor=advisor, advisor=advisor, date=MONDAY)
    refusal = _refusal(advisor, office_a, _at(MONDAY, 23, 30), _at(TUESDAY, 0, 30))
    assert refusal == {"starts_at": [_away(advisor, "not available")]}


@pytest.mark.django_db
def test_part_of_a_day_away_refuses_only_the_bookings_that_overlap_it(advisor, office_a, frozen):
    agenda.away_add(
        actor=advisor, advisor=advisor, date=MONDAY, starts=_t("12:00"), ends=_t("14:00")
    )
    away = {"starts_at": [_away(advisor, "not available")]}
    for starts, ends in (
        ((11, 30), (12, 30)),
        ((13, 30), (14, 30)),
        ((12, 30), (13, 0)),
        ((11, 0), (15, 0)),
        ((12, 0), (14, 0)),
    ):
        assert _refusal(advisor, office_a, _at(MONDAY, *starts), _at(MONDAY, *ends)) == away
    assert _book(advisor, office_a, _at(MONDAY, 11), _at(MONDAY, 12)).pk  # ends as it starts
    assert _book(advisor, office_a, _at(MONDAY, 14), _at(MONDAY, 15)).pk  # starts as it ends


@pytest.mark.django_db
def test_another_advisors_day_away_does_not_stop_a_booking(people, advisor, office_a, frozen):
    manager = people["manager_a"]
    agenda.away_add(actor=manager, advisor=manager, date=MONDAY)
    assert _book(advisor, office_a, _at(MONDAY, 10), _at(MONDAY, 11)).pk
    assert _refusal(manager, office_a, _at(MONDAY, 10), _at(MONDAY, 11)) == {
        "starts_at": [_away(manager, "not available")]
    }


# Times -----------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_booking_may_start_now_but_not_a_minute_ago(advisor, office_a, frozen):
    a_minute_ago = NOW - _minutes(1)
    refusal = _refusal(advisor, office_a, a_minute_ago, a_minute_ago + _minutes(60))
    assert refusal == {"starts_at": [PAST]}
    assert _book(advisor, office_a, NOW, NOW + _minutes(60)).starts_at == NOW


@pytest.mark.django_db
def test_a_booking_may_start_two_years_of_366_days_ahead_but_not_a_minute_later(
    advisor, office_a, frozen
):
    limit = NOW + _days(2 * 366)
    too_far = limit + _minutes(1)
    assert _refusal(advisor, office_a, too_far, too_far + _minutes(60)) == {"starts_at": [TOO_FAR]}
    assert _book(advisor, office_a, limit, limit + _minutes(60)).starts_at == limit


@pytest.mark.parametrize("minutes", [0, -30])
@pytest.mark.django_db
def test_an_appointment_ends_after_it_starts(advisor, office_a, frozen, minutes):
    starts = _at(MONDAY, 10)
    refusal = _refusal(advisor, office_a, starts, starts + _minutes(minutes))
    assert refusal == {"ends_at": [END_BEFORE_START]}


@pytest.mark.django_db
def test_an_appointment_lasts_eight_hours_at_most(advisor, office_a, frozen):
    starts = _at(MONDAY, 9)
    assert _refusal(advisor, office_a, starts, starts + _minutes(8 * 60 + 1)) == {
        "ends_at": [TOO_LONG]
    }
    assert _book(advisor, office_a, starts, starts + _minutes(8 * 60)).pk


@pytest.mark.parametrize("persona", ["advisor_b", "readonly_a"])
@pytest.mark.django_db
def test_only_an_advisor_of_the_office_is_booked(people, office_a, frozen, persona):
    somebody = people[persona]
    refusal = _refusal(
        somebody, office_a, _at(MONDAY, 10), _at(MONDAY, 11), actor=people["advisor_a"]
    )
    assert refusal == {"advisor": [f"{somebody} is not an advisor of this office."]}
    manager = people["manager_a"]
    assert _book(manager, office_a, _at(MONDAY, 10), _at(MONDAY, 11)).advisor == manager


# Double booking --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("starts", "ends"),
    [
        ((10, 0), (11, 0)),  # the same time
        ((10, 30), (11, 30)),  # starts during it
        ((9, 30), (10, 30)),  # ends during it
        ((10, 15), (10, 45)),  # inside it
        ((9, 0), (12, 0)),  # around it
        ((10, 59), (11, 0)),  # its last minute
    ],
)
@pytest.mark.django_db
def test_an_overlapping_booking_of_the_same_advisor_is_refused(
    advisor, office_a, frozen, starts, ends
):
    _book(advisor, office_a, _at(MONDAY, 10), _at(MONDAY, 11))
    refusal = _refusal(advisor, office_a, _at(MONDAY, *starts), _at(MONDAY, *ends))
    assert refusal == {"starts_at": [_taken(advisor)]}


@pytest.mark.django_db
def test_back_to_back_bookings_are_taken(advisor, office_a, frozen):
    _book(advisor, office_a, _at(MONDAY, 10), _at(MONDAY, 11))
    assert _book(advisor, office_a, _at(MONDAY, 9), _at(MONDAY, 10)).pk
    assert _book(advisor, office_a, _at(MONDAY, 11), _at(MONDAY, 12)).pk
    assert Appointment.objects.count() == 3


@pytest.mark.django_db
def test_a_double_booking_is_refused_by_the_service_before_anything_is_written(
    advisor, office_a, frozen
):
    """On SQLite the service's check is the only guard. On PostgreSQL the exclusion constraint
    would refuse too, but only after a write was tried: the check must see it first."""
    _book(advisor, office_a, _at(MONDAY, 10), _at(MONDAY, 11))
    with CaptureQueriesContext(connection) as queries, pytest.raises(ValidationError) as refused:
        _book(advisor, office_a, _at(MONDAY, 10, 30), _at(MONDAY, 11, 30))
    assert refused.value.message_dict == {"starts_at": [_taken(advisor)]}
    assert refused.value.__cause__ is None  # not the constraint's IntegrityError
    assert not _appointment_inserts(queries)
    assert Appointment.objects.count() == 1


def _appointment_inserts(queries) -> list[str]:
    return [
        query["sql"]
        for query in queries
        if query["sql"].lstrip().upper().startswith("INSERT")
        and "cases_appointment" in query["sql"]
    ]


@pytest.mark.parametrize("status", ["cancelled", "attended", "no_show"])
@pytest.mark.django_db
def test_an_appointment_no_longer_booked_frees_its_time(advisor, office_a, frozen, status):
    first = _book(advisor, office_a, _at(MONDAY, 10), _at(MONDAY, 11))
    agenda.appointment_set_status(actor=advisor, appointment=first, status=status)
    assert _book(advisor, office_a, _at(MONDAY, 10), _at(MONDAY, 11)).pk


@pytest.mark.django_db
def test_another_advisors_appointment_leaves_the_time_free(people, advisor, office_a, frozen):
    _book(people["manager_a"], office_a, _at(MONDAY, 10), _at(MONDAY, 11))
    assert _book(advisor, office_a, _at(MONDAY, 10), _at(MONDAY, 11)).pk


@pytest.mark.django_db
def test_an_advisor_booked_at_another_office_is_taken_here_too(advisor, office_a, office_b, frozen):
    MembershipFactory(user=advisor, office=office_b, role=OfficeRole.ADVISOR)
    _book(advisor, office_b, _at(MONDAY, 10), _at(MONDAY, 11))
    refusal = _refusal(advisor, office_a, _at(MONDAY, 10, 30), _at(MONDAY, 11, 30))
    assert refusal == {"starts_at": [_taken(advisor)]}


# What a booking keeps, and the other writes of the agenda -------------------------------------


@pytest.mark.django_db
def test_a_booking_keeps_what_was_asked_and_is_audited(people, advisor, office_a, case_a, frozen):
    manager = people["manager_a"]
    appointment = _book(
        advisor,
        office_a,
        _at(MONDAY, 10),
        _at(MONDAY, 11),
        actor=manager,
        person=case_a.person,
        case=case_a,
        channel="phone",
        note="Portar el pla",
    )
    appointment.refresh_from_db()
    assert (
        appointment.office,
        appointment.advisor,
        appointment.person,
        appointment.case,
        appointment.starts_at,
        appointment.ends_at,
        appointment.channel,
        appointment.note,
        appointment.created_by,
        appointment.status,
    ) == (
        office_a,
        advisor,
        case_a.person,
        case_a,
        _at(MONDAY, 10),
        _at(MONDAY, 11),
        "phone",
        "Portar el pla",
        manager,
        "booked",
    )
    event = AuditEvent.objects.get(action="cases.appointment.book")
    assert (event.actor, event.office, event.target_id, event.details) == (
        manager,
        office_a,
        str(appointment.public_id),
        {"advisor": advisor.email},
    )


@pytest.mark.parametrize("status", ["booked", "bogus", ""])
@pytest.mark.django_db
def test_a_cancelled_appointment_is_not_booked_again_nor_given_an_unknown_status(
    advisor, office_a, frozen, status
):
    """Booking it again would skip every check of a new booking."""
    appointment = _book(advisor, office_a, _at(MONDAY, 10), _at(MONDAY, 11))
    agenda.appointment_set_status(actor=advisor, appointment=appointment, status="cancelled")
    with pytest.raises(ValidationError) as refused:
        agenda.appointment_set_status(actor=advisor, appointment=appointment, status=status)
    assert refused.value.messages == [NOT_A_STATUS]
    appointment.refresh_from_db()
    assert appointment.status == "cancelled"
    assert AuditEvent.objects.filter(action="cases.appointment.status").count() == 1


@pytest.mark.parametrize("status", ["cancelled", "attended", "no_show"])
@pytest.mark.django_db
def test_an_appointment_is_marked_cancelled_attended_or_missed(advisor, office_a, frozen, status):
    appointment = _book(advisor, office_a, _at(MONDAY, 10), _at(MONDAY, 11))
    agenda.appointment_set_status(actor=advisor, appointment=appointment, status=status)
    appointment.refresh_from_db()
    assert appointment.status == status
    event = AuditEvent.objects.get(action="cases.appointment.status")
    assert (event.office, event.details) == (office_a, {"status": status})


@pytest.mark.parametrize(
    "periods",
    [
        [(0, "09:00", "12:00"), (0, "11:00", "13:00")],
        [(0, "11:00", "13:00"), (0, "09:00", "12:00")],  # given in any order
        [(0, "11:00", "13:00"), (1, "09:00", "10:00"), (0, "09:00", "12:00")],
        [(3, "09:00", "14:00"), (3, "10:00", "11:00")],  # one inside the other
        [(3, "09:00", "14:00"), (3, "09:00", "10:00")],  # starting together
    ],
)
@pytest.mark.django_db
def test_two_periods_of_the_same_day_that_overlap_are_refused(advisor, office_a, periods):
    _hours(advisor, office_a, (4, "09:00", "14:00"))
    with pytest.raises(ValidationError) as refused:
        _hours(advisor, office_a, *periods)
    assert refused.value.messages == [PERIODS_OVERLAP]
    assert [str(slot) for slot in AvailabilitySlot.objects.all()] == ["Friday 09:00–14:00"]


@pytest.mark.parametrize(("starts", "ends"), [("09:00", "09:00"), ("14:00", "09:00")])
@pytest.mark.django_db
def test_a_period_that_ends_when_or_before_it_starts_is_refused(advisor, office_a, starts, ends):
    with pytest.raises(ValidationError) as refused:
        _hours(advisor, office_a, (1, "16:00", "18:00"), (2, starts, ends))
    assert refused.value.messages == [PERIOD_BACKWARDS]
    assert not AvailabilitySlot.objects.exists()


@pytest.mark.django_db
def test_new_periods_replace_the_advisors_at_that_office_only(advisor, office_a, office_b):
    MembershipFactory(user=advisor, office=office_b, role=OfficeRole.ADVISOR)
    _hours(advisor, office_b, (0, "09:00", "14:00"))
    _hours(advisor, office_a, (1, "09:00", "14:00"))
    # Periods that touch, and the same hours on two days, do not overlap.
    _hours(advisor, office_a, (2, "12:00", "14:00"), (0, "09:00", "12:00"), (2, "09:00", "12:00"))
    assert [str(slot) for slot in AvailabilitySlot.objects.filter(office=office_a)] == [
        "Monday 09:00–12:00",
        "Wednesday 09:00–12:00",
        "Wednesday 12:00–14:00",
    ]
    assert [str(slot) for slot in AvailabilitySlot.objects.filter(office=office_b)] == [
        "Monday 09:00–14:00"
    ]
    last = AuditEvent.objects.filter(action="cases.availability.set").first()
    assert (last.office, last.details) == (office_a, {"advisor": advisor.email, "periods": 3})


@pytest.mark.parametrize(("starts", "ends"), [("10:00", None), (None, "12:00")])
@pytest.mark.django_db
def test_part_of_a_day_away_needs_both_its_times(advisor, starts, ends):
    with pytest.raises(ValidationError) as refused:
        agenda.away_add(
            actor=advisor,
            advisor=advisor,
            date=MONDAY,
            starts=starts and _t(starts),
            ends=ends and _t(ends),
        )
    assert refused.value.messages == [ONE_TIME_ONLY]
    assert not AvailabilityException.objects.exists()


@pytest.mark.parametrize(("starts", "ends"), [("12:00", "12:00"), ("12:00", "10:00")])
@pytest.mark.django_db
def test_part_of_a_day_away_ends_after_it_starts(advisor, starts, ends):
    with pytest.raises(ValidationError) as refused:
        agenda.away_add(
            actor=advisor, advisor=advisor, date=MONDAY, starts=_t(starts), ends=_t(ends)
        )
    assert refused.value.messages == [END_BEFORE_START]
    assert not AvailabilityException.objects.exists()


@pytest.mark.django_db
def test_a_day_away_is_kept_whole_or_in_part_and_audited(advisor):
    agenda.away_add(actor=advisor, advisor=advisor, date=MONDAY, note="Vacances")
    agenda.away_add(
        actor=advisor, advisor=advisor, date=TUESDAY, starts=_t("09:00"), ends=_t("10:00")
    )
    assert [
        (a.date, a.starts, a.ends, a.note) for a in AvailabilityException.objects.order_by("date")
    ] == [(MONDAY, None, None, "Vacances"), (TUESDAY, _t("09:00"), _t("10:00"), "")]
    assert [e.details for e in AuditEvent.objects.filter(action="cases.away.add")] == [
        {"advisor": advisor.email, "date": TUESDAY.isoformat()},
        {"advisor": advisor.email, "date": MONDAY.isoformat()},
    ]


# The calendar feed -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_calendar_address_is_made_once_and_kept_until_renewed(advisor):
    first = agenda.calendar_feed_token(advisor)
    assert agenda.calendar_feed_token(advisor) == first
    renewed = agenda.calendar_feed_token(advisor, renew=True)
    assert renewed != first
    assert agenda.calendar_feed_token(advisor) == renewed
    assert CalendarFeed.objects.get(user=advisor).token == renewed
    actions = AuditEvent.objects.filter(action__startswith="cases.calendar_feed.")
    assert sorted(actions.values_list("action", flat=True)) == [
        "cases.calendar_feed.create",
        "cases.calendar_feed.renew",
    ]


@pytest.mark.django_db
def test_the_calendar_holds_the_booked_appointments_from_thirty_days_ago(
    people, advisor, office_a, case_a, frozen
):
    def appointment(starts, **kwargs):
        fields = {"office": office_a, "advisor": advisor, "ends_at": starts + _minutes(60)}
        return Appointment.objects.create(starts_at=starts, **{**fields, **kwargs})

    since = NOW - _days(30)
    oldest = appointment(since, case=case_a, channel="phone")
    appointment(since - _minutes(1), ends_at=since)  # too old (by a minute)
    appointment(NOW + _days(1), status="cancelled")
    appointment(NOW + _days(1), advisor=people["manager_a"])
    coming = appointment(NOW + _days(2))
    calendar = Calendar.from_ical(agenda.calendar_ics(advisor))
    assert (str(calendar["prodid"]), str(calendar["version"])) == (
        "-//Xarxa OAE//agenda//CA",
        "2.0",
    )
    events = {str(event["uid"]): event for event in calendar.walk("VEVENT")}
    assert sorted(events) == sorted(f"{a.public_id}@xarxa-oae" for a in (oldest, coming))
    first, second = events[f"{oldest.public_id}@xarxa-oae"], events[f"{coming.public_id}@xarxa-oae"]
    assert (first.decoded("dtstart"), first.decoded("dtend")) == (since, since + _minutes(60))
    assert str(first["summary"]) == f"{case_a.reference} · phone"
    assert str(second["summary"]) == "Appointment · in person"
    assert str(first["location"]) == str(second["location"]) == "OAE Alfa"


# Through the pages (the real clock) ------------------------------------------------------------


def _ahead(weekday: int) -> datetime.date:
    """The next such weekday at least two days ahead (never today: no time of it has passed)."""
    day = timezone.localdate() + _days(2)
    return day + _days((weekday - day.weekday()) % 7)


def _post_booking(client, advisor, day, time="10:00", minutes="60"):
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


def _form_errors(response, form: str = "form") -> dict[str, list[str]]:
    """The form sent back (not an error page), with its errors, each shown on the page."""
    assert response.status_code == 200, response.status_code
    errors = {field: list(reasons) for field, reasons in response.context[form].errors.items()}
    page = response.content.decode()
    assert all(escape(reason) in page for reasons in errors.values() for reason in reasons)
    return errors


@pytest.mark.django_db
def test_on_the_page_a_booking_fits_the_slot_to_the_minute(client_for, advisor, office_a):
    client, thursday = client_for("advisor_a"), _ahead(3)
    _hours(advisor, office_a, (3, "09:00", "14:00"))
    outside = {"starts": [_outside(advisor)]}
    assert _form_errors(_post_booking(client, advisor, thursday, "08:59")) == outside
    assert _form_errors(_post_booking(client, advisor, thursday, "13:01")) == outside
    friday = thursday + _days(1)
    assert _form_errors(_post_booking(client, advisor, friday, "10:00")) == outside
    assert _post_booking(client, advisor, thursday, "09:00").status_code == 302
    assert _post_booking(client, advisor, thursday, "13:00").status_code == 302
    assert sorted(timezone.localtime(a.starts_at).time() for a in Appointment.objects.all()) == [
        _t("09:00"),
        _t("13:00"),
    ]


@pytest.mark.django_db
def test_on_the_page_an_advisor_with_hours_is_not_booked_across_midnight(
    client_for, advisor, office_a
):
    thursday = _ahead(3)
    _hours(advisor, office_a, (3, "09:00", "14:00"))
    response = _post_booking(client_for("advisor_a"), advisor, thursday, "23:30")
    assert _form_errors(response) == {"starts": [ONE_DAY]}


@pytest.mark.django_db
def test_on_the_page_a_double_booking_says_the_advisor_is_taken(client_for, advisor):
    client, day = client_for("advisor_a"), _ahead(1)
    assert _post_booking(client, advisor, day, "10:00").status_code == 302
    assert _form_errors(_post_booking(client, advisor, day, "10:30")) == {
        "starts": [_taken(advisor)]
    }
    assert Appointment.objects.count() == 1


@pytest.mark.django_db
def test_on_the_page_a_booking_in_the_past_says_so(client_for, advisor):
    yesterday = timezone.localdate() - _days(1)
    assert _form_errors(_post_booking(client_for("advisor_a"), advisor, yesterday)) == {
        "starts": [PAST]
    }


@pytest.mark.django_db
def test_on_the_page_a_booking_three_years_ahead_says_two_years_at_most(client_for, advisor):
    day = timezone.localdate() + _days(3 * 365)
    assert _form_errors(_post_booking(client_for("advisor_a"), advisor, day)) == {
        "starts": [TOO_FAR]
    }


@pytest.mark.django_db
def test_on_the_page_days_away_say_the_advisor_is_away(client_for, advisor):
    client, day = client_for("advisor_a"), _ahead(2)
    agenda.away_add(actor=advisor, advisor=advisor, date=day, note="Formació")
    agenda.away_add(
        actor=advisor, advisor=advisor, date=day + _days(1), starts=_t("12:00"), ends=_t("14:00")
    )
    assert _form_errors(_post_booking(client, advisor, day)) == {
        "starts": [_away(advisor, "Formació")]
    }
    assert _form_errors(_post_booking(client, advisor, day + _days(1), "11:30")) == {
        "starts": [_away(advisor, "not available")]
    }
    assert _post_booking(client, advisor, day + _days(1), "11:00").status_code == 302


@pytest.mark.django_db
def test_on_the_page_a_closed_office_says_so(client_for, advisor, office_a):
    day = _ahead(0)
    _open(office_a, (0, "09:00", "14:00"))
    client = client_for("advisor_a")
    assert _form_errors(_post_booking(client, advisor, day, "13:30")) == {"starts": [CLOSED]}
    assert _post_booking(client, advisor, day, "13:00").status_code == 302


@pytest.mark.parametrize(
    ("field", "changes"),
    [
        ("minutes", {"minutes": "0"}),
        ("minutes", {"minutes": str(8 * 60 + 1)}),
        ("advisor", {"advisor": "advisor_b"}),
        ("advisor", {"advisor": "readonly_a"}),
    ],
)
@pytest.mark.django_db
def test_on_the_page_a_length_or_an_advisor_the_service_refuses_is_refused_by_the_form(
    client_for, people, field, changes
):
    advisor = people[changes.get("advisor", "advisor_a")]
    minutes = changes.get("minutes", "60")
    response = _post_booking(client_for("advisor_a"), advisor, _ahead(1), minutes=minutes)
    assert set(_form_errors(response)) == {field}
    assert not Appointment.objects.exists()


@pytest.mark.django_db
def test_a_booking_shows_the_madrid_week_it_falls_in(client_for, advisor):
    monday = _ahead(0)
    response = _post_booking(client_for("advisor_a"), advisor, monday, "00:30")
    assert response.status_code == 302
    assert response["Location"].endswith(f"?advisor={advisor.pk}&week={monday.isoformat()}")


@pytest.mark.django_db
def test_an_appointment_marked_on_the_page_shows_its_madrid_week(client_for, advisor, office_a):
    monday = _ahead(0)
    starts = _at(monday, 0, 30)  # still Sunday in UTC
    appointment = _book(advisor, office_a, starts, starts + _minutes(30))
    url = reverse("cases:appointment_status", args=[appointment.public_id])
    response = client_for("advisor_a").post(url, {"status": "attended"})
    assert response.status_code == 302
    assert response["Location"].endswith(f"?advisor={advisor.pk}&week={monday.isoformat()}")


@pytest.mark.django_db
def test_setting_an_appointment_back_to_booked_is_refused_with_a_message(
    client_for, advisor, office_a
):
    starts = _at(_ahead(1), 10)
    appointment = _book(advisor, office_a, starts, starts + _minutes(60))
    agenda.appointment_set_status(actor=advisor, appointment=appointment, status="cancelled")
    url = reverse("cases:appointment_status", args=[appointment.public_id])
    response = client_for("advisor_a").post(url, {"status": "booked"}, follow=True)
    assert response.status_code == 200
    assert NOT_A_STATUS in response.content.decode()
    appointment.refresh_from_db()
    assert appointment.status == "cancelled"


def _post_periods(client, *periods: tuple[int, str, str]):
    data = {
        "slots-TOTAL_FORMS": str(len(periods)),
        "slots-INITIAL_FORMS": "0",
        "slots-MIN_NUM_FORMS": "0",
        "slots-MAX_NUM_FORMS": "30",
    }
    for n, (day, starts, ends) in enumerate(periods):
        data |= {
            f"slots-{n}-weekday": str(day),
            f"slots-{n}-starts": starts,
            f"slots-{n}-ends": ends,
        }
    return client.post(reverse("cases:availability"), data)


@pytest.mark.parametrize(
    ("periods", "message"),
    [
        ([(0, "09:00", "12:00"), (0, "11:00", "13:00")], PERIODS_OVERLAP),
        ([(2, "14:00", "09:00")], PERIOD_BACKWARDS),
        ([(2, "09:00", "09:00")], PERIOD_BACKWARDS),
    ],
)
@pytest.mark.django_db
def test_on_the_page_periods_that_overlap_or_run_backwards_are_refused_with_a_message(
    client_for, periods, message
):
    response = _post_periods(client_for("advisor_a"), *periods)
    assert response.status_code == 200  # the periods again, not an error page
    assert escape(message) in response.content.decode()
    assert not AvailabilitySlot.objects.exists()


@pytest.mark.django_db
def test_on_the_page_periods_are_saved(client_for, advisor, office_a):
    response = _post_periods(client_for("advisor_a"), (0, "09:00", "12:00"), (0, "12:00", "14:00"))
    assert response.status_code == 302
    assert [str(slot) for slot in AvailabilitySlot.objects.filter(advisor=advisor)] == [
        "Monday 09:00–12:00",
        "Monday 12:00–14:00",
    ]
    assert {slot.office for slot in AvailabilitySlot.objects.all()} == {office_a}


def _post_away(client, day, starts="", ends="", note=""):
    return client.post(
        reverse("cases:availability"),
        {
            "away": "1",
            "away-date": str(day),
            "away-starts": starts,
            "away-ends": ends,
            "away-note": note,
        },
    )


@pytest.mark.parametrize(
    ("starts", "ends", "message"),
    [
        ("10:00", "", ONE_TIME_ONLY),
        ("", "12:00", ONE_TIME_ONLY),
        ("12:00", "10:00", END_BEFORE_START),
        ("12:00", "12:00", END_BEFORE_START),
    ],
)
@pytest.mark.django_db
def test_on_the_page_a_wrong_day_away_says_why(client_for, starts, ends, message):
    response = _post_away(client_for("advisor_a"), _ahead(1), starts, ends)
    assert _form_errors(response, "away_form") == {"__all__": [message]}
    assert not AvailabilityException.objects.exists()


@pytest.mark.django_db
def test_on_the_page_a_day_away_is_saved(client_for, advisor):
    day = _ahead(1)
    assert _post_away(client_for("advisor_a"), day, note="Vacances").status_code == 302
    assert AvailabilityException.objects.get(advisor=advisor).date == day


# The week page ---------------------------------------------------------------------------------


def _week(client, **query):
    response = client.get(reverse("cases:agenda"), query)
    assert response.status_code == 200
    return response.context["week"]


def _appointment_at(advisor, office, starts) -> Appointment:
    """Written as it stands (the week page shows any week, past ones too)."""
    return Appointment.objects.create(
        office=office, advisor=advisor, starts_at=starts, ends_at=starts + _minutes(1)
    )


@pytest.mark.parametrize(
    ("monday", "sunday_times"),
    [
        (datetime.date(2026, 11, 16), [(12, 0)]),
        (datetime.date(2026, 3, 23), [(1, 59), (3, 0)]),  # clocks forward at 2:00 on Sunday
        (datetime.date(2026, 10, 19), [(2, 30), (3, 0)]),  # clocks back at 3:00 on Sunday
    ],
    ids=["winter", "clocks-forward", "clocks-back"],
)
@pytest.mark.django_db
def test_the_week_runs_from_monday_0_00_to_sunday_23_59_in_madrid(
    client_for, advisor, office_a, monday, sunday_times
):
    sunday = monday + _days(6)
    _appointment_at(advisor, office_a, _at(monday - _days(1), 23, 59))  # the week before
    first = _appointment_at(advisor, office_a, _at(monday, 0, 0))
    on_sunday = [_appointment_at(advisor, office_a, _at(sunday, *t)) for t in sunday_times]
    last = _appointment_at(advisor, office_a, _at(sunday, 23, 59))
    _appointment_at(advisor, office_a, _at(monday + _days(7), 0, 0))  # the week after
    client = client_for("advisor_a")
    for any_day in (monday, monday + _days(3), sunday):
        week = _week(client, week=any_day.isoformat())
        assert week.monday == monday
        assert [day.date for day in week.days] == [monday + _days(n) for n in range(7)]
        assert [[a.pk for a in day.appointments] for day in week.days] == [
            [first.pk],
            [],
            [],
            [],
            [],
            [],
            [a.pk for a in [*on_sunday, last]],
        ]
        assert (week.previous, week.next) == (monday - _days(7), monday + _days(7))


@pytest.mark.parametrize("moment", ["monday 0:00", "sunday 23:59"])
@pytest.mark.django_db
def test_this_week_is_the_week_of_today_on_madrid_clocks(
    client_for, advisor, office_a, monkeypatch, moment
):
    today = timezone.localdate()
    monday = today - _days(today.weekday() + 14)  # a past week: the signed-in session still holds
    now = _at(monday, 0, 0) if moment == "monday 0:00" else _at(monday + _days(6), 23, 59)
    inside = _appointment_at(advisor, office_a, _at(monday, 0, 0))
    client = client_for("advisor_a")
    monkeypatch.setattr(timezone, "now", lambda: now.astimezone(UTC))
    week = _week(client)
    assert week.monday == monday
    assert [day.is_today for day in week.days] == (
        [True, *[False] * 6] if moment == "monday 0:00" else [*[False] * 6, True]
    )
    assert week.days[0].appointments == [inside]


# The calendar address on the week page ---------------------------------------------------------


@pytest.mark.django_db
def test_opening_the_agenda_leaves_the_calendar_address_unchanged(client_for, advisor):
    client = client_for("advisor_a")
    shown = []
    for _opening in range(3):
        response = client.get(reverse("cases:agenda"))
        assert response.status_code == 200
        shown.append(response.context["feed_token"])
    token = CalendarFeed.objects.get(user=advisor).token
    assert shown == [token] * 3
    assert reverse("cases:feed", args=[token]) in response.content.decode()
    assert list(
        AuditEvent.objects.filter(action__startswith="cases.calendar_feed.").values_list(
            "action", flat=True
        )
    ) == ["cases.calendar_feed.create"]
    assert client.get(reverse("cases:feed", args=[token])).status_code == 200


@pytest.mark.django_db
def test_a_calendar_address_made_before_is_the_one_the_agenda_shows(client_for, advisor):
    token = agenda.calendar_feed_token(advisor)
    response = client_for("advisor_a").get(reverse("cases:agenda"))
    assert response.context["feed_token"] == token
    assert CalendarFeed.objects.get(user=advisor).token == token


@pytest.mark.django_db
def test_another_advisors_agenda_shows_no_calendar_address(client_for, people, advisor):
    token = agenda.calendar_feed_token(advisor)
    response = client_for("manager_a").get(reverse("cases:agenda"), {"advisor": advisor.pk})
    assert response.context["week"].advisor == advisor
    assert response.context["feed_token"] == ""
    assert token not in response.content.decode()
    assert list(CalendarFeed.objects.values_list("user", "token")) == [(advisor.pk, token)]


@pytest.mark.django_db
def test_renewing_the_calendar_address_on_the_page_ends_the_old_one(client_for, advisor):
    client = client_for("advisor_a")
    old = agenda.calendar_feed_token(advisor)
    assert client.post(reverse("cases:feed_renew")).status_code == 302
    new = client.get(reverse("cases:agenda")).context["feed_token"]
    assert new != old
    assert client.get(reverse("cases:feed", args=[old])).status_code == 404
    assert client.get(reverse("cases:feed", args=[new])).status_code == 200


# PostgreSQL: two connections at once ----------------------------------------------------------


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_a_booking_made_meanwhile_is_waited_for_and_refused_by_the_service(advisor, office_a):
    """The row lock on the advisor: the second booking waits for the first to commit, then the
    service's own check refuses it (without the lock the constraint would, after a write)."""
    starts = _at(_ahead(1), 10)
    thread, waited = in_a_transaction_held_until_another_waits(
        lambda: _book(advisor, office_a, starts, starts + _minutes(60))
    )
    with CaptureQueriesContext(connection) as queries, pytest.raises(ValidationError) as refused:
        _book(advisor, office_a, starts + _minutes(30), starts + _minutes(90))
    thread.join(10)
    assert waited == [True]
    assert refused.value.message_dict == {"starts_at": [_taken(advisor)]}
    assert not _appointment_inserts(queries)
    assert Appointment.objects.filter(advisor=advisor).count() == 1


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_a_booking_the_service_could_not_see_is_refused_by_the_database_with_the_same_message(
    client_for, advisor, office_a
):
    """An appointment moved onto the time while the booking is checked (say, in the admin:
    no lock on the advisor) is not seen by the service's check; the exclusion constraint
    refuses the booking, and the page still says why instead of failing."""
    day = _ahead(1)
    moved = _book(advisor, office_a, _at(day, 15), _at(day, 16))
    client = client_for("advisor_a")
    thread, waited = in_a_transaction_held_until_another_waits(
        lambda: Appointment.objects.filter(pk=moved.pk).update(
            starts_at=_at(day, 10), ends_at=_at(day, 11)
        )
    )
    response = _post_booking(client, advisor, day, "10:30")
    thread.join(10)
    assert waited == [True]
    assert _form_errors(response) == {"starts": [_taken(advisor)]}
    assert list(Appointment.objects.values_list("pk", flat=True)) == [moved.pk]
