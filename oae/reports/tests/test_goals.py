"""The network's goals: proposed from the population, edited, approved and then fixed; an
office's progress against the pro-rata of the year; each refusal a message on the page."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from oae.network.models import OfficeStatus
from oae.reports import goals
from oae.reports.models import Goal, GoalPlan
from oae.testing.reports import clients_served

YEAR = timezone.localdate().year


@pytest.fixture
def offices(people, office_a, office_b):
    """Office A's town has 30,000 inhabitants, office B's 90,000: a quarter and three."""
    for office, population in ((office_a, 30_000), (office_b, 90_000)):
        office.status = OfficeStatus.OPEN
        office.save(update_fields=["status"])
        office.municipality.population = population
        office.municipality.save(update_fields=["population"])
    return {"a": office_a, "b": office_b}


def _goal(office, code: str, year: int = YEAR) -> Decimal:
    return Goal.objects.get(plan__year=year, office=office, kpi=code).target


@pytest.mark.django_db
def test_the_proposal_shares_the_network_goal_by_population(people, offices):
    goals.goals_propose(
        actor=people["coordinator"], year=YEAR, network_targets={"people_served": Decimal(400)}
    )
    assert _goal(offices["a"], "people_served") == Decimal("100.0")
    assert _goal(offices["b"], "people_served") == Decimal("300.0")


@pytest.mark.django_db
def test_two_offices_of_one_town_share_its_population(people, offices):
    offices["b"].municipality = offices["a"].municipality
    offices["b"].save(update_fields=["municipality"])
    shares = goals.population_shares(goals.reported_offices())
    assert shares[offices["a"].pk] == shares[offices["b"].pk] == Decimal("0.5")


@pytest.mark.django_db
def test_goals_are_edited_until_approved_then_fixed(people, offices):
    coordinator = people["coordinator"]
    goals.goals_propose(
        actor=coordinator,
        year=YEAR,
        network_targets={"cases_opened": Decimal(80)},
    )
    goals.goals_set(
        actor=coordinator, year=YEAR, targets={(offices["a"].pk, "cases_opened"): Decimal(25)}
    )
    assert _goal(offices["a"], "cases_opened") == Decimal("25.0")
    goals.goals_approve(actor=coordinator, year=YEAR)
    with pytest.raises(ValidationError, match="approved"):
        goals.goals_set(
            actor=coordinator, year=YEAR, targets={(offices["a"].pk, "cases_opened"): 1}
        )
    with pytest.raises(ValidationError, match="approved"):
        goals.goals_propose(actor=coordinator, year=YEAR, network_targets={"cases_opened": 1})


@pytest.mark.django_db
def test_a_negative_goal_and_an_empty_approval_are_refused(people, offices):
    with pytest.raises(ValidationError, match="negative"):
        goals.goals_set(
            actor=people["coordinator"], year=YEAR, targets={(offices["a"].pk, "cases_opened"): -1}
        )
    with pytest.raises(ValidationError, match="Set the goals"):
        goals.goals_approve(actor=people["coordinator"], year=YEAR)


def _served(office, advisor, count: int, day: datetime.date) -> None:
    moment = datetime.datetime.combine(
        day, datetime.time(10), tzinfo=timezone.get_current_timezone()
    )
    clients_served(office, advisor, count, moment)


@pytest.mark.django_db
def test_progress_is_measured_against_the_pro_rata_of_the_year(people, offices):
    goals.goals_set(
        actor=people["coordinator"],
        year=YEAR,
        targets={
            (offices["a"].pk, "people_served"): Decimal(100),
            (offices["a"].pk, "cases_opened"): Decimal(10),
        },
    )
    goals.goals_approve(actor=people["coordinator"], year=YEAR)
    _served(offices["a"], people["advisor_a"], 6, datetime.date(YEAR, 1, 10))
    mid_year = datetime.date(YEAR, 7, 1)  # 182 of 365 (or 366) days gone
    progress = {item.kpi.code: item for item in goals.office_progress(offices["a"], YEAR, mid_year)}
    served, opened = progress["people_served"], progress["cases_opened"]
    assert served.achieved == 6 and 49 <= served.expected <= 50 and not served.on_track
    assert opened.achieved == 6 and opened.expected <= 5 and opened.on_track
    assert served.share == 6.0


@pytest.mark.django_db
def test_draft_goals_are_not_followed(people, offices):
    goals.goals_set(
        actor=people["coordinator"], year=YEAR, targets={(offices["a"].pk, "people_served"): 5}
    )
    assert goals.office_progress(offices["a"], YEAR) == []


@pytest.mark.django_db
def test_the_coordinator_proposes_edits_and_approves_through_the_page(client_for, offices):
    client = client_for("coordinator")
    url = reverse("reports:goals") + f"?year={YEAR}"
    client.post(url, {"action": "propose", "people_served": "400"})
    assert _goal(offices["b"], "people_served") == Decimal("300.0")
    field = f"goal_{offices['a'].pk}_people_served"
    client.post(url, {"action": "save", field: "120"})
    assert _goal(offices["a"], "people_served") == Decimal("120.0")
    refused = client.post(url, {"action": "approve"}, follow=True)
    assert "Tick the box to confirm" in refused.content.decode()
    client.post(url, {"action": "approve", "confirm": "on"})
    assert GoalPlan.objects.get(year=YEAR).approved
    page = client.get(url).content.decode()
    assert "these goals no longer change" in page and 'name="action" value="save"' not in page


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"action": "propose"}, "Give the network"),
        ({"action": "propose", "people_served": "-5"}, "greater than or equal to 0"),
        ({"action": "propose", "people_served": "abc"}, "Enter a number"),
    ],
)
def test_a_bad_goal_is_answered_on_the_page(client_for, offices, data, message):
    response = client_for("coordinator").post(reverse("reports:goals"), data)
    assert response.status_code == 200 and message in response.content.decode()
    assert not Goal.objects.exists()


@pytest.mark.django_db
def test_only_the_coordinator_sets_goals_and_offices_do_not_open_the_page(client_for, offices):
    url = reverse("reports:goals")
    assert client_for("auditor").get(url).status_code == 200
    assert (
        client_for("auditor").post(url, {"action": "propose", "people_served": "4"}).status_code
        == 403
    )
    assert client_for("manager_a").get(url).status_code == 403
    assert not Goal.objects.exists()


@pytest.mark.django_db
def test_the_office_page_shows_its_progress(client_for, people, offices):
    goals.goals_set(
        actor=people["coordinator"], year=YEAR, targets={(offices["a"].pk, "people_served"): 100}
    )
    goals.goals_approve(actor=people["coordinator"], year=YEAR)
    page = client_for("manager_a").get(reverse("reports:office")).content.decode()
    assert f"Goals of {YEAR}" in page and "Expected by now" in page


def _approve(people, year: int, targets: dict) -> None:
    goals.goals_set(actor=people["coordinator"], year=year, targets=targets)
    goals.goals_approve(actor=people["coordinator"], year=year)


@pytest.mark.django_db
def test_the_office_page_says_whether_last_years_goals_were_met(client_for, people, offices):
    last = YEAR - 1
    _approve(
        people,
        last,
        {
            (offices["a"].pk, "people_served"): Decimal(5),
            (offices["a"].pk, "cases_opened"): Decimal(10),
        },
    )
    _served(offices["a"], people["advisor_a"], 6, datetime.date(last, 3, 10))
    page = client_for("manager_a").get(
        reverse("reports:office"), {"kind": "year", "year": str(last)}
    )
    page = page.content.decode()
    assert "Expected by now" not in page
    section = page[page.index(f"Goals of {last}") :]
    served = section[section.index("People served") :]
    assert 'status-ok">met<' in served[: served.index("</tr>")]  # 6 of 5
    opened = section[section.index("Cases opened") :]
    assert 'status-warn">not met<' in opened[: opened.index("</tr>")]  # 6 of 10


@pytest.mark.django_db
def test_without_this_years_approval_the_office_page_says_so_and_links_last_years(
    client_for, people, offices
):
    _approve(people, YEAR - 1, {(offices["a"].pk, "people_served"): Decimal(5)})
    goals.goals_set(
        actor=people["coordinator"], year=YEAR, targets={(offices["a"].pk, "people_served"): 9}
    )  # a draft: not shown to offices
    page = client_for("manager_a").get(reverse("reports:office")).content.decode()
    assert f"The coordinator has not approved the goals of {YEAR} yet." in page
    assert "Expected by now" not in page
    assert f'href="?kind=year&amp;year={YEAR - 1}&amp;figure=people_served"' in page
    earlier = client_for("manager_a").get(
        reverse("reports:office"), {"kind": "year", "year": str(YEAR - 1)}
    )
    assert "not met" in earlier.content.decode()  # no one served: 0 of 5


@pytest.mark.django_db
def test_an_office_page_without_goals_says_why(client_for, people, offices):
    manager = client_for("manager_a")
    page = manager.get(reverse("reports:office")).content.decode()
    assert f"The coordinator has not approved the goals of {YEAR} yet." in page
    assert "How the office did against the goals" not in page  # no earlier year to show
    before = manager.get(reverse("reports:office"), {"kind": "year", "year": str(YEAR - 3)})
    assert f"No goals were approved for {YEAR - 3}." in before.content.decode()
    _approve(people, YEAR, {(offices["b"].pk, "people_served"): Decimal(5)})
    page = manager.get(reverse("reports:office")).content.decode()
    assert f"The approved goals of {YEAR} set none for this office." in page
