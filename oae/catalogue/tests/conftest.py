"""Catalogue test fixtures: the small model of oae.testing.catalogue, and its v1."""

import pytest

from oae.catalogue import services
from oae.testing.catalogue import build_small_model


@pytest.fixture
def draft(db):
    return build_small_model()


@pytest.fixture
def v1(draft):
    return services.network_publish(actor=None, changelog="Primera versió")
