"""Merging two records of the same person, and undoing it."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from oae.crm import selectors, services
from oae.crm.access import people_for
from oae.crm.models import Company, ConsentEvent, Person, PersonCompany, Purpose


@pytest.fixture
def pair(people, office_a):
    first = services.person_create(
        actor=None,
        office=office_a,
        data={
            "first_name": "Anna",
            "last_name": "Serra",
            "email": "anna@example.org",
            "language": "ca",
        },
    )
    second = services.person_create(
        actor=None,
        office=office_a,
        confirm_probable=True,
        data={
            "first_name": "Ana",
            "last_name": "Serra",
            "email": "anna@example.org",
            "id_type": "dni",
            "id_number": "12345678Z",
            "phone": "612345678",
            "language": "ca",
        },
    )
    services.consent_record(
        actor=None,
        office=office_a,
        person=second,
        purpose=Purpose.NETWORK_SHARING,
        action=ConsentEvent.Action.GIVEN,
        lawful_basis="consent",
        notice_version="2026-01",
    )
    company = services.company_save(
        actor=None,
        office=office_a,
        company=None,
        data={"legal_name": "Serra SL", "legal_form": "limited", "stage": "active", "employees": 1},
    )
    services.person_link_company(actor=None, person=second, company=company, relation="founder")
    return first, second


@pytest.mark.django_db
def test_the_manager_sees_the_duplicate_and_merges_field_by_field(client_for, people, pair):
    first, second = pair
    assert selectors.merge_candidates(user=people["manager_a"], person=first) == [second]
    client = client_for("manager_a")
    url = reverse("crm:person_merge", args=[first.public_id, second.public_id])
    assert client.get(url).status_code == 200
    client.post(url, {"id_number": "other", "phone": "other", "first_name": "survivor"})
    first.refresh_from_db()
    assert (first.first_name, first.id_number, first.phone) == (
        "Anna",
        "12345678Z",
        "+34 612 34 56 78",
    )
    assert first.consent_events.count() == 1
    assert PersonCompany.objects.get().person == first
    assert second not in people_for(people["manager_a"])
    assert Person.objects.get(pk=second.pk).merged_into == first


@pytest.mark.django_db
def test_undo_puts_both_records_back_exactly(client_for, people, pair):
    first, second = pair
    before = {p.pk: services._person_values(p) for p in (first, second)}
    merge = services.person_merge(
        actor=None, survivor=first, absorbed=second, take={"id_number", "phone"}
    )
    client_for("manager_a").post(reverse("crm:person_merge_undo", args=[merge.public_id]))
    for person in Person.objects.filter(pk__in=before):
        assert services._person_values(person) == before[person.pk]
        assert person.merged_into is None
    assert Person.objects.get(pk=second.pk).consent_events.count() == 1
    assert PersonCompany.objects.get().person_id == second.pk
    with pytest.raises(ValidationError, match="already been undone"):
        services.person_merge_undo(actor=None, merge=merge)


@pytest.mark.django_db
def test_a_shared_company_link_is_not_duplicated_and_comes_back_on_undo(pair):
    first, second = pair
    company = Company.objects.get()
    services.person_link_company(actor=None, person=first, company=company, relation="founder")
    merge = services.person_merge(actor=None, survivor=first, absorbed=second, take=set())
    assert PersonCompany.objects.count() == 1
    services.person_merge_undo(actor=None, merge=merge)
    assert set(PersonCompany.objects.values_list("person_id", flat=True)) == {first.pk, second.pk}


@pytest.mark.django_db
@pytest.mark.parametrize(("persona", "status"), [("advisor_a", 403), ("advisor_b", 403)])
def test_only_managers_of_the_office_merge(client_for, pair, persona, status):
    first, second = pair
    response = client_for(persona).post(
        reverse("crm:person_merge", args=[first.public_id, second.public_id]), {}
    )
    assert response.status_code == status
    assert Person.objects.get(pk=second.pk).merged_into is None
