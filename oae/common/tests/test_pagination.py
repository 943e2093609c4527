"""Pages that look one row ahead instead of counting."""

import pytest

from oae.common.pagination import lookahead_page
from oae.network.models import Municipality
from oae.testing.factories import MunicipalityFactory


@pytest.mark.django_db
def test_pages_know_whether_more_follow_without_counting(django_assert_num_queries):
    for code in range(5):
        MunicipalityFactory(ine_code=f"0800{code}")
    towns = Municipality.objects.order_by("ine_code")
    with django_assert_num_queries(1):
        first = lookahead_page(towns, "1", 2)
    assert [t.ine_code for t in first.object_list] == ["08000", "08001"] and first.has_next
    last = lookahead_page(towns, 3, 2)
    assert [t.ine_code for t in last.object_list] == ["08004"] and not last.has_next
    assert (last.start_index(), last.end_index()) == (5, 5) and last.has_previous()
    assert lookahead_page(towns, "nonsense", 2).number == 1
    assert lookahead_page(towns, "-4", 2).number == 1


@pytest.mark.django_db
def test_pages_found_by_key_keep_the_list_order(django_assert_num_queries):
    for code in range(5):
        MunicipalityFactory(ine_code=f"0800{code}")
    towns = Municipality.objects.order_by("-ine_code")
    with django_assert_num_queries(2):  # the keys, then their rows
        page = lookahead_page(towns, 2, 2, rows_by_key=Municipality.objects.in_bulk)
    assert [t.ine_code for t in page.object_list] == ["08002", "08001"] and page.has_next
    last = lookahead_page(towns, 3, 2, rows_by_key=Municipality.objects.in_bulk)
    assert [t.ine_code for t in last.object_list] == ["08000"] and not last.has_next
