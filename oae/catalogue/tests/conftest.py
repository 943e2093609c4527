"""Catalogue test fixtures: the small model of oae.testing.catalogue, its v1, and office A's
open proposal to reword its service "crear"."""

import pytest

from oae.catalogue import proposals, services
from oae.testing.catalogue import build_small_model, i18n

NEW_NAME = i18n("Crear la teva empresa", "Crear tu empresa", "Start your business")


def proposal_content(v1, **changes) -> dict:
    """The published service "crear" as a proposal would send it, with `changes`."""
    published = v1.items.get(kind="service", code="crear").content
    return proposals._only_network_fields("service", published) | changes


@pytest.fixture
def draft(db):
    return build_small_model()


@pytest.fixture
def v1(draft):
    return services.network_publish(actor=None, changelog="Primera versió")


@pytest.fixture
def proposal(v1, people, office_a):
    return proposals.proposal_create(
        actor=people["manager_a"],
        office=office_a,
        kind="service",
        code="crear",
        content=proposal_content(v1, name=NEW_NAME),
        reason="Els clients ho entenen millor.",
    )
