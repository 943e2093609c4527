"""The person page shows, in the section cases registers with crm, the person's cases of the
reader's own office only, and the links to open a case or book for them to those who may."""

import pytest
from django.urls import reverse

from oae.cases import referrals
from oae.crm import services as crm
from oae.crm.models import ConsentEvent, LawfulBasis, Purpose


@pytest.fixture
def shared_client(client_a, people, office_a):
    """Office A's client, who agreed to be seen by the whole network."""
    person, _company = client_a
    crm.consent_record(
        actor=people["advisor_a"],
        office=office_a,
        person=person,
        purpose=Purpose.NETWORK_SHARING,
        action=ConsentEvent.Action.GIVEN,
        lawful_basis=LawfulBasis.CONSENT,
        notice_version="v1",
    )
    return person


@pytest.fixture
def case_b(case_a, people, office_b):
    """The client's case at office B, opened by accepting office A's referral."""
    referral = referrals.referral_create(
        actor=people["advisor_a"],
        case=case_a,
        to_office=office_b,
        service_code="financar",
        reason="Finançament",
        shared=["summary"],
        consent_given_now=True,
    )
    return referrals.referral_answer(
        actor=people["advisor_b"], referral=referral, accept=True
    ).received_case


def _person_page(client, person) -> str:
    response = client.get(reverse("crm:person_detail", args=[person.public_id]))
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.django_db
def test_each_office_sees_only_its_own_cases_of_the_person(
    shared_client, case_a, case_b, client_for
):
    page_a = _person_page(client_for("advisor_a"), shared_client)
    assert case_a.reference in page_a and case_b.reference not in page_a
    page_b = _person_page(client_for("advisor_b"), shared_client)
    assert case_b.reference in page_b and case_a.reference not in page_b


@pytest.mark.django_db
def test_only_those_who_may_open_a_case_get_the_links(shared_client, case_a, client_for):
    open_link = reverse("cases:open") + f"?person={shared_client.public_id}"
    assert open_link in _person_page(client_for("advisor_a"), shared_client)
    read_only = _person_page(client_for("readonly_a"), shared_client)
    assert open_link not in read_only and case_a.reference in read_only


@pytest.mark.django_db
def test_the_case_and_tools_buttons_stand_by_the_title_before_edit(shared_client, client_for):
    page = _person_page(client_for("advisor_a"), shared_client)
    head = page[page.index('class="page-head"') : page.index('class="grid"')]
    links = [
        reverse("cases:open") + f"?person={shared_client.public_id}",
        reverse("cases:book") + f"?person={shared_client.public_id}",
        reverse("tools:index") + f"?person={shared_client.public_id}",
        reverse("crm:person_edit", args=[shared_client.public_id]),
    ]
    assert [head.index(link) for link in links] == sorted(head.index(link) for link in links)
