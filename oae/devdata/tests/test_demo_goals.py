"""The demo's goals: last year's proposed from the population and approved by the coordinator,
a tenth above what the network did; this year's left for the coordinator; made once."""

import os
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from oae.accounts.models import User
from oae.devdata.demo.goals import COORDINATOR, goals_demo_load, rounded
from oae.network.models import Office, OfficeStatus
from oae.privacy.models import AuditEvent
from oae.reports import goals, periods
from oae.reports.kpis import ALL, BY_CODE, Cut
from oae.reports.models import Goal, GoalPlan

THIS_YEAR = timezone.localdate().year
LAST_YEAR = THIS_YEAR - 1


def _load_demo() -> None:
    call_command("load_demo_data", stdout=open(os.devnull, "w"))  # noqa: SIM115


def _goals_as_loaded() -> tuple:
    plans = list(GoalPlan.objects.values_list("year", "approved_at", "approved_by", "updated_at"))
    rows = list(Goal.objects.order_by("pk").values_list("pk", "plan", "office", "kpi", "target"))
    audited = AuditEvent.objects.filter(action__startswith="reports.goals").count()
    return plans, rows, audited


@pytest.mark.parametrize(
    ("value", "goal"),
    [
        ("0", "0"),
        ("7.6", "8"),
        ("23.4", "23"),
        ("398", "400"),
        ("1234567.8", "1200000"),
    ],
)
def test_a_network_goal_is_rounded_as_a_coordinator_writes_it(value, goal):
    assert rounded(Decimal(value)) == Decimal(goal)


@pytest.mark.django_db
def test_last_years_goals_are_approved_from_the_population_and_loaded_once():
    _load_demo()
    plan = GoalPlan.objects.get(year=LAST_YEAR)
    assert plan.approved and plan.approved_by.email == COORDINATOR
    assert not GoalPlan.objects.filter(year=THIS_YEAR).exists()  # the coordinator's to set

    open_offices = set(Office.objects.filter(status=OfficeStatus.OPEN).values_list("pk", flat=True))
    found = {(goal.office_id, goal.kpi): goal.target for goal in plan.goals.all()}
    assert set(found) == {(office, code) for office in open_offices for code in goals.GOAL_KPIS}
    assert all(target >= 0 for target in found.values())

    # Proposed through the service, which audited the network's goals it shared out.
    proposal = AuditEvent.objects.get(action="reports.goals.propose", target_id=str(plan.pk))
    cut = Cut(period=periods.year(LAST_YEAR), offices=frozenset(open_offices))
    for code in goals.GOAL_KPIS:
        network_goal = Decimal(proposal.details[code])
        shared = sum(target for (_office, kpi), target in found.items() if kpi == code)
        assert abs(shared - network_goal) <= Decimal("0.05") * len(open_offices)
        done = Decimal(str(BY_CODE[code].figures(cut)[ALL].value or 0))
        assert done <= network_goal <= done * Decimal("1.2")  # a tenth more, rounded
    assert Decimal(proposal.details["people_served"]) > 0

    loaded = _goals_as_loaded()
    assert goals_demo_load() == 0
    _load_demo()
    assert _goals_as_loaded() == loaded


@pytest.mark.django_db
def test_the_sant_boi_manager_sees_last_years_goals_met_or_not_and_waits_for_this_years():
    _load_demo()
    client = Client()
    client.cookies["django_language"] = "en"
    client.force_login(User.objects.get(email="gerent.santboi@xarxa-oae.example"))
    url = reverse("reports:office")
    page = client.get(url).content.decode()
    assert f"The coordinator has not approved the goals of {THIS_YEAR} yet." in page
    assert f'href="?kind=year&amp;year={LAST_YEAR}&amp;figure=' in page

    last = client.get(url, {"kind": "year", "year": str(LAST_YEAR)}).content.decode()
    assert f"Goals of {LAST_YEAR}" in last and "Expected by now" not in last
    results = last.count('status-ok">met<') + last.count('status-warn">not met<')
    assert results == len(goals.GOAL_KPIS)
