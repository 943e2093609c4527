"""Each figure counts what its definition says, for any cut, whole or by group: worked examples
on a few cases, sessions, outcomes, surveys and referrals written in the test."""

import datetime
import itertools
from decimal import Decimal

import pytest
from django.utils import timezone

from oae.cases.models import (
    Attachment,
    Case,
    Outcome,
    Referral,
    ReferralStatus,
    Session,
    SurveyResponse,
)
from oae.crm.models import Person
from oae.reports import periods
from oae.reports.kpis import ALL, BY_CODE, KPIS, Cut

MARCH = periods.month(2026, 3)
numbers = itertools.count(1)


def _at(day: int, hour: int = 10, month: int = 3) -> datetime.datetime:
    zone = timezone.get_current_timezone()
    return datetime.datetime(2026, month, day, hour, tzinfo=zone)


def _person(office, name="Client") -> Person:
    return Person.objects.create(office=office, first_name=f"{name} {next(numbers)}")


def _case(office, person, advisor, *, opened, closed=None, service="crear") -> Case:
    return Case.objects.create(
        reference=f"T-{next(numbers)}",
        office=office,
        person=person,
        service_code=service,
        service_name=service,
        assigned_to=advisor,
        opened_at=opened,
        closed_at=closed,
        state="closed" if closed else "open",
        closing_reason="goal_met" if closed else "",
    )


def _session(case, *, at, minutes=60, channel="in_person") -> Session:
    return Session.objects.create(
        case=case,
        office=case.office,
        person=case.person,
        advisor=case.assigned_to,
        started_at=at,
        duration_minutes=minutes,
        channel=channel,
    )


def _outcome(case, kind: str, day: int, verification: str = "verified", **more) -> Outcome:
    """An outcome of March; a verified one with its evidence (a file name is enough here)."""
    evidence = None
    if verification == "verified":
        evidence = Attachment.objects.create(
            case=case,
            file="evidence.pdf",
            original_name="evidence.pdf",
            content_type="application/pdf",
            size=1,
        )
    return Outcome.objects.create(
        case=case,
        kind=kind,
        occurred_on=datetime.date(2026, 3, day),
        verification=verification,
        evidence=evidence,
        **more,
    )


def _value(code: str, cut: Cut, by=None, key=ALL):
    figure = BY_CODE[code].figures(cut, by).get(key)
    return None if figure is None else figure.value


@pytest.fixture
def network(people, office_a, office_b):
    """Two offices' March: office A serves Anna (two cases, three sessions) and Biel; office B
    serves Anna too (she is a client of both) and Carla."""
    advisor_a, advisor_b = people["advisor_a"], people["advisor_b"]
    anna, biel = _person(office_a, "Anna"), _person(office_a, "Biel")
    carla = _person(office_b, "Carla")
    first = _case(office_a, anna, advisor_a, opened=_at(2), closed=_at(20))
    second = _case(office_a, anna, advisor_a, opened=_at(10), service="finançar")
    biels = _case(office_a, biel, advisor_a, opened=_at(5))
    annas_b = _case(office_b, anna, advisor_b, opened=_at(3))
    carlas = _case(office_b, carla, advisor_b, opened=_at(1, month=2))  # opened in February
    _session(first, at=_at(4), minutes=90)  # 2 days after opening
    _session(first, at=_at(12), minutes=30, channel="phone")
    _session(second, at=_at(16), minutes=60)  # 6 days after opening
    _session(biels, at=_at(5, 16), minutes=45)  # the same day
    _session(annas_b, at=_at(7), minutes=120)  # 4 days after opening
    _session(carlas, at=_at(1, month=4), minutes=60)  # in April: not March's
    _outcome(first, "business_created", 19)
    _outcome(biels, "business_created", 25, "declared")
    _outcome(first, "jobs_created", 19, jobs_fte=Decimal("1.5"))
    _outcome(second, "financing", 28, amount=Decimal("25000"), financing_type="loan")
    _outcome(second, "financing", 28, "declared", amount=Decimal("9000"), financing_type="grant")
    for case, score in ((first, 9), (biels, 6), (annas_b, 10)):
        SurveyResponse.objects.create(
            case=case, office=case.office, sent_at=_at(20), answered_at=_at(21), score=score
        )
    Referral.objects.create(
        case=second,
        from_office=office_a,
        to_office=office_b,
        to_service_code="finançar",
        to_service_name="finançar",
        status=ReferralStatus.ACCEPTED,
        created_by=advisor_a,
        responded_at=_at(13),
    )
    late = Referral.objects.create(
        case=biels,
        from_office=office_a,
        to_office=office_b,
        to_service_code="crear",
        to_service_name="crear",
        status=ReferralStatus.DECLINED,
        created_by=advisor_a,
        responded_at=_at(20),
    )
    # Referrals are dated as they are made (auto_now_add): set the days as the test needs.
    Referral.objects.filter(case=second).update(created_at=_at(11))
    Referral.objects.filter(pk=late.pk).update(created_at=_at(10))
    return {"a": office_a, "b": office_b, "anna": anna, "advisor_a": advisor_a}


@pytest.mark.django_db
def test_people_served_counts_a_client_of_two_offices_once_in_the_network(network):
    cut = Cut(MARCH)
    assert _value("people_served", cut, "office", network["a"].pk) == 2  # Anna and Biel
    assert _value("people_served", cut, "office", network["b"].pk) == 1  # Anna (Carla: April)
    assert _value("people_served", cut) == 2  # Anna once, Biel


@pytest.mark.django_db
def test_cases_opened_closed_and_open_at_the_end(network):
    cut = Cut(MARCH)
    assert _value("cases_opened", cut) == 4  # Carla's opened in February
    assert _value("cases_closed", cut) == 1
    assert _value("cases_open", cut) == 4  # the three opened and not closed, and Carla's
    assert _value("cases_open", Cut(periods.month(2026, 2))) == 1


@pytest.mark.django_db
def test_hours_and_sessions_by_office_service_and_advisor(network):
    cut = Cut(MARCH)
    assert _value("advice_hours", cut) == 5.8  # 90 + 30 + 60 + 45 + 120 minutes = 345
    assert _value("advice_hours", cut, "office", network["a"].pk) == 3.8  # 225 minutes
    assert _value("sessions", cut, "service", "finançar") == 1
    assert _value("sessions", cut, "advisor", network["advisor_a"].pk) == 4
    assert _value("sessions", Cut(MARCH, service="crear")) == 4


@pytest.mark.django_db
def test_only_verified_outcomes_count_as_verified_impact(network):
    cut = Cut(MARCH)
    assert _value("businesses_verified", cut) == 1
    assert _value("businesses_declared", cut) == 1
    assert _value("jobs_created", cut) == Decimal("1.5")
    assert _value("financing", cut) == Decimal("25000")  # the declared grant does not count
    assert {kpi.code for kpi in KPIS if kpi.impact} >= {"businesses_verified", "financing"}


@pytest.mark.django_db
def test_satisfaction_mean_and_share_of_nine_or_ten(network):
    cut = Cut(MARCH)
    assert _value("satisfaction_mean", cut) == 8.3  # (9 + 6 + 10) / 3
    assert _value("satisfaction_high", cut) == 66.7  # 2 of 3
    assert _value("satisfaction_mean", cut, "office", network["b"].pk) == 10.0


@pytest.mark.django_db
def test_waiting_time_is_the_median_days_to_the_first_session(network):
    # Anna's first case 2 days, her second 6, Biel's 0, Anna's at B 4: median 3.
    assert _value("waiting_days", Cut(MARCH)) == 3.0
    assert _value("waiting_days", Cut(MARCH), "office", network["b"].pk) == 4


@pytest.mark.django_db
def test_referrals_sent_accepted_declined_and_days_to_answer(network):
    cut = Cut(MARCH)
    assert _value("referrals_sent", cut) == 2
    assert _value("referrals_accepted", cut) == 1
    assert _value("referrals_declined", cut) == 1
    assert _value("referral_answer_days", cut) == 6.0  # 2 and 10 days


@pytest.mark.django_db
def test_new_clients_are_the_office_registrations_of_the_period(network):
    year = periods.year(timezone.localdate().year)
    assert _value("new_clients", Cut(year), "office", network["a"].pk) == 2
    assert _value("new_clients", Cut(MARCH)) == 0


@pytest.mark.django_db
def test_a_figure_says_on_how_many_people_it_rests(network):
    figure = BY_CODE["advice_hours"].figures(Cut(MARCH), "office")[network["a"].pk]
    assert figure.people == 2


@pytest.mark.django_db
def test_erased_people_stay_counted(network):
    from oae.crm.privacy_services import crm_person_erase

    crm_person_erase(network["anna"])
    assert _value("people_served", Cut(MARCH)) == 2


@pytest.mark.django_db
def test_a_period_without_rows_has_no_mean_but_zero_counts(network):
    empty = Cut(periods.month(2025, 1))
    assert _value("satisfaction_mean", empty) is None
    assert _value("sessions", empty) == 0


def test_every_figure_is_defined_once_with_its_words():
    codes = [kpi.code for kpi in KPIS]
    assert len(codes) == len(set(codes))
    for kpi in KPIS:
        assert str(kpi.name) and len(str(kpi.definition)) > 20 and str(kpi.unit_name)


def test_only_counts_amounts_and_people_are_divided_by_inhabitants():
    assert BY_CODE["advice_hours"].per_head and BY_CODE["people_served"].per_head
    assert not BY_CODE["satisfaction_mean"].per_head and not BY_CODE["waiting_days"].per_head
    assert BY_CODE["waiting_days"].lower_is_better and not BY_CODE["sessions"].lower_is_better
