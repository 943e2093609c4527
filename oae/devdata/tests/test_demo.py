"""The demo loads what it promises, once, however often `load_demo_data` runs."""

import os

import pytest
from django.apps import apps
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from oae.accounts.models import User
from oae.cases.models import (
    Attachment,
    AvailabilityException,
    AvailabilitySlot,
    CalendarFeed,
    Outcome,
    SurveyResponse,
    Verification,
)
from oae.cases.selectors import advisor_day
from oae.catalogue import selectors
from oae.catalogue.models import Resource, ResourceFile, SearchEntry
from oae.catalogue.starter import starter_model_load
from oae.crm.access import people_for
from oae.crm.models import Person
from oae.devdata.demo.catalogue import catalogue_demo_load
from oae.devdata.demo.crm import crm_demo_load
from oae.devdata.demo.network import demo_network_load
from oae.network.models import Office
from oae.reports.models import MonthlyReport
from oae.tools.models import ToolResult


@pytest.mark.django_db(transaction=True)
def test_demo_clients_load_once_with_consents():
    call_command("load_reference_data")
    demo_network_load()
    assert crm_demo_load() is True
    assert crm_demo_load() is False
    assert Person.objects.count() == 5
    advisor_b = User.objects.get(email="tecnic.badalona@xarxa-oae.example")
    visible = {p.first_name for p in people_for(advisor_b)}
    assert visible == {"Lucía", "Xin", "Marta"}  # Marta shares; Youssef and Pau do not


@pytest.mark.django_db(transaction=True)
def test_demo_leaves_one_office_behind_and_one_with_own_items():
    call_command("load_reference_data")
    demo_network_load()
    starter_model_load()
    assert catalogue_demo_load() is True
    assert catalogue_demo_load() is False  # runs once
    santboi = selectors.office_catalogue_status(Office.objects.get(name__contains="Sant Boi"))
    assert santboi.behind and santboi.version == 1 and santboi.overrides > 0
    barcelona = selectors.office_catalogue_status(Office.objects.get(name__contains="Barcelona"))
    assert barcelona.local == 2 and not barcelona.behind
    assert SearchEntry.objects.filter(office__name__contains="Barcelona").exists()


@pytest.mark.django_db
def test_the_demo_shows_a_kept_advice_and_a_sent_canvas_once():
    call_command("load_demo_data", stdout=open(os.devnull, "w"))  # noqa: SIM115
    call_command("load_demo_data", stdout=open(os.devnull, "w"))  # noqa: SIM115
    kept = ToolResult.objects.get(tool="legal_form")
    sent = ToolResult.objects.get(tool="canvas")
    assert kept.person.email == "marta.vila@example.org"
    assert sent.owner.email == "emprenedora@example.org" and "Sant Boi" in sent.office.name
    assert sent.sent_at is not None and sent.person is None


def _load_demo() -> None:
    call_command("load_demo_data", stdout=open(os.devnull, "w"))  # noqa: SIM115


def _row_counts() -> dict[str, int]:
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()}


@pytest.mark.django_db
def test_the_demo_fills_every_section_and_a_second_run_adds_nothing():
    _load_demo()
    first = _row_counts()
    _load_demo()
    assert _row_counts() == first

    santboi = Office.objects.get(name__contains="Sant Boi")
    badalona = Office.objects.get(name__contains="Badalona")
    # Last month's reports, the network's and each open office's, once.
    assert MonthlyReport.objects.filter(office__isnull=True).count() == 1
    assert MonthlyReport.objects.filter(office=santboi).count() == 1
    # The hand-made demo cases (the generated year of activity, DEMO-…, is tested apart).
    verified = Outcome.objects.filter(verification=Verification.VERIFIED).exclude(
        case__reference__startswith="DEMO-"
    )
    assert verified.filter(case__office=santboi, evidence__isnull=False).exists()
    assert verified.filter(case__office=badalona, evidence__isnull=False).exists()
    assert Outcome.objects.filter(verification=Verification.DECLARED).exists()
    evidence = verified.filter(case__office=santboi).get().evidence
    assert evidence.content_type == "application/pdf"
    assert evidence.file.read(5) == b"%PDF-"

    advisor = User.objects.get(email="tecnic.santboi@xarxa-oae.example")
    assert AvailabilitySlot.objects.filter(advisor=advisor, office=santboi).count() == 7
    assert AvailabilityException.objects.filter(advisor=advisor).exists()
    assert CalendarFeed.objects.filter(user=advisor).exists()
    assert advisor.appointments.filter(starts_at__gte=timezone.now()).count() == 3
    day = advisor_day(user=advisor)
    assert day.tasks and day.overdue_steps and day.quiet_cases and day.referrals

    # A document on a running case, besides the closed cases' evidence.
    assert Attachment.objects.filter(case__office=santboi, case__closed_at=None).exists()
    answered = SurveyResponse.objects.filter(
        answered_at__isnull=False, score__isnull=False
    ).exclude(case__reference__startswith="DEMO-")
    assert {survey.office for survey in answered} == {santboi, badalona}
    assert set(Resource.objects.values_list("code", flat=True)) >= {"plantilla-pla-empresa"}
    assert ResourceFile.objects.filter(resource__code="plantilla-pla-empresa").count() == 2


@pytest.mark.django_db
def test_the_demo_has_two_records_of_one_client_for_the_manager_to_merge(client):
    _load_demo()
    first, second = Person.objects.filter(email="jordi.casals@example.org").order_by("pk")
    client.force_login(User.objects.get(email="gerent.santboi@xarxa-oae.example"))
    page = client.get(reverse("crm:person_detail", args=[first.public_id]))
    merge = reverse("crm:person_merge", args=[first.public_id, second.public_id])
    assert merge in page.content.decode()
