"""The rules a case page shows are worked out once, by the selectors, and handed over as
flags: read-only when closed, overdue steps and tasks, what may still be done to each row."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from oae.cases import referrals, selectors, services
from oae.network.models import OfficeRole
from oae.testing.factories import MembershipFactory


def _yesterday() -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=1)


def _close(case, people):
    return services.case_close(
        actor=people["advisor_a"],
        case=case,
        reason="goals_met",
        note="",
        expected_version=case.lock_version,
    )


@pytest.mark.django_db
def test_a_closed_case_is_read_only_and_may_be_reopened_by_its_office(case_a, people):
    _close(case_a, people)
    page = selectors.case_page(user=people["advisor_a"], case=case_a)
    assert (page.editable, page.can_reopen) == (False, True)
    assert page.survey is not None
    read_only = selectors.case_page(user=people["readonly_a"], case=case_a)
    assert (read_only.editable, read_only.can_reopen) == (False, False)


@pytest.mark.django_db
def test_a_running_case_is_editable_by_its_advisors_only(case_a, people):
    page = selectors.case_page(user=people["advisor_a"], case=case_a)
    assert (page.editable, page.can_reopen, page.survey) == (True, False, None)
    assert not selectors.case_page(user=people["readonly_a"], case=case_a).editable


@pytest.mark.django_db
def test_steps_and_tasks_past_their_date_are_flagged_overdue(case_a, people):
    advisor = people["advisor_a"]
    case_a.steps.filter(step_id="acollida").update(due_on=_yesterday())
    late = services.task_add(
        actor=advisor, case=case_a, title="Tard", due_on=_yesterday(), assignee=advisor
    )
    services.task_add(
        actor=advisor, case=case_a, title="Avui", due_on=timezone.localdate(), assignee=advisor
    )
    case = selectors.case_page(user=advisor, case=case_a).case
    steps = {step.step_id: step for step in case.steps.all()}
    assert steps["acollida"].overdue and steps["acollida"].completable
    assert not steps["diagnosi"].overdue and not steps["diagnosi"].completable  # not started
    assert {task.title: task.overdue for task in case.tasks.all()} == {"Tard": True, "Avui": False}
    services.task_set_done(actor=advisor, task=late, done=True)
    case = selectors.case_page(user=advisor, case=case_a).case
    assert not any(task.overdue for task in case.tasks.all())


@pytest.mark.django_db
def test_the_case_page_shows_the_overdue_flags(case_a, client_for):
    case_a.steps.filter(step_id="acollida").update(due_on=_yesterday())
    page = client_for("advisor_a").get(reverse("cases:detail", args=[case_a.public_id]))
    assert 'badge warning">overdue' in page.content.decode()


@pytest.mark.django_db
def test_rows_may_be_acted_on_only_while_the_case_is_editable(case_a, people, office_b):
    advisor = people["advisor_a"]
    services.outcome_record(
        actor=advisor,
        case=case_a,
        data={"kind": "training", "occurred_on": timezone.localdate()},
    )
    referrals.referral_create(
        actor=advisor,
        case=case_a,
        to_office=office_b,
        service_code="financar",
        reason="Finançament",
        shared=[],
        consent_given_now=True,
    )
    case = selectors.case_page(user=advisor, case=case_a).case
    outcome, referral = case.outcomes.all()[0], case.referrals.all()[0]
    assert (outcome.is_verified, outcome.verifiable, referral.withdrawable) == (False, True, True)
    case = selectors.case_page(user=people["readonly_a"], case=case_a).case
    outcome, referral = case.outcomes.all()[0], case.referrals.all()[0]
    assert (outcome.verifiable, referral.withdrawable) == (False, False)


@pytest.mark.django_db
def test_the_day_view_flags_the_tasks_already_late(case_a, people):
    advisor = people["advisor_a"]
    for title, due_on in (("Tard", _yesterday()), ("Avui", timezone.localdate())):
        services.task_add(actor=advisor, case=case_a, title=title, due_on=due_on, assignee=advisor)
    day = selectors.advisor_day(user=advisor)
    assert {task.title: task.overdue for task in day.tasks} == {"Tard": True, "Avui": False}


@pytest.mark.django_db
def test_office_advisors_are_its_active_advisors_and_managers(people, office_a):
    gone = MembershipFactory(office=office_a, role=OfficeRole.ADVISOR, is_active=False).user
    advisors = set(selectors.office_advisors(office_a))
    assert advisors == {people["advisor_a"], people["manager_a"]}
    assert people["readonly_a"] not in advisors and gone not in advisors


@pytest.mark.django_db
def test_an_advisor_of_two_offices_is_offered_once_in_the_case_list(people, office_b):
    MembershipFactory(user=people["advisor_a"], office=office_b, role=OfficeRole.ADVISOR)
    MembershipFactory(user=people["manager_a"], office=office_b, role=OfficeRole.ADVISOR)
    choices = selectors.case_list_choices(people["manager_a"])
    assert choices.advisors.count(people["advisor_a"]) == 1
    assert people["advisor_b"] in choices.advisors and choices.can_open
