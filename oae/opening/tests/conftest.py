"""Opening fixtures: the starter playbook published as v1; office A's municipality on its way
with office A (whose manager and advisor are in place) and office B's with office B; each
path with a municipal contact; uploads that are and are not what they claim."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from oae.opening import contacts, services

PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48 + b"PE\x00\x00"
STARTED_DAYS_AGO = 10


def pdf(name="carta.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def png(name="local.png"):
    return SimpleUploadedFile(name, PNG, content_type="image/png")


def fake_pdf(content=EXE, name="carta.pdf"):
    """Something else under a PDF's name and type: an executable by default."""
    return SimpleUploadedFile(name, content, content_type="application/pdf")


# Office A: a manager and an advisor in post (and a read-only member of staff, at the
# front desk: 3 full-time posts in all), no plan, nobody with the induction certificate.
STAFF_A = {
    "managers": 1,
    "advisors": 1,
    "planned_fte": 0.0,
    "in_post_fte": 3.0,
    "vacant_fte": 0.0,
    "team": 2,
    "trained": 0,
}


def days_ago(days: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=days)


def signed_in(user, language="en") -> Client:
    client = Client()
    client.cookies["django_language"] = language
    client.force_login(user)
    return client


@pytest.fixture
def coordinator(people):
    return people["coordinator"]


@pytest.fixture
def playbook_v1(db):
    return services.playbook_starter_load()


@pytest.fixture
def path_a(playbook_v1, people, office_a):
    return services.path_start(
        actor=people["coordinator"],
        municipality=office_a.municipality,
        office=office_a,
        started_on=days_ago(STARTED_DAYS_AGO),
    )


@pytest.fixture
def path_b(playbook_v1, people, office_b):
    return services.path_start(
        actor=people["coordinator"],
        municipality=office_b.municipality,
        office=office_b,
        started_on=days_ago(STARTED_DAYS_AGO),
    )


@pytest.fixture
def contact_a(path_a, coordinator):
    """Sant Boi's council officer (a new account): follows path A only."""
    return contacts.contact_invite(
        actor=coordinator, path=path_a, email="ajuntament@santboi.example", first_name="Ramon"
    ).user


@pytest.fixture
def contact_b(path_b, coordinator):
    return contacts.contact_invite(
        actor=coordinator, path=path_b, email="ajuntament@badalona.example"
    ).user
