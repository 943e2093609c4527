"""Every rule of the training services, each pinned so that a flipped comparison or a deleted
refusal fails a test: the framework loaded once however often it runs; sessions scheduled only
from now on, for at most 12 hours, somewhere, for 1 to 500 people; enrolments that take the
places first and then the waiting list in order, never more than the capacity; a freed place
given to the first waiting; attendance for the enrolled once the session has started;
assessment by the trainer's word or by a score against the module's pass mark; completion only
with attendance and a pass (the database guards it too); every write audited."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from oae.network.models import Membership
from oae.privacy.models import AuditEvent
from oae.testing.factories import MembershipFactory, UserFactory
from oae.training import services
from oae.training.models import (
    Competence,
    Enrolment,
    Module,
    ModuleCompetence,
    RoleRequirement,
    TrainingSession,
)
from oae.training.tests.conftest import PLACE, hours_from_now, schedule, session_data, started

FROM_NOW_ON = "A session is scheduled from now on."
ENDS_AFTER = "A session ends after it starts."
TWELVE_HOURS = "A session lasts 12 hours at most: schedule one per day."
SOMEWHERE = "Say where it is held, or give its online link."
CAPACITY = "The capacity is from 1 to 500 people."
CANCELLED_SESSION = "This session has been cancelled."
ALREADY_STARTED = "This session has already started: enrol in a later one."
STAFF_ONLY = "Only an office's staff enrol in the network's training."
ALREADY_CANCELLED = "This enrolment is already cancelled."
ATTENDANCE_KEPT = "The attendance is recorded: the enrolment stays."
ENROLLED_ONLY = "Attendance is recorded only for people enrolled in the session."
ONCE_STARTED = "Attendance is recorded once the session has started."
ATTENDED_ONLY = "Only someone who attended is assessed."
SCORE = "This module is assessed with a score from 0 to 100."
SAY_PASSED = "Say whether they passed."


def _already(user) -> str:
    return f"{user.display_name} is already enrolled or on the waiting list."


def _refusal(write, **kwargs) -> list[str] | dict[str, list[str]]:
    """The service's reasons for refusing (it must refuse): by field when it names them."""
    with pytest.raises(ValidationError) as refused:
        write(**kwargs)
    error = refused.value
    return error.message_dict if hasattr(error, "error_dict") else error.messages


def _staff(office, email=None):
    user = UserFactory(email=email) if email else UserFactory()
    return MembershipFactory(office=office, user=user).user


def _statuses(session) -> list[tuple[str, str]]:
    return [(e.user.email, e.status) for e in session.enrolments.select_related("user")]


def _attended(coordinator, session, user, *, attended=True) -> Enrolment:
    """`user` enrolled in `session`, which then starts and records them as attending."""
    enrolment = services.enrol(actor=coordinator, session=session, user=user)
    started(session)
    enrolment.refresh_from_db()
    return services.attendance_record(actor=coordinator, enrolment=enrolment, attended=attended)


# The framework ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_framework_loads_entrecomp_the_advisory_competences_and_three_modules_once():
    # competences, requirements, modules, job profiles
    assert services.framework_load() == 20 + 20 + 3 + 3
    codes = list(Competence.objects.values_list("code", flat=True))
    assert len(codes) == 20 and codes[:2] == ["EC1.1", "EC1.2"] and codes[-1] == "OAE5"
    assert sorted(Module.objects.values_list("code", flat=True)) == [
        "financing",
        "induction",
        "viability",
    ]
    viability = Module.objects.get(code="viability")
    assert viability.pass_mark == 70 and viability.hours == 16
    assert {(c.competence.code, c.level) for c in viability.competences.all()} == {
        ("OAE1", 3),
        ("EC2.4", 3),
    }
    assert RoleRequirement.objects.get(role="manager", competence__code="EC3.4").level == 3
    assert services.framework_load() == 0
    assert (Competence.objects.count(), RoleRequirement.objects.count()) == (20, 20)
    assert (Module.objects.count(), ModuleCompetence.objects.count()) == (3, 6)


@pytest.mark.django_db
def test_loading_the_framework_again_keeps_what_coordinators_changed(induction):
    Module.objects.filter(pk=induction.pk).update(hours=10, pass_mark=50)
    RoleRequirement.objects.filter(role="advisor", competence__code="OAE1").update(level=4)
    assert services.framework_load() == 0
    induction.refresh_from_db()
    assert (induction.hours, induction.pass_mark) == (10, 50)
    assert RoleRequirement.objects.get(role="advisor", competence__code="OAE1").level == 4


# Scheduling a session ------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_session_is_scheduled_and_audited(coordinator, induction):
    session = schedule(coordinator, induction, capacity=12)
    assert TrainingSession.objects.get() == session
    assert (session.module, session.place, session.capacity) == (induction, PLACE, 12)
    event = AuditEvent.objects.get(action="training.session.schedule")
    assert (event.actor, event.target_id) == (coordinator, str(session.public_id))
    assert event.details == {"module": "induction", "starts_at": session.starts_at.isoformat()}


def _hours(n: float) -> datetime.timedelta:
    return datetime.timedelta(hours=n)


# Each case as the changes to tomorrow's session from ten to two, given its start (the clock is
# read when the test runs, not when it is collected).
@pytest.mark.parametrize(
    ("changes", "reasons"),
    [
        (
            lambda starts: {"starts_at": hours_from_now(-1), "ends_at": hours_from_now(1)},
            {"starts_at": [FROM_NOW_ON]},
        ),
        (lambda starts: {"ends_at": starts}, {"ends_at": [ENDS_AFTER]}),
        (lambda starts: {"ends_at": starts - _hours(1)}, {"ends_at": [ENDS_AFTER]}),
        (
            lambda starts: {"ends_at": starts + _hours(12) + datetime.timedelta(minutes=1)},
            {"ends_at": [TWELVE_HOURS]},
        ),
        (lambda starts: {"place": "", "online_url": ""}, {"place": [SOMEWHERE]}),
        (lambda starts: {"capacity": 0}, {"capacity": [CAPACITY]}),
        (lambda starts: {"capacity": 501}, {"capacity": [CAPACITY]}),
    ],
    ids=["past start", "no length", "ends before", "over 12 h", "nowhere", "nobody", "too many"],
)
@pytest.mark.django_db
def test_a_session_is_refused_with_its_reason_and_nothing_saved(
    coordinator, induction, changes, reasons
):
    data = session_data()
    data |= changes(data["starts_at"])
    assert _refusal(services.session_schedule, actor=coordinator, module=induction, data=data) == (
        reasons
    )
    assert not TrainingSession.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="training.").exists()


@pytest.mark.django_db
def test_a_session_at_the_limits_is_scheduled(coordinator, induction):
    """Twelve hours long, online only, for one person or for 500."""
    starts = hours_from_now(24)
    online = "https://reunions.example/oae"
    for capacity in (1, 500):
        schedule(
            coordinator,
            induction,
            starts_at=starts,
            ends_at=starts + datetime.timedelta(hours=12),
            place="",
            online_url=online,
            capacity=capacity,
        )
    assert list(TrainingSession.objects.values_list("capacity", "place", "online_url")) == [
        (1, "", online),
        (500, "", online),
    ]


@pytest.mark.django_db
def test_every_reason_is_given_at_once(coordinator, induction):
    data = session_data(
        starts_at=hours_from_now(-2), ends_at=hours_from_now(-3), place="", capacity=0
    )
    assert _refusal(services.session_schedule, actor=coordinator, module=induction, data=data) == {
        "starts_at": [FROM_NOW_ON],
        "ends_at": [ENDS_AFTER],
        "place": [SOMEWHERE],
        "capacity": [CAPACITY],
    }


# Enrolling ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_places_are_taken_first_then_the_waiting_list_in_order(
    session, coordinator, people, office_a
):
    manager, advisor, readonly = people["manager_a"], people["advisor_a"], people["readonly_a"]
    fourth = _staff(office_a, "fourth@example.org")
    enrolments = [
        services.enrol(actor=manager, session=session, user=user)
        for user in (advisor, readonly, manager, fourth)
    ]
    assert [e.status for e in enrolments] == ["enrolled", "enrolled", "waiting", "waiting"]
    assert [e.enrolled_by for e in enrolments] == [manager] * 4
    assert _statuses(session) == [
        (advisor.email, "enrolled"),
        (readonly.email, "enrolled"),
        (manager.email, "waiting"),
        (fourth.email, "waiting"),
    ]
    actions = list(
        AuditEvent.objects.filter(action__startswith="training.enrolment")
        .order_by("pk")
        .values_list("action", "actor", "target_id", "details")
    )
    assert actions == [
        (
            "training.enrolment.enrol" if e.status == "enrolled" else "training.enrolment.wait",
            manager.pk,
            str(e.public_id),
            {"session": str(session.public_id), "for": e.user.email},
        )
        for e in enrolments
    ]


@pytest.mark.django_db
def test_a_session_never_holds_more_than_its_capacity(coordinator, induction, office_a):
    session = schedule(coordinator, induction, capacity=3)
    for n in range(7):
        services.enrol(actor=coordinator, session=session, user=_staff(office_a))
        assert session.enrolments.filter(status="enrolled").count() == min(n + 1, 3)
    assert session.enrolments.filter(status="waiting").count() == 4


@pytest.mark.django_db
def test_a_cancelled_session_takes_no_enrolment(session, people):
    TrainingSession.objects.filter(pk=session.pk).update(cancelled_at=timezone.now())
    advisor = people["advisor_a"]
    assert _refusal(services.enrol, actor=advisor, session=session, user=advisor) == [
        CANCELLED_SESSION
    ]
    assert not Enrolment.objects.exists()


@pytest.mark.django_db
def test_a_session_takes_enrolments_until_it_starts(session, people):
    advisor, manager = people["advisor_a"], people["manager_a"]
    TrainingSession.objects.filter(pk=session.pk).update(starts_at=hours_from_now(0.1))
    services.enrol(actor=advisor, session=session, user=advisor)
    TrainingSession.objects.filter(pk=session.pk).update(starts_at=timezone.now())
    assert _refusal(services.enrol, actor=manager, session=session, user=manager) == [
        ALREADY_STARTED
    ]
    assert _statuses(session) == [(advisor.email, "enrolled")]


@pytest.mark.django_db
def test_only_active_office_staff_are_enrolled(session, people, office_a):
    coordinator = people["coordinator"]
    gone = _staff(office_a, "gone@example.org")
    Membership.objects.filter(user=gone).update(is_active=False)
    deactivated = _staff(office_a, "deactivated@example.org")
    deactivated.is_active = False
    deactivated.save(update_fields=["is_active"])
    for user in (people["citizen"], people["auditor"], coordinator, gone, deactivated):
        assert _refusal(services.enrol, actor=coordinator, session=session, user=user) == [
            STAFF_ONLY
        ], user
    assert not Enrolment.objects.exists()


@pytest.mark.django_db
def test_nobody_is_enrolled_twice_nor_waits_twice(coordinator, induction, people):
    session = schedule(coordinator, induction, capacity=1)
    advisor, readonly = people["advisor_a"], people["readonly_a"]
    services.enrol(actor=advisor, session=session, user=advisor)
    services.enrol(actor=readonly, session=session, user=readonly)
    for user in (advisor, readonly):
        assert _refusal(services.enrol, actor=people["manager_a"], session=session, user=user) == [
            _already(user)
        ]
    assert _statuses(session) == [(advisor.email, "enrolled"), (readonly.email, "waiting")]


@pytest.mark.django_db
def test_someone_who_cancelled_may_enrol_again(session, people):
    advisor = people["advisor_a"]
    first = services.enrol(actor=advisor, session=session, user=advisor)
    services.enrolment_cancel(actor=advisor, enrolment=first)
    again = services.enrol(actor=people["manager_a"], session=session, user=advisor)
    assert again.pk == first.pk  # the same record: one per person and session
    assert (again.status, again.enrolled_by) == ("enrolled", people["manager_a"])
    assert _statuses(session) == [(advisor.email, "enrolled")]


@pytest.mark.django_db
def test_someone_enrolling_again_waits_behind_those_who_came_meanwhile(
    coordinator, induction, people
):
    """First come, first served: the place in the queue is the latest enrolment's."""
    session = schedule(coordinator, induction, capacity=1)
    advisor, readonly, manager = people["advisor_a"], people["readonly_a"], people["manager_a"]
    seated = services.enrol(actor=advisor, session=session, user=advisor)
    early = services.enrol(actor=manager, session=session, user=manager)
    services.enrolment_cancel(actor=manager, enrolment=early)
    services.enrol(actor=readonly, session=session, user=readonly)  # waits, first now
    services.enrol(actor=manager, session=session, user=manager)  # waits again, second
    promoted = services.enrolment_cancel(actor=advisor, enrolment=seated)
    assert promoted.user == readonly
    assert dict(_statuses(session))[manager.email] == "waiting"


# Cancelling ---------------------------------------------------------------------------------


@pytest.fixture
def full(coordinator, induction, people, office_a):
    """A session of two places, taken by advisor_a and readonly_a; manager_a and then another
    member of office A waiting."""
    session = schedule(coordinator, induction, capacity=2)
    users = [people["advisor_a"], people["readonly_a"], people["manager_a"]]
    users.append(_staff(office_a, "fourth@example.org"))
    enrolments = [services.enrol(actor=user, session=session, user=user) for user in users]
    return session, enrolments


@pytest.mark.django_db
def test_a_freed_place_goes_to_the_first_waiting(full, people):
    session, (advisor, readonly, manager, fourth) = full
    promoted = services.enrolment_cancel(actor=people["advisor_a"], enrolment=advisor)
    assert promoted == manager
    assert _statuses(session) == [
        ("advisor.a@example.org", "cancelled"),
        ("readonly.a@example.org", "enrolled"),
        ("manager.a@example.org", "enrolled"),
        ("fourth@example.org", "waiting"),
    ]
    events = AuditEvent.objects.filter(
        action__in=["training.enrolment.cancel", "training.enrolment.promote"]
    )
    assert list(events.order_by("pk").values_list("action", "actor", "target_id")) == [
        ("training.enrolment.cancel", people["advisor_a"].pk, str(advisor.public_id)),
        ("training.enrolment.promote", people["advisor_a"].pk, str(manager.public_id)),
    ]


@pytest.mark.django_db
def test_leaving_the_waiting_list_frees_no_place(full, people):
    session, (_advisor, _readonly, manager, fourth) = full
    assert services.enrolment_cancel(actor=people["manager_a"], enrolment=manager) is None
    assert [status for _email, status in _statuses(session)] == [
        "enrolled",
        "enrolled",
        "cancelled",
        "waiting",
    ]
    assert not AuditEvent.objects.filter(action="training.enrolment.promote").exists()


@pytest.mark.django_db
def test_a_place_freed_once_the_session_started_goes_to_nobody(full, people):
    session, (advisor, *_rest) = full
    started(session)
    assert services.enrolment_cancel(actor=people["advisor_a"], enrolment=advisor) is None
    assert [status for _email, status in _statuses(session)] == [
        "cancelled",
        "enrolled",
        "waiting",
        "waiting",
    ]


@pytest.mark.django_db
def test_an_enrolment_is_cancelled_once(full, people):
    _session, (advisor, *_rest) = full
    services.enrolment_cancel(actor=people["advisor_a"], enrolment=advisor)
    stale = Enrolment.objects.get(pk=advisor.pk)
    assert _refusal(services.enrolment_cancel, actor=people["advisor_a"], enrolment=stale) == [
        ALREADY_CANCELLED
    ]
    assert AuditEvent.objects.filter(action="training.enrolment.cancel").count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("attended", [True, False])
def test_an_enrolment_with_its_attendance_recorded_stays(coordinator, session, people, attended):
    advisor = people["advisor_a"]
    enrolment = _attended(coordinator, session, advisor, attended=attended)
    assert _refusal(services.enrolment_cancel, actor=advisor, enrolment=enrolment) == [
        ATTENDANCE_KEPT
    ]
    enrolment.refresh_from_db()
    assert enrolment.status == "enrolled"
    assert not AuditEvent.objects.filter(action="training.enrolment.cancel").exists()


# Attendance ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_attendance_is_recorded_for_the_enrolled_once_the_session_started(
    coordinator, session, people
):
    enrolment = _attended(coordinator, session, people["advisor_a"])
    enrolment.refresh_from_db()
    assert enrolment.attended is True
    services.attendance_record(actor=coordinator, enrolment=enrolment, attended=False)
    enrolment.refresh_from_db()
    assert enrolment.attended is False
    events = AuditEvent.objects.filter(action="training.attendance.record").order_by("pk")
    assert list(events.values_list("actor", "target_id", "details")) == [
        (coordinator.pk, str(enrolment.public_id), {"attended": True}),
        (coordinator.pk, str(enrolment.public_id), {"attended": False}),
    ]


@pytest.mark.django_db
def test_attendance_waits_for_the_session_to_start(coordinator, session, people):
    advisor = people["advisor_a"]
    enrolment = services.enrol(actor=advisor, session=session, user=advisor)
    TrainingSession.objects.filter(pk=session.pk).update(starts_at=hours_from_now(0.1))
    enrolment = Enrolment.objects.select_related("session").get(pk=enrolment.pk)
    assert _refusal(
        services.attendance_record, actor=coordinator, enrolment=enrolment, attended=True
    ) == [ONCE_STARTED]
    TrainingSession.objects.filter(pk=session.pk).update(starts_at=timezone.now())
    enrolment = Enrolment.objects.select_related("session").get(pk=enrolment.pk)
    assert services.attendance_record(actor=coordinator, enrolment=enrolment, attended=True)
    enrolment.refresh_from_db()
    assert enrolment.attended is True


@pytest.mark.django_db
def test_attendance_is_not_recorded_for_the_waiting_nor_the_cancelled(full, coordinator):
    session, (advisor, _readonly, _manager, fourth) = full
    services.enrolment_cancel(actor=coordinator, enrolment=advisor)  # manager_a promoted
    started(session)
    for enrolment in (advisor, fourth):
        enrolment.refresh_from_db()
        assert _refusal(
            services.attendance_record, actor=coordinator, enrolment=enrolment, attended=True
        ) == [ENROLLED_ONLY]
    assert not Enrolment.objects.filter(attended__isnull=False).exists()
    assert not AuditEvent.objects.filter(action="training.attendance.record").exists()


@pytest.mark.django_db
def test_the_database_keeps_attendance_to_the_enrolled(full):
    _session, (_advisor, _readonly, manager, _fourth) = full
    with pytest.raises(IntegrityError), transaction.atomic():
        Enrolment.objects.filter(pk=manager.pk).update(attended=True)


# Assessment ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_trainer_says_who_passed_a_module_without_a_mark(coordinator, session, people):
    enrolment = _attended(coordinator, session, people["advisor_a"])
    services.assessment_record(actor=coordinator, enrolment=enrolment, passed=True, score=40)
    enrolment.refresh_from_db()
    assert (enrolment.passed, enrolment.score) == (True, None)  # no mark: no score kept
    assert enrolment.completed_at is not None
    event = AuditEvent.objects.get(action="training.assessment.record")
    assert (event.actor, event.target_id, event.details) == (
        coordinator,
        str(enrolment.public_id),
        {"passed": True},
    )


@pytest.mark.django_db
def test_a_module_without_a_mark_needs_the_trainers_word(coordinator, session, people):
    enrolment = _attended(coordinator, session, people["advisor_a"])
    assert _refusal(
        services.assessment_record, actor=coordinator, enrolment=enrolment, score=90
    ) == {"passed": [SAY_PASSED]}
    enrolment.refresh_from_db()
    assert (enrolment.passed, enrolment.completed_at) == (None, None)


@pytest.mark.parametrize(("score", "passed"), [(0, False), (69, False), (70, True), (100, True)])
@pytest.mark.django_db
def test_a_score_passes_from_the_modules_pass_mark(coordinator, viability, people, score, passed):
    session = schedule(coordinator, viability)
    enrolment = _attended(coordinator, session, people["advisor_a"])
    services.assessment_record(
        actor=coordinator, enrolment=enrolment, score=score, passed=not passed
    )
    enrolment.refresh_from_db()
    assert (enrolment.score, enrolment.passed) == (score, passed)
    assert (enrolment.completed_at is not None) == passed
    details = AuditEvent.objects.get(action="training.assessment.record").details
    assert details == {"passed": passed, "score": score}


@pytest.mark.parametrize("score", [None, -1, 101])
@pytest.mark.django_db
def test_a_module_with_a_mark_needs_a_score_from_0_to_100(coordinator, viability, people, score):
    session = schedule(coordinator, viability)
    enrolment = _attended(coordinator, session, people["advisor_a"])
    assert _refusal(
        services.assessment_record, actor=coordinator, enrolment=enrolment, score=score, passed=True
    ) == {"score": [SCORE]}
    enrolment.refresh_from_db()
    assert (enrolment.score, enrolment.passed, enrolment.completed_at) == (None, None, None)
    assert not AuditEvent.objects.filter(action="training.assessment.record").exists()


@pytest.mark.django_db
def test_only_someone_who_attended_is_assessed(coordinator, session, people):
    advisor, readonly = people["advisor_a"], people["readonly_a"]
    unknown = services.enrol(actor=readonly, session=session, user=readonly)
    absent = _attended(coordinator, session, advisor, attended=False)
    unknown.refresh_from_db()
    for enrolment in (unknown, absent):
        assert _refusal(
            services.assessment_record, actor=coordinator, enrolment=enrolment, passed=True
        ) == [ATTENDED_ONLY]
    assert not Enrolment.objects.filter(completed_at__isnull=False).exists()


@pytest.mark.django_db
def test_a_fail_after_a_pass_takes_the_completion_back_and_a_second_pass_keeps_its_date(
    coordinator, viability, people
):
    session = schedule(coordinator, viability)
    enrolment = _attended(coordinator, session, people["advisor_a"])
    services.assessment_record(actor=coordinator, enrolment=enrolment, score=80)
    enrolment.refresh_from_db()
    first = enrolment.completed_at
    services.assessment_record(actor=coordinator, enrolment=enrolment, score=90)
    enrolment.refresh_from_db()
    assert (enrolment.score, enrolment.completed_at) == (90, first)
    services.assessment_record(actor=coordinator, enrolment=enrolment, score=50)
    enrolment.refresh_from_db()
    assert (enrolment.score, enrolment.passed, enrolment.completed_at) == (50, False, None)


@pytest.mark.django_db
def test_recording_an_absence_takes_the_assessment_and_completion_back(
    coordinator, viability, people
):
    session = schedule(coordinator, viability)
    enrolment = _attended(coordinator, session, people["advisor_a"])
    services.assessment_record(actor=coordinator, enrolment=enrolment, score=85)
    services.attendance_record(actor=coordinator, enrolment=enrolment, attended=False)
    enrolment.refresh_from_db()
    assert (enrolment.attended, enrolment.score, enrolment.passed) == (False, None, None)
    assert enrolment.completed_at is None


@pytest.mark.django_db
def test_recording_attendance_again_keeps_the_completion(coordinator, session, people):
    enrolment = _attended(coordinator, session, people["advisor_a"])
    services.assessment_record(actor=coordinator, enrolment=enrolment, passed=True)
    services.attendance_record(actor=coordinator, enrolment=enrolment, attended=True)
    enrolment.refresh_from_db()
    assert (enrolment.passed, enrolment.completed_at is not None) == (True, True)


@pytest.mark.parametrize(
    "state",
    [
        {"attended": None, "passed": None},
        {"attended": False, "passed": True},
        {"attended": True, "passed": False},
    ],
    ids=["unknown attendance", "absent", "not passed"],
)
@pytest.mark.django_db
def test_the_database_refuses_a_completion_without_attendance_and_a_pass(
    coordinator, session, people, state
):
    enrolment = services.enrol(actor=coordinator, session=session, user=people["advisor_a"])
    with pytest.raises(IntegrityError), transaction.atomic():
        Enrolment.objects.filter(pk=enrolment.pk).update(completed_at=timezone.now(), **state)
    Enrolment.objects.filter(pk=enrolment.pk).update(
        completed_at=timezone.now(), attended=True, passed=True
    )
