"""The staffing plan, read: who is in post on a day, each office's posts against the full-time
posts its plan needs per job, the competences people in post have still to certify for their
job, and the network's training needs with the modules whose sessions to schedule first.
The writes are in staffing_services.py."""

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from oae.network.models import JobRole, Membership, Office
from oae.training.models import (
    Competence,
    Enrolment,
    Module,
    ModuleCompetence,
    Position,
    RoleRequirement,
    TrainingSession,
)
from oae.training.selectors import Gap

ZERO = Decimal("0")
JOB_ORDER = {job: order for order, job in enumerate(JobRole.values)}


# Rules ------------------------------------------------------------------------------------


def in_post_on(day: datetime.date) -> Q:
    """Memberships in post on `day`: active, started by then (or no start recorded) and not
    ended before it (or no end recorded)."""
    started = Q(starts_on__isnull=True) | Q(starts_on__lte=day)
    not_ended = Q(ends_on__isnull=True) | Q(ends_on__gte=day)
    return Q(is_active=True) & started & not_ended


def is_in_post(membership: Membership, day: datetime.date) -> bool:
    """`in_post_on` for a membership already read."""
    return (
        membership.is_active
        and (membership.starts_on is None or membership.starts_on <= day)
        and (membership.ends_on is None or membership.ends_on >= day)
    )


def vacancy(needed: Decimal, in_post: Decimal) -> Decimal:
    """The full-time posts still to fill; more people than planned is no negative vacancy."""
    return max(needed - in_post, ZERO)


def _by_job(job: str) -> tuple[int, str]:
    return (JOB_ORDER.get(job, len(JOB_ORDER)), job)


# What people in post have certified and what their job requires --------------------------


def certified_levels_by_user(user_ids: Iterable[int]) -> dict[int, dict[int, int]]:
    """User id → (competence id → the highest level a completed module certified): the
    `selectors.certified_levels` of many people, in two queries."""
    completed = set(
        Enrolment.objects.filter(user_id__in=list(user_ids), completed_at__isnull=False)
        .values_list("user_id", "session__module_id")
        .distinct()
    )
    covers: dict[int, list[tuple[int, int]]] = defaultdict(list)
    modules = {module_id for _user, module_id in completed}
    for module_id, competence_id, level in ModuleCompetence.objects.filter(
        module_id__in=modules
    ).values_list("module_id", "competence_id", "level"):
        covers[module_id].append((competence_id, level))
    levels: dict[int, dict[int, int]] = defaultdict(dict)
    for user_id, module_id in completed:
        mine = levels[user_id]
        for competence_id, level in covers[module_id]:
            mine[competence_id] = max(mine.get(competence_id, 0), level)
    return levels


def requirements_by_job() -> dict[str, list[RoleRequirement]]:
    """Job → what it requires, with the competences, in the framework's order."""
    requirements: dict[str, list[RoleRequirement]] = defaultdict(list)
    for requirement in RoleRequirement.objects.select_related("competence").order_by(
        "competence__position", "competence__code"
    ):
        requirements[requirement.role].append(requirement)
    return requirements


def _gaps(requirements: list[RoleRequirement], levels: dict[int, int]) -> list[Gap]:
    return [Gap(r.competence, r.level, levels.get(r.competence_id, 0)) for r in requirements]


# An office's plan ---------------------------------------------------------------------------


@dataclass(frozen=True)
class PersonInPost:
    membership: Membership
    gaps: list[Gap]  # each competence the job requires, against what the person certified

    @property
    def job_label(self) -> str:
        return JobRole(self.membership.job).label

    @property
    def missing(self) -> list[Gap]:
        return [gap for gap in self.gaps if gap.missing]


@dataclass(frozen=True)
class JobLine:
    """One job of an office: the full-time posts its plan needs (none when the job is staffed
    without a position) and the people in post."""

    job: str
    position: Position | None
    people: list[PersonInPost]

    @property
    def label(self) -> str:
        return JobRole(self.job).label

    @property
    def planned(self) -> bool:
        return self.position is not None

    @property
    def needed(self) -> Decimal:
        return self.position.fte if self.position is not None else ZERO

    @property
    def in_post(self) -> Decimal:
        return sum((person.membership.fte for person in self.people), ZERO)

    @property
    def vacancy(self) -> Decimal:
        return vacancy(self.needed, self.in_post)


@dataclass(frozen=True)
class Shortfall:
    """A competence that people in post have yet to certify at the level their job needs."""

    competence: Competence
    people: list[Membership]

    @property
    def missing(self) -> int:
        return len(self.people)


@dataclass(frozen=True)
class StaffingPlan:
    office: Office
    day: datetime.date
    jobs: list[JobLine]  # the planned jobs, then those staffed without a position
    shortfalls: list[Shortfall]  # the most people missing first
    not_in_post: list[Membership]  # active staff not in post that day (not started, ended)

    @property
    def needed(self) -> Decimal:
        return sum((line.needed for line in self.jobs), ZERO)

    @property
    def in_post(self) -> Decimal:
        return sum((line.in_post for line in self.jobs), ZERO)

    @property
    def vacancy(self) -> Decimal:
        # By job: a surplus of advisors does not fill a manager's post.
        return sum((line.vacancy for line in self.jobs), ZERO)

    @property
    def people(self) -> list[PersonInPost]:
        return [person for line in self.jobs for person in line.people]

    @property
    def unplanned(self) -> list[JobLine]:
        return [line for line in self.jobs if not line.planned]


def _shortfalls(people: list[PersonInPost]) -> list[Shortfall]:
    missing: dict[int, list[Membership]] = defaultdict(list)
    competences: dict[int, Competence] = {}
    for person in people:
        for gap in person.missing:
            competences[gap.competence.pk] = gap.competence
            missing[gap.competence.pk].append(person.membership)
    return sorted(
        (Shortfall(competences[pk], members) for pk, members in missing.items()),
        key=lambda shortfall: (
            -shortfall.missing,
            shortfall.competence.position,
            shortfall.competence.code,
        ),
    )


def position_or_404(office: Office, job: str) -> Position:
    """The office's position for a job (the office already in the user's scope)."""
    position = office.positions.filter(job_role=job).first()
    if position is None:
        raise Http404("No such position")
    return position


def staffing_plan(office: Office, today: datetime.date) -> StaffingPlan:
    """The office's plan on `today`: per job the full-time posts needed, those in post and the
    vacancy, each person in post with their gap, and the office's gap by competence. Five
    queries, however many people."""
    positions = {position.job_role: position for position in office.positions.order_by()}
    staff = list(
        Membership.objects.filter(office=office, is_active=True)
        .select_related("user")
        .order_by("user__last_name", "user__first_name", "user__email")
    )
    posted = [membership for membership in staff if is_in_post(membership, today)]
    levels = certified_levels_by_user({membership.user_id for membership in posted})
    requirements = requirements_by_job()
    people_by_job: dict[str, list[PersonInPost]] = defaultdict(list)
    for membership in posted:
        gaps = _gaps(requirements[membership.job], levels.get(membership.user_id, {}))
        people_by_job[membership.job].append(PersonInPost(membership, gaps))
    jobs = [
        JobLine(job, positions.get(job), people_by_job.get(job, []))
        for job in sorted(positions, key=_by_job)
    ] + [
        JobLine(job, None, people)
        for job, people in sorted(people_by_job.items(), key=lambda item: _by_job(item[0]))
        if job not in positions
    ]
    people = [person for line in jobs for person in line.people]
    return StaffingPlan(
        office=office,
        day=today,
        jobs=jobs,
        shortfalls=_shortfalls(people),
        not_in_post=[membership for membership in staff if not is_in_post(membership, today)],
    )


@dataclass(frozen=True)
class OfficeStaffing:
    """An office's plan in figures, for the list of offices."""

    office: Office
    needed: Decimal
    in_post: Decimal
    vacancy: Decimal
    people: int


def staffing_overview(offices: QuerySet[Office], today: datetime.date) -> list[OfficeStaffing]:
    """Each office's full-time posts needed, in post and vacant on `today` (vacancies counted
    job by job); three queries, however many offices."""
    offices = list(offices)
    ids = [office.pk for office in offices]
    needed: dict[int, dict[str, Decimal]] = defaultdict(dict)
    for office_id, job, fte in (
        Position.objects.filter(office_id__in=ids)
        .order_by()
        .values_list("office_id", "job_role", "fte")
    ):
        needed[office_id][job] = fte
    in_post: dict[int, dict[str, Decimal]] = defaultdict(lambda: defaultdict(lambda: ZERO))
    people: dict[int, int] = defaultdict(int)
    for membership in (
        Membership.objects.filter(in_post_on(today), office_id__in=ids)
        .order_by()
        .only("office_id", "role", "job_role", "fte")
    ):
        in_post[membership.office_id][membership.job] += membership.fte
        people[membership.office_id] += 1
    rows = []
    for office in offices:
        plan, posted = needed[office.pk], in_post[office.pk]
        rows.append(
            OfficeStaffing(
                office=office,
                needed=sum(plan.values(), ZERO),
                in_post=sum(posted.values(), ZERO),
                vacancy=sum(
                    (vacancy(fte, posted.get(job, ZERO)) for job, fte in plan.items()), ZERO
                ),
                people=people[office.pk],
            )
        )
    return rows


# The network's training needs ---------------------------------------------------------------


@dataclass(frozen=True)
class ModuleOption:
    """A module that trains a competence to the level some of the people missing it need."""

    module: Module
    level: int  # the level it certifies the competence at
    people: int  # the people missing the competence it takes to the level their job needs
    next_session: TrainingSession | None  # the first to start from now on, not cancelled

    @property
    def scheduled(self) -> bool:
        return self.next_session is not None


@dataclass(frozen=True)
class CompetenceNeed:
    competence: Competence
    people: int  # people in post who have yet to certify it at the level their job needs
    offices: list[tuple[Office, int]]  # the offices with people missing it, and how many
    modules: list[ModuleOption]  # the one to schedule first first

    @property
    def suggested(self) -> ModuleOption | None:
        """The module to schedule: the first with no session coming."""
        return next((option for option in self.modules if not option.scheduled), None)


@dataclass(frozen=True)
class SessionSuggestion:
    """A module whose session would train people in post to what their job needs."""

    module: Module
    people: int  # people it takes to their job's level in at least one competence missing
    offices: int
    next_session: TrainingSession | None

    @property
    def scheduled(self) -> bool:
        return self.next_session is not None


@dataclass(frozen=True)
class TrainingNeeds:
    day: datetime.date
    competences: list[CompetenceNeed]  # the most people missing first
    suggestions: list[SessionSuggestion]  # modules with no session coming that help most first


def _first_to_schedule(people: int, next_session, code: str) -> tuple:
    """A module that helps many people and has no session coming comes first."""
    return (next_session is not None, -people, code)


def _next_sessions() -> dict[int, TrainingSession]:
    sessions: dict[int, TrainingSession] = {}
    for session in TrainingSession.objects.filter(
        starts_at__gt=timezone.now(), cancelled_at__isnull=True
    ).order_by("starts_at"):
        sessions.setdefault(session.module_id, session)
    return sessions


def network_training_needs(today: datetime.date) -> TrainingNeeds:
    """For each competence people in post on `today` have yet to certify at the level their
    job needs: how many people, in which offices, and the modules that train them to that
    level, each with its next session; and the modules to schedule first (those with no
    session coming that would train the most people). Six queries, however many people."""
    posted = list(
        Membership.objects.filter(in_post_on(today)).select_related("office__municipality")
    )
    levels = certified_levels_by_user({membership.user_id for membership in posted})
    requirements = requirements_by_job()
    # competence id → user id → the highest level any of their jobs requires of it
    missing: dict[int, dict[int, int]] = defaultdict(dict)
    by_office: dict[int, dict[int, set[int]]] = defaultdict(lambda: defaultdict(set))
    competences: dict[int, Competence] = {}
    offices: dict[int, Office] = {}
    for membership in posted:
        mine = levels.get(membership.user_id, {})
        for gap in _gaps(requirements[membership.job], mine):
            if not gap.missing:
                continue
            pk = gap.competence.pk
            competences[pk], offices[membership.office_id] = gap.competence, membership.office
            missing[pk][membership.user_id] = max(
                missing[pk].get(membership.user_id, 0), gap.required
            )
            by_office[pk][membership.office_id].add(membership.user_id)
    covers: dict[int, list[ModuleCompetence]] = defaultdict(list)
    for covered in ModuleCompetence.objects.filter(competence_id__in=missing).select_related(
        "module"
    ):
        covers[covered.competence_id].append(covered)
    next_sessions = _next_sessions()
    helped: dict[int, set[int]] = defaultdict(set)  # module id → users it trains
    helped_offices: dict[int, set[int]] = defaultdict(set)
    needs = []
    for pk, people in missing.items():
        options = []
        for covered in covers[pk]:
            trained = {user for user, required in people.items() if covered.level >= required}
            if not trained:
                continue
            helped[covered.module_id] |= trained
            helped_offices[covered.module_id] |= {
                office for office, users in by_office[pk].items() if users & trained
            }
            next_session = next_sessions.get(covered.module_id)
            options.append(ModuleOption(covered.module, covered.level, len(trained), next_session))
        options.sort(key=lambda o: _first_to_schedule(o.people, o.next_session, o.module.code))
        office_counts = sorted(
            ((offices[office], len(users)) for office, users in by_office[pk].items()),
            key=lambda item: (-item[1], item[0].name),
        )
        needs.append(CompetenceNeed(competences[pk], len(people), office_counts, options))
    needs.sort(key=lambda need: (-need.people, need.competence.position, need.competence.code))
    modules = {option.module.pk: option.module for need in needs for option in need.modules}
    suggestions = sorted(
        (
            SessionSuggestion(
                module=module,
                people=len(helped[pk]),
                offices=len(helped_offices[pk]),
                next_session=next_sessions.get(pk),
            )
            for pk, module in modules.items()
        ),
        key=lambda s: _first_to_schedule(s.people, s.next_session, s.module.code),
    )
    return TrainingNeeds(day=today, competences=needs, suggestions=suggestions)
