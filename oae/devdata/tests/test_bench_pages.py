"""The page benchmarks fetch the pages they promise, and their baseline is the old way of the
same pages (their figures are for people to judge, not for tests)."""

import uuid

import pytest
from django.core.management import call_command

from oae.crm import selectors
from oae.crm.access import people_for
from oae.crm.models import Company, Person, PersonCompany
from oae.crm.selectors import PeopleFilters
from oae.devdata.bench import crm_pages
from oae.devdata.scale.people import generate_company_links


def _public_id(url: str) -> uuid.UUID:
    return uuid.UUID(url.rstrip("/").rsplit("/", 1)[1])


@pytest.fixture
def network(people):
    call_command("generate_scale_data", people=80, companies=12)
    generate_company_links(share=1.0)
    return people


@pytest.mark.django_db
def test_every_company_of_the_share_gets_people_and_links_are_reproducible(people):
    call_command("generate_scale_data", people=30, companies=10)
    first = generate_company_links(share=0.5, seed=3)
    links = set(PersonCompany.objects.values_list("person_id", "company_id", "relation"))
    PersonCompany.objects.all().delete()
    assert generate_company_links(share=0.5, seed=3) == first == len(links) > 0
    assert set(PersonCompany.objects.values_list("person_id", "company_id", "relation")) == links
    per_company = {company for _person, company, _relation in links}
    assert 0 < len(per_company) < Company.objects.count()


@pytest.mark.django_db
def test_the_sampled_pages_are_pages_the_user_may_open(network):
    advisor = network["advisor_a"]
    visible = set(people_for(advisor).values_list("public_id", flat=True))
    person_urls = crm_pages.person_page_urls(advisor, count=10)
    assert len(set(person_urls)) == 10
    assert {_public_id(url) for url in person_urls} <= visible
    company_urls = crm_pages.company_page_urls(count=5)
    linked = Company.objects.filter(person_links__isnull=False)
    assert len(set(company_urls)) == 5
    assert {_public_id(url) for url in company_urls} <= set(
        linked.values_list("public_id", flat=True)
    )
    list_urls = crm_pages.people_list_urls(count=20)
    assert sum("search=" in url for url in list_urls) == 6 and "?mine=1" in list_urls[6]


@pytest.mark.django_db
def test_the_old_way_finds_what_the_selectors_find(network):
    advisor, manager = network["advisor_a"], network["manager_a"]
    for company in Company.objects.filter(person_links__isnull=False).distinct():
        now = selectors.company_person_links(user=advisor, company=company)
        old = crm_pages.old_company_person_links(user=advisor, company=company)
        assert {link.pk for link in now} == {link.pk for link in old}
    shown = sum(
        len(crm_pages.old_company_person_links(user=advisor, company=company))
        for company in Company.objects.all()
    )
    assert 0 < shown < PersonCompany.objects.count()  # some linked people are hidden from her
    filters = PeopleFilters()
    now = selectors.people_page(user=advisor, filters=filters, number=1, per_page=25)
    old = crm_pages.old_people_page(user=advisor, filters=filters, number=1, per_page=25)
    assert [p.pk for p in now.object_list] == [p.pk for p in old.object_list]
    twin = Person.objects.filter(office__memberships__user=manager).first()
    original = twin.pk
    twin.pk, twin.public_id, twin.id_type, twin.id_number = None, uuid.uuid4(), "", ""
    twin.save()
    found = crm_pages.old_merge_candidates(user=manager, person=Person.objects.get(pk=original))
    assert [p.pk for p in found] == [twin.pk]
    for person in Person.objects.order_by("pk")[:30]:
        now = selectors.merge_candidates(user=manager, person=person)
        old = crm_pages.old_merge_candidates(user=manager, person=person)
        assert [p.pk for p in now] == [p.pk for p in old]


@pytest.mark.django_db
def test_the_page_benchmarks_measure_both_ways_on_a_small_network(network):
    advisor, manager = network["advisor_a"], network["manager_a"]
    for figure in (
        crm_pages.bench_people_list(advisor, pages=12),
        crm_pages.bench_person_page(manager, pages=6),
        crm_pages.bench_company_page(advisor, pages=4),
    ):
        assert figure["n"] == {"crm.people_list": 12, "crm.person_page": 6}.get(figure["bench"], 4)
        assert figure["baseline"] == "visible_id_set" and figure["target_p95_ms"] == 100
        assert 0 < figure["p50_ms"] <= figure["p95_ms"]
        assert 0 < figure["baseline_p50_ms"] <= figure["baseline_p95_ms"]
        assert figure["visible_people"] > 0


def test_a_baseline_whose_selector_the_page_never_calls_fails_loudly():
    never_called = pytest.raises(RuntimeError, match="never called")
    with never_called, crm_pages.the_old_way("crm.company_page"):
        pass
