"""Each figure's rules pinned on small networks written in the test: the period's bounds at
midnight local time on both ends, the cut's filters, groups (one or several at once), what
counts and what does not (verified vs declared, answered vs not), medians of odd and even
counts, and "no data" where there is nothing to divide."""

import datetime
from decimal import Decimal

import pytest
from django.db.models import Q
from django.utils import timezone

from oae.cases.models import Referral, ReferralStatus, SurveyResponse
from oae.reports import kpis, periods
from oae.reports.kpis import ALL, BY_CODE, Cut, Figure
from oae.reports.periods import Period
from oae.reports.tests.test_kpis import (
    MARCH,
    _at,
    _case,
    _outcome,
    _person,
    _session,
    _value,
)
from oae.reports.tests.test_kpis import network as _network

network = _network  # the worked network of test_kpis, as a fixture of this module too


def _local(year, month, day, hour=0, minute=0) -> datetime.datetime:
    return datetime.datetime(year, month, day, hour, minute, tzinfo=timezone.get_current_timezone())


def _figures(code: str, cut: Cut, by=None) -> dict:
    return {key: figure.value for key, figure in BY_CODE[code].figures(cut, by).items()}


def _people(code: str, cut: Cut, by=None, key=ALL) -> int:
    return BY_CODE[code].figures(cut, by)[key].people


def _day(day: int) -> Cut:
    """A cut of one day of March."""
    return Cut(Period(datetime.date(2026, 3, day), datetime.date(2026, 3, day)))


def _survey(case, score, day=21) -> SurveyResponse:
    return SurveyResponse.objects.create(
        case=case, office=case.office, sent_at=_at(day), answered_at=_at(day), score=score
    )


def _referral(case, to_office, advisor, *, sent, answered=None, status=ReferralStatus.PENDING):
    referral = Referral.objects.create(
        case=case,
        from_office=case.office,
        to_office=to_office,
        to_service_code="crear",
        to_service_name="crear",
        status=status,
        created_by=advisor,
        responded_at=answered,
    )
    Referral.objects.filter(pk=referral.pk).update(created_at=sent)  # auto_now_add
    return referral


@pytest.fixture
def desk(people, office_a):
    """Office A with one client, ready for a case opened at the moment a test says."""
    return {"office": office_a, "advisor": people["advisor_a"], "person": _person(office_a)}


def _open(desk, opened, closed=None, service="crear"):
    return _case(
        desk["office"],
        desk["person"],
        desk["advisor"],
        opened=opened,
        closed=closed,
        service=service,
    )


# The period's bounds: from midnight (local time) of its first day, to midnight after its last.


@pytest.mark.django_db
def test_a_session_at_midnight_of_the_first_day_counts_and_one_at_midnight_after_does_not(desk):
    case = _open(desk, _local(2026, 2, 1))
    _session(case, at=_local(2026, 2, 28, 23, 59))  # February's last minute
    _session(case, at=_local(2026, 3, 1))  # March's first moment
    _session(case, at=_local(2026, 3, 31, 23, 59))  # March's last minute
    _session(case, at=_local(2026, 4, 1))  # April's first moment
    assert _value("sessions", Cut(MARCH)) == 2
    assert _value("sessions", Cut(periods.month(2026, 2))) == 1
    assert _value("sessions", Cut(periods.month(2026, 4))) == 1


@pytest.mark.django_db
def test_cases_opened_and_closed_count_by_local_midnight(desk):
    _open(desk, _local(2026, 3, 1), closed=_local(2026, 4, 1))  # opened in March, closed in April
    _open(desk, _local(2026, 4, 1))  # opened in April
    _open(desk, _local(2026, 2, 28, 23, 59), closed=_local(2026, 3, 31, 23, 59))
    assert _value("cases_opened", Cut(MARCH)) == 1
    assert _value("cases_closed", Cut(MARCH)) == 1
    assert _value("cases_closed", Cut(periods.month(2026, 4))) == 1


@pytest.mark.django_db
def test_open_cases_are_those_open_at_the_end_of_the_last_day(desk):
    _open(desk, _local(2026, 1, 5))  # never closed: open
    _open(desk, _local(2026, 3, 2), closed=_local(2026, 4, 1))  # closed at midnight after: open
    _open(desk, _local(2026, 3, 2), closed=_local(2026, 3, 31, 23, 59))  # closed in time
    _open(desk, _local(2026, 4, 1))  # opened at midnight after: not yet
    _open(desk, _local(2026, 3, 31, 23, 59))  # opened on the last minute: open
    assert _value("cases_open", Cut(MARCH)) == 3
    assert _value("cases_open", Cut(periods.month(2026, 2))) == 1  # only January's
    assert _value("cases_open", Cut(MARCH), "advisor", desk["advisor"].pk) == 3
    assert _people("cases_open", Cut(MARCH)) == 1  # one client


@pytest.mark.django_db
def test_open_cases_follow_the_cut(network):
    assert _value("cases_open", Cut(MARCH, offices=frozenset({network["a"].pk}))) == 2
    assert _value("cases_open", Cut(MARCH, service="finançar")) == 1
    assert _figures("cases_open", Cut(MARCH), "office") == {network["a"].pk: 2, network["b"].pk: 2}


@pytest.mark.django_db
def test_outcomes_count_by_their_day_within_the_period(network):
    assert _value("businesses_verified", _day(19)) == 1
    assert _value("businesses_verified", _day(18)) == 0
    assert _value("businesses_verified", _day(20)) == 0
    assert _value("financing", _day(28)) == Decimal("25000")


# The cut: offices (a client of two offices counted once over both), municipality, service,
# advisor.


@pytest.mark.django_db
def test_a_cut_of_offices_municipality_service_and_advisor(network, people):
    a, b = network["a"], network["b"]
    assert _value("sessions", Cut(MARCH, offices=frozenset({a.pk}))) == 4
    assert _value("sessions", Cut(MARCH, offices=frozenset({b.pk}))) == 1
    assert _value("sessions", Cut(MARCH, offices=frozenset())) == 0  # no office: nothing
    assert _value("sessions", Cut(MARCH, municipality=b.municipality_id)) == 1
    assert _value("sessions", Cut(MARCH, municipality=a.municipality_id)) == 4
    assert _value("sessions", Cut(MARCH, service="finançar")) == 1
    assert _value("sessions", Cut(MARCH, advisor=people["advisor_b"].pk)) == 1
    assert _value("advice_hours", Cut(MARCH, advisor=people["advisor_b"].pk)) == 2.0
    both = Cut(MARCH, offices=frozenset({a.pk, b.pk}))
    assert _value("people_served", both) == 2  # Anna once, Biel
    assert _value("people_served", Cut(MARCH, offices=frozenset({b.pk}))) == 1


@pytest.mark.django_db
def test_the_cut_applies_to_every_source(network, people):
    b = network["b"]
    only_b = Cut(MARCH, offices=frozenset({b.pk}))
    assert _value("satisfaction_mean", only_b) == 10.0
    assert _value("referrals_sent", only_b) == 0
    assert _value("referrals_sent", Cut(MARCH, advisor=network["advisor_a"].pk)) == 2
    assert _value("referrals_sent", Cut(MARCH, service="crear")) == 1
    assert _value("businesses_verified", Cut(MARCH, municipality=b.municipality_id)) == 0
    assert _value("waiting_days", only_b) == 4
    assert _value("cases_opened", Cut(MARCH, advisor=people["advisor_b"].pk)) == 1


# Groups: one at a time, or several at once keyed by tuples; a group a source does not have
# gives nothing rather than a wrong figure.


@pytest.mark.django_db
def test_figures_grouped_by_each_group(network, people):
    a, b = network["a"], network["b"]
    assert _figures("sessions", Cut(MARCH), "office") == {a.pk: 4, b.pk: 1}
    assert _figures("sessions", Cut(MARCH), "municipality") == {
        a.municipality_id: 4,
        b.municipality_id: 1,
    }
    assert _figures("sessions", Cut(MARCH), "service") == {"crear": 4, "finançar": 1}
    assert _figures("sessions", Cut(MARCH), "advisor") == {
        people["advisor_a"].pk: 4,
        people["advisor_b"].pk: 1,
    }
    assert _figures("people_served", Cut(MARCH), "office") == {a.pk: 2, b.pk: 1}
    assert _figures("sessions", Cut(MARCH), "channel") == {"in_person": 4, "phone": 1}
    assert _figures("financing", Cut(MARCH), "financing_type") == {"loan": Decimal("25000")}


@pytest.mark.django_db
def test_figures_grouped_by_a_tuple_of_groups_are_keyed_by_tuples(network):
    a, b = network["a"], network["b"]
    assert _figures("sessions", Cut(MARCH), ("office", "service")) == {
        (a.pk, "crear"): 3,
        (a.pk, "finançar"): 1,
        (b.pk, "crear"): 1,
    }
    assert _figures("advice_hours", Cut(MARCH), ("office", "channel")) == {
        (a.pk, "in_person"): 3.2,  # 90 + 60 + 45 = 195 minutes
        (a.pk, "phone"): 0.5,
        (b.pk, "in_person"): 2.0,
    }
    assert _figures("sessions", Cut(MARCH), ("office",)) == {(a.pk,): 4, (b.pk,): 1}


@pytest.mark.django_db
def test_a_group_the_source_does_not_have_gives_no_figures(network):
    assert BY_CODE["sessions"].figures(Cut(MARCH), "financing_type") == {}
    assert BY_CODE["new_clients"].figures(Cut(MARCH), "service") == {}
    assert BY_CODE["sessions"].figures(Cut(MARCH), ("office", "financing_type")) == {}
    assert BY_CODE["waiting_days"].figures(Cut(MARCH), "channel") == {}
    assert BY_CODE["referral_answer_days"].figures(Cut(MARCH), "channel") == {}
    assert BY_CODE["satisfaction_high"].figures(Cut(MARCH), "channel") == {}


# What counts: verified outcomes only for impact, of their own kind.


@pytest.mark.django_db
def test_each_impact_figure_counts_only_verified_outcomes_of_its_kind(network, desk):
    case = _open(desk, _at(2))
    _outcome(case, "jobs_kept", 3, jobs_fte=Decimal("2"))
    _outcome(case, "jobs_kept", 3, "declared", jobs_fte=Decimal("7"))
    _outcome(case, "procedure", 3)
    _outcome(case, "procedure", 4, "declared")
    _outcome(case, "training", 3)
    _outcome(case, "training", 5)
    _outcome(case, "training", 5, "declared")
    _outcome(case, "international", 6)
    cut = Cut(MARCH)
    assert _value("jobs_kept", cut) == Decimal("2")
    assert _value("jobs_created", cut) == Decimal("1.5")  # not the jobs kept
    assert _value("procedures", cut) == 1
    assert _value("training", cut) == 2
    assert _value("businesses_verified", cut) == 1  # not the other verified outcomes
    assert _value("businesses_declared", cut) == 1  # not the other declared outcomes
    assert _value("financing", cut) == Decimal("25000")


@pytest.mark.django_db
def test_totals_of_a_period_without_rows_are_zero_not_no_data(network):
    empty = Cut(periods.month(2025, 1))
    for code in ("advice_hours", "jobs_created", "jobs_kept", "financing"):
        assert _value(code, empty) == 0, code
        assert _people(code, empty) == 0
    for code in ("sessions", "cases_opened", "referrals_sent", "businesses_verified"):
        assert _value(code, empty) == 0, code
    assert _value("people_served", empty) == 0


@pytest.mark.django_db
def test_hours_are_the_minutes_over_sixty_rounded_to_a_tenth(desk):
    case = _open(desk, _at(2))
    _session(case, at=_at(3), minutes=50)
    _session(case, at=_at(4), minutes=25)  # 75 minutes: 1.25 hours
    assert _value("advice_hours", Cut(MARCH)) == 1.2
    assert _value("advice_hours", Cut(MARCH), "office", desk["office"].pk) == 1.2


# Medians: of the days, odd and even counts; never below zero.


@pytest.mark.django_db
def test_waiting_days_median_of_an_odd_and_an_even_count(desk):
    for day, waited in ((2, 1), (3, 2), (4, 10)):
        case = _open(desk, _at(day))
        _session(case, at=_at(day + waited))
        _session(case, at=_at(day + waited + 1))  # later sessions do not count
    assert _value("waiting_days", Cut(MARCH)) == 2  # 1, 2, 10: the middle one, not the mean
    assert (
        _value("waiting_days", Cut(Period(datetime.date(2026, 3, 2), datetime.date(2026, 3, 3))))
        == 1.5
    )
    assert _value("waiting_days", Cut(MARCH), "office", desk["office"].pk) == 2
    assert _people("waiting_days", Cut(MARCH)) == 1  # three cases of one client
    assert _people("waiting_days", Cut(MARCH), "office", desk["office"].pk) == 1


@pytest.mark.django_db
def test_waiting_days_leave_out_cases_without_a_session_and_never_go_below_zero(desk):
    _open(desk, _at(2))  # no session: left out, not counted as 0
    same_day = _open(desk, _at(3, 9))
    _session(same_day, at=_at(3, 17))
    assert _value("waiting_days", Cut(MARCH)) == 0
    early = _open(desk, _at(10, 12))
    _session(early, at=_at(8))  # logged before the opening: 0 days, not -3
    assert _value("waiting_days", _day(10)) == 0
    assert _value("waiting_days", _day(2)) is None  # no case with a session: no data


@pytest.mark.django_db
def test_days_to_answer_a_referral_of_those_answered(network, desk, office_b, people):
    case = _open(desk, _at(2))
    _referral(case, office_b, people["advisor_a"], sent=_at(25))  # not answered: left out
    _referral(
        case,
        office_b,
        people["advisor_a"],
        sent=_at(26, 9),
        answered=_at(26, 18),
        status=ReferralStatus.ACCEPTED,
    )
    # 2, 10 and 0 days: the middle one.
    assert _value("referral_answer_days", Cut(MARCH)) == 2
    assert _value("referral_answer_days", _day(26)) == 0
    assert _value("referral_answer_days", _day(25)) is None
    assert _value("referral_answer_days", Cut(MARCH), "office", network["a"].pk) == 2
    assert _value("referrals_sent", Cut(MARCH)) == 4
    assert _value("referrals_accepted", Cut(MARCH)) == 2
    assert _value("referrals_declined", Cut(MARCH)) == 1
    assert _people("referral_answer_days", Cut(MARCH)) == 3  # Anna, Biel, the new client
    assert _people("referral_answer_days", Cut(MARCH), "office", network["a"].pk) == 3


@pytest.mark.django_db
def test_an_even_count_of_answer_days_gives_the_mean_of_the_middle_two(desk, office_b, people):
    case = _open(desk, _at(2))
    for sent, answered in ((3, 4), (5, 7), (8, 11), (12, 16)):  # 1, 2, 3, 4 days
        _referral(
            case,
            office_b,
            people["advisor_a"],
            sent=_at(sent),
            answered=_at(answered),
            status=ReferralStatus.DECLINED,
        )
    assert _value("referral_answer_days", Cut(MARCH)) == 2.5
    assert _value("referral_answer_days", Cut(MARCH), "advisor", people["advisor_a"].pk) == 2.5


# Satisfaction: of the surveys answered with a score; a share with no answers is no data.


@pytest.mark.django_db
def test_satisfaction_leaves_out_surveys_without_a_score(network, desk):
    unanswered = _open(desk, _at(2))
    SurveyResponse.objects.create(
        case=unanswered, office=unanswered.office, sent_at=_at(20), answered_at=_at(21)
    )
    cut = Cut(MARCH)
    assert _value("satisfaction_mean", cut) == 8.3  # (9 + 6 + 10) / 3
    assert _value("satisfaction_high", cut) == 66.7  # 2 of 3, not of 4
    assert _people("satisfaction_mean", cut) == 2  # Anna and Biel, not the new client
    assert _people("satisfaction_high", cut) == 2


@pytest.mark.django_db
def test_very_satisfied_is_nine_or_ten_by_group(network, desk):
    eight = _open(desk, _at(2))
    _survey(eight, 8)
    a, b = network["a"].pk, network["b"].pk
    assert _figures("satisfaction_high", Cut(MARCH), "office") == {
        a: 33.3,
        b: 100.0,
    }  # 9 of 9, 6, 8
    assert _figures("satisfaction_mean", Cut(MARCH), "office") == {a: 7.7, b: 10.0}  # 23 / 3
    assert _value("satisfaction_high", Cut(MARCH)) == 50.0  # 9 and 10 of four


@pytest.mark.django_db
def test_a_share_with_no_answers_is_no_data(network):
    empty = Cut(periods.month(2025, 1))
    assert _value("satisfaction_high", empty) is None
    assert _value("satisfaction_mean", empty) is None
    assert _people("satisfaction_high", empty) == 0
    assert BY_CODE["satisfaction_high"].figures(empty, "office") == {}


@pytest.mark.django_db
def test_a_share_of_a_third_is_rounded_to_a_tenth(desk):
    for score in (10, 3, 2):
        _survey(_open(desk, _at(2)), score)
    assert _value("satisfaction_high", Cut(MARCH)) == 33.3
    assert _value("satisfaction_mean", Cut(MARCH)) == 5.0


# The recipes the figures are built from run once, when the module loads; called here too, so
# that a change to them shows in a test (mutation testing only sees what runs in a test).


@pytest.mark.django_db
def test_a_counting_recipe_counts_the_rows_meeting_its_condition(network):
    a, b = network["a"].pk, network["b"].pk
    every = kpis._count(kpis.SESSIONS)
    assert every(Cut(MARCH), None) == {ALL: Figure(5, 2)}
    assert every(Cut(MARCH), "office") == {a: Figure(4, 2), b: Figure(1, 1)}
    assert every(Cut(MARCH, offices=frozenset({b})), None) == {ALL: Figure(1, 1)}
    by_phone = kpis._count(kpis.SESSIONS, Q(channel="phone"))
    assert by_phone(Cut(MARCH), None) == {ALL: Figure(1, 1)}
    assert by_phone(Cut(MARCH), "office") == {a: Figure(1, 1)}
    assert by_phone(Cut(periods.month(2025, 1)), None) == {ALL: Figure(0, 0)}


@pytest.mark.django_db
def test_a_total_recipe_adds_up_its_column_scaled_and_zero_when_empty(network):
    a, b = network["a"].pk, network["b"].pk
    minutes = kpis._total(kpis.SESSIONS, "duration_minutes")
    assert minutes(Cut(MARCH), None) == {ALL: Figure(345, 2)}
    assert minutes(Cut(MARCH), "office") == {a: Figure(225, 2), b: Figure(120, 1)}
    assert minutes(Cut(MARCH, advisor=network["advisor_a"].pk), None) == {ALL: Figure(225, 2)}
    assert minutes(Cut(periods.month(2025, 1)), None) == {ALL: Figure(0, 0)}
    hours = kpis._total(kpis.SESSIONS, "duration_minutes", scale=lambda value: value / 60)
    assert hours(Cut(MARCH), "office") == {a: Figure(3.75, 2), b: Figure(2.0, 1)}
    phone = kpis._total(kpis.SESSIONS, "duration_minutes", Q(channel="phone"))
    assert phone(Cut(MARCH), None) == {ALL: Figure(30, 1)}
    assert phone(Cut(MARCH), "office") == {a: Figure(30, 1)}


def test_an_outcome_condition_is_its_kind_and_the_further_condition():
    assert kpis._outcomes("training") == Q(kind="training")
    assert kpis._outcomes("training", kpis.VERIFIED) == Q(kind="training") & Q(
        verification="verified"
    )
    assert kpis._outcomes("financing", kpis.DECLARED) == Q(kind="financing") & Q(
        verification="declared"
    )
