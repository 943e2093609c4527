"""Reads of case management for views, already scoped to the user (through cases.access).
Rules a page shows (overdue, read-only, what may still be done) are worked out here and
handed to templates as flags."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet, Sum
from django.utils import timezone

from oae.accounts.models import User
from oae.cases.access import (
    case_editable,
    case_reopenable,
    cases_for,
    referrals_received_for,
)
from oae.cases.models import (
    ACTIVE_STATES,
    Appointment,
    AppointmentStatus,
    AvailabilityException,
    AvailabilitySlot,
    Case,
    CaseState,
    CaseStep,
    Outcome,
    Referral,
    ReferralStatus,
    Session,
    SurveyResponse,
    Task,
    Verification,
)
from oae.catalogue import content as catalogue_content
from oae.catalogue.selectors import effective_items, latest_version, published_contents
from oae.crm.access import IDENTITY_FIELDS, person_fields_for
from oae.network.models import Office
from oae.network.selectors import offices_for, open_offices_by_name
from oae.scoping import OFFICE_ROLE_ACTIONS, Action, can

NO_CONTACT_DAYS = 30

# Who may be given cases, tasks and appointments: the office roles that may change cases
# (the services check the same with `can(advisor, EDIT_CASES, office)`).
CASE_HOLDER_ROLES = tuple(
    role for role, actions in OFFICE_ROLE_ACTIONS.items() if Action.EDIT_CASES in actions
)


# The overdue rule, once in SQL (lists and filters) and once in Python (rows already read).


def _overdue_step(today) -> Exists:
    return Exists(
        CaseStep.objects.filter(
            case=OuterRef("pk"), completed_at__isnull=True, due_on__lt=today
        ).exclude(started_at__isnull=True)
    )


def _overdue_task(today) -> Exists:
    return Exists(Task.objects.filter(case=OuterRef("pk"), done_at__isnull=True, due_on__lt=today))


def step_overdue(step: CaseStep, today: datetime.date) -> bool:
    """A step under way whose due date has passed."""
    return step.under_way and step.due_on is not None and step.due_on < today


def task_overdue(task: Task, today: datetime.date) -> bool:
    """A task not done whose due date has passed."""
    return task.done_at is None and task.due_on < today


# Advisors -------------------------------------------------------------------------------------


def office_advisors(office) -> QuerySet[User]:
    """Active staff of the office who may be given cases, tasks and appointments, by name."""
    return advisors_of_offices([office.pk])


def advisors_of_offices(office_ids) -> QuerySet[User]:
    """Active staff who may be given cases in any of these offices, each once, by name."""
    return (
        User.objects.filter(
            memberships__office_id__in=office_ids,
            memberships__is_active=True,
            memberships__role__in=CASE_HOLDER_ROLES,
            is_active=True,
        )
        .distinct()
        .order_by("first_name", "last_name", "email")
    )


# The case list ---------------------------------------------------------------------------------


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


@dataclass(frozen=True)
class CaseListChoices:
    """What the case list's filters offer the user."""

    services: list[tuple[str, str]]  # (code, name) of the services of the user's cases
    advisors: list[User]  # who holds cases in the user's offices
    can_open: bool


def case_list_choices(user) -> CaseListChoices:
    services = cases_for(user).values_list("service_code", "service_name").distinct()
    offices = offices_for(user, Action.VIEW_CASES).values("pk")
    return CaseListChoices(
        services=sorted(set(services)),
        advisors=list(advisors_of_offices(offices)),
        can_open=can(user, Action.EDIT_CASES),
    )


# Opening a case --------------------------------------------------------------------------------


def services_offered(office) -> list[tuple[str, str]]:
    """(code, title) of the services the office offers today."""
    return [(e.code, e.title) for e in effective_items(office, kind="service", enabled_only=True)]


# The case page ---------------------------------------------------------------------------------


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


def case_with_records(case: Case) -> Case:
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
    prefetched lists of `case_with_records`)."""
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


@dataclass(frozen=True)
class CasePage:
    """A case as its page shows it to one user. Each step, task, outcome and referral of
    `case` carries the flags its row needs: `overdue`, `completable`, `is_verified`,
    `verifiable`, `withdrawable`."""

    case: Case
    editable: bool  # the user may change it now (never while it is closed)
    can_reopen: bool
    timeline: list[TimelineEntry]
    hours: CaseHours
    survey: SurveyResponse | None  # once the case is closed
    # The client's fields the user may see (crm.access.person_fields_for); none for a company.
    client_fields: frozenset[str] = frozenset()

    @property
    def client_page_open(self) -> bool:
        """Whether the user may open the client's page (they read more than the name)."""
        return not self.client_fields <= IDENTITY_FIELDS


def _flag_records(case: Case, *, editable: bool, today: datetime.date) -> None:
    for step in case.steps.all():
        step.overdue = step_overdue(step, today)
        step.completable = editable and step.under_way
    for task in case.tasks.all():
        task.overdue = task_overdue(task, today)
    for outcome in case.outcomes.all():
        outcome.is_verified = outcome.verification == Verification.VERIFIED
        outcome.verifiable = editable and not outcome.is_verified
    for referral in case.referrals.all():
        referral.withdrawable = editable and referral.status == ReferralStatus.PENDING


def case_page(*, user, case: Case) -> CasePage:
    """Everything the case page shows the user, the case's records flagged for it."""
    case = case_with_records(case)
    editable = case_editable(user, case)
    _flag_records(case, editable=editable, today=timezone.localdate())
    return CasePage(
        case=case,
        editable=editable,
        can_reopen=case_reopenable(user, case),
        timeline=case_timeline(case),
        hours=case_hours(case),
        survey=getattr(case, "survey", None) if case.is_closed else None,
        client_fields=person_fields_for(user, case.person) if case.person_id else frozenset(),
    )


def step_choices(case: Case) -> list[tuple[str, str]]:
    """(id, name) of the case's steps, for a form's "step" field."""
    return [(s.step_id, catalogue_content.text(s.name)) for s in case.steps.all()]


def outcome_companies(case: Case) -> list:
    """The companies an outcome of the case may name: the client's and the case's own."""
    companies = (
        [link.company for link in case.person.company_links.select_related("company")]
        if case.person_id
        else []
    )
    return companies + ([case.company] if case.company_id else [])


# The advisor's day and week --------------------------------------------------------------------


@dataclass
class DayView:
    today: datetime.date
    appointments: list = field(default_factory=list)
    tasks: list = field(default_factory=list)  # each flagged `overdue` (else due today)
    overdue_steps: list = field(default_factory=list)
    quiet_cases: list = field(default_factory=list)
    referrals: list = field(default_factory=list)


def advisor_day(*, user, today: datetime.date | None = None, limit: int = 50) -> DayView:
    """What an advisor needs at hand today, in five small indexed queries."""
    today = today or timezone.localdate()
    start = _day_start(today)
    mine = Case.objects.filter(assigned_to=user).exclude(state=CaseState.CLOSED)
    quiet_since = timezone.now() - datetime.timedelta(days=NO_CONTACT_DAYS)
    tasks = list(
        Task.objects.filter(assignee=user, done_at__isnull=True, due_on__lte=today)
        .select_related("case")
        .order_by("due_on")[:limit]
    )
    for task in tasks:
        task.overdue = task_overdue(task, today)
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
        tasks=tasks,
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


def week_start(day: datetime.date | None = None) -> datetime.date:
    """The Monday of the week of `day` (today by default)."""
    day = day or timezone.localdate()
    return day - datetime.timedelta(days=day.weekday())


def week_appointments(*, advisor, office, monday: datetime.date) -> dict[datetime.date, list]:
    """The advisor's booked appointments of the week at the office, by day (Monday to Sunday).
    An advisor of two offices has two agendas: each office sees only its own clients."""
    start = _day_start(monday)
    days = {monday + datetime.timedelta(days=n): [] for n in range(7)}
    for appointment in Appointment.objects.filter(
        advisor=advisor,
        office=office,
        status=AppointmentStatus.BOOKED,
        starts_at__gte=start,
        starts_at__lt=start + datetime.timedelta(days=7),
    ).select_related("person", "case"):
        days[timezone.localtime(appointment.starts_at).date()].append(appointment)
    return days


def advisor_slots(advisor, office) -> list[AvailabilitySlot]:
    """The advisor's weekly periods for appointments at the office."""
    return list(AvailabilitySlot.objects.filter(advisor=advisor, office=office))


def days_away(advisor, limit: int = 20) -> list[AvailabilityException]:
    """The advisor's latest days away, newest first."""
    return list(AvailabilityException.objects.filter(advisor=advisor).order_by("-date")[:limit])


@dataclass(frozen=True)
class AgendaDay:
    date: datetime.date
    is_today: bool
    appointments: list[Appointment]


@dataclass(frozen=True)
class WeekAgenda:
    office: Office
    advisor: User  # whose agenda it is
    advisors: list[User]  # whose agenda the user may choose instead
    monday: datetime.date
    days: list[AgendaDay]
    slots: list[AvailabilitySlot]

    @property
    def previous(self) -> datetime.date:
        return self.monday - datetime.timedelta(days=7)

    @property
    def next(self) -> datetime.date:
        return self.monday + datetime.timedelta(days=7)


def _agenda_owner(user, advisors: list[User], chosen: int | None) -> User:
    """The advisor chosen if they are one of the office's, else the user when they are,
    else the office's first advisor."""
    by_id = {advisor.pk: advisor for advisor in advisors}
    if chosen in by_id:
        return by_id[chosen]
    if user in advisors or not advisors:
        return user
    return advisors[0]


def week_agenda(
    *, user, office, chosen_advisor: int | None, day: datetime.date | None
) -> WeekAgenda:
    """One advisor's week at the office: the user's own unless they choose another advisor of
    the office (appointments the advisor has at other offices are not shown)."""
    advisors = list(office_advisors(office))
    advisor = _agenda_owner(user, advisors, chosen_advisor)
    monday = week_start(day)
    today = timezone.localdate()
    days = week_appointments(advisor=advisor, office=office, monday=monday)
    return WeekAgenda(
        office=office,
        advisor=advisor,
        advisors=advisors,
        monday=monday,
        days=[AgendaDay(date, date == today, booked) for date, booked in days.items()],
        slots=advisor_slots(advisor, office),
    )


# Referrals -----------------------------------------------------------------------------------


def network_services() -> list[tuple[str, str]]:
    """(code, title) of the services of the latest published model, by title (each office
    offers its own selection)."""
    contents = published_contents(latest_version())
    return sorted(
        (
            (code, catalogue_content.title(kind, content))
            for (kind, code), content in contents.items()
            if kind == "service"
        ),
        key=lambda pair: pair[1].lower(),
    )


def referral_offices() -> QuerySet[Office]:
    """The offices a client may be referred to: every open office, by name."""
    return open_offices_by_name()


def referrals_received(*, user, status: str, limit: int = 100) -> list[Referral]:
    """Referrals sent to the user's offices, in one status when it is a known one."""
    received = referrals_received_for(user).select_related(
        "from_office", "to_office", "case__person", "case__company"
    )
    if status in ReferralStatus.values:
        received = received.filter(status=status)
    return list(received[:limit])


def referral_view(*, user, referral: Referral) -> dict:
    """What the receiving office may see of the referring case (only the parts granted), and
    whether the user may answer now."""
    case = referral.case
    granted = set(referral.shared)
    return {
        "referral": referral,
        "client": case.client_name,
        "contact": case.person if "contact" in granted else None,
        "steps": list(case.steps.select_related("case__process")) if "summary" in granted else None,
        "sessions": (
            # Never the private notes; the case is named so that each session knows its
            # case without a query of its own.
            list(case.sessions.only("case", "started_at", "duration_minutes", "channel", "topics"))
            if "sessions" in granted
            else None
        ),
        "documents": list(case.attachments.all()) if "documents" in granted else None,
        "can_answer": referral.status == ReferralStatus.PENDING
        and can(user, Action.EDIT_CASES, referral.to_office),
    }


# The person page -------------------------------------------------------------------------------


def person_cases_section(user, person) -> dict:
    """The person page's section on cases: the person's cases the user may see, with their
    advisor, and whether the user may open one (or book an appointment) for them."""
    cases = cases_for(user).filter(person=person).select_related("assigned_to")
    return {
        "person": person,
        "cases": list(cases),
        "can_open_case": can(user, Action.EDIT_CASES),
    }
