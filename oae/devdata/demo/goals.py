"""Last year's goals in the demo, proposed from the population and approved by the demo's
coordinator, so that an office's manager sees which goals the office met. This year's are
left for the coordinator to propose, edit and approve in the demo. Made once: a year's plan,
once there, is never touched again."""

from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.utils import timezone

from oae.accounts.models import User
from oae.reports import goals, periods
from oae.reports.kpis import ALL, BY_CODE, Cut
from oae.reports.models import GoalPlan
from oae.reports.selectors import reported_offices

COORDINATOR = "coordinacio@xarxa-oae.example"
# The network aims a tenth higher than what its open offices did in the year.
AMBITION = Decimal("1.1")


def rounded(value: Decimal) -> Decimal:
    """A goal as a coordinator writes it: two significant digits (398 → 400, 23.4 → 23,
    1,234,567 € → 1,200,000 €); under 10, a whole number."""
    if value < 10:
        return value.quantize(Decimal(1), rounding=ROUND_HALF_UP)
    step = Decimal(10) ** (value.adjusted() - 1)
    return (value / step).quantize(Decimal(1), rounding=ROUND_HALF_UP) * step


def network_goals(year: int, offices) -> dict[str, Decimal]:
    """Each goal figure's network goal for `year`: what the offices did in it, and a tenth
    more, rounded."""
    cut = Cut(period=periods.year(year), offices=frozenset(office.pk for office in offices))
    targets = {}
    for code in goals.GOAL_KPIS:
        figure = BY_CODE[code].figures(cut).get(ALL)
        done = Decimal(str(figure.value or 0)) if figure else Decimal(0)
        targets[code] = rounded(done * AMBITION)
    return targets


@transaction.atomic
def goals_demo_load() -> int:
    """Last year's goals, proposed and approved through the goals' services as the demo's
    coordinator; how many goals were set (0 when the year has a plan already, or when the
    demo has no coordinator, open office or activity of that year to set them from)."""
    year = timezone.localdate().year - 1
    if GoalPlan.objects.filter(year=year).exists():
        return 0
    coordinator = User.objects.filter(email=COORDINATOR).first()
    offices = list(reported_offices())
    if coordinator is None or not offices:
        return 0
    targets = network_goals(year, offices)
    if not any(targets.values()):
        return 0
    goals.goals_propose(actor=coordinator, year=year, network_targets=targets)
    return goals.goals_approve(actor=coordinator, year=year).goals.count()
