"""An open office's yearly review: opened once a year (only for a path with an office, for a
year begun) with its scorecard computed then and kept as it stood, its checklist (the same
machinery as the opening's), the meeting and the actions agreed, tracked to done; the
sustainability signal with its reasons."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from oae.network.models import Membership
from oae.opening import selectors, services
from oae.opening.models import ItemState, Review
from oae.opening.tests.conftest import STAFF_A, days_ago
from oae.privacy.models import AuditEvent
from oae.reports import goals
from oae.testing.factories import MunicipalityFactory
from oae.testing.reports import clients_served

LAST_YEAR = timezone.localdate().year - 1


@pytest.fixture
def served_last_year(path_a, people, office_a, office_b, coordinator):
    """Office A served 7 people last year (goal 5) and opened 7 cases (goal 50); office B
    served 3."""
    when = timezone.make_aware(datetime.datetime(LAST_YEAR, 5, 10, 10))  # noqa: DTZ001
    clients_served(office_a, people["advisor_a"], 7, when)
    clients_served(office_b, people["advisor_b"], 3, when)
    goals.goals_set(
        actor=coordinator,
        year=LAST_YEAR,
        targets={
            (office_a.pk, "people_served"): Decimal(5),
            (office_a.pk, "cases_opened"): Decimal(50),
        },
    )
    goals.goals_approve(actor=coordinator, year=LAST_YEAR)


@pytest.fixture
def review_a(path_a, coordinator):
    return services.review_open(actor=coordinator, path=path_a, year=LAST_YEAR)


def _review_state(review, key) -> ItemState | None:
    return ItemState.objects.filter(review=review, item_key=key).first()


def _review_done(review, key) -> bool:
    state = _review_state(review, key)
    return state is not None and state.done_at is not None


def _meeting(**overrides) -> dict:
    return {
        "met_on": datetime.date(LAST_YEAR + 1, 1, 20),
        "attendees": "Regidoria; direcció de l'oficina; coordinació",
        "findings": "Cal més difusió.",
    } | overrides


def _action(**overrides) -> dict:
    return {
        "title": "Campanya de difusió",
        "owner": "Direcció de l'oficina",
        "due_on": timezone.localdate() + datetime.timedelta(days=60),
    } | overrides


# Opening a review --------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_scorecard_compares_the_year_with_the_goals_and_the_network(
    served_last_year, path_a, coordinator
):
    card = selectors.scorecard(coordinator, path_a, LAST_YEAR)
    figures = {f["code"]: f for f in card["figures"]}
    assert list(figures) == list(selectors.SCORECARD_KPIS)
    assert figures["people_served"] == {
        "code": "people_served",
        "value": 7.0,
        "per_10000": 1.4,  # 7 people in a town of 50,000
        "median": 1.0,  # between office A's 1.4 and office B's 0.6
        "goal": 5.0,
        "met": True,
    }
    assert (figures["cases_opened"]["goal"], figures["cases_opened"]["met"]) == (50.0, False)
    assert (figures["jobs_created"]["goal"], figures["jobs_created"]["met"]) == (None, None)
    assert card["staff"] == STAFF_A
    assert card["agreement"] == {"in_force": False, "ends_on": None, "expiring": False}


@pytest.mark.django_db
def test_a_review_is_opened_with_the_years_scorecard_as_the_coordinator_sees_it(
    served_last_year, review_a, path_a, coordinator
):
    assert review_a.scorecard == selectors.scorecard(coordinator, path_a, LAST_YEAR)
    figures = {f["code"]: f for f in review_a.scorecard["figures"]}
    assert (review_a.scorecard["year"], figures["people_served"]["value"]) == (LAST_YEAR, 7.0)
    review_a.refresh_from_db()
    assert review_a.scorecard["staff"] == STAFF_A  # stored, not just shown


@pytest.mark.django_db
def test_a_review_keeps_its_scorecard_as_it_stood(served_last_year, review_a, people, office_a):
    Membership.objects.filter(user=people["advisor_a"], office=office_a).update(is_active=False)
    review_a.refresh_from_db()
    assert review_a.scorecard["staff"] == STAFF_A
    now = selectors.scorecard(people["coordinator"], review_a.path, LAST_YEAR)["staff"]
    assert (now["managers"], now["advisors"], now["team"]) == (1, 0, 1)


@pytest.mark.django_db
def test_opening_a_review_is_audited_under_the_office(review_a, office_a, coordinator):
    event = AuditEvent.objects.get(action="opening.review.open")
    assert (event.actor, event.office, event.details) == (
        coordinator,
        office_a,
        {"year": LAST_YEAR},
    )


@pytest.mark.django_db
def test_a_path_without_an_office_has_no_review(playbook_v1, coordinator):
    path = services.path_start(actor=coordinator, municipality=MunicipalityFactory())
    with pytest.raises(ValidationError) as error:
        services.review_open(actor=coordinator, path=path, year=LAST_YEAR)
    assert error.value.messages == ["A yearly review is for an office: this path has none yet."]
    assert not Review.objects.exists()


@pytest.mark.django_db
def test_a_year_not_yet_started_is_not_reviewed_but_this_one_may_be(path_a, coordinator):
    this_year = timezone.localdate().year
    with pytest.raises(ValidationError) as error:
        services.review_open(actor=coordinator, path=path_a, year=this_year + 1)
    assert error.value.messages == ["A year not yet started cannot be reviewed."]
    review = services.review_open(actor=coordinator, path=path_a, year=this_year)
    assert (review.year, review.scorecard["year"]) == (this_year, this_year)


@pytest.mark.django_db
def test_a_year_is_reviewed_once(review_a, coordinator):
    with pytest.raises(ValidationError) as error:
        services.review_open(actor=coordinator, path=review_a.path, year=LAST_YEAR)
    assert error.value.messages == [f"The review of {LAST_YEAR} is already open."]
    assert Review.objects.count() == 1


@pytest.mark.django_db
def test_a_review_refused_computes_no_scorecard(path_a, coordinator, monkeypatch):
    """The office, the year and a duplicate are checked first: the scorecard, which reads
    the whole network's figures, is computed only for a review that opens."""
    services.review_open(actor=coordinator, path=path_a, year=LAST_YEAR)
    no_office = services.path_start(actor=coordinator, municipality=MunicipalityFactory())

    def computed(*args, **kwargs):
        raise AssertionError("the scorecard was computed for a review refused")

    monkeypatch.setattr(selectors, "scorecard", computed)
    refused = [
        (no_office, LAST_YEAR, "A yearly review is for an office: this path has none yet."),
        (path_a, LAST_YEAR + 2, "A year not yet started cannot be reviewed."),
        (path_a, LAST_YEAR, f"The review of {LAST_YEAR} is already open."),
    ]
    for path, year, message in refused:
        with pytest.raises(ValidationError) as error:
            services.review_open(actor=coordinator, path=path, year=year)
        assert error.value.messages == [message]
    assert Review.objects.count() == 1


# The checklist, the meeting and the actions --------------------------------------------------


@pytest.mark.django_db
def test_the_reviews_checklist_takes_evidence_like_the_opening(review_a, coordinator):
    page = selectors.review_page(review_a)
    assert [v.item.key for v in page.items] == ["scorecard_read", "meeting_held", "actions_agreed"]
    assert not any(v.done for v in page.items)
    evidence = services.evidence_add(
        actor=coordinator,
        path=review_a.path,
        review=review_a,
        item_key="scorecard_read",
        note="Llegit amb l'alcaldia",
    )
    assert _review_state(review_a, "scorecard_read").evidence == evidence
    assert not ItemState.objects.filter(review=None, item_key="scorecard_read").exists()
    event = AuditEvent.objects.get(action="opening.evidence.add")
    assert event.details == {"item": "scorecard_read", "kind": "note", "review": LAST_YEAR}
    with pytest.raises(ValidationError, match="That item is not in this path's playbook."):
        services.evidence_add(
            actor=coordinator, path=review_a.path, review=review_a, item_key="first_meeting"
        )
    with pytest.raises(ValidationError, match="completes itself when a yearly review meeting"):
        services.evidence_add(
            actor=coordinator, path=review_a.path, review=review_a, item_key="meeting_held"
        )


@pytest.mark.django_db
def test_the_meeting_completes_the_reviews_item_and_the_openings_first_review(
    review_a, coordinator, office_a
):
    services.review_meeting_record(actor=coordinator, review=review_a, data=_meeting())
    review_a.refresh_from_db()
    assert review_a.met_on == datetime.date(LAST_YEAR + 1, 1, 20)
    assert review_a.findings == "Cal més difusió."
    assert _review_done(review_a, "meeting_held")
    opening_state = ItemState.objects.get(path=review_a.path, review=None, item_key="first_review")
    assert opening_state.done_at is not None and opening_state.by_fact
    event = AuditEvent.objects.get(action="opening.review.meeting")
    assert (event.office, event.details) == (office_a, {"met_on": f"{LAST_YEAR + 1}-01-20"})


@pytest.mark.django_db
def test_a_meeting_is_recorded_once_held_and_not_before_the_year_reviewed(review_a, coordinator):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as error:
        services.review_meeting_record(
            actor=coordinator, review=review_a, data=_meeting(met_on=tomorrow)
        )
    assert error.value.message_dict == {"met_on": ["Record a meeting once it has taken place."]}
    with pytest.raises(ValidationError) as error:
        services.review_meeting_record(
            actor=coordinator,
            review=review_a,
            data=_meeting(met_on=datetime.date(LAST_YEAR - 1, 12, 31)),
        )
    assert error.value.message_dict == {
        "met_on": [f"The review of {LAST_YEAR} is held in {LAST_YEAR} or later."]
    }
    services.review_meeting_record(
        actor=coordinator, review=review_a, data=_meeting(met_on=datetime.date(LAST_YEAR, 1, 1))
    )
    assert not _review_done(review_a, "actions_agreed")


@pytest.mark.django_db
def test_actions_are_agreed_due_from_today_and_complete_the_item(review_a, coordinator):
    with pytest.raises(ValidationError) as error:
        services.review_action_add(
            actor=coordinator, review=review_a, data=_action(due_on=days_ago(1))
        )
    assert error.value.message_dict == {"due_on": ["An agreed action is due today or later."]}
    assert not _review_done(review_a, "actions_agreed")
    action = services.review_action_add(
        actor=coordinator, review=review_a, data=_action(due_on=timezone.localdate())
    )
    assert (action.title, action.done_on) == ("Campanya de difusió", None)
    assert _review_done(review_a, "actions_agreed")
    assert AuditEvent.objects.get(action="opening.review.action_add").details == {
        "action": "Campanya de difusió"
    }


@pytest.mark.django_db
def test_an_action_is_tracked_to_done_and_may_open_again(review_a, coordinator):
    action = services.review_action_add(actor=coordinator, review=review_a, data=_action())
    services.review_action_done(actor=coordinator, action=action, done=True)
    action.refresh_from_db()
    assert action.done_on == timezone.localdate()
    page = selectors.path_page(review_a.path)
    assert page.reviews[0].open_actions == 0
    services.review_action_done(actor=coordinator, action=action, done=False)
    action.refresh_from_db()
    assert action.done_on is None
    assert selectors.path_page(review_a.path).reviews[0].open_actions == 1
    assert list(
        AuditEvent.objects.filter(action__startswith="opening.review.action_")
        .order_by("pk")
        .values_list("action", flat=True)
    ) == [
        "opening.review.action_add",
        "opening.review.action_done",
        "opening.review.action_reopen",
    ]


# The sustainability signal -------------------------------------------------------------------


def _card(figures=(), managers=1, advisors=1, in_force=True) -> dict:
    return {
        "figures": list(figures),
        "staff": {"managers": managers, "advisors": advisors},
        "agreement": {"in_force": in_force},
    }


def _figure(code="people_served", met=None, value=None) -> dict:
    return {"code": code, "met": met, "value": value}


SATISFIED = _figure("satisfaction_mean", value=8.2)


def test_an_office_meeting_every_reason_is_sustainable():
    signal = selectors.sustainability(_card([_figure(met=True), SATISFIED]))
    assert signal.sustainable
    assert signal.reasons == [
        ("goals", True),
        ("staff", True),
        ("satisfaction", True),
        ("agreement", True),
    ]


@pytest.mark.parametrize(
    ("met", "holds"),
    [
        ([True, False], True),  # half is enough
        ([True, False, False], False),
        ([False], False),
        ([], False),  # no goal approved
        ([True, None, None], True),  # figures without a goal are not judged
    ],
)
def test_goals_hold_when_at_least_half_of_those_set_are_met(met, holds):
    card = _card([_figure(f"kpi{n}", met=m) for n, m in enumerate(met)] + [SATISFIED])
    signal = selectors.sustainability(card)
    assert dict(signal.reasons)["goals"] is holds
    assert signal.sustainable is holds


@pytest.mark.parametrize(
    ("managers", "advisors", "holds"), [(1, 1, True), (0, 2, False), (2, 0, False)]
)
def test_staff_needs_a_manager_and_an_advisor(managers, advisors, holds):
    """And no post of the plan vacant (below)."""
    card = _card([_figure(met=True), SATISFIED], managers=managers, advisors=advisors)
    assert dict(selectors.sustainability(card).reasons)["staff"] is holds


@pytest.mark.parametrize(("score", "holds"), [(7.0, True), (6.9, False), (None, False)])
def test_satisfaction_is_7_of_10_or_more(score, holds):
    card = _card([_figure(met=True), _figure("satisfaction_mean", value=score)])
    assert dict(selectors.sustainability(card).reasons)["satisfaction"] is holds


def test_no_agreement_in_force_is_a_reason_and_an_empty_card_is_not_sustainable():
    card = _card([_figure(met=True), SATISFIED], in_force=False)
    signal = selectors.sustainability(card)
    assert not signal.sustainable and dict(signal.reasons)["agreement"] is False
    assert not selectors.sustainability({}).sustainable


# The board asks for the review -----------------------------------------------------------------


@pytest.mark.django_db
def test_an_office_open_before_this_year_without_last_years_review_needs_attention(
    path_a, coordinator
):
    (row,) = selectors.board_rows([path_a])
    assert not row.review_due  # opened this year: nothing to review yet
    ItemState.objects.filter(path=path_a, item_key="office_open").update(
        done_at=timezone.now() - datetime.timedelta(days=400)
    )
    (row,) = selectors.board_rows([path_a])
    assert row.review_due and "review" in row.reasons and row.attention
    services.review_open(actor=coordinator, path=path_a, year=LAST_YEAR)
    (row,) = selectors.board_rows([path_a])
    assert not row.review_due


@pytest.mark.django_db
def test_recording_the_meeting_keeps_the_scorecard_as_opened(
    served_last_year, review_a, people, office_a, coordinator
):
    opened = review_a.scorecard
    Membership.objects.filter(user=people["advisor_a"], office=office_a).update(is_active=False)
    services.review_meeting_record(actor=coordinator, review=review_a, data=_meeting())
    review_a.refresh_from_db()
    assert review_a.met_on == datetime.date(LAST_YEAR + 1, 1, 20)
    assert review_a.scorecard == opened and opened["staff"]["advisors"] == 1


def test_staff_is_not_in_place_with_a_post_of_the_plan_vacant():
    card = _card([_figure(met=True), SATISFIED])
    card["staff"] |= {"planned_fte": 3.0, "in_post_fte": 2.0, "vacant_fte": 1.0}
    assert dict(selectors.sustainability(card).reasons)["staff"] is False
    card["staff"]["vacant_fte"] = 0.0
    assert dict(selectors.sustainability(card).reasons)["staff"] is True
