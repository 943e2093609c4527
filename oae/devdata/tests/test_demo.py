"""The demo loads what it promises, once, however often `load_demo_data` runs."""

import os

import pytest
from django.core.management import call_command

from oae.accounts.models import User
from oae.catalogue import selectors
from oae.catalogue.models import SearchEntry
from oae.catalogue.starter import starter_model_load
from oae.crm.access import people_for
from oae.crm.models import Person
from oae.devdata.demo.catalogue import catalogue_demo_load
from oae.devdata.demo.crm import crm_demo_load
from oae.devdata.demo.network import demo_network_load
from oae.network.models import Office
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
