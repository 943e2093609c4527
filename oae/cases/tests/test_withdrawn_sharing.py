"""After a client withdraws network sharing, an office that opened a case for them while they
shared keeps what the case needs (the case, its sessions, the client's name) and no longer
sees their contact data or document (crm.access.person_fields_for)."""

import pytest
from django.urls import reverse
from django.utils import timezone

from oae.cases import services
from oae.crm import services as crm
from oae.crm.access import CONTACT_FIELDS, person_fields_for
from oae.crm.models import ConsentEvent, Purpose

CONTACT = ["ramona.vidal@example.org", "612 34 56 78", "12345678Z"]


def _sharing(person, actor, office, action):
    crm.consent_record(
        actor=actor,
        office=office,
        person=person,
        purpose=Purpose.NETWORK_SHARING,
        action=action,
        lawful_basis="consent",
        notice_version="2026-01",
    )


@pytest.fixture
def ramona(people, office_a):
    person = crm.person_create(
        actor=people["advisor_a"],
        office=office_a,
        data={
            "first_name": "Ramona",
            "last_name": "Vidal",
            "id_type": "dni",
            "id_number": "12345678Z",
            "email": "ramona.vidal@example.org",
            "phone": "612345678",
            "language": "ca",
        },
    )
    _sharing(person, people["advisor_a"], office_a, ConsentEvent.Action.GIVEN)
    return person


@pytest.fixture
def case_b(model, people, office_b, ramona):
    """Office B opened a case for her while she shared, and logged a session."""
    advisor = people["advisor_b"]
    case = services.case_open(
        actor=advisor, office=office_b, service_code="crear", advisor=advisor, person=ramona
    )
    services.session_log(
        actor=advisor,
        case=case,
        started_at=timezone.now(),
        duration_minutes=40,
        channel="phone",
        topics="Local comercial al centre",
    )
    return case


@pytest.mark.django_db
def test_while_she_shares_the_case_page_shows_her_contact_data(client_for, case_b):
    page = client_for("advisor_b").get(reverse("cases:detail", args=[case_b.public_id]))
    text = page.content.decode()
    assert all(value in text for value in CONTACT)
    assert reverse("crm:person_detail", args=[case_b.person.public_id]) in text


@pytest.mark.django_db
def test_after_withdrawal_the_case_keeps_its_sessions_but_not_her_contact_data(
    client_for, people, office_a, case_b, ramona
):
    _sharing(ramona, people["advisor_a"], office_a, ConsentEvent.Action.WITHDRAWN)
    client = client_for("advisor_b")
    response = client.get(reverse("cases:detail", args=[case_b.public_id]))
    assert response.status_code == 200
    text = response.content.decode()
    assert case_b.reference in text and "Ramona Vidal" in text
    assert "Local comercial al centre" in text  # the session
    for value in CONTACT:
        assert value not in text, value
    person_url = reverse("crm:person_detail", args=[ramona.public_id])
    assert person_url not in text  # no link to a page that would refuse her
    assert client.get(person_url).status_code == 404
    # Her registering office still reads everything.
    assert client_for("advisor_a").get(person_url).status_code == 200


@pytest.mark.django_db
def test_the_rule_in_one_place(people, case_b, ramona, office_a):
    assert CONTACT_FIELDS <= person_fields_for(people["advisor_b"], ramona)
    _sharing(ramona, people["advisor_a"], office_a, ConsentEvent.Action.WITHDRAWN)
    ramona.refresh_from_db()
    fields = person_fields_for(people["advisor_b"], ramona)
    assert {"first_name", "last_name"} <= fields and not fields & CONTACT_FIELDS
    assert CONTACT_FIELDS <= person_fields_for(people["advisor_a"], ramona)
