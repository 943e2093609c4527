"""The benchmark's pieces work (their figures are for people to judge, not for tests)."""

import pytest
from django.core.management import call_command

from oae.crm.models import NameWord, Person
from oae.devdata.bench import crm as bench


@pytest.mark.django_db
def test_search_and_import_benchmarks_run_on_a_small_network(people, office_a):
    call_command("generate_scale_data", people=60, companies=5)
    queries = bench.search_queries(count=14)
    assert {kind for kind, _query in queries} == {
        "surname",
        "full_name",
        "prefix",
        "document",
        "email",
        "phone",
        "typo",
    }
    figures = bench.bench_search(people["advisor_a"], queries)
    assert figures["n"] == 14 and set(figures["by_kind"]) == {k for k, _q in queries}
    before = Person.objects.count(), NameWord.objects.count()
    imported = bench.bench_import(people["advisor_a"], office_a, rows=50)
    assert sum(imported["outcomes"].values()) == 50
    assert imported["outcomes"]["created"] >= 40
    # The imported people went again once measured: the next run finds the same network.
    assert (Person.objects.count(), NameWord.objects.count()) == before
