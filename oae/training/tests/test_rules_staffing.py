"""Worked examples of the staffing rules, each at its edge, on a small framework of their own
(two competences, Z1 then A2 in the framework's order, and the modules each test needs):
who the plan lists and in what order (surname, first name, e-mail; jobs as the network lists
them), a planned job nobody holds, the people the network's needs count (a competence met
does not hide the next one missing; someone in two jobs needs the higher level), the modules
and offices a module helps, and the ties in the ranking (by code; a module with a session
coming after one without)."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from oae.network.models import JobRole, Membership
from oae.privacy.models import AuditEvent
from oae.scoping import OfficeRole
from oae.testing.factories import (
    MembershipFactory,
    MunicipalityFactory,
    OfficeFactory,
    UserFactory,
)
from oae.training import staffing, staffing_services
from oae.training.models import (
    Competence,
    Enrolment,
    Module,
    ModuleCompetence,
    Position,
    RoleRequirement,
    TrainingSession,
)

OFFICE_ROLE = {
    JobRole.MANAGER: OfficeRole.MANAGER,
    JobRole.ADVISOR: OfficeRole.ADVISOR,
    JobRole.FRONT_DESK: OfficeRole.READ_ONLY,
}


def _today() -> datetime.date:
    return timezone.localdate()


def _competence(code: str, position: int) -> Competence:
    return Competence.objects.create(
        code=code, area="test", name={"en": code}, description={"en": ""}, position=position
    )


@pytest.fixture
def z1(db) -> Competence:
    return _competence("Z1", 1)


@pytest.fixture
def a2(db) -> Competence:
    return _competence("A2", 2)


def _requires(job: str, competence: Competence, level: int) -> None:
    RoleRequirement.objects.create(role=job, competence=competence, level=level)


def _module(code: str, *covers: tuple[Competence, int]) -> Module:
    """A module certifying each (competence, level), its rows written in that order."""
    module = Module.objects.create(code=code, title={"en": code}, objectives={"en": ""}, hours=2)
    for competence, level in covers:
        ModuleCompetence.objects.create(module=module, competence=competence, level=level)
    return module


def _session(module: Module, days: int = 1) -> TrainingSession:
    starts = timezone.now() + datetime.timedelta(days=days)
    return TrainingSession.objects.create(
        module=module,
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=2),
        place="Seu",
        trainer="Montserrat Puig",
        capacity=10,
    )


def _completed(user, module: Module) -> None:
    """`user` attended a past session of `module` and passed it."""
    session = _session(module, days=-3)
    Enrolment.objects.create(
        session=session,
        user=user,
        status="enrolled",
        attended=True,
        passed=True,
        completed_at=session.ends_at,
    )


def _staff(office, job: str, first="Anna", last="Vidal", email=None, **post) -> Membership:
    user = UserFactory(first_name=first, last_name=last, **({"email": email} if email else {}))
    return MembershipFactory(office=office, user=user, role=OFFICE_ROLE[job], job_role=job, **post)


def _emails(memberships) -> list[str]:
    return [membership.user.email for membership in memberships]


# An office's plan ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_plan_lists_people_by_surname_then_first_name_then_email():
    office = OfficeFactory()
    for first, last, email in [
        ("Anna", "Vidal", "yy@example.org"),
        ("Anna", "Vidal", "bb@example.org"),
        ("Marta", "Puig", "aa@example.org"),
        ("Jordi", "Puig", "mm@example.org"),
        ("Zoe", "Bosch", "zz@example.org"),
    ]:
        _staff(office, JobRole.ADVISOR, first, last, email)
    [line] = staffing.staffing_plan(office, _today()).jobs
    assert _emails(person.membership for person in line.people) == [
        "zz@example.org",  # Bosch
        "mm@example.org",  # Puig, Jordi
        "aa@example.org",  # Puig, Marta
        "bb@example.org",  # Vidal, Anna
        "yy@example.org",  # Vidal, Anna
    ]


@pytest.mark.django_db
def test_jobs_held_without_a_position_follow_the_networks_order_of_jobs():
    office = OfficeFactory()
    _staff(office, JobRole.FRONT_DESK, "Aina", "Abad")
    _staff(office, JobRole.ADVISOR, "Bernat", "Bosch")
    _staff(office, JobRole.MANAGER, "Carla", "Coll")
    plan = staffing.staffing_plan(office, _today())
    assert [line.job for line in plan.jobs] == ["manager", "advisor", "front_desk"]
    assert plan.unplanned == plan.jobs


@pytest.mark.django_db
def test_a_planned_job_nobody_holds_is_all_vacant():
    office = OfficeFactory()
    Position.objects.create(office=office, job_role=JobRole.MANAGER, fte=Decimal("1.5"))
    [line] = staffing.staffing_plan(office, _today()).jobs
    assert (line.people, line.in_post, line.vacancy) == ([], Decimal("0"), Decimal("1.5"))


@pytest.mark.django_db
def test_someone_who_left_the_office_is_not_listed_even_as_not_in_post():
    office = OfficeFactory()
    _staff(office, JobRole.ADVISOR, email="left@example.org", is_active=False)
    later = _staff(office, JobRole.ADVISOR, email="later@example.org")
    later.starts_on = _today() + datetime.timedelta(days=1)
    later.save()
    plan = staffing.staffing_plan(office, _today())
    assert (plan.jobs, _emails(plan.not_in_post)) == ([], ["later@example.org"])


@pytest.mark.django_db
def test_the_plan_names_its_people_without_a_query_each():
    office = OfficeFactory()
    for _n in range(3):
        _staff(office, JobRole.ADVISOR)
    plan = staffing.staffing_plan(office, _today())
    with CaptureQueriesContext(connection) as queries:
        names = [person.membership.user.email for person in plan.people]
    assert (len(names), len(queries)) == (3, 0)


# The network's needs ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_competence_met_does_not_hide_the_next_one_missing(z1, a2):
    _requires(JobRole.ADVISOR, z1, 2)
    _requires(JobRole.ADVISOR, a2, 2)
    advisor = _staff(OfficeFactory(), JobRole.ADVISOR)
    _completed(advisor.user, _module("zeta", (z1, 2)))
    needs = staffing.network_training_needs(_today())
    assert needs.day == _today()
    assert [(need.competence.code, need.people) for need in needs.competences] == [("A2", 1)]


@pytest.mark.django_db
def test_someone_in_two_jobs_needs_the_higher_level_of_the_two(z1):
    _requires(JobRole.MANAGER, z1, 3)
    _requires(JobRole.ADVISOR, z1, 2)
    barcelona = MunicipalityFactory(ine_code="08019", name="Barcelona")
    terrassa = MunicipalityFactory(ine_code="08279", name="Terrassa")
    first = OfficeFactory(name="OAE Alfa", municipality=barcelona)
    second = OfficeFactory(name="OAE Beta", municipality=terrassa)
    manager = _staff(first, JobRole.MANAGER)  # read first: offices go by town, then name
    MembershipFactory(
        office=second, user=manager.user, role=OfficeRole.ADVISOR, job_role=JobRole.ADVISOR
    )
    _module("basic", (z1, 2))
    [need] = staffing.network_training_needs(_today()).competences
    assert (need.people, need.modules) == (1, [])  # level 2 is not the manager's 3
    assert [(office, n) for office, n in need.offices] == [(first, 1), (second, 1)]


@pytest.mark.django_db
def test_a_module_training_nobody_to_their_level_does_not_hide_the_next(z1):
    _requires(JobRole.ADVISOR, z1, 2)
    _staff(OfficeFactory(), JobRole.ADVISOR)
    _module("low", (z1, 1))
    _module("right", (z1, 2))
    [need] = staffing.network_training_needs(_today()).competences
    assert [(option.module.code, option.people) for option in need.modules] == [("right", 1)]


@pytest.mark.django_db
def test_a_module_helps_the_offices_of_every_competence_it_trains(z1, a2):
    _requires(JobRole.MANAGER, z1, 2)
    _requires(JobRole.ADVISOR, a2, 2)
    _staff(OfficeFactory(), JobRole.MANAGER)
    _staff(OfficeFactory(), JobRole.ADVISOR)
    _module("both", (z1, 2), (a2, 2))
    [suggestion] = staffing.network_training_needs(_today()).suggestions
    assert (suggestion.module.code, suggestion.people, suggestion.offices) == ("both", 2, 2)


@pytest.mark.django_db
def test_a_module_helps_only_the_offices_of_those_it_trains_to_their_level(z1):
    _requires(JobRole.MANAGER, z1, 2)
    _requires(JobRole.ADVISOR, z1, 3)
    _staff(OfficeFactory(), JobRole.MANAGER)
    _staff(OfficeFactory(), JobRole.ADVISOR)
    _module("basic", (z1, 2))
    [suggestion] = staffing.network_training_needs(_today()).suggestions
    assert (suggestion.people, suggestion.offices) == (1, 1)


@pytest.mark.django_db
def test_modules_helping_as_many_people_rank_by_code_and_a_coming_session_goes_last(z1):
    _requires(JobRole.ADVISOR, z1, 2)
    _staff(OfficeFactory(), JobRole.ADVISOR)
    _module("zeta", (z1, 2))  # written first: a tie still goes by code
    _module("alpha", (z1, 2))

    def ranked() -> list[str]:
        [need] = staffing.network_training_needs(_today()).competences
        return [option.module.code for option in need.modules]

    assert ranked() == ["alpha", "zeta"]
    _session(Module.objects.get(code="alpha"))
    assert ranked() == ["zeta", "alpha"]


@pytest.mark.django_db
def test_the_sessions_to_schedule_tied_on_people_rank_by_code(z1, a2):
    _requires(JobRole.ADVISOR, z1, 2)
    _requires(JobRole.ADVISOR, a2, 2)
    _staff(OfficeFactory(), JobRole.ADVISOR)
    _module("zeta", (z1, 2))  # the first competence's: listed first
    _module("alpha", (a2, 2))
    suggestions = staffing.network_training_needs(_today()).suggestions
    assert [(s.module.code, s.people) for s in suggestions] == [("alpha", 1), ("zeta", 1)]


# The plan's writes -----------------------------------------------------------------------------


def _position_refusal(**kwargs) -> dict:
    with pytest.raises(ValidationError) as refused:
        staffing_services.position_save(actor=None, **kwargs)
    return refused.value.message_dict


@pytest.mark.django_db
def test_a_position_is_for_a_job_never_a_blank_one():
    office = OfficeFactory()
    refusal = _position_refusal(office=office, job_role="", fte=Decimal("1"))
    assert refusal == {"job_role": ["Choose one of the listed jobs."]}
    assert not Position.objects.exists()


@pytest.mark.django_db
def test_each_office_plans_its_own_posts_for_the_same_job():
    first, second = OfficeFactory(), OfficeFactory()
    for office, fte in ((first, "1"), (second, "2")):
        staffing_services.position_save(
            actor=None, office=office, job_role=JobRole.ADVISOR, fte=Decimal(fte)
        )
    assert sorted(Position.objects.values_list("office", "fte")) == [
        (first.pk, Decimal("1.00")),
        (second.pk, Decimal("2.00")),
    ]


@pytest.mark.django_db
def test_a_position_written_then_removed_is_audited_on_the_position(people, office_a):
    manager = people["manager_a"]
    position = staffing_services.position_save(
        actor=manager, office=office_a, job_role=JobRole.ADVISOR, fte=Decimal("1.5")
    )
    target, pk = "training.position", str(position.pk)
    changed = staffing_services.position_save(
        actor=manager, office=office_a, job_role=JobRole.ADVISOR, fte=Decimal("2")
    )
    staffing_services.position_remove(actor=manager, position=changed)
    events = AuditEvent.objects.filter(action__startswith="training.position").order_by("pk")
    assert [(e.action, e.actor_id, e.target_type, e.target_id, e.details) for e in events] == [
        (
            "training.position.create",
            manager.pk,
            target,
            pk,
            {"job": "advisor", "changes": {"fte": {"from": None, "to": "1.50"}}},
        ),
        (
            "training.position.update",
            manager.pk,
            target,
            pk,
            {"job": "advisor", "changes": {"fte": {"from": "1.50", "to": "2.00"}}},
        ),
        ("training.position.remove", manager.pk, target, pk, {"job": "advisor", "fte": "2.00"}),
    ]


@pytest.mark.django_db
def test_a_post_recorded_is_audited_on_the_membership_and_keeps_a_change_made_meanwhile(
    people, office_a
):
    read_before = people["advisor_a"].memberships.get()
    Membership.objects.filter(pk=read_before.pk).update(role=OfficeRole.MANAGER)  # meanwhile
    staffing_services.membership_post_save(
        actor=people["manager_a"],
        membership=read_before,
        job_role=JobRole.ADVISOR,
        fte=Decimal("0.5"),
        starts_on=None,
        ends_on=None,
    )
    stored = Membership.objects.get(pk=read_before.pk)
    assert (stored.role, stored.job_role, stored.fte) == ("manager", "advisor", Decimal("0.50"))
    event = AuditEvent.objects.get(action="training.post.record")
    assert (event.target_type, event.target_id) == (
        "network.membership",
        str(read_before.public_id),
    )
