"""The joint database's reads: list filters, merge candidates and the company page's people,
each scoped to the user."""

import pytest

from oae.crm import selectors, services
from oae.crm.models import ConsentEvent, Purpose
from oae.crm.selectors import CompanyFilters, PeopleFilters
from oae.reference.models import CnaeActivity
from oae.reference.services import cnae_load
from oae.scoping import OfficeRole
from oae.testing.factories import MembershipFactory


def _person(office, first_name, last_name, **data):
    return services.person_create(
        actor=None,
        office=office,
        confirm_probable=True,
        data={"first_name": first_name, "last_name": last_name, "language": "ca", **data},
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


def _company(office, legal_name, **data):
    return services.company_save(
        actor=None,
        office=office,
        company=None,
        data={"legal_name": legal_name, "legal_form": "limited", "stage": "active", **data},
    )


# The people list's filters --------------------------------------------------------------------


@pytest.fixture
def clients(people, office_a, office_b):
    """Núria (office A, Sant Boi), Joan (office A, Badalona), Marta (office B, shares,
    Badalona) and Pau (office B, does not share)."""
    nuria = _person(
        office_a,
        "Núria",
        "Serra",
        email="nuria@example.org",
        id_type="dni",
        id_number="12345678Z",
        phone="612345678",
        municipality=office_a.municipality,
    )
    joan = _person(office_a, "Joan", "Mas", municipality=office_b.municipality)
    marta = _person(office_b, "Marta", "Vidal", municipality=office_b.municipality)
    _share(marta)
    pau = _person(office_b, "Pau", "Roig")
    return {"nuria": nuria, "joan": joan, "marta": marta, "pau": pau}


def _found(user, **filters) -> list[str]:
    people = selectors.people_search(user=user, filters=PeopleFilters(**filters))
    return [person.first_name for person in people]


@pytest.mark.django_db
def test_people_search_lists_own_and_shared_people_by_surname(people, clients):
    assert _found(people["advisor_a"]) == ["Joan", "Núria", "Marta"]  # Mas, Serra, Vidal
    assert _found(people["advisor_b"]) == ["Pau", "Marta"]


@pytest.mark.django_db
def test_people_search_finds_names_without_accents_and_identifiers_whole(people, clients):
    advisor = people["advisor_a"]
    assert _found(advisor, search="NURIA serra") == ["Núria"]
    assert _found(advisor, search="nuria@example.org") == ["Núria"]
    assert _found(advisor, search="12.345.678-z") == ["Núria"]
    assert _found(advisor, search="612 34 56 78") == ["Núria"]
    assert _found(advisor, search="roig") == []  # Pau is office B's and does not share


@pytest.mark.django_db
def test_people_search_filters_by_municipality_office_and_own_offices(
    people, clients, office_a, office_b
):
    advisor = people["advisor_a"]
    assert _found(advisor, municipality="08015") == ["Joan", "Marta"]  # Badalona
    assert _found(advisor, office=str(office_b.public_id)) == ["Marta"]
    assert _found(advisor, office=str(office_a.public_id)) == ["Joan", "Núria"]
    assert _found(advisor, mine_only=True) == ["Joan", "Núria"]


@pytest.mark.django_db
def test_people_filters_are_read_from_a_query_string_safely():
    filters = PeopleFilters.from_query(
        {"search": "  anna  ", "municipality": "0801599", "office": "nope", "mine": "1"}
    )
    assert filters == PeopleFilters(search="anna", municipality="08015", office="", mine_only=True)


@pytest.mark.django_db
def test_people_page_reads_a_page_and_says_whether_another_follows(people, office_a):
    for index in range(3):
        _person(office_a, f"Client{index}", "Soler")
    page = selectors.people_page(
        user=people["advisor_a"], filters=PeopleFilters(), number="2", per_page=2
    )
    assert [person.first_name for person in page.object_list] == ["Client2"]
    assert page.has_previous() and not page.has_next


# The companies list ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_companies_search_filters_every_way(people, office_a, office_b):
    cnae_load()
    _company(office_a, "Forn Serra SL", cnae=CnaeActivity.objects.get(code="1071"))
    _company(office_b, "Coop Verda", legal_form="cooperative", stage="idea")

    def names(**filters):
        found = selectors.companies_search(
            user=people["advisor_a"], filters=CompanyFilters(**filters)
        )
        return [company.legal_name for company in found]

    assert names() == ["Coop Verda", "Forn Serra SL"]
    assert names(search="FORN serra") == ["Forn Serra SL"]
    assert names(stage="idea") == ["Coop Verda"]
    assert names(legal_form="limited") == ["Forn Serra SL"]
    assert names(cnae_section="C") == ["Forn Serra SL"]
    assert names(office=str(office_b.public_id)) == ["Coop Verda"]


@pytest.mark.django_db
def test_companies_search_is_empty_for_network_roles(people, office_a):
    _company(office_a, "Forn Serra SL")
    assert not selectors.companies_search(user=people["coordinator"], filters=CompanyFilters())


# The company page's people --------------------------------------------------------------------


@pytest.mark.django_db
def test_company_page_lists_people_the_user_may_see_only(people, clients, office_a):
    company = _company(office_a, "Serra SL")
    for person in clients.values():
        services.person_link_company(actor=None, person=person, company=company, relation="partner")

    def linked(persona):
        links = selectors.company_person_links(user=people[persona], company=company)
        return {link.person.first_name for link in links}

    assert linked("advisor_a") == {"Núria", "Joan", "Marta"}  # not Pau: office B, not shared
    assert linked("advisor_b") == {"Marta", "Pau"}
    assert linked("coordinator") == set()


@pytest.mark.django_db
def test_company_page_leaves_out_a_record_merged_into_another(people, clients, office_a):
    company = _company(office_a, "Serra SL")
    nuria, joan = clients["nuria"], clients["joan"]
    services.person_link_company(actor=None, person=joan, company=company, relation="partner")
    twin = _person(office_a, "Nuria", "Serra")
    services.person_link_company(actor=None, person=twin, company=company, relation="founder")
    services.person_merge(actor=None, survivor=nuria, absorbed=twin, take=set())
    links = selectors.company_person_links(user=people["advisor_a"], company=company)
    assert {link.person.first_name for link in links} == {"Joan", "Núria"}


@pytest.mark.django_db
def test_visible_among_a_few_people(people, clients):
    visible = selectors.people_visible_among(
        user=people["advisor_b"], people=list(clients.values())
    )
    assert visible == {clients["marta"].pk, clients["pau"].pk}


# Merge candidates -----------------------------------------------------------------------------


@pytest.fixture
def anna(office_a):
    return _person(office_a, "Anna", "Serra", email="anna@example.org")


@pytest.mark.django_db
def test_merge_candidates_are_probable_duplicates_the_manager_may_merge(
    people, anna, office_a, office_b
):
    same_office = _person(office_a, "Ana", "Serra", email="anna@example.org")
    other_office = _person(office_b, "Anna", "Sera", email="anna@example.org")
    _share(other_office)  # visible to office A, but only office B may merge it
    _person(office_a, "Joan", "Mas", email="anna@example.org")  # same e-mail, other name
    candidates = selectors.merge_candidates(user=people["manager_a"], person=anna)
    assert candidates == [same_office]
    assert candidates[0].office.name == "OAE Alfa"


@pytest.mark.django_db
def test_no_merge_candidates_for_those_who_may_not_merge(people, anna, office_a, office_b):
    _person(office_a, "Ana", "Serra", email="anna@example.org")
    assert selectors.merge_candidates(user=people["advisor_a"], person=anna) == []
    manager_b = MembershipFactory(office=office_b, role=OfficeRole.MANAGER).user
    assert selectors.merge_candidates(user=manager_b, person=anna) == []


# The person page ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_person_page_flags_follow_the_rights_in_the_person_s_office(people, anna, office_a):
    def flags(persona, acting_office=office_a):
        page = selectors.person_page(user=people[persona], person=anna, acting_office=acting_office)
        return page["can_edit"], page["can_merge"], page["can_record_consent"]

    assert flags("manager_a") == (True, True, True)
    assert flags("advisor_a") == (True, False, True)
    assert flags("readonly_a") == (False, False, False)
    assert flags("advisor_a", acting_office=None) == (True, False, False)


@pytest.mark.django_db
def test_only_the_registering_office_is_offered_to_record_consents(
    people, anna, office_a, office_b
):
    _share(anna)
    shared = selectors.person_page(user=people["advisor_b"], person=anna, acting_office=office_b)
    assert shared["can_record_consent"] is False and shared["can_edit"] is False
    own = selectors.person_page(user=people["advisor_a"], person=anna, acting_office=office_a)
    assert own["can_record_consent"] is True
    read_only = selectors.person_page(
        user=people["readonly_a"], person=anna, acting_office=office_a
    )
    assert read_only["can_record_consent"] is False


@pytest.mark.django_db
def test_merge_comparison_shows_labels_and_readable_values(people, office_a):
    kept = _person(office_a, "Anna", "Serra", gender="female", municipality=office_a.municipality)
    other = _person(office_a, "Ana", "Serra")
    rows = {
        name: (label, mine, theirs)
        for name, label, mine, theirs in (selectors.merge_comparison(kept, other))
    }
    assert "id_type" not in rows
    assert rows["first_name"][1:] == ("Anna", "Ana")
    assert rows["municipality"][1:] == (office_a.municipality, None)
    assert rows["gender"][1] == "woman"  # the choice's label, not its code
