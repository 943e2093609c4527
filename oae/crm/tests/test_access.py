"""crm.access: who may see and change which people, companies and merges; the same 404 for
missing and not-yours, the probe at an existing record audited."""

import uuid

import pytest
from django.http import Http404

from oae.crm import access, services
from oae.crm.models import ConsentEvent, PersonCompany, Purpose
from oae.privacy.models import AuditEvent
from oae.scoping import Action


def _person(office, first_name, **data):
    return services.person_create(
        actor=None,
        office=office,
        confirm_probable=True,
        data={"first_name": first_name, "last_name": "Serra", "language": "ca", **data},
    )


def _share(person):
    services.consent_record(
        actor=None,
        office=person.office,
        person=person,
        purpose=Purpose.NETWORK_SHARING,
        action=ConsentEvent.Action.GIVEN,
        lawful_basis="consent",
        notice_version="2026-01",
    )


def _probes() -> list[str]:
    return list(
        AuditEvent.objects.filter(action="access.denied").values_list("target_id", flat=True)
    )


@pytest.mark.django_db
def test_people_for_reads_own_and_shared_people_and_changes_own_only(people, office_a, office_b):
    anna = _person(office_a, "Anna")
    marta = _person(office_b, "Marta")
    _share(marta)
    _person(office_b, "Pau")
    advisor = people["advisor_a"]
    assert set(access.people_for(advisor)) == {anna, marta}
    assert set(access.people_for(advisor, Action.EDIT_PEOPLE)) == {anna}
    assert not access.people_for(people["readonly_a"], Action.EDIT_PEOPLE).exists()
    assert not access.people_for(people["coordinator"]).exists()


@pytest.mark.django_db
def test_person_visible_is_a_condition_on_rows_pointing_at_people(people, office_a, office_b):
    company = services.company_save(
        actor=None,
        office=office_a,
        company=None,
        data={"legal_name": "Serra SL", "legal_form": "limited"},
    )
    for person in (_person(office_a, "Anna"), _person(office_b, "Pau")):
        services.person_link_company(actor=None, person=person, company=company, relation="partner")
    visible = PersonCompany.objects.filter(access.person_visible(people["advisor_a"]))
    assert [link.person.first_name for link in visible] == ["Anna"]


@pytest.mark.django_db
def test_a_hidden_person_and_a_missing_one_are_the_same_404(people, office_b):
    pau = _person(office_b, "Pau")
    advisor = people["advisor_a"]
    for public_id in (pau.public_id, uuid.uuid4()):
        with pytest.raises(Http404):
            access.get_person_or_404(advisor, public_id)
    assert _probes() == [str(pau.public_id)]  # the missing one is not logged
    assert access.get_person_or_404(people["advisor_b"], pau.public_id) == pau


@pytest.mark.django_db
def test_a_shared_person_is_read_but_not_changed_by_another_office(people, office_b):
    marta = _person(office_b, "Marta")
    _share(marta)
    assert access.get_person_or_404(people["advisor_a"], marta.public_id) == marta
    with pytest.raises(Http404):
        access.get_person_or_404(people["advisor_a"], marta.public_id, Action.EDIT_PEOPLE)


@pytest.mark.django_db
def test_companies_are_read_by_every_client_office_and_changed_by_their_own(people, office_b):
    company = services.company_save(
        actor=None,
        office=office_b,
        company=None,
        data={"legal_name": "Coop Verda", "legal_form": "cooperative"},
    )
    assert access.get_company_or_404(people["advisor_a"], company.public_id) == company
    with pytest.raises(Http404):
        access.get_company_or_404(people["advisor_a"], company.public_id, Action.EDIT_PEOPLE)
    assert _probes() == [str(company.public_id)]
    with pytest.raises(Http404):
        access.get_company_or_404(people["coordinator"], company.public_id)


@pytest.mark.django_db
def test_a_merge_is_found_through_its_kept_record(people, office_a, office_b):
    anna = _person(office_a, "Anna")
    merge = services.person_merge(
        actor=None, survivor=anna, absorbed=_person(office_a, "Ana"), take=set()
    )
    assert access.get_merge_or_404(people["advisor_a"], merge.public_id) == merge
    with pytest.raises(Http404):
        access.get_merge_or_404(people["advisor_b"], merge.public_id)
    assert _probes() == [str(anna.public_id)]
    with pytest.raises(Http404):
        access.get_merge_or_404(people["advisor_b"], uuid.uuid4())
    assert len(_probes()) == 1
