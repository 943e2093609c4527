"""The training pages as each role opens them: every member of staff reads the curriculum,
enrols themself and sees their own record and gap; an office's managers enrol their staff and
see their enrolments (another office's people are refused with a message, never a server
error); coordinators schedule sessions and record attendance and assessment (403 for anyone
else); someone else's enrolment is a 404; every refusal is a message or a form error; the
session page's queries do not grow with its enrolments."""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from oae.privacy.models import AuditEvent
from oae.testing.factories import MembershipFactory, OfficeFactory
from oae.training import services
from oae.training.models import Enrolment, TrainingSession
from oae.training.tests.conftest import schedule, started

NOT_YOURS = "Choose yourself or one of your office's staff."
STAFF_PERSONAS = ["readonly_a", "advisor_a", "manager_a", "advisor_b", "auditor", "coordinator"]
NOT_COORDINATORS = ["readonly_a", "advisor_a", "manager_a", "advisor_b", "auditor", "citizen"]


def _messages(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def _post(client, url, data=None):
    """A POST whose messages are its own: the client drops those left by earlier requests."""
    client.cookies.pop("messages", None)
    return client.post(url, data or {})


def _url(name, *args) -> str:
    return reverse(f"training:{name}", args=args)


def _enrol(client, session, person):
    return _post(client, _url("enrol", session.public_id), {"person": person.pk})


def _names(response) -> set[str]:
    return {enrolment.user.email for enrolment in response.context["enrolments"]}


def _choices(response) -> set[str]:
    form = response.context["enrol_form"]
    return set() if form is None else {person.email for person in form.people.values()}


@pytest.fixture
def everyone(coordinator, session, people):
    """Tomorrow's induction (two places) with office A's advisor and read-only member
    enrolled, office A's manager and office B's advisor waiting."""
    for persona in ("advisor_a", "readonly_a", "manager_a", "advisor_b"):
        services.enrol(actor=coordinator, session=session, user=people[persona])
    return session


def _enrolment(session, people, persona) -> Enrolment:
    return session.enrolments.get(user=people[persona])


# The curriculum ------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("persona", STAFF_PERSONAS)
def test_every_member_of_staff_reads_the_curriculum_with_its_sessions(
    client_for, everyone, persona
):
    response = client_for(persona).get(_url("curriculum"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Induction to the OAE network" in page and "Business plans and viability" in page
    assert _url("session", everyone.public_id) in page
    assert "2 of 2 places taken" in page
    schedules = _url("session_new", "induction") in page
    assert schedules == (persona == "coordinator")


@pytest.mark.django_db
def test_the_curriculum_says_when_nothing_is_published(client_for):
    response = client_for("advisor_a").get(_url("curriculum"))
    assert b"The network has not published its curriculum yet." in response.content


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["curriculum", "mine"])
def test_citizens_are_refused_the_training_pages_and_visitors_sent_to_sign_in(client_for, name):
    assert client_for("citizen").get(_url(name)).status_code == 403
    response = client_for("anonymous").get(_url(name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


# A session's page ----------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("persona", "sees"),
    [
        ("coordinator", {"advisor_a", "readonly_a", "manager_a", "advisor_b"}),
        ("manager_a", {"advisor_a", "readonly_a", "manager_a"}),
        ("advisor_a", {"advisor_a"}),
        ("readonly_a", {"readonly_a"}),
        ("advisor_b", {"advisor_b"}),
        ("auditor", set()),
    ],
)
def test_each_sees_the_enrolments_that_are_theirs_to_see(
    client_for, everyone, people, persona, sees
):
    response = client_for(persona).get(_url("session", everyone.public_id))
    assert response.status_code == 200
    assert _names(response) == {people[p].email for p in sees}
    page = response.content.decode()
    for other in {"advisor_a", "readonly_a", "manager_a", "advisor_b"} - sees:
        assert people[other].display_name not in page
    if not sees:
        assert "No enrolment you may see yet." in page


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("persona", "may_enrol"),
    [
        ("manager_a", {"advisor_a", "readonly_a", "manager_a"}),
        ("advisor_a", {"advisor_a"}),
        ("readonly_a", {"readonly_a"}),
        ("advisor_b", {"advisor_b"}),
        ("auditor", set()),
        ("coordinator", set()),  # coordinators run sessions; offices enrol their people
    ],
)
def test_the_enrol_form_offers_oneself_and_for_managers_their_staff(
    client_for, session, people, persona, may_enrol
):
    response = client_for(persona).get(_url("session", session.public_id))
    assert _choices(response) == {people[p].email for p in may_enrol}
    assert (_url("enrol", session.public_id) in response.content.decode()) == bool(may_enrol)


@pytest.mark.django_db
def test_the_enrol_form_is_gone_once_the_session_started_or_was_cancelled(
    client_for, coordinator, induction
):
    running = started(schedule(coordinator, induction))
    cancelled = schedule(coordinator, induction)
    TrainingSession.objects.filter(pk=cancelled.pk).update(cancelled_at=timezone.now())
    client = client_for("advisor_a")
    assert (
        _url("enrol", running.public_id)
        not in client.get(_url("session", running.public_id)).content.decode()
    )
    page = client.get(_url("session", cancelled.public_id)).content.decode()
    assert _url("enrol", cancelled.public_id) not in page
    assert "This session has been cancelled." in page


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["citizen", "anonymous"])
def test_a_session_is_not_shown_outside_the_staff(client_for, session, persona):
    response = client_for(persona).get(_url("session", session.public_id))
    assert response.status_code == (403 if persona == "citizen" else 302)


@pytest.mark.django_db
def test_an_unknown_session_is_a_404(client_for, session):
    missing = "00000000-0000-0000-0000-000000000000"
    assert client_for("advisor_a").get(_url("session", missing)).status_code == 404
    assert _post(client_for("advisor_a"), _url("enrol", missing), {"person": 1}).status_code == 404


# Enrolling -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_member_of_staff_enrols_themself(client_for, session, people):
    advisor = people["advisor_a"]
    response = _enrol(client_for("advisor_a"), session, advisor)
    assert response.status_code == 302
    assert response["Location"] == _url("session", session.public_id)
    assert _messages(response) == ["Enrolled."]
    enrolment = session.enrolments.get()
    assert (enrolment.user, enrolment.enrolled_by, enrolment.status) == (
        advisor,
        advisor,
        "enrolled",
    )
    assert AuditEvent.objects.filter(action="training.enrolment.enrol", actor=advisor).exists()


@pytest.mark.django_db
def test_a_manager_enrols_their_staff_and_the_full_session_puts_them_on_the_waiting_list(
    client_for, coordinator, induction, people
):
    session = schedule(coordinator, induction, capacity=1)
    client = client_for("manager_a")
    assert _messages(_enrol(client, session, people["readonly_a"])) == ["Enrolled."]
    assert _messages(_enrol(client, session, people["advisor_a"])) == [
        "The session is full: on the waiting list."
    ]
    assert [(e.user, e.status, e.enrolled_by) for e in session.enrolments.all()] == [
        (people["readonly_a"], "enrolled", people["manager_a"]),
        (people["advisor_a"], "waiting", people["manager_a"]),
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("persona", "other"),
    [
        ("manager_a", "advisor_b"),  # another office's staff
        ("advisor_a", "readonly_a"),  # a colleague: only managers enrol others
        ("advisor_b", "advisor_a"),
        ("coordinator", "advisor_a"),
        ("auditor", "advisor_a"),
        ("manager_a", "coordinator"),
        ("manager_a", "citizen"),
    ],
)
def test_enrolling_someone_not_yours_is_refused_with_a_message(
    client_for, session, people, persona, other
):
    response = _enrol(client_for(persona), session, people[other])
    assert response.status_code == 302
    assert _messages(response) == [NOT_YOURS]
    assert not Enrolment.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("person", ["", "x", "9" * 25, "-1"])
def test_a_malformed_person_is_refused_with_a_message(client_for, session, person):
    response = _post(client_for("manager_a"), _url("enrol", session.public_id), {"person": person})
    assert (response.status_code, _messages(response)) == (302, [NOT_YOURS])


@pytest.mark.django_db
def test_the_services_refusals_are_messages(client_for, coordinator, session, people):
    client = client_for("manager_a")
    advisor = people["advisor_a"]
    _enrol(client, session, advisor)
    assert _messages(_enrol(client, session, advisor)) == [
        f"{advisor.display_name} is already enrolled or on the waiting list."
    ]
    started(session)
    response = _enrol(client, session, people["readonly_a"])
    assert (response.status_code, _messages(response)) == (
        302,
        ["This session has already started: enrol in a later one."],
    )
    assert session.enrolments.count() == 1


@pytest.mark.django_db
def test_a_manager_no_longer_enrols_someone_who_left_the_office(client_for, session, people):
    people["advisor_a"].memberships.update(is_active=False)
    response = _enrol(client_for("manager_a"), session, people["advisor_a"])
    assert _messages(response) == [NOT_YOURS]


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["enrol", "enrolment_cancel", "attendance", "assessment"])
def test_the_writes_take_only_posts(client_for, everyone, people, name):
    target = everyone if name == "enrol" else _enrolment(everyone, people, "advisor_a")
    assert client_for("coordinator").get(_url(name, target.public_id)).status_code == 405


@pytest.mark.django_db
def test_citizens_and_visitors_enrol_nobody(client_for, session, people):
    assert _enrol(client_for("citizen"), session, people["citizen"]).status_code == 403
    response = _enrol(client_for("anonymous"), session, people["advisor_a"])
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert not Enrolment.objects.exists()


# Cancelling ----------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("persona", "whose"),
    [
        ("advisor_a", "advisor_a"),
        ("readonly_a", "readonly_a"),
        ("manager_a", "advisor_a"),  # their office's staff
        ("coordinator", "advisor_b"),
        ("advisor_b", "advisor_b"),
    ],
)
def test_an_enrolment_is_cancelled_by_its_person_their_manager_or_a_coordinator(
    client_for, everyone, people, persona, whose
):
    enrolment = _enrolment(everyone, people, whose)
    response = _post(client_for(persona), _url("enrolment_cancel", enrolment.public_id))
    assert response.status_code == 302
    assert response["Location"] == _url("session", everyone.public_id)
    assert _messages(response) == ["The enrolment is cancelled."]
    enrolment.refresh_from_db()
    assert enrolment.status == "cancelled"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("persona", "whose"),
    [
        ("advisor_a", "readonly_a"),
        ("readonly_a", "advisor_a"),
        ("advisor_b", "advisor_a"),
        ("advisor_a", "advisor_b"),
        ("manager_a", "advisor_b"),  # another office's
        ("auditor", "advisor_a"),
    ],
)
def test_someone_elses_enrolment_is_a_404(client_for, everyone, people, persona, whose):
    enrolment = _enrolment(everyone, people, whose)
    response = _post(client_for(persona), _url("enrolment_cancel", enrolment.public_id))
    assert response.status_code == 404
    enrolment.refresh_from_db()
    assert enrolment.status != "cancelled"
    probe = AuditEvent.objects.get(action="access.denied")
    assert (probe.actor, probe.target_id) == (people[persona], str(enrolment.public_id))


@pytest.mark.django_db
def test_a_freed_place_goes_to_the_first_waiting_and_a_second_cancel_is_a_message(
    client_for, everyone, people
):
    client = client_for("advisor_a")
    enrolment = _enrolment(everyone, people, "advisor_a")
    _post(client, _url("enrolment_cancel", enrolment.public_id))
    assert _enrolment(everyone, people, "manager_a").status == "enrolled"
    assert _enrolment(everyone, people, "advisor_b").status == "waiting"
    response = _post(client, _url("enrolment_cancel", enrolment.public_id))
    assert (response.status_code, _messages(response)) == (
        302,
        ["This enrolment is already cancelled."],
    )


# Attendance and assessment -------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["attendance", "assessment"])
@pytest.mark.parametrize("persona", NOT_COORDINATORS)
def test_only_coordinators_record_attendance_and_assessment(
    client_for, everyone, people, name, persona
):
    started(everyone)
    own = people[persona] if persona in {"advisor_a", "readonly_a"} else people["advisor_a"]
    enrolment = everyone.enrolments.get(user=own)
    response = _post(client_for(persona), _url(name, enrolment.public_id), {"attended": "yes"})
    assert response.status_code == 403
    enrolment.refresh_from_db()
    assert enrolment.attended is None


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["attendance", "assessment"])
def test_visitors_are_sent_to_sign_in_before_any_record(client_for, everyone, people, name):
    enrolment = _enrolment(everyone, people, "advisor_a")
    response = _post(client_for("anonymous"), _url(name, enrolment.public_id), {"attended": "yes"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.django_db
def test_a_coordinator_records_attendance_once_the_session_started(client_for, everyone, people):
    client = client_for("coordinator")
    enrolment = _enrolment(everyone, people, "advisor_a")
    url = _url("attendance", enrolment.public_id)
    assert _messages(_post(client, url, {"attended": "yes"})) == [
        "Attendance is recorded once the session has started."
    ]
    started(everyone)
    page = client.get(_url("session", everyone.public_id)).content.decode()
    assert url in page  # the attendance forms show once it started
    response = _post(client, url, {"attended": "yes"})
    assert response["Location"] == _url("session", everyone.public_id)
    assert _messages(response) == ["Attendance recorded."]
    enrolment.refresh_from_db()
    assert enrolment.attended is True
    waiting = _enrolment(everyone, people, "manager_a")
    assert _messages(_post(client, _url("attendance", waiting.public_id), {"attended": "yes"})) == [
        "Attendance is recorded only for people enrolled in the session."
    ]
    for answer in ("", "maybe"):
        assert _messages(_post(client, url, {"attended": answer})) == ["Say whether they attended."]


@pytest.mark.django_db
def test_a_coordinator_assesses_with_the_trainers_word(client_for, everyone, people):
    client = client_for("coordinator")
    enrolment = _enrolment(everyone, people, "advisor_a")
    url = _url("assessment", enrolment.public_id)
    started(everyone)
    assert _messages(_post(client, url, {"passed": "yes"})) == [
        "Only someone who attended is assessed."
    ]
    _post(client, _url("attendance", enrolment.public_id), {"attended": "yes"})
    assert _messages(_post(client, url, {"passed": ""})) == ["Say whether they passed."]
    assert _messages(_post(client, url, {"passed": "yes"})) == ["Assessment recorded."]
    enrolment.refresh_from_db()
    assert enrolment.passed is True and enrolment.completed_at is not None
    page = client.get(_url("session", everyone.public_id)).content.decode()
    assert "completed" in page


@pytest.mark.django_db
def test_a_coordinator_assesses_with_a_score_against_the_pass_mark(
    client_for, coordinator, viability, people
):
    session = schedule(coordinator, viability)
    enrolment = services.enrol(actor=coordinator, session=session, user=people["advisor_a"])
    started(session)
    client = client_for("coordinator")
    _post(client, _url("attendance", enrolment.public_id), {"attended": "yes"})
    url = _url("assessment", enrolment.public_id)
    assert _messages(_post(client, url, {"score": ""})) == [
        "This module is assessed with a score from 0 to 100."
    ]
    assert _messages(_post(client, url, {"score": "101"})) == [
        "Ensure this value is less than or equal to 100."
    ]
    assert _messages(_post(client, url, {"score": "69"})) == ["Assessment recorded."]
    enrolment.refresh_from_db()
    assert (enrolment.score, enrolment.passed, enrolment.completed_at) == (69, False, None)
    _post(client, url, {"score": "70"})
    enrolment.refresh_from_db()
    assert (enrolment.score, enrolment.passed) == (70, True)
    assert enrolment.completed_at is not None
    page = client.get(_url("session", session.public_id)).content.decode()
    assert f'id="score-{enrolment.public_id}"' in page and 'value="70"' in page


# My training ---------------------------------------------------------------------------------


def _complete_induction(coordinator, induction, user) -> None:
    session = schedule(coordinator, induction)
    enrolment = services.enrol(actor=coordinator, session=session, user=user)
    started(session, hours_ago=5)  # and ended
    enrolment.refresh_from_db()
    services.attendance_record(actor=coordinator, enrolment=enrolment, attended=True)
    services.assessment_record(actor=coordinator, enrolment=enrolment, passed=True)


@pytest.mark.django_db
def test_my_training_shows_my_record_what_comes_up_and_my_roles_gap(
    client_for, coordinator, induction, session, people
):
    advisor = people["advisor_a"]
    _complete_induction(coordinator, induction, advisor)
    services.enrol(actor=advisor, session=session, user=advisor)
    services.enrol(actor=coordinator, session=session, user=people["readonly_a"])  # not mine
    response = client_for("advisor_a").get(_url("mine"))
    assert response.status_code == 200
    assert [e.session for e in response.context["enrolments"]] == [session]
    assert [e.session.module.code for e in response.context["completions"]] == ["induction"]
    ((role, rows),) = response.context["gaps"]
    assert role == "advisor"
    met = {gap.competence.code for gap in rows if not gap.missing}
    assert met == {"EC3.4", "OAE4", "OAE5"} and len(rows) == 9
    page = response.content.decode()
    assert "What your role needs (advisor)" in page
    assert page.count("to train") == 6 and page.count(">met<") == 3


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("persona", "roles"),
    [
        ("manager_a", ["office manager"]),
        ("readonly_a", ["front desk"]),
        ("advisor_b", ["advisor"]),
        ("auditor", []),
        ("coordinator", []),
    ],
)
def test_my_training_shows_the_gap_of_each_role_held(client_for, framework, persona, roles):
    response = client_for(persona).get(_url("mine"))
    assert response.status_code == 200
    assert [role for role, _rows in response.context["gaps"]] == roles
    assert b"No module completed yet." in response.content


@pytest.mark.django_db
def test_someone_with_two_roles_sees_both_gaps(client_for, framework, people):
    MembershipFactory(user=people["advisor_b"], office=OfficeFactory(), role="manager")
    response = client_for("advisor_b").get(_url("mine"))
    assert sorted(role for role, _rows in response.context["gaps"]) == ["advisor", "office manager"]


# Scheduling a session ------------------------------------------------------------------------


def _form(**changes) -> dict:
    starts = timezone.localtime() + datetime.timedelta(days=2)
    return {
        "starts_at": starts.strftime("%Y-%m-%dT10:00"),
        "ends_at": starts.strftime("%Y-%m-%dT14:00"),
        "place": "Seu de la xarxa",
        "online_url": "",
        "trainer": "Montserrat Puig",
        "capacity": "12",
    } | changes


@pytest.mark.django_db
def test_a_coordinator_schedules_a_session(client_for, coordinator, induction):
    client = client_for("coordinator")
    url = _url("session_new", "induction")
    assert client.get(url).status_code == 200
    response = _post(client, url, _form())
    session = TrainingSession.objects.get()
    assert response["Location"] == _url("session", session.public_id)
    assert _messages(response) == ["The session is scheduled."]
    assert (session.module, session.capacity, timezone.localtime(session.starts_at).hour) == (
        induction,
        12,
        10,
    )
    assert AuditEvent.objects.filter(action="training.session.schedule", actor=coordinator).exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("changes", "field", "reason"),
    [
        (
            {"starts_at": "2020-01-01T10:00", "ends_at": "2020-01-01T12:00"},
            "starts_at",
            "A session is scheduled from now on.",
        ),
        ({"ends_at": "2020-01-01T12:00"}, "ends_at", "A session ends after it starts."),
        ({"place": ""}, "place", "Say where it is held, or give its online link."),
        ({"capacity": "0"}, "capacity", "Ensure this value is greater than or equal to 1."),
        ({"online_url": "not a link"}, "online_url", "Enter a valid URL."),
    ],
)
def test_a_refused_session_is_shown_on_the_form(client_for, induction, changes, field, reason):
    response = _post(client_for("coordinator"), _url("session_new", "induction"), _form(**changes))
    assert response.status_code == 200
    assert response.context["form"].errors == {field: [reason]}
    assert reason.replace("'", "&#x27;") in response.content.decode()
    assert not TrainingSession.objects.exists()


@pytest.mark.django_db
def test_a_session_lasting_over_twelve_hours_is_shown_on_the_form(client_for, induction):
    starts = timezone.localtime() + datetime.timedelta(days=2)
    form = _form(
        starts_at=starts.strftime("%Y-%m-%dT07:00"), ends_at=starts.strftime("%Y-%m-%dT19:01")
    )
    response = _post(client_for("coordinator"), _url("session_new", "induction"), form)
    assert response.context["form"].errors == {
        "ends_at": ["A session lasts 12 hours at most: schedule one per day."]
    }


@pytest.mark.django_db
@pytest.mark.parametrize("persona", NOT_COORDINATORS)
def test_only_coordinators_schedule_sessions(client_for, induction, persona):
    client = client_for(persona)
    assert client.get(_url("session_new", "induction")).status_code == 403
    assert _post(client, _url("session_new", "induction"), _form()).status_code == 403
    assert not TrainingSession.objects.exists()


@pytest.mark.django_db
def test_scheduling_for_an_unknown_module_is_a_404(client_for, induction):
    assert client_for("coordinator").get(_url("session_new", "no-such")).status_code == 404


# Queries -------------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["coordinator", "manager_a"])
def test_the_session_page_reads_a_fixed_number_of_queries(
    client_for, coordinator, induction, office_a, persona
):
    session = schedule(coordinator, induction, capacity=3)
    client = client_for(persona)

    def queries() -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            assert client.get(_url("session", session.public_id)).status_code == 200
        return len(captured)

    def enrol_staff(count: int) -> None:
        for _ in range(count):
            user = MembershipFactory(office=office_a).user
            services.enrol(actor=coordinator, session=session, user=user)

    enrol_staff(2)
    few = queries()
    enrol_staff(6)
    assert queries() == few
