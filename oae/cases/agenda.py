"""Each advisor's agenda: weekly availability, days away, appointments without double booking
and the iCalendar feed (the reminders are sent by `reminders.py`)."""

import datetime
import secrets

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from oae.cases.models import (
    Appointment,
    AppointmentStatus,
    AvailabilityException,
    AvailabilitySlot,
    CalendarFeed,
)
from oae.privacy.services import audit_record
from oae.scoping import Action, can

MAX_APPOINTMENT = datetime.timedelta(hours=8)
# Further ahead than this, a date is a slip of the keyboard (9999), not a plan.
BOOKING_HORIZON = datetime.timedelta(days=2 * 366)


def _local(moment: datetime.datetime) -> datetime.datetime:
    return timezone.localtime(moment)


def _fits(periods, start: datetime.datetime, end: datetime.datetime) -> bool:
    """The time lies within one of the (weekday, from, to) periods, on one day."""
    return start.date() == end.date() and any(
        day == start.weekday() and opens <= start.time() and end.time() <= closes
        for day, opens, closes in periods
    )


def availability_problem(advisor, starts_at, ends_at, office=None) -> str:
    """Why the advisor cannot see a client then, or "" when they can. Days away always count.
    Then the advisor's weekly periods for appointments (at `office`, when given); an advisor
    without any takes appointments while the office is open (its opening hours), and at any
    time at an office whose hours are not recorded."""
    start, end = _local(starts_at), _local(ends_at)
    for away in AvailabilityException.objects.filter(advisor=advisor, date=start.date()):
        if away.starts is None or (away.starts < end.time() and start.time() < away.ends):
            return _("%(name)s is away that day (%(note)s).") % {
                "name": advisor,
                "note": away.note or _("not available"),
            }
    slots = AvailabilitySlot.objects.filter(advisor=advisor)
    if office is not None:
        slots = slots.filter(office=office)
    periods = [(s.weekday, s.starts, s.ends) for s in slots]
    if periods:
        if start.date() != end.date():
            return _("An appointment starts and ends on the same day.")
        if not _fits(periods, start, end):
            return _("That time is outside %(name)s's opening hours for appointments.") % {
                "name": advisor
            }
        return ""
    hours = [(p.weekday, p.opens, p.closes) for p in office.opening_periods.all()] if office else []
    if hours and not _fits(hours, start, end):
        return _("%(office)s is closed then.") % {"office": office.name}
    return ""


def _overlapping(advisor, starts_at, ends_at, exclude=None):
    booked = Appointment.objects.filter(
        advisor=advisor,
        status=AppointmentStatus.BOOKED,
        starts_at__lt=ends_at,
        ends_at__gt=starts_at,
    )
    return booked.exclude(pk=exclude.pk) if exclude else booked


@transaction.atomic
def appointment_book(
    *,
    actor,
    office,
    advisor,
    starts_at,
    ends_at,
    person=None,
    case=None,
    channel: str = "in_person",
    note: str = "",
) -> Appointment:
    """Book a time with an advisor. Two bookings of the same advisor at once are serialised on
    the advisor's row; on PostgreSQL an exclusion constraint also guards the table itself."""
    if not can(advisor, Action.EDIT_CASES, office):
        raise ValidationError(
            {"advisor": _("%(name)s is not an advisor of this office.") % {"name": advisor}}
        )
    if ends_at <= starts_at:
        raise ValidationError({"ends_at": _("The end must be after the start.")})
    if ends_at - starts_at > MAX_APPOINTMENT:
        raise ValidationError({"ends_at": _("An appointment lasts at most 8 hours.")})
    if starts_at < timezone.now():
        raise ValidationError({"starts_at": _("That time has already passed.")})
    if starts_at > timezone.now() + BOOKING_HORIZON:
        raise ValidationError(
            {"starts_at": _("Appointments are booked at most two years ahead: check the date.")}
        )
    problem = availability_problem(advisor, starts_at, ends_at, office)
    if problem:
        raise ValidationError({"starts_at": problem})
    type(advisor).objects.select_for_update().filter(pk=advisor.pk).first()
    if _overlapping(advisor, starts_at, ends_at).exists():
        raise ValidationError(
            {"starts_at": _("%(name)s already has an appointment then.") % {"name": advisor}}
        )
    appointment = Appointment(
        office=office,
        advisor=advisor,
        person=person,
        case=case,
        starts_at=starts_at,
        ends_at=ends_at,
        channel=channel,
        note=note,
        created_by=actor,
    )
    try:
        with transaction.atomic():
            appointment.save()
    except IntegrityError as error:  # the exclusion constraint: a booking won the race
        raise ValidationError(
            {"starts_at": _("%(name)s already has an appointment then.") % {"name": advisor}}
        ) from error
    audit_record(
        action="cases.appointment.book",
        actor=actor,
        target=appointment,
        office=office,
        details={"advisor": advisor.email},
    )
    return appointment


@transaction.atomic
def appointment_set_status(*, actor, appointment: Appointment, status: str) -> Appointment:
    if status not in AppointmentStatus.values or status == AppointmentStatus.BOOKED:
        raise ValidationError(_("Choose cancelled, attended or did not come."))
    appointment.status = status
    appointment.save(update_fields=["status", "updated_at"])
    audit_record(
        action="cases.appointment.status",
        actor=actor,
        target=appointment,
        office=appointment.office,
        details={"status": status},
    )
    return appointment


@transaction.atomic
def availability_set(
    *, actor, advisor, office, slots: list[tuple[int, datetime.time, datetime.time]]
):
    """Replace the advisor's weekly slots at the office (slots may not overlap)."""
    ordered = sorted(slots)
    for (day, _start, end), (next_day, next_start, _next_end) in zip(
        ordered, ordered[1:], strict=False
    ):
        if day == next_day and next_start < end:
            raise ValidationError(_("Two periods of the same day overlap."))
    for _day, start, end in ordered:
        if end <= start:
            raise ValidationError(_("Each period must end after it starts."))
    AvailabilitySlot.objects.filter(advisor=advisor, office=office).delete()
    AvailabilitySlot.objects.bulk_create(
        AvailabilitySlot(advisor=advisor, office=office, weekday=d, starts=s, ends=e)
        for d, s, e in ordered
    )
    audit_record(
        action="cases.availability.set",
        actor=actor,
        target=office,
        office=office,
        details={"advisor": advisor.email, "periods": len(ordered)},
    )


@transaction.atomic
def away_add(
    *, actor, advisor, date, starts=None, ends=None, note: str = ""
) -> AvailabilityException:
    if (starts is None) != (ends is None):
        raise ValidationError(_("Give both times, or none for the whole day."))
    if starts is not None and ends <= starts:
        raise ValidationError(_("The end must be after the start."))
    away = AvailabilityException.objects.create(
        advisor=advisor, date=date, starts=starts, ends=ends, note=note
    )
    audit_record(
        action="cases.away.add",
        actor=actor,
        target=advisor,
        details={"advisor": advisor.email, "date": date.isoformat()},
    )
    return away


def calendar_feed_token(user, *, renew: bool = False) -> str:
    """The secret token of the user's iCalendar address, made on first use; a new one
    (`renew`) revokes the old."""
    feed = CalendarFeed.objects.filter(user=user).first()
    if feed is not None and not renew:
        return feed.token
    return _calendar_feed_new_token(user, renewing=feed is not None)


@transaction.atomic
def _calendar_feed_new_token(user, *, renewing: bool) -> str:
    token = secrets.token_urlsafe(32)
    CalendarFeed.objects.update_or_create(user=user, defaults={"token": token})
    audit_record(
        action="cases.calendar_feed.renew" if renewing else "cases.calendar_feed.create",
        actor=user,
        target=user,
    )
    return token


def calendar_ics(user) -> bytes:
    """The user's booked appointments from 30 days ago on, as iCalendar (no personal notes:
    the feed may sit in a phone's calendar)."""
    calendar = Calendar()
    calendar.add("prodid", "-//Xarxa OAE//agenda//CA")
    calendar.add("version", "2.0")
    since = timezone.now() - datetime.timedelta(days=30)
    appointments = Appointment.objects.filter(
        advisor=user, status=AppointmentStatus.BOOKED, starts_at__gte=since
    ).select_related("office", "case")
    for appointment in appointments:
        event = Event()
        event.add("uid", f"{appointment.public_id}@xarxa-oae")
        event.add("dtstamp", appointment.updated_at)
        event.add("dtstart", appointment.starts_at)
        event.add("dtend", appointment.ends_at)
        label = appointment.case.reference if appointment.case else _("Appointment")
        event.add("summary", f"{label} · {appointment.get_channel_display()}")
        event.add("location", appointment.office.name)
        calendar.add_component(event)
    return calendar.to_ical()
