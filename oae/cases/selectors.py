"""Reads of case management, already scoped to the user (through oae.scoping)."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet, Sum
from django.utils import timezone

from oae.cases.models import (
    ACTIVE_STATES,
    Appointment,
    AppointmentStatus,
    Case,
    CaseState,
    CaseStep,
    Outcome,
    Referral,
    ReferralStatus,
    Session,
    Task,
)
from oae.scoping import Action, cases_for, referrals_received_for

NO_CONTACT_DAYS = 30


def _overdue_step(today) -> Exists:
    return Exists(
        CaseStep.objects.filter(
            case=OuterRef("pk"), completed_at__isnull=True, due_on__lt=today
        ).exclude(started_at__isnull=True)
    )


def _overdue_task(today) -> Exists:
    return Exists(Task.objects.filter(case=OuterRef("pk"), done_at__isnull=True, due_on__lt=today))


@dataclass(frozen=True)
class CaseFilters:
    state: str = ""
    service: str = ""
    advisor: str = ""  # user id
    overdue: bool = False
    opened_from: datetime.date | None = None
    opened_to: datetime.date | None = None
    search: str = ""  # reference


def cases_search(*, user, filters: CaseFilters) -> QuerySet[Case]:
    today = timezone.localdate()
    cases = cases_for(user, Action.VIEW_CASES).select_related(
        "office", "person", "company", "assigned_to"
    )
    if filters.state == "active":
        cases = cases.filter(state__in=ACTIVE_STATES)
    elif filters.state:
        cases = cases.filter(state=filters.state)
    if filters.service:
        cases = cases.filter(service_code=filters.service)
    if filters.advisor:
        cases = cases.filter(assigned_to_id=filters.advisor)
    if filters.overdue:
        cases = cases.filter(state__in=ACTIVE_STATES).filter(
            _overdue_step(today) | _overdue_task(today)
        )
    if filters.opened_from:
        cases = cases.filter(opened_at__date__gte=filters.opened_from)
    if filters.opened_to:
        cases = cases.filter(opened_at__date__lte=filters.opened_to)
    if filters.search:
        cases = cases.filter(reference__icontains=filters.search.strip())
    return cases.annotate(overdue=_overdue_step(today) | _overdue_task(today)).order_by(
        "-opened_at", "-pk"
    )


@dataclass
class CaseHours:
    case_minutes: int
    client_minutes_network: int  # every office that served the client
    client_offices: int


def case_hours(case: Case) -> CaseHours:
    own = case.sessions.aggregate(total=Sum("duration_minutes"))["total"] or 0
    if case.person_id is None:
        return CaseHours(own, own, 1)
    sessions = Session.objects.filter(person_id=case.person_id)
    total = sessions.aggregate(total=Sum("duration_minutes"))["total"] or 0
    offices = sessions.values("office_id").distinct().count()
    return CaseHours(own, total, max(offices, 1))


def _day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def advisor_minutes(advisor, since: datetime.date, until: datetime.date) -> int:
    """Minutes of advice from `since` to `until` (whole local days; an index range scan)."""
    sessions = Session.objects.filter(
        advisor=advisor,
        started_at__gte=_day_start(since),
        started_at__lt=_day_start(until + datetime.timedelta(days=1)),
    )
    return sessions.aggregate(total=Sum("duration_minutes"))["total"] or 0


def case_page(case: Case) -> Case:
    """The case with everything its page shows, in a fixed number of queries."""
    return (
        Case.objects.filter(pk=case.pk)
        .select_related("office", "person", "company", "assigned_to", "process")
        .prefetch_related(
            "steps",
            Prefetch("sessions", Session.objects.select_related("advisor")),
            Prefetch("tasks", Task.objects.select_related("assignee", "done_by")),
            "attachments",
            "tool_results",
            Prefetch("outcomes", Outcome.objects.select_related("company", "evidence")),
            Prefetch(
                "referrals",
                Referral.objects.select_related("to_office", "received_case", "responded_by"),
            ),
            Prefetch(
                "appointments",
                Appointment.objects.filter(status=AppointmentStatus.BOOKED).select_related(
                    "advisor"
                ),
            ),
        )
        .get()
    )


@dataclass
class TimelineEntry:
    when: datetime.datetime
    kind: str  # session, step, document, outcome, referral
    item: object


def case_timeline(case: Case) -> list[TimelineEntry]:
    """Sessions, completed steps, documents, outcomes and referrals, newest first (from the
    prefetched lists of `case_page`)."""
    entries = [TimelineEntry(s.started_at, "session", s) for s in case.sessions.all()]
    entries += [
        TimelineEntry(s.completed_at, "step", s) for s in case.steps.all() if s.completed_at
    ]
    entries += [
        TimelineEntry(a.uploaded_at, "document", a)
        for a in case.attachments.all()
        if a.session_id is None
    ]
    entries += [
        TimelineEntry(
            datetime.datetime.combine(o.occurred_on, datetime.time(12), tzinfo=datetime.UTC),
            "outcome",
            o,
        )
        for o in case.outcomes.all()
    ]
    entries += [TimelineEntry(r.created_at, "referral", r) for r in case.referrals.all()]
    return sorted(entries, key=lambda e: e.when, reverse=True)


@dataclass
class DayView:
    today: datetime.date
    appointments: list = field(default_factory=list)
    tasks: list = field(default_factory=list)
    overdue_steps: list = field(default_factory=list)
    quiet_cases: list = field(default_factory=list)
    referrals: list = field(default_factory=list)


def advisor_day(*, user, today: datetime.date | None = None, limit: int = 50) -> DayView:
    """What an advisor needs at hand today, in five small indexed queries."""
    today = today or timezone.localdate()
    start = timezone.make_aware(datetime.datetime.combine(today, datetime.time.min))
    mine = Case.objects.filter(assigned_to=user).exclude(state=CaseState.CLOSED)
    quiet_since = timezone.now() - datetime.timedelta(days=NO_CONTACT_DAYS)
    return DayView(
        today=today,
        appointments=list(
            Appointment.objects.filter(
                advisor=user,
                status=AppointmentStatus.BOOKED,
                starts_at__gte=start,
                starts_at__lt=start + datetime.timedelta(days=1),
            ).select_related("person", "case", "office")[:limit]
        ),
        tasks=list(
            Task.objects.filter(assignee=user, done_at__isnull=True, due_on__lte=today)
            .select_related("case")
            .order_by("due_on")[:limit]
        ),
        overdue_steps=list(
            CaseStep.objects.filter(
                case__in=mine,
                completed_at__isnull=True,
                started_at__isnull=False,
                due_on__lt=today,
            )
            # The few process templates are read once each, not with every step.
            .select_related("case")
            .prefetch_related("case__process")
            .order_by("due_on")[:limit]
        ),
        quiet_cases=list(
            mine.filter(
                Q(last_contact_at__lt=quiet_since)
                | Q(last_contact_at__isnull=True, opened_at__lt=quiet_since)
            )
            .select_related("person", "company")
            .order_by("last_contact_at")[:limit]
        ),
        referrals=list(
            referrals_received_for(user)
            .filter(status=ReferralStatus.PENDING)
            .select_related("case__person", "case__company", "from_office")
            .order_by("created_at")[:limit]
        ),
    )


def week_appointments(*, advisor, monday: datetime.date) -> dict[datetime.date, list]:
    """The advisor's booked appointments of the week, by day (Monday to Sunday)."""
    start = timezone.make_aware(datetime.datetime.combine(monday, datetime.time.min))
    days = {monday + datetime.timedelta(days=n): [] for n in range(7)}
    for appointment in Appointment.objects.filter(
        advisor=advisor,
        status=AppointmentStatus.BOOKED,
        starts_at__gte=start,
        starts_at__lt=start + datetime.timedelta(days=7),
    ).select_related("person", "case"):
        days[timezone.localtime(appointment.starts_at).date()].append(appointment)
    return days


def referral_view(referral: Referral) -> dict:
    """What the receiving office may see of the referring case: only the parts granted."""
    case = referral.case
    granted = set(referral.shared)
    return {
        "referral": referral,
        "client": case.client_name,
        "contact": case.person if "contact" in granted else None,
        "steps": list(case.steps.select_related("case__process")) if "summary" in granted else None,
        "sessions": (
            list(case.sessions.only("started_at", "duration_minutes", "channel", "topics"))
            if "sessions" in granted
            else None
        ),
        "documents": list(case.attachments.all()) if "documents" in granted else None,
    }
