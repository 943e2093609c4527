"""The audit trail: written by every domain, read by coordinators and auditors."""

import pytest
from django.urls import reverse

from oae.privacy.models import AuditEvent
from oae.privacy.services import audit_record


@pytest.mark.django_db
def test_permission_denial_is_audited(client_for, people):
    response = client_for("advisor_a").get(reverse("network:audit_trail"))
    assert response.status_code == 403
    event = AuditEvent.objects.get(action="access.denied")
    assert event.actor == people["advisor_a"] and event.path == reverse("network:audit_trail")


@pytest.mark.django_db
def test_auditor_filters_by_action_prefix_office_and_person(client_for, people, office_a):
    audit_record(
        action="network.office.update",
        actor=people["coordinator"],
        target=office_a,
        office=office_a,
    )
    audit_record(action="auth.login", actor=people["advisor_a"])
    client = client_for("auditor")
    url = reverse("network:audit_trail")
    by_domain = client.get(url, {"action": "network"}).context["page"].object_list
    assert [e.action for e in by_domain] == ["network.office.update"]
    by_office = client.get(url, {"office": str(office_a.public_id)}).context["page"].object_list
    assert [e.action for e in by_office] == ["network.office.update"]
    by_person = client.get(url, {"actor": "advisor.a"}).context["page"].object_list
    assert [e.action for e in by_person] == ["auth.login"]


@pytest.mark.django_db
def test_reversed_date_range_is_reported_not_ignored_silently(client_for, people):
    response = client_for("coordinator").get(
        reverse("network:audit_trail"), {"date_from": "2026-05-02", "date_to": "2026-05-01"}
    )
    assert response.status_code == 200
    assert "must not be after" in response.content.decode()


@pytest.mark.django_db
def test_audit_rows_keep_who_and_what_as_text(people, office_a):
    event = audit_record(
        action="network.office.update",
        actor=people["manager_a"],
        target=office_a,
        office=office_a,
        details={"changes": {}},
    )
    assert event.actor_label == "manager.a@example.org"
    assert event.target_type == "network.office" and event.target_id == str(office_a.public_id)


@pytest.mark.django_db
def test_audit_rows_outlive_their_actor_and_office():
    """The database does not tie an event to its user and office (each event would check
    and lock them): Django empties the keys when they go, and the text stays."""
    from oae.testing.factories import OfficeFactory, UserFactory

    actor, office = UserFactory(email="gone@example.org"), OfficeFactory()
    event = audit_record(action="network.office.update", actor=actor, target=office, office=office)
    actor.delete()
    office.delete()
    event.refresh_from_db()
    assert (event.actor_id, event.office_id) == (None, None)
    assert event.actor_label == "gone@example.org" and event.target_label == str(office)
