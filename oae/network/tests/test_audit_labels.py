"""What the audit trail says about whom: network roles read a reference (record type and id)
for records that may say who someone is, and the name only where their role may read the
record; labels that name no one (an office) are shown to every reader."""

import pytest
from django.urls import reverse

from oae.crm import services
from oae.crm.models import ConsentEvent, Purpose
from oae.privacy.models import AuditEvent
from oae.privacy.selectors import audit_rows
from oae.privacy.services import audit_record
from oae.testing.factories import UserFactory
from oae.testing.mfa import enrol_totp
from oae.tools.results import result_save

SECRET_VALUES = [
    "Genoveva",
    "Quintanilla",
    "Pla de la Genoveva",
    "citizen@example.org",
    "came back",
]


@pytest.fixture
def trail(people, office_a):
    """A client of office A who never agreed to sharing, one who did, a tool result titled
    with a name, a case reopened for a reason naming her, a citizen's sign-in and an office
    change."""
    advisor = people["advisor_a"]
    hidden = services.person_create(
        actor=advisor,
        office=office_a,
        data={"first_name": "Genoveva", "last_name": "Quintanilla", "language": "ca"},
    )
    shared = services.person_create(
        actor=advisor,
        office=office_a,
        data={"first_name": "Genoveva", "last_name": "Sharing Quintanilla", "language": "ca"},
    )
    services.consent_record(
        actor=advisor,
        office=office_a,
        person=shared,
        purpose=Purpose.NETWORK_SHARING,
        action=ConsentEvent.Action.GIVEN,
        lawful_basis="consent",
        notice_version="2026-01",
    )
    services.person_read_logged(actor=advisor, person=hidden)
    result = result_save(
        actor=advisor,
        tool="viability",
        title="Pla de la Genoveva",
        inputs={},
        person=hidden,
        office=office_a,
    )
    audit_record(
        action="cases.case.reopen",
        actor=advisor,
        target=hidden,
        office=office_a,
        details={"reason": "she came back after the summer"},
    )
    audit_record(action="auth.login", actor=people["citizen"])
    audit_record(
        action="network.office.update",
        actor=people["coordinator"],
        target=office_a,
        office=office_a,
    )
    return {"hidden": hidden, "shared": shared, "result": result}


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["coordinator", "auditor"])
@pytest.mark.parametrize("htmx", [False, True])
def test_network_roles_read_references_not_names_on_the_audit_trail(
    client_for, trail, office_a, persona, htmx
):
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    response = client_for(persona).get(reverse("network:audit_trail"), **headers)
    assert response.status_code == 200
    page = response.content.decode()
    for value in SECRET_VALUES:
        assert value not in page, value
    # Each record is there by reference: its kind and its public id.
    for record in trail.values():
        assert str(record.public_id) in page
    assert "advisor.a@example.org" in page  # staff answer for what they did, by name
    assert office_a.name in page  # a label that names no one stays


@pytest.mark.django_db
def test_a_filtered_page_of_the_trail_hides_names_too(client_for, trail):
    response = client_for("auditor").get(
        reverse("network:audit_trail"), {"action": "crm"}, HTTP_HX_REQUEST="true"
    )
    page = response.content.decode()
    assert str(trail["hidden"].public_id) in page and "Genoveva" not in page


@pytest.mark.django_db
def test_office_staff_read_the_names_of_the_people_their_role_may_read(people, trail):
    """The rule in one place (privacy.selectors.audit_rows): an advisor of the registering
    office reads the names; an advisor of another office reads the shared client's name only."""
    events = AuditEvent.objects.exclude(target_id="")
    own = {row.record for row in audit_rows(user=people["advisor_a"], events=events)}
    assert {"Genoveva Quintanilla", "Genoveva Sharing Quintanilla", "Pla de la Genoveva"} <= own
    other = audit_rows(user=people["advisor_b"], events=events)
    named = {row.record for row in other}
    assert "Genoveva Sharing Quintanilla" in named
    assert "Genoveva Quintanilla" not in named and "Pla de la Genoveva" not in named
    reopened = next(row for row in other if row.event.action == "cases.case.reopen")
    assert (reopened.details, reopened.details_hidden) == (["reason"], True)


@pytest.mark.django_db
def test_a_row_naming_a_record_of_an_unknown_kind_is_shown_by_reference(people):
    AuditEvent.objects.create(
        action="old.thing", target_type="gone.model", target_id="42", target_label="Genoveva"
    )
    (row,) = audit_rows(user=people["auditor"], events=AuditEvent.objects.all())
    assert (row.record, row.record_type, row.record_id) == ("", "gone.model", "42")


@pytest.mark.django_db
def test_the_admin_lists_audit_rows_by_record_id_not_by_name(client, trail):
    admin_user = UserFactory(is_staff=True, is_superuser=True)
    enrol_totp(admin_user)
    client.force_login(admin_user)
    listing = client.get(reverse("admin:privacy_auditevent_changelist"))
    assert listing.status_code == 200
    assert "Genoveva" not in listing.content.decode()
    assert str(trail["hidden"].public_id) in listing.content.decode()
    event = AuditEvent.objects.filter(target_id=str(trail["hidden"].public_id)).first()
    detail = client.get(reverse("admin:privacy_auditevent_change", args=[event.pk]))
    assert detail.status_code == 200 and "Genoveva" not in detail.content.decode()
