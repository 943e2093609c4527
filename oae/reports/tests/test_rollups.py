"""The dashboards' rollups equal the raw figures: after any writes (sessions, cases opened,
closed and reopened, outcomes, surveys, merges, erasures) and a refresh, every rolled period's
figures, per office and for the network, are the figures `reports.kpis` computes from the raw
tables; a period a write touched is never read from a stale rollup past its age; and the
triggers note the days writes touch, and only those."""

import datetime
from decimal import Decimal

import pytest
from django.db import transaction
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from oae.cases.models import Attachment, Case, Outcome, Session, SurveyResponse
from oae.cases.services import case_close, case_reopen
from oae.crm.models import Person
from oae.crm.privacy_services import person_erase
from oae.crm.services import person_merge
from oae.reports import rollups
from oae.reports.kpis import KPIS, Cut
from oae.reports.models import FigureRollup, RollupPeriod, TouchedDays
from oae.reports.selectors import reported_office_ids
from oae.reports.tasks import refresh_rollups

pytestmark = pytest.mark.django_db


def _at(days_ago: int, hour: int = 10) -> datetime.datetime:
    day = timezone.localdate() - datetime.timedelta(days=days_ago)
    return datetime.datetime.combine(
        day, datetime.time(hour), tzinfo=timezone.get_current_timezone()
    )


def _assert_rollups_equal_raw(offices: frozenset[int], today: datetime.date) -> None:
    for period in rollups.rolled_periods(today):
        found = rollups.stored([period], offices).get(period)
        assert found is not None, f"{period} is not rolled up"
        cut = Cut(period=period, offices=offices)
        for kpi in KPIS:
            by_office = rollups.figures_for(kpi, cut, "office", found)
            assert by_office == kpi.figures(cut, "office"), (period, kpi.code)
            total = rollups.figures_for(kpi, cut, None, found)
            assert total == kpi.figures(cut, None), (period, kpi.code, "total")
            for group in rollups.PARTS.get(kpi.code, ()):
                parts = rollups.figures_for(kpi, cut, ("office", group), found)
                assert parts == kpi.figures(cut, ("office", group)), (period, kpi.code, group)


class World:
    """Offices, an advisor and the records the operations write."""

    def __init__(self, people, offices):
        self.actor = people["coordinator"]
        self.advisor = people["advisor_a"]
        self.offices = offices
        self.people = [
            Person.objects.create(office=o, first_name=f"P{n}") for n, o in enumerate(offices * 2)
        ]
        self.cases = []

    def case(self, person: int, office: int, days_ago: int) -> None:
        self.cases.append(
            Case.objects.create(
                reference=f"R-{len(self.cases)}-{Case.objects.count()}",
                office=self.offices[office % len(self.offices)],
                person=self._person(person),
                service_code="crear",
                service_name="crear",
                assigned_to=self.advisor,
                opened_at=_at(days_ago, 9),
            )
        )

    def _person(self, index: int) -> Person:
        alive = [p for p in self.people if not p.merged_into_id]
        return alive[index % len(alive)]

    def _case(self, index: int) -> Case | None:
        if not self.cases:
            return None
        return Case.objects.get(pk=self.cases[index % len(self.cases)].pk)

    def session(self, case: int, days_ago: int, minutes: int) -> None:
        found = self._case(case)
        if found is None:
            return
        Session.objects.create(
            case=found,
            office=found.office,
            person=found.person,
            advisor=self.advisor,
            started_at=max(_at(days_ago, 11), found.opened_at),
            duration_minutes=minutes,
            channel="in_person",
        )

    def close(self, case: int) -> None:
        found = self._case(case)
        if found is not None and not found.is_closed:
            case_close(
                actor=self.advisor,
                case=found,
                reason="goals_met",
                note="",
                expected_version=found.lock_version,
            )

    def reopen(self, case: int) -> None:
        found = self._case(case)
        if found is not None and found.is_closed:
            case_reopen(
                actor=self.advisor, case=found, reason="Torna", expected_version=found.lock_version
            )

    def outcome(self, case: int, days_ago: int, amount: int) -> None:
        found = self._case(case)
        if found is None:
            return
        evidence = Attachment.objects.create(
            case=found, file="e.pdf", original_name="e.pdf", content_type="application/pdf", size=1
        )
        Outcome.objects.create(
            case=found,
            kind="financing",
            verification="verified",
            evidence=evidence,
            amount=Decimal(amount) + Decimal("0.25"),
            financing_type="loan",
            occurred_on=timezone.localdate() - datetime.timedelta(days=days_ago),
        )

    def survey(self, case: int, days_ago: int, score: int) -> None:
        found = self._case(case)
        if found is None or hasattr(found, "survey"):
            return
        SurveyResponse.objects.create(
            case=found,
            office=found.office,
            sent_at=_at(days_ago),
            answered_at=_at(days_ago, 12),
            score=score,
        )

    def merge(self, first: int, second: int) -> None:
        survivor, absorbed = self._person(first), self._person(second)
        if survivor.pk != absorbed.pk:
            person_merge(actor=self.actor, survivor=survivor, absorbed=absorbed, take=set())
            absorbed.refresh_from_db()
            survivor.refresh_from_db()
            self.people = [Person.objects.get(pk=p.pk) for p in self.people]

    def erase(self, person: int) -> None:
        person_erase(actor=self.actor, person=self._person(person))


DAYS = st.integers(min_value=0, max_value=330)
INDEX = st.integers(min_value=0, max_value=20)
OPERATIONS = st.lists(
    st.one_of(
        st.tuples(st.just("case"), INDEX, INDEX, DAYS),
        st.tuples(st.just("session"), INDEX, DAYS, st.integers(min_value=15, max_value=180)),
        st.tuples(st.just("close"), INDEX),
        st.tuples(st.just("reopen"), INDEX),
        st.tuples(st.just("outcome"), INDEX, DAYS, st.integers(min_value=0, max_value=90_000)),
        st.tuples(st.just("survey"), INDEX, DAYS, st.integers(min_value=0, max_value=10)),
        st.tuples(st.just("merge"), INDEX, INDEX),
        st.tuples(st.just("erase"), INDEX),
    ),
    min_size=1,
    max_size=14,
)


def _apply(world: World, operations) -> None:
    for name, *arguments in operations:
        getattr(world, name)(*arguments)


@pytest.fixture
def one_year(monkeypatch):
    """This year's periods only: the property holds for any window, a short one runs fast."""
    monkeypatch.setattr(rollups, "YEARS", 1)


@settings(
    max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(first=OPERATIONS, then=OPERATIONS)
def test_rollups_equal_the_raw_figures_after_any_writes(
    first, then, one_year, people, office_a, office_b, django_capture_on_commit_callbacks
):
    today = timezone.localdate()
    with transaction.atomic():
        world = World(people, [office_a, office_b])
        offices = reported_office_ids()
        _apply(world, first)
        rollups.rollups_refresh(offices, today)
        _assert_rollups_equal_raw(offices, today)
        assert not TouchedDays.objects.exists()  # every touch dealt with
        _apply(world, then)
        rollups.rollups_refresh(offices, today)  # only the touched periods again
        _assert_rollups_equal_raw(offices, today)
        transaction.set_rollback(True)


def test_a_refresh_computes_only_the_periods_writes_touched(one_year, people, office_a):
    today = timezone.localdate()
    offices = reported_office_ids()
    world = World(people, [office_a])
    world.case(0, 0, 200)
    first = rollups.rollups_refresh(offices, today)
    assert first == len(rollups.rolled_periods(today))
    assert rollups.rollups_refresh(offices, today) == 0  # nothing touched: nothing computed
    world.session(0, 200, 60)  # one day, ~200 days ago
    again = rollups.rollups_refresh(offices, today)
    assert 0 < again < first  # its month, quarter, the year (and the year to date)


@override_settings(REPORTS_ROLLUP_MAX_AGE=0)
def test_a_touched_period_is_read_raw_once_its_rollup_is_too_old(one_year, people, office_a):
    today = timezone.localdate()
    offices = reported_office_ids()
    world = World(people, [office_a])
    world.case(0, 0, 1)
    rollups.rollups_refresh(offices, today)
    month = rollups.rolled_periods(today)[-3]  # this month
    assert rollups.stored([month], offices)
    world.session(0, 0, 60)
    assert not rollups.stored([month], offices)  # touched: the dashboard reads it raw


def test_a_young_touched_rollup_is_read_as_of_when_it_was_computed(one_year, people, office_a):
    today = timezone.localdate()
    offices = reported_office_ids()
    world = World(people, [office_a])
    world.case(0, 0, 1)
    rollups.rollups_refresh(offices, today)
    year = rollups.periods.year(today.year)
    assert not rollups.stored([year], offices)[year].touched
    world.session(0, 0, 60)
    found = rollups.stored([year], offices)[year]
    assert found.touched
    assert found.computed_at <= timezone.now()


def test_the_dashboard_says_as_of_when_it_reads_a_touched_rollup(client, people, office_a):
    world = World(people, [office_a])
    world.case(0, 0, 1)
    refresh_rollups()
    for persona in ("auditor", "manager_a"):
        people[persona].language = "en"  # the pages below read in English
        people[persona].save(update_fields=["language"])
    client.force_login(people["auditor"])
    page = client.get(reverse("reports:network")).content.decode()
    assert "Figures as of" not in page  # current
    world.session(0, 0, 60)
    page = client.get(reverse("reports:network")).content.decode()
    assert "Figures as of" in page
    client.force_login(people["manager_a"])
    page = client.get(reverse("reports:office")).content.decode()
    assert "Figures as of" in page


def _touches() -> list[tuple]:
    return list(TouchedDays.objects.order_by("pk").values_list("first", "last"))


def test_the_triggers_note_the_days_writes_touch(people, office_a):
    world = World(people, [office_a])
    TouchedDays.objects.all().delete()
    world.case(0, 0, 40)
    opened = timezone.localdate() - datetime.timedelta(days=40)
    touches = _touches()
    assert len(touches) == 1  # an opening changes the open cases of every later day
    assert touches[0][0] <= opened and touches[0][1] is None

    TouchedDays.objects.all().delete()
    world.session(0, 10, 60)
    day = timezone.localdate() - datetime.timedelta(days=10)
    touched = [(first, last) for first, last in _touches()]
    assert any(first <= day <= last for first, last in touched)  # the session's day
    assert any(first <= opened <= last for first, last in touched)  # its case's waiting time

    TouchedDays.objects.all().delete()
    Session.objects.update(private_notes="Nothing a figure reads")
    Case.objects.update(last_contact_at=timezone.now())
    assert _touches() == []  # columns no figure reads touch nothing

    Case.objects.update(office=people["advisor_b"].memberships.first().office)
    assert _touches()[-1] == (datetime.date(1900, 1, 1), None)  # a move: every day


def test_the_beat_refreshes_the_rollups(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["reports-rollups"]
    assert entry["task"] == "oae.reports.tasks.refresh_rollups"
    assert entry["schedule"] <= 15 * 60


def test_periods_no_longer_kept_are_dropped(one_year, people, office_a):
    offices = reported_office_ids()
    rollups.rollups_refresh(offices, timezone.localdate() - datetime.timedelta(days=1))
    rollups.rollups_refresh(offices, timezone.localdate())
    kept = set(rollups.rolled_periods(timezone.localdate()))
    for row in RollupPeriod.objects.all():
        assert rollups.Period(row.start, row.end) in kept
    assert FigureRollup.objects.filter(period__in=RollupPeriod.objects.all()).exists()
