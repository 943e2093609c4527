"""Network screens through their URLs, as each role uses them."""

import pytest
from django.urls import reverse

from oae.network.models import Membership, Office, OfficeRole, OfficeStatus
from oae.privacy.models import AuditEvent
from oae.testing.factories import OfficeFactory


def _office_post(office, **overrides):
    data = {
        "name": office.name,
        "address": office.address,
        "postal_code": office.postal_code,
        "latitude": "",
        "longitude": "",
        "phone": office.phone,
        "email": office.email,
        "languages": ["ca"],
        "municipality": office.municipality_id,
        "status": office.status,
        "lock_version": office.lock_version,
        "hours-TOTAL_FORMS": "1",
        "hours-INITIAL_FORMS": "0",
        "hours-0-weekday": "0",
        "hours-0-opens": "09:00",
        "hours-0-closes": "14:00",
    }
    return data | overrides


@pytest.mark.django_db
def test_coordinator_sees_every_office_with_counts(client_for, office_a, office_b):
    OfficeFactory(status=OfficeStatus.PLANNED)
    response = client_for("coordinator").get(reverse("network:overview"))
    overview = response.context["overview"]
    assert overview.total == 3
    assert dict((v, n) for v, _label, n in overview.status_counts)["planned"] == 1
    assert {o.name for o in response.context["page"].object_list} >= {"OAE Alfa", "OAE Beta"}


@pytest.mark.django_db
def test_advisor_sees_only_their_own_office(client_for, office_a, office_b):
    response = client_for("advisor_a").get(reverse("network:overview"))
    assert [o.name for o in response.context["page"].object_list] == ["OAE Alfa"]
    assert "OAE Beta" not in response.content.decode()


@pytest.mark.django_db
def test_overview_filters_by_status_and_municipality(client_for, office_a, office_b):
    OfficeFactory(name="OAE Gamma", status=OfficeStatus.SUSPENDED)
    client = client_for("coordinator")
    by_status = client.get(reverse("network:overview"), {"status": "suspended"})
    assert [o.name for o in by_status.context["page"].object_list] == ["OAE Gamma"]
    by_town = client.get(reverse("network:overview"), {"municipality": "08015"})
    assert [o.name for o in by_town.context["page"].object_list] == ["OAE Beta"]
    nonsense = client.get(reverse("network:overview"), {"status": "bogus"})
    assert nonsense.status_code == 200 and nonsense.context["overview"].total == 3


@pytest.mark.django_db
def test_overview_htmx_request_returns_only_the_table(client_for, office_a):
    response = client_for("coordinator").get(reverse("network:overview"), HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert "<table>" in body and "<html" not in body


@pytest.mark.django_db
def test_overview_query_count_does_not_grow_with_offices(
    client_for, office_a, django_assert_max_num_queries
):
    client = client_for("coordinator")
    client.get(reverse("network:overview"))
    for _n in range(15):
        OfficeFactory()
    with django_assert_max_num_queries(12):
        client.get(reverse("network:overview"))


@pytest.mark.django_db
def test_coordinator_creates_an_office(client_for, office_a):
    data = _office_post(office_a, name="OAE Nova", email="nova@example.org")
    response = client_for("coordinator").post(reverse("network:office_create"), data)
    office = Office.objects.get(name="OAE Nova")
    assert response.status_code == 302
    assert response["Location"] == reverse("network:office_detail", args=[office.public_id])
    assert office.opening_periods.count() == 1


@pytest.mark.django_db
def test_bad_office_input_keeps_what_was_typed_and_explains(client_for, office_a):
    data = _office_post(
        office_a, name="OAE Nova", email="not-an-email", latitude="99", longitude="2"
    )
    response = client_for("coordinator").post(reverse("network:office_create"), data)
    assert response.status_code == 200
    body = response.content.decode()
    assert "OAE Nova" in body
    assert response.context["form"].errors.keys() >= {"email", "latitude"}
    assert not Office.objects.filter(name="OAE Nova").exists()


@pytest.mark.django_db
def test_manager_edits_details_but_cannot_change_status(client_for, office_a):
    data = _office_post(office_a, address="Carrer Nou, 2", status=OfficeStatus.CLOSED)
    response = client_for("manager_a").post(
        reverse("network:office_edit", args=[office_a.public_id]), data
    )
    assert response.status_code == 302
    office_a.refresh_from_db()
    assert office_a.address == "Carrer Nou, 2" and office_a.status == OfficeStatus.OPEN


@pytest.mark.django_db
def test_stale_edit_is_refused_with_a_message(client_for, office_a):
    client = client_for("manager_a")
    url = reverse("network:office_edit", args=[office_a.public_id])
    stale = _office_post(office_a, address="Mine")
    client.post(url, _office_post(office_a, address="Theirs"))
    response = client.post(url, stale)
    assert response.status_code == 200
    assert "Someone else changed this record" in response.content.decode()
    office_a.refresh_from_db()
    assert office_a.address == "Theirs"


@pytest.mark.django_db
def test_manager_invites_changes_role_and_deactivates(client_for, office_a, people):
    client = client_for("manager_a")
    staff_url = reverse("network:office_staff", args=[office_a.public_id])
    response = client.post(staff_url, {"email": "nou@example.org", "role": "advisor"})
    assert response.status_code == 302
    membership = Membership.objects.get(user__email="nou@example.org")

    role_url = reverse("network:membership_role", args=[office_a.public_id, membership.public_id])
    client.post(role_url, {"role": OfficeRole.READ_ONLY})
    membership.refresh_from_db()
    assert membership.role == OfficeRole.READ_ONLY

    deactivate_url = reverse(
        "network:membership_deactivate", args=[office_a.public_id, membership.public_id]
    )
    confirm = client.get(deactivate_url)
    assert confirm.status_code == 200 and b"Deactivate" in confirm.content
    membership.refresh_from_db()
    assert membership.is_active  # a GET only asks
    client.post(deactivate_url)
    membership.refresh_from_db()
    assert membership.is_active is False


@pytest.mark.django_db
def test_invitation_with_bad_email_shows_the_error(client_for, office_a):
    response = client_for("manager_a").post(
        reverse("network:office_staff", args=[office_a.public_id]),
        {"email": "nobody", "role": "advisor"},
    )
    assert response.status_code == 200
    assert "email" in response.context["form"].errors


@pytest.mark.django_db
def test_manager_cannot_deactivate_themselves(client_for, office_a, people):
    own = people["manager_a"].memberships.get()
    client = client_for("manager_a")
    response = client.post(
        reverse("network:membership_deactivate", args=[office_a.public_id, own.public_id]),
        follow=True,
    )
    own.refresh_from_db()
    assert own.is_active
    assert "cannot change your own" in response.content.decode()


@pytest.mark.django_db
def test_deactivated_staff_lose_access_at_once(client_for, office_a, people):
    client = client_for("advisor_a")
    url = reverse("network:office_detail", args=[office_a.public_id])
    assert client.get(url).status_code == 200
    people["advisor_a"].memberships.update(is_active=False)
    assert client.get(url).status_code == 403  # no longer staff anywhere


@pytest.mark.django_db
def test_office_b_staff_probing_office_a_get_404_and_an_audit_row(client_for, office_a):
    response = client_for("advisor_b").get(
        reverse("network:office_detail", args=[office_a.public_id])
    )
    assert response.status_code == 404
    event = AuditEvent.objects.get(action="access.denied")
    assert event.actor_label == "advisor.b@example.org" and event.office == office_a


@pytest.mark.django_db
def test_coordinator_fixes_a_municipality_with_clear_errors(client_for, office_a):
    municipality = office_a.municipality
    url = reverse("network:municipality_edit", args=[municipality.ine_code])
    data = {
        "ine_code": "8200",
        "name": municipality.name,
        "comarca": "Baix Llobregat",
        "population": "84000",
        "population_year": "2021",
        "latitude": "41.34",
        "longitude": "2.04",
    }
    response = client_for("coordinator").post(url, data)
    assert response.status_code == 200
    assert "exactly 5 digits" in " ".join(response.context["form"].errors["ine_code"])
    response = client_for("coordinator").post(url, data | {"ine_code": "08200"})
    assert response.status_code == 302
    assert AuditEvent.objects.filter(action="network.municipality.update").exists()


@pytest.mark.django_db
def test_municipality_search(client_for, office_a, office_b):
    response = client_for("advisor_a").get(reverse("network:municipality_list"), {"search": "Bada"})
    assert [m.name for m in response.context["page"].object_list] == ["Badalona"]


@pytest.mark.django_db
def test_office_edit_through_the_form_audits_the_real_difference(client_for, office_a):
    data = _office_post(office_a, address="Carrer Nou, 2")
    client_for("coordinator").post(reverse("network:office_edit", args=[office_a.public_id]), data)
    changes = AuditEvent.objects.get(action="network.office.update").details["changes"]
    assert changes["address"] == {"from": "Plaça de la Vila, 1", "to": "Carrer Nou, 2"}


@pytest.mark.django_db
def test_spare_empty_hour_rows_are_ignored_and_bad_rows_explained(client_for, office_a):
    url = reverse("network:office_edit", args=[office_a.public_id])
    spare_rows = {
        "hours-TOTAL_FORMS": "3",
        "hours-1-weekday": "",
        "hours-1-opens": "",
        "hours-1-closes": "",
        "hours-2-weekday": "",
        "hours-2-opens": "",
        "hours-2-closes": "",
    }
    response = client_for("manager_a").post(url, _office_post(office_a) | spare_rows)
    assert response.status_code == 302
    assert office_a.opening_periods.count() == 1

    office_a.refresh_from_db()
    backwards = _office_post(office_a) | {"hours-0-opens": "15:00", "hours-0-closes": "14:00"}
    response = client_for("manager_a").post(url, backwards)
    assert response.status_code == 200
    assert "closing time must be later" in response.content.decode()


@pytest.mark.django_db
def test_overview_sorts_by_a_column_both_ways(client_for, office_a, office_b):
    client = client_for("coordinator")
    by_name = client.get(reverse("network:overview"), {"sort": "name"})
    assert [o.name for o in by_name.context["page"].object_list] == ["OAE Alfa", "OAE Beta"]
    backwards = client.get(reverse("network:overview"), {"sort": "-name"})
    assert [o.name for o in backwards.context["page"].object_list] == ["OAE Beta", "OAE Alfa"]
    assert 'aria-sort="descending"' in backwards.content.decode()
    ignored = client.get(reverse("network:overview"), {"sort": "password"})
    assert ignored.status_code == 200


@pytest.mark.django_db
def test_overview_paginates_and_keeps_the_filters(client_for, office_a):
    for _n in range(30):
        OfficeFactory(status=OfficeStatus.PLANNED)
    client = client_for("coordinator")
    first = client.get(reverse("network:overview"), {"status": "planned"})
    assert len(first.context["page"].object_list) == 25
    assert "status=planned&amp;page=2" in first.content.decode()
    second = client.get(reverse("network:overview"), {"status": "planned", "page": "2"})
    assert len(second.context["page"].object_list) == 5
