"""The ground floor of access (oae/scoping.py): what each role may do, and the one office a
request acts for."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.test import RequestFactory
from django.urls import reverse

from oae import scoping
from oae.scoping import Action, OfficeRole
from oae.testing.factories import MembershipFactory


@pytest.fixture
def two_office_advisor(people, office_a, office_b):
    """advisor_a also advises at office B (names: "OAE Alfa" < "OAE Beta")."""
    MembershipFactory(user=people["advisor_a"], office=office_b, role=OfficeRole.ADVISOR)
    return people["advisor_a"]


def _request(user, session=None):
    request = RequestFactory().get("/")
    request.user = user
    request.session = session if session is not None else {}
    return request


def test_each_role_may_do_what_its_table_says(people, office_a, office_b):
    manager, advisor, readonly = people["manager_a"], people["advisor_a"], people["readonly_a"]
    assert scoping.can(manager, Action.MANAGE_STAFF, office_a)
    assert not scoping.can(manager, Action.MANAGE_STAFF, office_b)
    assert scoping.can(advisor, Action.EDIT_PEOPLE, office_a)
    assert not scoping.can(advisor, Action.MANAGE_STAFF, office_a)
    assert scoping.can(readonly, Action.VIEW_PEOPLE, office_a)
    assert not scoping.can(readonly, Action.EDIT_PEOPLE, office_a)
    assert not scoping.can(people["citizen"], Action.VIEW_OFFICE)


def test_network_roles_act_everywhere_but_never_on_clients(people, office_a):
    coordinator, auditor = people["coordinator"], people["auditor"]
    assert scoping.office_ids_for(coordinator, Action.EDIT_OFFICE) is None
    assert scoping.can(coordinator, Action.CREATE_OFFICE)
    assert not scoping.can(coordinator, Action.VIEW_PEOPLE, office_a)
    assert scoping.can(auditor, Action.VIEW_AUDIT)
    assert not scoping.can(auditor, Action.EDIT_OFFICE, office_a)


def test_office_ids_follow_the_role_in_each_office(people, office_a, office_b):
    manager = people["manager_a"]
    MembershipFactory(user=manager, office=office_b, role=OfficeRole.READ_ONLY)
    scoping.forget_cached_memberships(manager)
    assert scoping.office_ids_for(manager, Action.VIEW_PEOPLE) == {office_a.pk, office_b.pk}
    assert scoping.office_ids_for(manager, Action.EDIT_PEOPLE) == {office_a.pk}
    assert scoping.office_ids_for(people["citizen"], Action.VIEW_PEOPLE) == set()


def test_a_network_action_needs_a_network_role(people):
    assert not scoping.can(people["manager_a"], Action.EDIT_MUNICIPALITY)
    with pytest.raises(PermissionDenied):
        scoping.require(people["manager_a"], Action.VIEW_AUDIT)


def test_the_acting_office_is_the_first_by_name_until_one_is_chosen(two_office_advisor, office_a):
    assert scoping.acting_office(_request(two_office_advisor)) == office_a


def test_a_chosen_office_is_the_acting_one_for_the_session(two_office_advisor, office_b):
    session = {}
    request = _request(two_office_advisor, session)
    assert scoping.choose_office(request, str(office_b.public_id)) == office_b
    assert scoping.acting_office(_request(two_office_advisor, session)) == office_b


def test_nobody_chooses_an_office_that_is_not_theirs(people, office_a, office_b):
    session = {}
    with pytest.raises(Http404):
        scoping.choose_office(_request(people["advisor_a"], session), str(office_b.public_id))
    with pytest.raises(Http404):
        scoping.choose_office(_request(people["advisor_a"], session), "not-an-id")
    assert session == {}


def test_leaving_the_chosen_office_falls_back_to_the_first(two_office_advisor, office_a, office_b):
    session = {scoping.ACTING_OFFICE_SESSION_KEY: str(office_b.public_id)}
    two_office_advisor.memberships.filter(office=office_b).update(is_active=False)
    assert scoping.acting_office(_request(two_office_advisor, session)) == office_a


def test_users_without_an_office_act_for_none(people):
    assert scoping.acting_office(_request(people["coordinator"])) is None
    assert scoping.acting_office(_request(people["citizen"])) is None


def test_the_office_to_act_for_is_refused_when_the_role_does_not_allow_it(people, office_a):
    request = _request(people["readonly_a"])
    request.office = office_a
    assert scoping.office_to_act_for(request, Action.VIEW_PEOPLE) == office_a
    with pytest.raises(PermissionDenied):
        scoping.office_to_act_for(request, Action.EDIT_PEOPLE)
    coordinator = _request(people["coordinator"])
    coordinator.office = None
    with pytest.raises(Http404):
        scoping.office_to_act_for(coordinator, Action.EDIT_PEOPLE)


def test_the_header_offers_the_switch_only_to_people_of_several_offices(
    two_office_advisor, client_for
):
    page = client_for("advisor_a").get(reverse("network:overview")).content.decode()
    assert 'name="office"' in page and "OAE Beta" in page
    single = client_for("advisor_b").get(reverse("network:overview")).content.decode()
    assert 'id="office-select"' not in single


def test_switching_through_the_header_changes_the_office_of_the_next_requests(
    two_office_advisor, client_for, office_b
):
    client = client_for("advisor_a")
    response = client.post(
        reverse("accounts:office_switch"),
        {"office": str(office_b.public_id), "next": reverse("network:overview")},
    )
    assert response.status_code == 302 and response["Location"] == reverse("network:overview")
    page = client.get(reverse("network:overview")).content.decode()
    assert f'value="{office_b.public_id}" selected' in page


def test_switching_to_another_office_is_refused_and_goes_nowhere_else(people, client_for, office_b):
    client = client_for("advisor_a")
    response = client.post(reverse("accounts:office_switch"), {"office": str(office_b.public_id)})
    assert response.status_code == 404
    foreign = client.post(
        reverse("accounts:office_switch"),
        {"office": "", "next": "https://elsewhere.example/"},
    )
    assert foreign.status_code == 400  # no office named: nothing to read


def test_a_switch_never_sends_the_user_to_another_site(two_office_advisor, client_for, office_b):
    response = client_for("advisor_a").post(
        reverse("accounts:office_switch"),
        {"office": str(office_b.public_id), "next": "https://elsewhere.example/"},
    )
    assert response["Location"] == reverse("network:overview")
