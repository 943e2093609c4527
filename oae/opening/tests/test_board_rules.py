"""The rules the board, the agreements list and the review's signal stand on, at their edges:
what comes first on the board, when a review is due, when an agreement is in force, and each
reason of the sustainability signal."""

import datetime

import pytest
from django.utils import timezone

from oae.network.models import OfficeStatus
from oae.opening import selectors, services
from oae.opening.models import ItemState, Path, Review
from oae.opening.tests.conftest import days_ago, pdf

pytestmark = pytest.mark.django_db


def _agreement(path, coordinator, signed_on, term_months=12):
    return services.agreement_record(
        actor=coordinator,
        municipality=path.municipality,
        data={
            "parties": "Xarxa OAE i Ajuntament",
            "signed_on": signed_on,
            "term_months": term_months,
            "renewal_on": signed_on + datetime.timedelta(days=10),
            "network_obligations": "Formació",
            "municipality_obligations": "Local",
        },
        upload=pdf(),
    )


def _rows():
    return selectors.board_rows(Path.objects.select_related("municipality", "office", "version"))


def test_the_stalled_path_comes_first_then_by_stage_and_town(path_a, path_b):
    rows = _rows()
    # Neither needs attention: the same stage, so by the town's name.
    names = [row.path.municipality.name for row in rows]
    assert names == sorted(names)
    last = rows[-1].path
    Path.objects.filter(pk=last.pk).update(
        last_evidence_at=timezone.now() - datetime.timedelta(days=200),
        started_on=days_ago(300),
    )
    rows = _rows()
    assert rows[0].path == last and rows[0].stalled and rows[0].reasons == ["stalled"]
    assert not rows[1].stalled and rows[1].attention == 0


def test_a_review_is_due_for_an_office_open_before_this_year_without_last_years(
    path_a, coordinator
):
    services.paths_refresh()
    state = ItemState.objects.get(path=path_a, review=None, item_key="office_open")
    assert state.done_at is not None
    row = next(r for r in _rows() if r.path == path_a)
    assert not row.review_due  # open since today: its first year is this one
    last_year = timezone.localdate().year - 1
    ItemState.objects.filter(pk=state.pk).update(done_at=timezone.now().replace(year=last_year))
    Review.objects.create(path=path_a, year=last_year - 1)  # an older review is not last year's
    row = next(r for r in _rows() if r.path == path_a)
    assert row.review_due and "review" in row.reasons and row.attention == 1
    Review.objects.create(path=path_a, year=last_year)
    assert not next(r for r in _rows() if r.path == path_a).review_due


def test_a_review_is_not_due_when_the_office_closed(path_a, office_a):
    services.paths_refresh()
    ItemState.objects.filter(path=path_a, item_key="office_open").update(
        done_at=timezone.now() - datetime.timedelta(days=800)
    )
    office_a.status = OfficeStatus.SUSPENDED
    office_a.save(update_fields=["status"])
    services.paths_refresh()
    assert not next(r for r in _rows() if r.path == path_a).review_due


def test_the_board_shows_the_latest_agreement_and_whether_it_expires(path_a, coordinator):
    today = timezone.localdate()
    _agreement(path_a, coordinator, today.replace(year=today.year - 3), term_months=12)
    latest = _agreement(path_a, coordinator, days_ago(300), term_months=12)  # ends in ~65 days
    row = next(r for r in _rows() if r.path == path_a)
    assert row.agreement == latest and row.agreement_expiring
    assert row.reasons == ["expiring"]


def test_an_agreement_is_in_force_on_its_signature_day_not_on_its_end(path_a, coordinator):
    today = timezone.localdate()
    signed_today = _agreement(path_a, coordinator, today, term_months=12)
    ended_today = _agreement(path_a, coordinator, today.replace(year=today.year - 1))
    rows = {row.agreement: row for row in selectors.agreement_rows([signed_today, ended_today])}
    assert rows[signed_today].in_force
    assert not rows[ended_today].in_force and not rows[ended_today].expiring


def test_the_scorecard_says_when_the_agreement_is_in_force(path_a, coordinator):
    today = timezone.localdate()
    agreement = _agreement(path_a, coordinator, today, term_months=12)
    card = selectors.scorecard(coordinator, path_a, today.year)
    assert card["agreement"] == {
        "in_force": True,
        "ends_on": str(agreement.ends_on),
        "expiring": True,  # its renewal is to be decided within 10 days
    }


def test_the_scorecard_of_an_office_no_longer_reported_has_no_figures(
    path_a, office_a, coordinator
):
    office_a.status = OfficeStatus.SUSPENDED
    office_a.save(update_fields=["status"])
    card = selectors.scorecard(coordinator, path_a, timezone.localdate().year)
    assert card["figures"] and all(
        f["value"] is None and f["per_10000"] is None for f in card["figures"]
    )
    assert card["agreement"] == {"in_force": False, "ends_on": None, "expiring": False}


@pytest.mark.parametrize(
    "figures, holds",
    [
        ([True, False], True),  # half met is enough
        ([True, False, False], False),
        ([None, None], False),  # no goal approved: nothing to judge
        ([], False),
    ],
)
def test_the_goals_reason_needs_half_of_the_judged_goals_met(figures, holds):
    card = {"figures": [{"code": "x", "value": 1, "met": met} for met in figures]}
    assert dict(selectors.sustainability(card).reasons)["goals"] is holds


@pytest.mark.parametrize("score, holds", [(7, True), (6.9, False), (10, True), (None, False)])
def test_the_satisfaction_reason_needs_seven_of_ten(score, holds):
    card = {"figures": [{"code": "satisfaction_mean", "value": score, "met": None}]}
    assert dict(selectors.sustainability(card).reasons)["satisfaction"] is holds


@pytest.mark.parametrize(
    "staff, holds",
    [
        ({"managers": 1, "advisors": 1}, True),
        ({"managers": 0, "advisors": 3}, False),
        ({"managers": 2, "advisors": 0}, False),
        ({"advisors": 1}, False),
        ({"managers": 1}, False),
    ],
)
def test_the_staff_reason_needs_a_manager_and_an_advisor(staff, holds):
    assert dict(selectors.sustainability({"staff": staff}).reasons)["staff"] is holds


def test_sustainable_only_when_every_reason_holds():
    card = {
        "figures": [
            {"code": "people_served", "value": 10, "met": True},
            {"code": "satisfaction_mean", "value": 8, "met": None},
        ],
        "staff": {"managers": 1, "advisors": 1},
        "agreement": {"in_force": True},
    }
    assert selectors.sustainability(card).sustainable
    card["agreement"]["in_force"] = False
    signal = selectors.sustainability(card)
    assert not signal.sustainable
    assert [code for code, holds in signal.reasons if not holds] == ["agreement"]
    assert not selectors.sustainability({}).sustainable
