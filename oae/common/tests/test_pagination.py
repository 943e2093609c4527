"""Counting stops at the cap on big lists."""

import pytest

from oae.common import pagination
from oae.network.models import Municipality
from oae.testing.factories import MunicipalityFactory


@pytest.mark.django_db
def test_the_count_stops_just_past_the_cap(monkeypatch):
    monkeypatch.setattr(pagination, "COUNT_CAP", 3)
    for code in range(5):
        MunicipalityFactory(ine_code=f"0800{code}")
    paginator = pagination.CappedPaginator(Municipality.objects.order_by("pk"), 2)
    assert paginator.count == 4 and paginator.capped
    small = pagination.CappedPaginator(Municipality.objects.filter(ine_code="08001"), 2)
    assert small.count == 1 and not small.capped
