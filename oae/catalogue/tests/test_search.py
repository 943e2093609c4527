"""Full-text search over an office's catalogue (PostgreSQL in CI, the fallback on SQLite)."""

import pytest

from oae.catalogue import services
from oae.catalogue.models import OfficeItem, SearchEntry
from oae.catalogue.search import search_index_office, search_office


@pytest.fixture
def indexed(office_a, v1):
    services.office_catalogue_adopt(actor=None, office=office_a, version=v1)
    search_index_office(office_id=office_a.pk)
    return office_a


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "language", "expected"),
    [
        ("finançament", "ca", [("service", "financar")]),
        ("FINANCAMENT", "ca", [("service", "financar")]),
        ("financiación", "es", [("service", "financar")]),
        ("model 036", "ca", [("procedure", "alta-censal")]),
        ("inexistent", "ca", []),
    ],
)
def test_search_finds_items_in_the_readers_language(indexed, query, language, expected):
    assert search_office(office=indexed, query=query, language=language) == expected


@pytest.mark.django_db
def test_switched_off_items_leave_the_index(indexed, django_capture_on_commit_callbacks):
    item = OfficeItem.objects.get(office=indexed, code="financar")
    with django_capture_on_commit_callbacks(execute=True):
        services.office_item_set_enabled(actor=None, item=item, enabled=False)
    assert search_office(office=indexed, query="finançament", language="ca") == []
    assert not SearchEntry.objects.filter(office=indexed, code="financar").exists()


@pytest.mark.django_db
def test_an_empty_query_finds_nothing(indexed):
    assert search_office(office=indexed, query="   ", language="ca") == []
