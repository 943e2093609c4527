"""Every crm screen through its URL: who gets it, who is refused, which office a new record
goes to, and that list and detail pages read a bounded number of queries (an N+1 fails)."""

import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from oae.crm import services
from oae.crm.models import Company, ConsentEvent, Person, Purpose
from oae.privacy.models import AuditEvent
from oae.scoping import OfficeRole
from oae.testing.crm import client_with_company
from oae.testing.factories import MembershipFactory, UserFactory

REFUSED_READERS = {"citizen": 403, "coordinator": 403, "auditor": 403}


def _person(office, first_name, last_name, **data):
    return services.person_create(
        actor=None,
        office=office,
        confirm_probable=True,
        data={"first_name": first_name, "last_name": last_name, "language": "ca", **data},
    )


def _link(person, company):
    services.person_link_company(actor=None, person=person, company=company, relation="partner")


def _share(person, office):
    services.consent_record(
        actor=None,
        office=office,
        person=person,
        purpose=Purpose.NETWORK_SHARING,
        action=ConsentEvent.Action.GIVEN,
        lawful_basis="consent",
        notice_version="2026-01",
    )


@pytest.fixture
def anna_and_company(people, office_a):
    """Anna Serra of office A, who does not share, founder of Serra SL (office A)."""
    return client_with_company(office_a)


@pytest.fixture
def anna(anna_and_company):
    return anna_and_company[0]


@pytest.fixture
def serra_sl(anna_and_company):
    return anna_and_company[1]


@pytest.fixture
def two_offices(people, office_b):
    """advisor_a is also an advisor of office B: the header switcher chooses between them."""
    MembershipFactory(office=office_b, role=OfficeRole.ADVISOR, user=people["advisor_a"])
    return people["advisor_a"]


def _switch(client, office):
    response = client.post(reverse("accounts:office_switch"), {"office": str(office.public_id)})
    assert response.status_code == 302


def _status(client_for, persona, url, method="get", data=None):
    return getattr(client_for(persona), method)(url, data or {}).status_code


# The people list ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_people_list_shows_own_and_shared_records_only(client_for, anna, office_b):
    shared = _person(office_b, "Marta", "Vidal")
    _share(shared, office_b)
    _person(office_b, "Pau", "Roig")  # office B's, not shared

    def listed(persona):
        page = client_for(persona).get(reverse("crm:people")).context["page"]
        return {person.first_name for person in page.object_list}

    assert listed("advisor_a") == {"Anna", "Marta"}
    assert listed("readonly_a") == {"Anna", "Marta"}
    assert listed("advisor_b") == {"Marta", "Pau"}


@pytest.mark.django_db
@pytest.mark.parametrize(("persona", "status"), [*REFUSED_READERS.items(), ("anonymous", 302)])
def test_people_list_is_refused_to_non_client_staff(client_for, people, persona, status):
    assert _status(client_for, persona, reverse("crm:people")) == status


@pytest.mark.django_db
def test_people_list_offers_every_office_and_municipality_as_filters(
    client_for, people, office_a, office_b
):
    response = client_for("advisor_a").get(reverse("crm:people"))
    assert list(response.context["offices"]) == [office_a, office_b]
    assert [m.name for m in response.context["municipalities"]] == [
        "Badalona",
        "Sant Boi de Llobregat",
    ]
    assert response.context["can_create"] is True
    assert client_for("readonly_a").get(reverse("crm:people")).context["can_create"] is False


@pytest.mark.django_db
def test_register_buttons_follow_the_acting_office(client_for, people, office_b):
    """A read-only member of office A who advises in office B may register only while acting
    for office B: the buttons say so, as the pages they lead to do."""
    MembershipFactory(office=office_b, role=OfficeRole.ADVISOR, user=people["readonly_a"])
    client = client_for("readonly_a")
    for name in ("crm:people", "crm:companies"):
        assert client.get(reverse(name)).context["can_create"] is False
    assert client.get(reverse("crm:person_create")).status_code == 403
    _switch(client, office_b)
    for name in ("crm:people", "crm:companies"):
        assert client.get(reverse(name)).context["can_create"] is True
    assert client.get(reverse("crm:person_create")).status_code == 200


@pytest.mark.django_db
def test_people_list_reads_a_fixed_number_of_queries(
    client_for, people, office_a, django_assert_max_num_queries
):
    for index in range(30):
        _person(office_a, f"Client{index}", "Soler", municipality=office_a.municipality)
    client = client_for("advisor_a")
    with django_assert_max_num_queries(10):
        response = client.get(reverse("crm:people"))
    assert len(response.context["page"].object_list) == 25
    assert "Sant Boi de Llobregat" in response.content.decode()


# The person page ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_person_page_shows_the_record_to_its_office(client_for, anna):
    page = client_for("advisor_a").get(reverse("crm:person_detail", args=[anna.public_id]))
    text = page.content.decode()
    assert page.status_code == 200
    assert "anna@example.org" in text and "Serra SL" in text
    assert reverse("crm:person_edit", args=[anna.public_id]) in text
    assert page.context["can_record_consent"] is True


@pytest.mark.django_db
def test_person_page_of_another_office_is_404_and_the_probe_audited(client_for, anna):
    response = client_for("advisor_b").get(reverse("crm:person_detail", args=[anna.public_id]))
    assert response.status_code == 404
    probe = AuditEvent.objects.get(action="access.denied")
    assert probe.target_id == str(anna.public_id)


@pytest.mark.django_db
@pytest.mark.parametrize(("persona", "status"), [*REFUSED_READERS.items(), ("anonymous", 302)])
def test_person_page_is_refused_to_non_client_staff(client_for, anna, persona, status):
    url = reverse("crm:person_detail", args=[anna.public_id])
    assert _status(client_for, persona, url) == status


@pytest.mark.django_db
def test_read_only_staff_read_the_record_but_get_no_forms(client_for, anna):
    page = client_for("readonly_a").get(reverse("crm:person_detail", args=[anna.public_id]))
    text = page.content.decode()
    assert page.status_code == 200 and "anna@example.org" in text
    assert reverse("crm:person_edit", args=[anna.public_id]) not in text
    assert reverse("crm:person_consent", args=[anna.public_id]) not in text
    assert reverse("crm:person_link", args=[anna.public_id]) not in text


@pytest.mark.django_db
def test_consent_form_follows_the_acting_office(client_for, two_offices, anna, office_b):
    """An advisor of offices A and B records Anna's consents while acting for A, which
    registered her, and not while acting for B."""
    client = client_for("advisor_a")
    url = reverse("crm:person_detail", args=[anna.public_id])
    assert client.get(url).context["can_record_consent"] is True  # acting for Alfa, by name
    _switch(client, office_b)
    assert client.get(url).context["can_record_consent"] is False


@pytest.mark.django_db
def test_person_page_reads_a_fixed_number_of_queries(
    client_for, people, anna, office_a, django_assert_max_num_queries
):
    for index in range(10):
        company = services.company_save(
            actor=None,
            office=office_a,
            company=None,
            data={"legal_name": f"Empresa {index}", "legal_form": "limited", "stage": "active"},
        )
        _link(anna, company)
        _share(anna, office_a)
    for _merged in range(10):
        twin = _person(office_a, "Ana", "Serra", email="anna@example.org")
        services.person_merge(actor=people["manager_a"], survivor=anna, absorbed=twin, take=set())
    _person(office_a, "Anna", "Serra", email="anna@example.org")  # a merge candidate
    client = client_for("manager_a")
    # 13 today, 10 rows in each list: one query per row in any of them goes far past it.
    with django_assert_max_num_queries(18):
        response = client.get(reverse("crm:person_detail", args=[anna.public_id]))
    assert len(response.context["candidates"]) == 1
    assert len(response.context["merges"]) == 10


# Sections that higher domains register ------------------------------------------------------


@pytest.mark.django_db
def test_person_page_shows_each_registered_section_with_its_context(
    client_for, anna, monkeypatch, settings
):
    from oae.crm import sections

    monkeypatch.setattr(sections, "_SECTIONS", {})
    settings.TEMPLATES = [
        {
            **settings.TEMPLATES[0],
            "APP_DIRS": False,
            "OPTIONS": {
                **settings.TEMPLATES[0]["OPTIONS"],
                "loaders": [
                    (
                        "django.template.loaders.locmem.Loader",
                        {"test/_section.html": "<p>Section of {{ section.name }}</p>"},
                    ),
                    "django.template.loaders.filesystem.Loader",
                    "django.template.loaders.app_directories.Loader",
                ],
            },
        }
    ]
    seen = []

    def context(user, person):
        seen.append((user.email, person.pk))
        return {"name": person.first_name}

    sections.register_person_section(
        sections.PersonSection(key="test", template="test/_section.html", context=context)
    )
    page = client_for("advisor_a").get(reverse("crm:person_detail", args=[anna.public_id]))
    assert "<p>Section of Anna</p>" in page.content.decode()
    assert seen == [("advisor.a@example.org", anna.pk)]


# Creating and editing a person ----------------------------------------------------------------


@pytest.mark.django_db
def test_a_new_person_is_registered_for_the_acting_office(client_for, two_offices, office_b):
    client = client_for("advisor_a")
    url = reverse("crm:person_create")
    data = {"first_name": "Joan", "last_name": "Mas", "language": "ca"}
    assert "OAE Alfa" in client.get(url).content.decode()
    client.post(url, data)
    assert Person.objects.get(first_name="Joan").office.name == "OAE Alfa"
    _switch(client, office_b)
    client.post(url, {**data, "first_name": "Pere"})
    assert Person.objects.get(first_name="Pere").office == office_b


@pytest.mark.django_db
def test_an_office_parameter_does_not_choose_the_office(client_for, people, office_a, office_b):
    client = client_for("advisor_a")
    url = reverse("crm:person_create") + f"?office={office_b.public_id}"
    client.post(url, {"first_name": "Joan", "last_name": "Mas", "language": "ca"})
    assert Person.objects.get(first_name="Joan").office == office_a


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("persona", "status"),
    [*REFUSED_READERS.items(), ("readonly_a", 403), ("anonymous", 302)],
)
def test_registering_people_is_refused_without_the_right(client_for, people, persona, status):
    data = {"first_name": "Joan", "last_name": "Mas", "language": "ca"}
    assert _status(client_for, persona, reverse("crm:person_create"), "post", data) == status
    assert not Person.objects.exists()


@pytest.mark.django_db
def test_a_duplicate_of_another_office_is_named_but_not_linked(client_for, anna):
    similar = {"first_name": "Ana", "last_name": "Serra", "email": "anna@example.org"}
    url = reverse("crm:person_create")
    other = client_for("advisor_b").post(url, {**similar, "language": "ca"}).content.decode()
    assert "A similar record exists at OAE Alfa" in other
    assert reverse("crm:person_detail", args=[anna.public_id]) not in other
    own = client_for("advisor_a").post(url, {**similar, "language": "ca"}).content.decode()
    assert reverse("crm:person_detail", args=[anna.public_id]) in own
    assert Person.objects.count() == 1


@pytest.mark.django_db
def test_a_person_is_edited_by_their_office_only(client_for, anna):
    url = reverse("crm:person_edit", args=[anna.public_id])
    data = {
        "first_name": "Anna",
        "last_name": "Serra",
        "email": "nova@example.org",
        "language": "ca",
        "lock_version": anna.lock_version,
    }
    assert client_for("advisor_b").post(url, data).status_code == 404
    assert client_for("readonly_a").post(url, data).status_code == 403
    assert client_for("citizen").post(url, data).status_code == 403
    anna.refresh_from_db()
    assert anna.email == "anna@example.org"
    assert client_for("advisor_a").post(url, data).status_code == 302
    anna.refresh_from_db()
    assert anna.email == "nova@example.org"


# Consent and company links --------------------------------------------------------------------


CONSENT = {
    "purpose": Purpose.NETWORK_SHARING,
    "action": ConsentEvent.Action.GIVEN,
    "lawful_basis": "consent",
    "notice_version": "2026-01",
}


@pytest.mark.django_db
def test_a_consent_is_recorded_by_the_registering_office_only(
    client_for, two_offices, anna, office_b
):
    client = client_for("advisor_a")
    url = reverse("crm:person_consent", args=[anna.public_id])
    client.post(url, CONSENT)
    assert anna.consent_events.get().office.name == "OAE Alfa"
    _switch(client, office_b)
    response = client.post(url, {**CONSENT, "action": ConsentEvent.Action.WITHDRAWN}, follow=True)
    assert "Only OAE Alfa, which registered this person, records their consents." in (
        response.content.decode()
    )
    assert anna.consent_events.count() == 1
    anna.refresh_from_db()
    assert anna.shares_with_network is True


@pytest.mark.django_db
def test_another_office_cannot_withdraw_a_shared_clients_sharing(client_for, anna):
    client_for("advisor_a").post(reverse("crm:person_consent", args=[anna.public_id]), CONSENT)
    response = client_for("advisor_b").post(
        reverse("crm:person_consent", args=[anna.public_id]),
        {**CONSENT, "action": ConsentEvent.Action.WITHDRAWN},
        follow=True,
    )
    assert response.status_code == 200
    assert "records their consents" in response.content.decode()
    anna.refresh_from_db()
    assert anna.shares_with_network is True and anna.consent_events.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("citizen", 403),
        ("coordinator", 404),  # network roles see no person: the record is not found
        ("auditor", 404),
        ("readonly_a", 403),
        ("advisor_b", 404),
        ("anonymous", 302),
    ],
)
def test_recording_a_consent_is_refused_without_the_right(client_for, anna, persona, status):
    url = reverse("crm:person_consent", args=[anna.public_id])
    assert _status(client_for, persona, url, "post", CONSENT) == status
    assert not anna.consent_events.exists()


@pytest.mark.django_db
def test_consent_is_only_posted(client_for, anna):
    url = reverse("crm:person_consent", args=[anna.public_id])
    assert client_for("advisor_a").get(url).status_code == 405


@pytest.mark.django_db
def test_linking_a_company_needs_the_right_to_edit_the_person(client_for, anna, office_b):
    company = services.company_save(
        actor=None,
        office=office_b,
        company=None,
        data={"legal_name": "Verda SCCL", "tax_id": "F08000002", "legal_form": "cooperative"},
    )
    _share(anna, anna.office)  # office B sees Anna now, but may not change her record
    link = {"tax_id": company.tax_id, "relation": "partner"}
    url = reverse("crm:person_link", args=[anna.public_id])
    assert client_for("advisor_b").post(url, link).status_code == 403
    assert client_for("readonly_a").post(url, link).status_code == 403
    assert client_for("advisor_a").post(url, link).status_code == 302
    assert anna.company_links.filter(company=company).exists()


# Companies ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_companies_list_shows_every_company_to_client_staff(client_for, serra_sl, office_b):
    services.company_save(
        actor=None,
        office=office_b,
        company=None,
        data={"legal_name": "Coop Verda", "legal_form": "cooperative"},
    )
    for persona in ("advisor_a", "advisor_b", "readonly_a"):
        page = client_for(persona).get(reverse("crm:companies")).context["page"]
        assert [c.legal_name for c in page.object_list] == ["Coop Verda", "Serra SL"]


@pytest.mark.django_db
@pytest.mark.parametrize(("persona", "status"), [*REFUSED_READERS.items(), ("anonymous", 302)])
def test_companies_list_is_refused_to_non_client_staff(client_for, people, persona, status):
    assert _status(client_for, persona, reverse("crm:companies")) == status


@pytest.mark.django_db
def test_companies_list_reads_a_fixed_number_of_queries(
    client_for, people, office_a, django_assert_max_num_queries
):
    for index in range(30):
        services.company_save(
            actor=None,
            office=office_a,
            company=None,
            data={
                "legal_name": f"Empresa {index:02d}",
                "legal_form": "limited",
                "municipality": office_a.municipality,
            },
        )
    client = client_for("advisor_a")
    with django_assert_max_num_queries(10):
        response = client.get(reverse("crm:companies"))
    assert len(response.context["page"].object_list) == 25


@pytest.fixture
def linked_people(serra_sl, office_b):
    """Serra SL's people besides Anna (office A): Marta of office B, who shares, and Pau of
    office B, who does not."""
    marta = _person(office_b, "Marta", "Vidal")
    _share(marta, office_b)
    pau = _person(office_b, "Pau", "Roig")
    for person in (marta, pau):
        services.person_link_company(
            actor=None, person=person, company=serra_sl, relation="partner"
        )
    return marta, pau


@pytest.mark.django_db
def test_company_page_lists_only_the_people_the_user_may_see(client_for, serra_sl, linked_people):
    def listed(persona):
        response = client_for(persona).get(reverse("crm:company_detail", args=[serra_sl.public_id]))
        return {link.person.first_name for link in response.context["links"]}

    assert listed("advisor_a") == {"Anna", "Marta"}
    assert listed("advisor_b") == {"Marta", "Pau"}


PEOPLE_KEYS = re.compile(r'SELECT "crm_person"\."id"(?: AS "\w+")? FROM "crm_person"')


def _lists_of_people_keys(client, url) -> list[str]:
    """The queries of a page that read bare person keys: how an old way listed everyone the
    user may see (hundreds of thousands of ids per page at the reference scale)."""
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return [query["sql"] for query in captured.captured_queries if PEOPLE_KEYS.match(query["sql"])]


@pytest.mark.django_db
def test_company_page_asks_the_database_who_is_visible(client_for, serra_sl, linked_people):
    url = reverse("crm:company_detail", args=[serra_sl.public_id])
    assert _lists_of_people_keys(client_for("advisor_a"), url) == []


@pytest.mark.django_db
def test_person_page_asks_the_database_who_may_be_merged(client_for, pair):
    first, second = pair
    url = reverse("crm:person_detail", args=[first.public_id])
    client = client_for("manager_a")
    assert _lists_of_people_keys(client, url) == []
    assert client.get(url).context["candidates"] == [second]


@pytest.mark.django_db
def test_company_page_reads_a_fixed_number_of_queries(
    client_for, serra_sl, office_a, django_assert_max_num_queries
):
    for index in range(20):
        person = _person(office_a, f"Soci{index}", "Puig")
        services.person_link_company(
            actor=None, person=person, company=serra_sl, relation="partner"
        )
    client = client_for("advisor_a")
    with django_assert_max_num_queries(8):
        response = client.get(reverse("crm:company_detail", args=[serra_sl.public_id]))
    assert len(response.context["links"]) == 21


@pytest.mark.django_db
@pytest.mark.parametrize(("persona", "status"), [*REFUSED_READERS.items(), ("anonymous", 302)])
def test_company_page_is_refused_to_non_client_staff(client_for, serra_sl, persona, status):
    url = reverse("crm:company_detail", args=[serra_sl.public_id])
    assert _status(client_for, persona, url) == status


@pytest.mark.django_db
def test_a_new_company_is_registered_for_the_acting_office(
    client_for, two_offices, office_a, office_b
):
    client = client_for("advisor_a")
    url = reverse("crm:company_create")
    client.post(
        url, {"legal_name": "Forn Mas SL", "legal_form": "limited", "stage": "idea", "employees": 1}
    )
    assert Company.objects.get(legal_name="Forn Mas SL").office.name == "OAE Alfa"
    _switch(client, office_b)
    client.post(
        url + f"?office={office_a.public_id}",  # a parameter does not choose the office
        {"legal_name": "Taller SL", "legal_form": "limited", "stage": "idea", "employees": 1},
    )
    assert Company.objects.get(legal_name="Taller SL").office == office_b


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("persona", "status"),
    [*REFUSED_READERS.items(), ("readonly_a", 403), ("advisor_b", 403), ("anonymous", 302)],
)
def test_a_company_is_edited_by_its_office_only(client_for, serra_sl, persona, status):
    url = reverse("crm:company_edit", args=[serra_sl.public_id])
    data = {"legal_name": "Altra SL", "legal_form": "limited", "stage": "active"}
    assert _status(client_for, persona, url, "post", data) == status
    serra_sl.refresh_from_db()
    assert serra_sl.legal_name == "Serra SL"


# Merging --------------------------------------------------------------------------------------


@pytest.fixture
def pair(office_a):
    first = _person(office_a, "Anna", "Serra", email="anna@example.org")
    second = _person(office_a, "Ana", "Serra", email="anna@example.org", phone="612345678")
    return first, second


@pytest.fixture
def manager_b(office_b):
    return MembershipFactory(
        office=office_b, role=OfficeRole.MANAGER, user=UserFactory(email="manager.b@example.org")
    ).user


@pytest.mark.django_db
def test_manager_merges_two_records_of_their_office(client_for, pair):
    first, second = pair
    url = reverse("crm:person_merge", args=[first.public_id, second.public_id])
    client = client_for("manager_a")
    assert client.get(url).status_code == 200
    assert client.post(url, {"phone": "other"}).status_code == 302
    first.refresh_from_db()
    assert first.phone == "+34 612 34 56 78"
    assert Person.objects.get(pk=second.pk).merged_into == first


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("persona", "status"),
    [*REFUSED_READERS.items(), ("advisor_a", 403), ("readonly_a", 403), ("anonymous", 302)],
)
def test_merging_is_refused_without_the_right(client_for, pair, persona, status):
    first, second = pair
    url = reverse("crm:person_merge", args=[first.public_id, second.public_id])
    assert _status(client_for, persona, url, "post", {"phone": "other"}) == status
    assert Person.objects.get(pk=second.pk).merged_into is None


@pytest.mark.django_db
def test_a_manager_of_another_office_gets_404_on_a_merge(client, manager_b, pair):
    first, second = pair
    client.force_login(manager_b)
    url = reverse("crm:person_merge", args=[first.public_id, second.public_id])
    assert client.post(url, {"phone": "other"}).status_code == 404
    assert Person.objects.get(pk=second.pk).merged_into is None


@pytest.mark.django_db
def test_undo_of_a_merge_is_for_a_manager_of_the_kept_record(client, client_for, manager_b, pair):
    first, second = pair
    merge = services.person_merge(actor=None, survivor=first, absorbed=second, take=set())
    url = reverse("crm:person_merge_undo", args=[merge.public_id])
    client.force_login(manager_b)
    assert client.post(url).status_code == 404
    assert AuditEvent.objects.get(action="access.denied").target_id == str(first.public_id)
    assert client_for("advisor_a").post(url).status_code == 403
    assert client_for("manager_a").get(url).status_code == 405
    assert Person.objects.get(pk=second.pk).merged_into == first
    assert client_for("manager_a").post(url).status_code == 302
    assert Person.objects.get(pk=second.pk).merged_into is None


@pytest.mark.django_db
def test_undo_of_a_missing_merge_is_404(client_for, people, pair):
    url = reverse("crm:person_merge_undo", args=["00000000-0000-4000-8000-000000000000"])
    assert client_for("manager_a").post(url).status_code == 404
    assert not AuditEvent.objects.filter(action="access.denied").exists()


# Exports --------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_people_export_lists_the_visible_people_and_is_audited(client_for, anna, office_b):
    _person(office_b, "Pau", "Roig")
    response = client_for("advisor_a").get(reverse("crm:people_export"), {"format": "csv"})
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0] == (
        "Name,Surnames,Document,E-mail,Phone,Year of birth,Date of birth,Municipality,Registered by"
    )
    assert lines[1:] == ["Anna,Serra,12345678Z,anna@example.org,,,,,OAE Alfa"]
    event = AuditEvent.objects.get(action="crm.people.export")
    assert event.details == {"count": 1, "search": False}


@pytest.mark.django_db
def test_companies_export_is_audited_like_the_people_export(client_for, serra_sl):
    response = client_for("advisor_a").get(
        reverse("crm:companies_export"), {"format": "xlsx", "search": "serra"}
    )
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0][:3] == ("Legal name", "Trade name", "NIF")
    assert rows[1][0] == "Serra SL" and rows[1][2] == "B58818501" and rows[1][-1] == "OAE Alfa"
    event = AuditEvent.objects.get(action="crm.companies.export")
    assert event.actor_label == "advisor.a@example.org"
    assert event.details == {"count": 1, "search": True}


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["crm:people_export", "crm:companies_export"])
@pytest.mark.parametrize(("persona", "status"), [*REFUSED_READERS.items(), ("anonymous", 302)])
def test_exports_are_refused_to_non_client_staff(client_for, people, name, persona, status):
    assert _status(client_for, persona, reverse(name)) == status
    assert not AuditEvent.objects.filter(action__endswith=".export").exists()


# Identity documents and NIFs refused on the pages (every rule: test_validators_worked.py) -----

DNI_REFUSAL = "1234567Z is not a valid DNI (for example 12345678Z)."


@pytest.mark.django_db
def test_a_malformed_dni_is_a_form_error_on_the_registration_page(client_for):
    data = {"first_name": "Joan", "language": "ca", "id_type": "dni", "id_number": "1234567Z"}
    response = client_for("advisor_a").post(reverse("crm:person_create"), data)
    assert response.status_code == 200
    assert response.context["form"].errors == {"id_number": [DNI_REFUSAL]}
    assert DNI_REFUSAL in response.content.decode()
    assert not Person.objects.exists()


@pytest.mark.django_db
def test_a_number_without_its_type_is_a_form_error_on_the_registration_page(client_for):
    data = {"first_name": "Joan", "language": "ca", "id_type": "", "id_number": "12345678Z"}
    response = client_for("advisor_a").post(reverse("crm:person_create"), data)
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "id_type": ["Say which kind of document this number is."]
    }
    assert not Person.objects.exists()


def _self_employed(tax_id: str) -> dict:
    return {
        "legal_name": "Forn Mas",
        "legal_form": "self_employed",
        "stage": "idea",
        "employees": 0,
        "tax_id": tax_id,
    }


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("B5881850", "B5881850 is not a valid NIF (for example B58818501)."),
        ("X1234567A", "X1234567A: the control character does not match."),
        ("B588185\n1", "B5881851 is not a valid NIF (for example B58818501)."),  # was a 500
    ],
)
def test_a_malformed_nif_is_a_form_error_on_the_company_page(client_for, typed, message):
    response = client_for("advisor_a").post(reverse("crm:company_create"), _self_employed(typed))
    assert response.status_code == 200
    assert response.context["form"].errors == {"tax_id": [message]}
    assert not Company.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("typed", "compact"), [("12345678-z", "12345678Z"), ("x 1234567 l", "X1234567L")]
)
def test_a_self_employed_nif_of_dni_or_nie_form_is_registered_through_the_page(
    client_for, typed, compact
):
    response = client_for("advisor_a").post(reverse("crm:company_create"), _self_employed(typed))
    company = Company.objects.get()
    assert response.status_code == 302
    assert (company.legal_form, company.tax_id) == ("self_employed", compact)
