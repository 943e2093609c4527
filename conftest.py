"""Shared personas: coordinator, auditor, manager/advisor/read-only of office A, advisor of
office B, a citizen and anonymous; plus a logged-in client for each."""

import pytest
from django.test import Client

from oae.accounts.models import NetworkRole
from oae.network.models import OfficeRole
from oae.testing.factories import MembershipFactory, MunicipalityFactory, OfficeFactory, UserFactory
from oae.testing.mfa import enrol_totp

PERSONAS = [
    "anonymous",
    "citizen",
    "readonly_a",
    "advisor_a",
    "manager_a",
    "advisor_b",
    "auditor",
    "coordinator",
]


@pytest.fixture(autouse=True)
def _clear_cache():
    """Rate limits live in the cache; every test starts with none used."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _english():
    """Unit tests read messages in English; requests still pick their own language."""
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture
def office_a(db):
    return OfficeFactory(
        name="OAE Alfa",
        municipality=MunicipalityFactory(ine_code="08200", name="Sant Boi de Llobregat"),
    )


@pytest.fixture
def office_b(db):
    return OfficeFactory(
        name="OAE Beta", municipality=MunicipalityFactory(ine_code="08015", name="Badalona")
    )


def _staff(office, role, email):
    return MembershipFactory(office=office, role=role, user=UserFactory(email=email)).user


@pytest.fixture
def people(db, office_a, office_b):
    coordinator = UserFactory(email="coordinator@example.org", network_role=NetworkRole.COORDINATOR)
    enrol_totp(coordinator)
    auditor = UserFactory(email="auditor@example.org", network_role=NetworkRole.AUDITOR)
    enrol_totp(auditor)
    return {
        "anonymous": None,
        "citizen": UserFactory(email="citizen@example.org"),
        "readonly_a": _staff(office_a, OfficeRole.READ_ONLY, "readonly.a@example.org"),
        "advisor_a": _staff(office_a, OfficeRole.ADVISOR, "advisor.a@example.org"),
        "manager_a": _staff(office_a, OfficeRole.MANAGER, "manager.a@example.org"),
        "advisor_b": _staff(office_b, OfficeRole.ADVISOR, "advisor.b@example.org"),
        "auditor": auditor,
        "coordinator": coordinator,
    }


@pytest.fixture
def client_for(people):
    """A client signed in as the persona, reading pages in English unless told otherwise."""

    def make(persona: str, language: str = "en") -> Client:
        client = Client()
        client.cookies["django_language"] = language
        user = people[persona]
        if user is not None:
            client.force_login(user)
        return client

    return make
