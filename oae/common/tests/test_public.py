"""Public pages, health and language choice."""

import pytest
from django.urls import reverse

from oae.network.models import OfficeStatus
from oae.testing.factories import OfficeFactory


@pytest.mark.django_db
def test_home_lists_only_open_offices_with_contact(client):
    OfficeFactory(name="OAE Oberta", status=OfficeStatus.OPEN, phone="+34 934 02 70 00")
    OfficeFactory(name="OAE Planificada", status=OfficeStatus.PLANNED)
    body = client.get(reverse("home")).content.decode()
    assert "OAE Oberta" in body and "+34 934 02 70 00" in body
    assert "OAE Planificada" not in body


@pytest.mark.django_db
def test_home_is_catalan_by_default_and_follows_the_language_choice(client):
    assert '<html lang="ca">' in client.get("/").content.decode()
    client.post(reverse("set_language"), {"language": "es", "next": "/"})
    assert '<html lang="es">' in client.get("/").content.decode()


@pytest.mark.django_db
def test_language_choice_is_remembered_on_the_account(client_for, people):
    client = client_for("advisor_a")
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    people["advisor_a"].refresh_from_db()
    assert people["advisor_a"].language == "en"


@pytest.mark.django_db
def test_profile_update_saves_name_and_language(client_for, people):
    client = client_for("citizen")
    response = client.post(
        reverse("accounts:profile"), {"first_name": "Anna", "last_name": "Serra", "language": "es"}
    )
    assert response.status_code == 302
    people["citizen"].refresh_from_db()
    assert (people["citizen"].first_name, people["citizen"].language) == ("Anna", "es")


@pytest.mark.django_db
def test_healthz_reports_the_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["database"] == "ok"


def test_healthz_reports_503_when_the_database_fails(client, monkeypatch):
    from django.db import connection

    def broken_cursor(*args, **kwargs):
        raise RuntimeError("down")

    monkeypatch.setattr(connection, "cursor", broken_cursor)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["status"] == "error"
