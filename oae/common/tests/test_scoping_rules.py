"""Every rule of oae/scoping.py, called directly: what each role may do and where, the office
ids each user acts for, the acting office, the refusals and the same 404 for a missing or a
hidden record. The expected answers are written here by hand from the product rules
(docs/architecture.md, "Scoping"), never read from scoping's own tables, so that a changed rule
fails a test. No page is served but the decorator's: these run in a second or two."""

import uuid

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import resolve_url
from django.test import RequestFactory

from oae import scoping
from oae.crm.models import Company
from oae.network.models import Membership, Office
from oae.privacy.models import AuditEvent
from oae.scoping import Action, NetworkRole, OfficeRole
from oae.testing.factories import (
    MembershipFactory,
    MunicipalityFactory,
    OfficeFactory,
    UserFactory,
)

# Where a persona may do an action: in every office (network roles), or in the offices named.
EVERYWHERE = "everywhere"
A, B, AB = frozenset("A"), frozenset("B"), frozenset("AB")
NOWHERE = frozenset()

# Office staff: the office's page, the municipalities and the office's own figures.
_OFFICE_READS = (
    Action.VIEW_OFFICE,
    Action.VIEW_MUNICIPALITIES,
    Action.VIEW_REPORTS,
    Action.VIEW_PROPOSALS,  # the offices' proposals to the model and the consultation rounds
)
# Serving clients: their records and their cases.
_CLIENT_WORK = (Action.VIEW_PEOPLE, Action.EDIT_PEOPLE, Action.VIEW_CASES, Action.EDIT_CASES)
_ADVISOR = (*_OFFICE_READS, *_CLIENT_WORK, Action.PROPOSE_CHANGE)
_MANAGER = (
    *_ADVISOR,
    Action.EDIT_OFFICE,
    Action.MANAGE_STAFF,
    Action.ADAPT_CATALOGUE,
    Action.MERGE_PEOPLE,
    Action.VIEW_OPENING,  # their office's opening path and yearly reviews
    Action.ANSWER_CONSULTATION,  # the office's answer to a round on the draft
)
_READ_ONLY = (*_OFFICE_READS, Action.VIEW_PEOPLE, Action.VIEW_CASES)

# The product rules, persona by persona; an action not listed is refused everywhere (deny by
# default). The coordinator runs the network but never reads clients' personal data nor adapts
# an office's catalogue; the auditor reads everything but changes nothing.
MAY: dict[str, dict[Action, object]] = {
    "coordinator": {
        action: EVERYWHERE
        for action in (
            Action.VIEW_OFFICE,
            Action.CREATE_OFFICE,
            Action.EDIT_OFFICE,
            Action.CHANGE_OFFICE_STATUS,
            Action.MANAGE_STAFF,
            Action.VIEW_MUNICIPALITIES,
            Action.EDIT_MUNICIPALITY,
            Action.VIEW_AUDIT,
            Action.VIEW_NETWORK_MODEL,
            Action.EDIT_NETWORK_MODEL,
            Action.VIEW_REPORTS,
            Action.VIEW_NETWORK_REPORTS,
            Action.MANAGE_REPORTS,
            Action.VIEW_OPENING,
            Action.EDIT_OPENING,
            Action.MANAGE_TRAINING,
            Action.VIEW_PROPOSALS,  # but proposes and answers for no office
        )
    },
    "auditor": {
        action: EVERYWHERE
        for action in (
            Action.VIEW_OFFICE,
            Action.VIEW_MUNICIPALITIES,
            Action.VIEW_REPORTS,
            Action.VIEW_AUDIT,
            Action.VIEW_NETWORK_MODEL,
            Action.VIEW_NETWORK_REPORTS,
            Action.VIEW_OPENING,
            Action.VIEW_PROPOSALS,
        )
    },
    "manager_a": dict.fromkeys(_MANAGER, A),
    "advisor_a": dict.fromkeys(_ADVISOR, A),
    "readonly_a": dict.fromkeys(_READ_ONLY, A),
    "advisor_b": dict.fromkeys(_ADVISOR, B),
    # Manager of A and read-only in B: each office's rights are its own role's.
    "two_offices": {
        Action.VIEW_OFFICE: AB,
        Action.VIEW_MUNICIPALITIES: AB,
        Action.VIEW_REPORTS: AB,
        Action.VIEW_PROPOSALS: AB,
        Action.VIEW_PEOPLE: AB,
        Action.VIEW_CASES: AB,
        Action.EDIT_PEOPLE: A,
        Action.EDIT_CASES: A,
        Action.EDIT_OFFICE: A,
        Action.MANAGE_STAFF: A,
        Action.ADAPT_CATALOGUE: A,
        Action.MERGE_PEOPLE: A,
        Action.VIEW_OPENING: A,
        Action.PROPOSE_CHANGE: A,
        Action.ANSWER_CONSULTATION: A,
    },
    # Was manager of A (membership ended), still advises in B: only B's advisor rights.
    "left_a": dict.fromkeys(_ADVISOR, B),
    "citizen": {},
    "anonymous": {},
    # A deactivated account keeps its rows but none of its rights.
    "disabled_manager_a": {},
    "disabled_coordinator": {},
}


@pytest.fixture
def personas(people, office_a, office_b):
    """conftest's personas, plus the ones whose memberships make the rules interesting."""
    two_offices = _member(office_a, OfficeRole.MANAGER, "two.offices@example.org")
    MembershipFactory(user=two_offices, office=office_b, role=OfficeRole.READ_ONLY)
    left_a = _member(office_b, OfficeRole.ADVISOR, "left.a@example.org")
    MembershipFactory(user=left_a, office=office_a, role=OfficeRole.MANAGER, is_active=False)
    disabled = UserFactory(email="disabled@example.org", is_active=False)
    MembershipFactory(user=disabled, office=office_a, role=OfficeRole.MANAGER)
    return {
        **people,
        "anonymous": AnonymousUser(),
        "two_offices": two_offices,
        "left_a": left_a,
        "disabled_manager_a": disabled,
        "disabled_coordinator": UserFactory(
            email="disabled.coordinator@example.org",
            network_role=NetworkRole.COORDINATOR,
            is_active=False,
        ),
    }


def _member(office, role, email):
    return MembershipFactory(office=office, role=role, user=UserFactory(email=email)).user


def _request(user, session=None):
    request = RequestFactory().get("/")
    request.user = user
    if session is not None:
        request.session = session
    return request


# What each role may do, and where ---------------------------------------------------------


def test_every_persona_of_the_table_is_tested(personas):
    assert set(MAY) == set(personas)


@pytest.mark.parametrize("persona", list(MAY))
def test_each_persona_may_do_exactly_what_the_product_rules_say(
    persona, personas, office_a, office_b
):
    """For every action: may they at office A, at office B, anywhere at all (no office
    named), and the exact offices `office_ids_for` answers."""
    user = personas[persona]
    label = {office_a.pk: "A", office_b.pk: "B"}
    answers, expected = {}, {}
    for action in Action:
        ids = scoping.office_ids_for(user, action)
        answers[action] = (
            scoping.can(user, action, office_a),
            scoping.can(user, action, office_b),
            scoping.can(user, action),
            EVERYWHERE if ids is None else frozenset(label.get(pk, pk) for pk in ids),
        )
        where = MAY[persona].get(action, NOWHERE)
        expected[action] = (
            where == EVERYWHERE or "A" in where,
            where == EVERYWHERE or "B" in where,
            bool(where),
            where,
        )
    assert answers == expected


def test_network_roles_act_in_offices_created_after_them(people):
    """`EVERYWHERE` is every office, not the ones that existed when the role was given."""
    later = OfficeFactory(name="OAE Gamma")
    assert scoping.can(people["coordinator"], Action.MANAGE_STAFF, later)
    assert scoping.can(people["auditor"], Action.VIEW_OFFICE, later)
    assert not scoping.can(people["auditor"], Action.EDIT_OFFICE, later)
    assert not scoping.can(people["manager_a"], Action.VIEW_OFFICE, later)


NETWORK_WIDE = {
    Action.CREATE_OFFICE,
    Action.EDIT_MUNICIPALITY,
    Action.VIEW_AUDIT,
    Action.VIEW_NETWORK_MODEL,
    Action.EDIT_NETWORK_MODEL,
    Action.VIEW_NETWORK_REPORTS,
    Action.MANAGE_REPORTS,
    Action.EDIT_OPENING,
    Action.MANAGE_TRAINING,
}


def test_the_network_wide_actions_are_the_networks_own():
    """No office role has one of these today, so `can(user, action)` refusing them to office
    staff cannot be seen through a user; the list itself is the rule."""
    assert scoping.NETWORK_ACTIONS == NETWORK_WIDE


@pytest.mark.parametrize("persona", ["manager_a", "advisor_a", "readonly_a", "two_offices"])
def test_office_staff_never_do_a_network_action(persona, personas, office_a, office_b):
    user = personas[persona]
    for action in NETWORK_WIDE:
        assert not scoping.can(user, action), action
        assert not scoping.can(user, action, office_a), action
        assert scoping.office_ids_for(user, action) == set(), action


# Read or change: every action is one or the other.
READS = {
    Action.VIEW_OFFICE,
    Action.VIEW_MUNICIPALITIES,
    Action.VIEW_AUDIT,
    Action.VIEW_NETWORK_MODEL,
    Action.VIEW_REPORTS,
    Action.VIEW_NETWORK_REPORTS,
    Action.VIEW_PEOPLE,
    Action.VIEW_CASES,
    Action.VIEW_OPENING,
    Action.VIEW_PROPOSALS,
}
CHANGES = {
    Action.CREATE_OFFICE,
    Action.EDIT_OFFICE,
    Action.CHANGE_OFFICE_STATUS,
    Action.MANAGE_STAFF,
    Action.EDIT_MUNICIPALITY,
    Action.EDIT_NETWORK_MODEL,
    Action.ADAPT_CATALOGUE,
    Action.EDIT_PEOPLE,
    Action.MERGE_PEOPLE,
    Action.EDIT_CASES,
    Action.MANAGE_REPORTS,
    Action.EDIT_OPENING,
    Action.MANAGE_TRAINING,
    Action.PROPOSE_CHANGE,
    Action.ANSWER_CONSULTATION,
}
CLIENTS_DATA = {Action.VIEW_PEOPLE, Action.VIEW_CASES}


def test_every_action_is_a_read_or_a_change():
    """A new action must be placed here (and in `MAY`) before it can be given to anyone."""
    assert READS | CHANGES == set(Action)
    assert not READS & CHANGES


def test_the_auditor_reads_everything_but_clients_and_changes_nothing(people, office_a):
    auditor = people["auditor"]
    for action in READS - CLIENTS_DATA:
        assert scoping.can(auditor, action), action
        assert scoping.can(auditor, action, office_a), action
        assert scoping.office_ids_for(auditor, action) is None, action
    for action in CHANGES | CLIENTS_DATA:
        assert not scoping.can(auditor, action), action
        assert not scoping.can(auditor, action, office_a), action
        assert scoping.office_ids_for(auditor, action) == set(), action
        with pytest.raises(PermissionDenied):
            scoping.require(auditor, action, office_a)


def test_a_role_missing_from_the_tables_may_do_nothing(people, office_a):
    """A role in a row that the tables do not know (say a future "front desk" role stored
    before its rights are written) grants nothing. The database refuses such a row today,
    so the user's memberships are given as `active_memberships` keeps them."""
    user = people["citizen"]
    user._oae_memberships = [Membership(user=user, office=office_a, role="frontdesk")]
    assert scoping.office_ids_for(user, Action.VIEW_OFFICE) == set()
    assert not scoping.can(user, Action.VIEW_OFFICE, office_a)
    assert scoping.is_staff_member(user)  # a member all the same, with no rights


# Office ids -------------------------------------------------------------------------------


def test_office_ids_are_every_office_where_the_role_allows_it(personas, office_a, office_b):
    user = personas["two_offices"]
    third = OfficeFactory(name="OAE Gamma")
    MembershipFactory(user=user, office=third, role=OfficeRole.ADVISOR)
    ended = OfficeFactory(name="OAE Delta")
    MembershipFactory(user=user, office=ended, role=OfficeRole.MANAGER, is_active=False)
    assert scoping.office_ids_for(user, Action.VIEW_CASES) == {office_a.pk, office_b.pk, third.pk}
    assert scoping.office_ids_for(user, Action.EDIT_CASES) == {office_a.pk, third.pk}
    assert scoping.office_ids_for(user, Action.MANAGE_STAFF) == {office_a.pk}
    assert scoping.office_ids_for(user, Action.CHANGE_OFFICE_STATUS) == set()
    assert not scoping.can(user, Action.VIEW_OFFICE, ended)


def test_an_ended_membership_gives_nothing_even_as_the_only_one(people, office_a):
    manager = people["manager_a"]
    manager.memberships.update(is_active=False)
    assert scoping.office_ids_for(manager, Action.VIEW_OFFICE) == set()
    assert not scoping.can(manager, Action.VIEW_OFFICE)
    assert not scoping.is_staff_member(manager)


def test_memberships_are_read_once_per_user_until_forgotten(
    people, office_b, django_assert_num_queries
):
    advisor = people["advisor_a"]
    with django_assert_num_queries(1):  # the memberships, their offices and towns, at once
        assert scoping.can(advisor, Action.EDIT_CASES)
        assert scoping.office_ids_for(advisor, Action.VIEW_CASES)
        office = scoping.acting_office(_request(advisor, {}))
        assert office.municipality.name == "Sant Boi de Llobregat"
        assert scoping.roles_in_office(advisor, office) == [OfficeRole.ADVISOR]
    MembershipFactory(user=advisor, office=office_b, role=OfficeRole.MANAGER)
    assert not scoping.can(advisor, Action.MANAGE_STAFF, office_b)  # kept for the request
    scoping.forget_cached_memberships(advisor)
    assert scoping.can(advisor, Action.MANAGE_STAFF, office_b)
    scoping.forget_cached_memberships(AnonymousUser())  # nothing kept, nothing to forget


def test_roles_in_office_are_the_active_ones_there(personas, office_a, office_b):
    assert scoping.roles_in_office(personas["two_offices"], office_a) == [OfficeRole.MANAGER]
    assert scoping.roles_in_office(personas["two_offices"], office_b) == [OfficeRole.READ_ONLY]
    assert scoping.roles_in_office(personas["left_a"], office_a) == []
    assert scoping.roles_in_office(personas["coordinator"], office_a) == []


def test_scope_to_offices_keeps_the_rows_of_the_allowed_offices(personas, office_a, office_b):
    memberships = Membership.objects.filter(is_active=True)
    of_b = scoping.scope_to_offices(memberships, personas["advisor_b"], Action.VIEW_PEOPLE)
    assert {m.office_id for m in of_b} == {office_b.pk}
    assert not scoping.scope_to_offices(memberships, personas["citizen"], Action.VIEW_OFFICE)
    everything = scoping.scope_to_offices(memberships, personas["coordinator"], Action.EDIT_OFFICE)
    assert everything.count() == memberships.count() > 1
    offices = scoping.scope_to_offices(
        Office.objects.all(), personas["two_offices"], Action.EDIT_CASES, office_field="pk"
    )
    assert list(offices) == [office_a]


@pytest.mark.parametrize(
    ("persona", "staff"),
    [
        ("coordinator", True),
        ("auditor", True),
        ("manager_a", True),
        ("readonly_a", True),
        ("left_a", True),
        ("citizen", False),
        ("anonymous", False),
        ("disabled_manager_a", False),
        ("disabled_coordinator", False),
    ],
)
def test_staff_are_network_roles_and_active_members_of_an_office(persona, staff, personas):
    assert scoping.is_staff_member(personas[persona]) is staff


# Refusals ---------------------------------------------------------------------------------


def test_require_refuses_with_a_403_naming_the_action(people, office_a, office_b):
    manager = people["manager_a"]
    assert scoping.require(manager, Action.MANAGE_STAFF, office_a) is None
    assert scoping.require(manager, Action.MANAGE_STAFF) is None
    with pytest.raises(PermissionDenied, match="^manage_staff refused$"):
        scoping.require(manager, Action.MANAGE_STAFF, office_b)  # allowed in A, not here
    with pytest.raises(PermissionDenied, match="create_office"):
        scoping.require(manager, Action.CREATE_OFFICE)
    with pytest.raises(PermissionDenied):
        scoping.require(AnonymousUser(), Action.VIEW_OFFICE)
    assert scoping.require(people["coordinator"], Action.CREATE_OFFICE) is None


def test_the_office_to_act_for_needs_an_office_and_the_right(people, office_a, office_b):
    request = _request(people["advisor_a"])
    with pytest.raises(Http404):  # the middleware has not run: no office at all
        scoping.office_to_act_for(request, Action.VIEW_CASES)
    request.office = None
    with pytest.raises(Http404, match="No office to act for"):
        scoping.office_to_act_for(request, Action.VIEW_CASES)
    request.office = office_a
    assert scoping.office_to_act_for(request, Action.EDIT_CASES) == office_a
    with pytest.raises(PermissionDenied):
        scoping.office_to_act_for(request, Action.MANAGE_STAFF)
    request.office = office_b  # an office not theirs, whatever put it there
    with pytest.raises(PermissionDenied):
        scoping.office_to_act_for(request, Action.VIEW_CASES)


def _view(request, *args, **kwargs):
    return HttpResponse(f"{args} {kwargs}")


def test_staff_pages_send_visitors_to_sign_in(rf):
    request = rf.get("/office/")
    request.user = AnonymousUser()
    response = scoping.staff_required(_view)(request)
    assert response.status_code == 302
    assert response.url.startswith(resolve_url("account_login") + "?next=")


@pytest.mark.parametrize("persona", ["citizen", "disabled_manager_a", "disabled_coordinator"])
def test_staff_pages_refuse_signed_in_users_without_a_staff_role(persona, personas, rf):
    request = rf.get("/office/")
    request.user = personas[persona]
    with pytest.raises(PermissionDenied, match="staff role required"):
        scoping.staff_required(_view)(request)


@pytest.mark.parametrize("persona", ["auditor", "readonly_a", "left_a"])
def test_staff_pages_serve_staff_with_the_views_arguments(persona, personas, rf):
    request = rf.get("/office/")
    request.user = personas[persona]
    view = scoping.staff_required(_view)
    response = view(request, 7, year=2024)
    assert response.content == b"(7,) {'year': 2024}"
    assert view.__name__ == "_view"


# The same 404 for a missing or a hidden record (a company id) ------------------------------


@pytest.fixture
def company_of_a(office_a):
    return Company.objects.create(office=office_a, legal_name="Serra SL", legal_form="limited")


def _companies(user):
    return scoping.scope_to_offices(Company.objects.all(), user, Action.EDIT_PEOPLE)


def test_a_company_in_scope_is_found_by_its_id(people, company_of_a):
    found = scoping.scoped_or_404(
        people["advisor_a"], _companies(people["advisor_a"]), company_of_a.public_id
    )
    assert found == company_of_a
    assert not AuditEvent.objects.exists()


@pytest.mark.parametrize("missing", [uuid.UUID(int=1), None], ids=["unknown", "no id"])
def test_a_missing_company_id_is_a_404_and_no_probe(missing, people, company_of_a):
    advisor = people["advisor_a"]
    with pytest.raises(Http404) as refused:
        scoping.scoped_or_404(advisor, _companies(advisor), missing)
    assert str(refused.value) == "No such company"
    assert not AuditEvent.objects.exists()  # nothing there to probe at


def test_another_offices_company_is_the_same_404_and_the_probe_is_audited(people, company_of_a):
    advisor_b = people["advisor_b"]
    with pytest.raises(Http404) as refused:
        scoping.scoped_or_404(advisor_b, _companies(advisor_b), company_of_a.public_id)
    assert str(refused.value) == "No such company"  # as for a missing one: nothing told
    probe = AuditEvent.objects.get()
    assert (probe.action, probe.actor, probe.office) == (
        "access.denied",
        advisor_b,
        company_of_a.office,
    )
    assert (probe.target_type, probe.target_id) == ("crm.company", str(company_of_a.public_id))
    assert probe.details == {"reason": "out_of_scope"}


def test_a_probe_at_an_office_is_filed_under_that_office(people, office_b):
    advisor = people["advisor_a"]
    offices = scoping.scope_to_offices(Office.objects.all(), advisor, Action.VIEW_OFFICE, "pk")
    with pytest.raises(Http404, match="No such office"):
        scoping.scoped_or_404(advisor, offices, office_b.public_id)
    probe = AuditEvent.objects.get()
    assert (probe.office, probe.target_id) == (office_b, str(office_b.public_id))


# The acting office ------------------------------------------------------------------------


@pytest.fixture
def two_office_advisor(people, office_a, office_b):
    """advisor_a also advises at office B (names: "OAE Alfa" < "OAE Beta")."""
    MembershipFactory(user=people["advisor_a"], office=office_b, role=OfficeRole.ADVISOR)
    return people["advisor_a"]


def test_the_acting_office_is_the_one_chosen_in_the_session(two_office_advisor, office_b):
    session = {scoping.ACTING_OFFICE_SESSION_KEY: str(office_b.public_id)}
    assert scoping.acting_office(_request(two_office_advisor, session)) == office_b


@pytest.mark.parametrize(
    "chosen", [None, "", "not-an-id", str(uuid.UUID(int=1))], ids=["none", "empty", "bad", "other"]
)
def test_without_a_valid_choice_the_acting_office_is_the_first_by_name(
    chosen, two_office_advisor, office_a
):
    session = {} if chosen is None else {scoping.ACTING_OFFICE_SESSION_KEY: chosen}
    assert scoping.acting_office(_request(two_office_advisor, session)) == office_a


def test_a_request_without_a_session_acts_for_the_first_office(two_office_advisor, office_a):
    assert scoping.acting_office(_request(two_office_advisor)) == office_a


def test_first_by_name_is_by_name_not_by_age(people, office_b):
    """advisor_b joins an office created later whose name sorts first."""
    advisor = people["advisor_b"]
    newer = OfficeFactory(name="OAE Aarau")
    MembershipFactory(user=advisor, office=newer, role=OfficeRole.ADVISOR)
    assert scoping.acting_office(_request(advisor, {})) == newer


def test_offices_of_the_same_name_come_oldest_first(people):
    """Two towns may each have an "OAE Mar"; the older office comes first, whatever the order
    the memberships were made in."""
    user = people["citizen"]
    older = OfficeFactory(name="OAE Mar", municipality=MunicipalityFactory(ine_code="08101"))
    newer = OfficeFactory(name="OAE Mar", municipality=MunicipalityFactory(ine_code="08102"))
    MembershipFactory(user=user, office=newer, role=OfficeRole.ADVISOR)
    MembershipFactory(user=user, office=older, role=OfficeRole.ADVISOR)
    assert scoping.acting_office(_request(user, {})) == older


def test_a_chosen_office_the_user_has_left_falls_back_to_the_first(
    two_office_advisor, office_a, office_b
):
    session = {scoping.ACTING_OFFICE_SESSION_KEY: str(office_b.public_id)}
    two_office_advisor.memberships.filter(office=office_b).update(is_active=False)
    request = _request(two_office_advisor, session)
    assert scoping.acting_office(request) == office_a
    with pytest.raises(Http404):  # nor can they choose it again
        scoping.choose_office(request, str(office_b.public_id))


@pytest.mark.parametrize("persona", ["coordinator", "auditor", "citizen", "anonymous"])
def test_users_without_an_office_act_for_none(persona, personas, office_a):
    session = {scoping.ACTING_OFFICE_SESSION_KEY: str(office_a.public_id)}
    assert scoping.acting_office(_request(personas[persona], session)) is None


def test_choosing_an_office_keeps_it_for_the_session_and_this_request(two_office_advisor, office_b):
    session = {}
    request = _request(two_office_advisor, session)
    assert scoping.choose_office(request, str(office_b.public_id)) == office_b
    assert request.office == office_b
    assert session == {scoping.ACTING_OFFICE_SESSION_KEY: str(office_b.public_id)}


def test_choosing_an_office_not_ones_own_changes_nothing(people, office_a, office_b):
    session = {scoping.ACTING_OFFICE_SESSION_KEY: str(office_a.public_id)}
    request = _request(people["advisor_a"], session)
    request.office = office_a
    for public_id in (str(office_b.public_id), "not-an-id"):
        with pytest.raises(Http404, match="Not one of your offices"):
            scoping.choose_office(request, public_id)
    assert request.office == office_a
    assert session == {scoping.ACTING_OFFICE_SESSION_KEY: str(office_a.public_id)}


def test_the_middleware_sets_the_acting_office_once_per_request(two_office_advisor, office_b):
    response = HttpResponse("page")
    seen = []

    def view(request):
        seen.append(request.office)
        return response

    session = {scoping.ACTING_OFFICE_SESSION_KEY: str(office_b.public_id)}
    assert scoping.ActingOfficeMiddleware(view)(_request(two_office_advisor, session)) is response
    assert seen == [office_b]


# A council's officer follows their municipality's opening path without being staff --------


def test_a_council_officer_follows_a_path_only_while_active(people, office_a):
    from oae.opening import services as opening
    from oae.opening.models import Contact

    opening.playbook_starter_load()
    path = opening.path_start(
        actor=people["coordinator"], municipality=office_a.municipality, office=office_a
    )
    officer = UserFactory(email="officer@council.example")
    assert not scoping.follows_a_path(officer)
    contact = Contact.objects.create(user=officer, path=path)
    assert scoping.follows_a_path(officer)
    assert not scoping.is_staff_member(officer)  # following a path makes no one staff
    contact.is_active = False
    contact.save()
    assert not scoping.follows_a_path(officer)
    contact.is_active = True
    contact.save()
    officer.is_active = False
    assert not scoping.follows_a_path(officer)
    assert not scoping.follows_a_path(AnonymousUser())
