"""Demo agendas: the weekly hours each advisor takes appointments, their days away, their
calendar feeds, and appointments in the next free hours. Hours, days away and feeds are added
once; appointments are booked again only when an advisor has none ahead (a demo loaded again a
week later still has a day to show)."""

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from oae.accounts.models import User
from oae.cases import agenda
from oae.cases.models import (
    Appointment,
    AppointmentStatus,
    AvailabilityException,
    AvailabilitySlot,
    CalendarFeed,
    Case,
    CaseState,
)
from oae.devdata.demo.crm import demo_person
from oae.devdata.demo.dates import local_at, working_day
from oae.network.models import Office

SANT_BOI = "tecnic.santboi@xarxa-oae.example"
BADALONA = "tecnic.badalona@xarxa-oae.example"
ITINERANT = "tecnic.itinerant@xarxa-oae.example"

MORNING = (datetime.time(9), datetime.time(14))
AFTERNOON = (datetime.time(16), datetime.time(19))


def _periods(days: tuple[int, ...], period) -> list[tuple[int, datetime.time, datetime.time]]:
    return [(day, *period) for day in days]


# (advisor, office, weekly periods): within each office's opening hours.
WEEKLY_HOURS = [
    (SANT_BOI, "Sant Boi", _periods((0, 1, 2, 3, 4), MORNING) + _periods((1, 3), AFTERNOON)),
    (BADALONA, "Badalona", _periods((0, 1, 2, 3, 4), MORNING)),
    (ITINERANT, "Sant Boi", _periods((0, 2), MORNING)),
    (ITINERANT, "Badalona", _periods((1, 3, 4), MORNING)),
]


@dataclass(frozen=True)
class DemoAway:
    advisor: str
    days_ahead: int  # the first working day that far from the day the demo is loaded
    note: str
    hours: tuple[datetime.time, datetime.time] | None = None  # None: the whole day


DAYS_AWAY = [
    DemoAway(SANT_BOI, 10, "Formació: finançament alternatiu per a emprenedors"),
    DemoAway(
        SANT_BOI,
        17,
        "Reunió de coordinació de la xarxa OAE",
        (datetime.time(9), datetime.time(11)),
    ),
    DemoAway(BADALONA, 12, "Vacances"),
]


@dataclass(frozen=True)
class DemoAppointment:
    advisor: str
    office: str
    client: str  # the person's e-mail
    service: str  # the running case it is for, by its service ("": none)
    channel: str
    note: str


APPOINTMENTS = [
    DemoAppointment(
        SANT_BOI,
        "Sant Boi",
        "marta.vila@example.org",
        "assessorament-creacio",
        "in_person",
        "Revisió del pla d'empresa",
    ),
    DemoAppointment(
        SANT_BOI,
        "Sant Boi",
        "youssef@example.org",
        "pla-empresa-viabilitat",
        "phone",
        "Previsió de vendes del primer any",
    ),
    DemoAppointment(
        SANT_BOI,
        "Sant Boi",
        "pau.garcia@example.org",
        "consolidacio-empreses",
        "video",
        "Tresoreria del primer trimestre",
    ),
    DemoAppointment(
        BADALONA,
        "Badalona",
        "xin.chen@example.org",
        "",
        "in_person",
        "Obertura de la botiga de tes: la comunicació d'activitat",
    ),
]


def _advisor(email: str) -> User:
    return User.objects.get(email=email)


def _office(name_part: str) -> Office:
    return Office.objects.get(name__contains=name_part)


@transaction.atomic
def agenda_hours_demo_load() -> bool:
    """Weekly hours, days away and calendar feeds, each added once."""
    added = False
    for email, office_part, periods in WEEKLY_HOURS:
        advisor, office = _advisor(email), _office(office_part)
        if not AvailabilitySlot.objects.filter(advisor=advisor, office=office).exists():
            agenda.availability_set(actor=advisor, advisor=advisor, office=office, slots=periods)
            added = True
    for away in DAYS_AWAY:
        advisor = _advisor(away.advisor)
        if not AvailabilityException.objects.filter(advisor=advisor, note=away.note).exists():
            starts, ends = away.hours or (None, None)
            agenda.away_add(
                actor=advisor,
                advisor=advisor,
                date=working_day(away.days_ahead),
                starts=starts,
                ends=ends,
                note=away.note,
            )
            added = True
    for email in (SANT_BOI, BADALONA):
        advisor = _advisor(email)
        if not CalendarFeed.objects.filter(user=advisor).exists():
            agenda.calendar_feed_token(advisor)
            added = True
    return added


def _openings(advisor: User, office: Office, count: int) -> list[datetime.datetime]:
    """The first `count` whole hours the advisor takes appointments at `office`, from half an
    hour from now, two hours apart, in the next three weeks."""
    found: list[datetime.datetime] = []
    earliest = timezone.now() + datetime.timedelta(minutes=30)
    for day in range(21):
        for hour in range(9, 19):
            starts = local_at(day, hour)
            if starts < earliest or (found and starts < found[-1] + datetime.timedelta(hours=2)):
                continue
            if not agenda.availability_problem(
                advisor, starts, starts + datetime.timedelta(hours=1), office=office
            ):
                found.append(starts)
                if len(found) == count:
                    return found
    return found


def _case_for(office: Office, person, service: str) -> Case | None:
    if person is None or not service:
        return None
    cases = Case.objects.filter(office=office, person=person, service_code=service)
    return cases.exclude(state=CaseState.CLOSED).first()


@transaction.atomic
def appointments_demo_load() -> int:
    """Book each advisor's demo appointments in their next free hours, unless they already
    have one ahead; how many were booked."""
    booked = 0
    now = timezone.now()
    for email in dict.fromkeys(a.advisor for a in APPOINTMENTS):
        advisor = _advisor(email)
        ahead = Appointment.objects.filter(
            advisor=advisor, status=AppointmentStatus.BOOKED, ends_at__gt=now
        )
        if ahead.exists():
            continue
        planned = [a for a in APPOINTMENTS if a.advisor == email]
        # Each advisor's demo appointments are at one office.
        openings = _openings(advisor, _office(planned[0].office), len(planned))
        for spec, starts in zip(planned, openings, strict=False):
            office = _office(spec.office)
            person = demo_person(spec.client)
            agenda.appointment_book(
                actor=advisor,
                office=office,
                advisor=advisor,
                starts_at=starts,
                ends_at=starts + datetime.timedelta(hours=1),
                person=person,
                case=_case_for(office, person, spec.service),
                channel=spec.channel,
                note=spec.note,
            )
            booked += 1
    return booked
