"""The network's annual goals per office: proposed from each municipality's share of the
network's population (the coordinator gives the network's goal of a figure, each office gets
its share), edited while the year's plan is a draft, then approved and fixed; and each
office's progress against the pro-rata of the year."""

import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from oae.privacy.services import audit_record
from oae.reports import periods, rollups
from oae.reports.kpis import BY_CODE, Cut, Kpi
from oae.reports.models import Goal, GoalPlan
from oae.reports.selectors import reported_offices

# The figures offices get goals for: what an office's work adds up to over a year.
GOAL_KPIS = [
    "people_served",
    "new_clients",
    "cases_opened",
    "advice_hours",
    "businesses_verified",
    "jobs_created",
    "financing",
]
TENTH = Decimal("0.1")


def goal_kpis() -> list[Kpi]:
    return [BY_CODE[code] for code in GOAL_KPIS]


def population_shares(offices) -> dict[int, Decimal]:
    """Each office's share of the population of the municipalities with an office (offices
    of one municipality share its population equally)."""
    by_town = defaultdict(list)
    for office in offices:
        by_town[office.municipality_id].append(office)
    total = sum(town[0].municipality.population for town in by_town.values())
    shares = {}
    for town in by_town.values():
        population = Decimal(town[0].municipality.population)
        for office in town:
            shares[office.pk] = population / len(town) / total if total else Decimal(0)
    return shares


def _plan_to_edit(year: int) -> GoalPlan:
    plan, _created = GoalPlan.objects.get_or_create(year=year)
    if plan.approved:
        raise ValidationError(
            _("The goals of %(year)s are approved: they can no longer change.") % {"year": year}
        )
    return plan


def _checked(value) -> Decimal:
    target = Decimal(value).quantize(TENTH, rounding=ROUND_HALF_UP)
    if target < 0:
        raise ValidationError(_("A goal cannot be negative."))
    return target


@transaction.atomic
def goals_propose(*, actor, year: int, network_targets: dict[str, Decimal]) -> GoalPlan:
    """Each open office's goal of each figure given, as its share of the network's: its
    municipality's share of the network's population. Refused once the year is approved."""
    plan = _plan_to_edit(year)
    offices = list(reported_offices())
    shares = population_shares(offices)
    for code, network_target in network_targets.items():
        network_target = _checked(network_target)
        for office in offices:
            Goal.objects.update_or_create(
                plan=plan,
                office=office,
                kpi=code,
                defaults={"target": _checked(network_target * shares[office.pk])},
            )
    audit_record(
        action="reports.goals.propose",
        actor=actor,
        target=plan,
        details={code: str(value) for code, value in network_targets.items()},
    )
    return plan


@transaction.atomic
def goals_set(*, actor, year: int, targets: dict[tuple[int, str], Decimal]) -> GoalPlan:
    """Set goals by hand, (office id, figure) → goal; refused once the year is approved."""
    plan = _plan_to_edit(year)
    for (office_id, code), value in targets.items():
        if code not in GOAL_KPIS:
            raise ValidationError(_("There are no goals for that figure."))
        Goal.objects.update_or_create(
            plan=plan, office_id=office_id, kpi=code, defaults={"target": _checked(value)}
        )
    audit_record(
        action="reports.goals.edit", actor=actor, target=plan, details={"goals": len(targets)}
    )
    return plan


@transaction.atomic
def goals_approve(*, actor, year: int) -> GoalPlan:
    """Fix the year's goals; refused without any goal, or when already approved."""
    plan = _plan_to_edit(year)
    if not plan.goals.exists():
        raise ValidationError(_("Set the goals before approving them."))
    plan.approved_at, plan.approved_by = timezone.now(), actor
    plan.save(update_fields=["approved_at", "approved_by", "updated_at"])
    audit_record(action="reports.goals.approve", actor=actor, target=plan)
    return plan


def goal_grid(year: int) -> dict:
    """The year's plan (or None) and its goals by (office id, figure)."""
    plan = GoalPlan.objects.filter(year=year).first()
    goals = {}
    if plan is not None:
        goals = {(goal.office_id, goal.kpi): goal.target for goal in plan.goals.all()}
    return {"plan": plan, "goals": goals}


@dataclass
class Progress:
    """An office's goal of a figure in a year, what it has achieved so far, what the
    pro-rata of the year expects by now, and whether it is on track."""

    kpi: Kpi
    target: Decimal
    achieved: float
    expected: float

    @property
    def on_track(self) -> bool:
        return self.achieved >= self.expected

    @property
    def share(self) -> float | None:
        """The share of the year's goal achieved (%)."""
        return round(100 * self.achieved / float(self.target), 1) if self.target else None


def office_progress(office, year: int, today: datetime.date | None = None) -> list[Progress]:
    """The office's approved goals of `year` against what it achieved by `today` (or the
    year's end), and the share of the year gone by then."""
    today = today or timezone.localdate()
    plan = GoalPlan.objects.filter(year=year, approved_at__isnull=False).first()
    if plan is None or today.year < year:
        return []
    whole = periods.year(year)
    until = min(today, whole.end)
    gone = ((until - whole.start).days + 1) / whole.days
    period = periods.Period(whole.start, until)
    cut = Cut(period=period, offices=frozenset({office.pk}))
    found = rollups.stored([period], None).get(period)  # the year to date, or the whole year
    progress = []
    for goal in plan.goals.filter(office=office):
        kpi = BY_CODE[goal.kpi]
        if found is not None:
            figure = rollups.figures_for(kpi, cut, "office", found).get(office.pk)
        else:
            figure = kpi.figures(cut).get("all")
        achieved = float(figure.value or 0) if figure else 0.0
        progress.append(Progress(kpi, goal.target, achieved, round(float(goal.target) * gone, 1)))
    return sorted(progress, key=lambda item: GOAL_KPIS.index(item.kpi.code))


@dataclass
class OfficeGoals:
    """What an office's page says of a year's goals: whether the coordinator approved them,
    the office's progress against them, whether the year is over (each goal then met or
    not, rather than on track or behind), and the latest earlier year with approved goals."""

    year: int
    approved: bool
    over: bool
    progress: list[Progress]
    earlier: int | None


def office_goals(office, year: int, today: datetime.date | None = None) -> OfficeGoals:
    today = today or timezone.localdate()
    approved = GoalPlan.objects.filter(approved_at__isnull=False).order_by("-year")
    return OfficeGoals(
        year=year,
        approved=approved.filter(year=year).exists(),
        over=year < today.year,
        progress=office_progress(office, year, today),
        earlier=approved.filter(year__lt=year).values_list("year", flat=True).first(),
    )
