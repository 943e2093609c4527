"""What a person has certified (the highest level any completed module gave each competence,
from completed modules only), the gap against what their job role requires, the curriculum
with its sessions still to come in date order, and the places left."""

import datetime

import pytest
from django.utils import timezone

from oae.training import selectors, services
from oae.training.models import Competence, Module, ModuleCompetence, TrainingSession
from oae.training.tests.conftest import hours_from_now, schedule, started


def _complete(coordinator, module, user, *, passed=True) -> None:
    """`user` attends a session of `module` and is assessed: passed or not."""
    session = schedule(coordinator, module)
    enrolment = services.enrol(actor=coordinator, session=session, user=user)
    started(session)
    enrolment.refresh_from_db()
    services.attendance_record(actor=coordinator, enrolment=enrolment, attended=True)
    if module.pass_mark is None:
        services.assessment_record(actor=coordinator, enrolment=enrolment, passed=passed)
    else:
        score = module.pass_mark if passed else module.pass_mark - 1
        services.assessment_record(actor=coordinator, enrolment=enrolment, score=score)


def _levels(user) -> dict[str, int]:
    codes = dict(Competence.objects.values_list("pk", "code"))
    return {codes[pk]: level for pk, level in selectors.certified_levels(user).items()}


@pytest.fixture
def mobilising(framework) -> Module:
    """A further module that takes EC3.4 (mobilising others, level 2 in the induction) to 3."""
    module = Module.objects.create(
        code="mobilising", title={"en": "Mobilising"}, objectives={"en": "…"}, hours=4
    )
    ModuleCompetence.objects.create(
        module=module, competence=Competence.objects.get(code="EC3.4"), level=3
    )
    return module


@pytest.mark.django_db
def test_nothing_is_certified_before_a_module_is_completed(coordinator, induction, people):
    assert selectors.certified_levels(people["advisor_a"]) == {}
    _complete(coordinator, induction, people["advisor_a"], passed=False)
    assert selectors.certified_levels(people["advisor_a"]) == {}
    assert list(selectors.completions(people["advisor_a"])) == []


@pytest.mark.django_db
def test_a_completed_module_certifies_its_competences_at_its_levels(coordinator, induction, people):
    _complete(coordinator, induction, people["advisor_a"])
    assert _levels(people["advisor_a"]) == {"EC3.4": 2, "OAE4": 2, "OAE5": 2}
    assert _levels(people["readonly_a"]) == {}  # someone else's record


@pytest.mark.django_db
def test_the_highest_level_certified_counts_whatever_the_order(
    coordinator, induction, mobilising, people
):
    advisor, manager = people["advisor_a"], people["manager_a"]
    _complete(coordinator, induction, advisor)
    _complete(coordinator, mobilising, advisor)
    _complete(coordinator, mobilising, manager)
    _complete(coordinator, induction, manager)
    assert _levels(advisor)["EC3.4"] == _levels(manager)["EC3.4"] == 3


@pytest.mark.django_db
def test_completions_are_listed_latest_first(coordinator, induction, viability, people):
    advisor = people["advisor_a"]
    _complete(coordinator, induction, advisor)
    _complete(coordinator, viability, advisor)
    assert [e.session.module.code for e in selectors.completions(advisor)] == [
        "viability",
        "induction",
    ]


@pytest.mark.django_db
def test_the_gap_is_each_required_competence_against_what_is_certified(
    coordinator, induction, people
):
    advisor = people["advisor_a"]
    _complete(coordinator, induction, advisor)
    gaps = {gap.competence.code: gap for gap in selectors.gaps(advisor, "advisor")}
    assert list(gaps) == [
        "EC1.1",
        "EC2.4",
        "EC3.2",
        "EC3.4",
        "OAE1",
        "OAE2",
        "OAE3",
        "OAE4",
        "OAE5",
    ]
    assert {code for code, gap in gaps.items() if not gap.missing} == {"EC3.4", "OAE4", "OAE5"}
    assert (gaps["OAE1"].required, gaps["OAE1"].certified, gaps["OAE1"].missing) == (3, 0, True)
    # The same induction leaves a manager short: they need EC3.4 and OAE5 at level 3.
    manager = {gap.competence.code: gap for gap in selectors.gaps(advisor, "manager")}
    assert {code for code, gap in manager.items() if gap.missing} == {
        "EC1.3",
        "EC2.5",
        "EC3.2",
        "EC3.4",
        "OAE1",
        "OAE5",
    }
    assert (manager["EC3.4"].required, manager["EC3.4"].certified) == (3, 2)


@pytest.mark.django_db
def test_a_level_above_the_requirement_meets_it(coordinator, induction, mobilising, people):
    _complete(coordinator, mobilising, people["advisor_a"])
    (mobilising_gap,) = [
        gap
        for gap in selectors.gaps(people["advisor_a"], "advisor")
        if gap.competence.code == "EC3.4"
    ]
    assert (mobilising_gap.required, mobilising_gap.certified) == (2, 3)
    assert not mobilising_gap.missing


@pytest.mark.django_db
def test_the_curriculum_lists_each_module_with_its_sessions_to_come_in_date_order(
    coordinator, induction, viability, people
):
    later = schedule(
        coordinator, induction, starts_at=hours_from_now(72), ends_at=hours_from_now(75)
    )
    sooner = schedule(coordinator, induction, capacity=3)
    running = started(schedule(coordinator, induction))
    ended = started(schedule(coordinator, induction), hours_ago=5)
    cancelled = schedule(coordinator, induction)
    TrainingSession.objects.filter(pk=cancelled.pk).update(cancelled_at=timezone.now())
    services.enrol(actor=coordinator, session=sooner, user=people["advisor_a"])
    entries = {entry.module.code: entry for entry in selectors.curriculum()}
    assert list(entries) == ["financing", "induction", "viability"]
    assert entries["induction"].sessions == [running, sooner, later]
    assert [s.taken for s in entries["induction"].sessions] == [0, 1, 0]
    assert ended not in entries["induction"].sessions
    assert entries["viability"].sessions == []
    assert [(c.competence.code, c.level) for c in entries["induction"].covers] == [
        ("EC3.4", 2),
        ("OAE4", 2),
        ("OAE5", 2),
    ]


@pytest.mark.django_db
def test_the_curriculum_is_read_in_a_fixed_number_of_queries(
    coordinator, induction, viability, django_assert_num_queries
):
    for module in (induction, viability, induction):
        schedule(coordinator, module)
    with django_assert_num_queries(4):  # covers, sessions coming, sessions held, modules
        selectors.curriculum()


@pytest.mark.django_db
def test_places_left_count_only_the_enrolled_and_never_go_below_nothing(
    coordinator, induction, people
):
    session = schedule(coordinator, induction, capacity=2)
    assert selectors.places_left(session) == 2
    for persona in ("advisor_a", "readonly_a", "manager_a"):
        services.enrol(actor=coordinator, session=session, user=people[persona])
    assert selectors.places_left(session) == 0  # the third waits
    TrainingSession.objects.filter(pk=session.pk).update(capacity=1)  # lowered in the admin
    session.refresh_from_db()
    assert selectors.places_left(session) == 0


@pytest.mark.django_db
def test_coming_up_lists_a_persons_places_and_waits_not_cancelled_nor_past(
    coordinator, induction, people
):
    advisor = people["advisor_a"]
    past, tomorrow, full, given_up = (schedule(coordinator, induction, capacity=1) for _ in "abcd")
    for session in (past, tomorrow, given_up):
        services.enrol(actor=coordinator, session=session, user=advisor)
    services.enrol(actor=coordinator, session=full, user=people["readonly_a"])
    services.enrol(actor=coordinator, session=full, user=advisor)
    services.enrolment_cancel(actor=advisor, enrolment=given_up.enrolments.get())
    started(past, hours_ago=6)
    TrainingSession.objects.filter(pk=full.pk).update(
        starts_at=tomorrow.starts_at + datetime.timedelta(hours=1)
    )
    coming = selectors.upcoming_enrolments(advisor)
    assert [(e.session, e.status) for e in coming] == [(tomorrow, "enrolled"), (full, "waiting")]
