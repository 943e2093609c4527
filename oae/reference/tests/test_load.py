"""Reference data ships with the project and loads idempotently."""

import pytest
from django.core.management import call_command

from oae.network.models import Municipality
from oae.reference.models import CnaeActivity, CnaeLevel
from oae.reference.services import cnae_load, municipalities_load


@pytest.mark.django_db
def test_loading_twice_creates_no_duplicates():
    call_command("load_reference_data")
    call_command("load_reference_data")
    assert Municipality.objects.count() == 36
    assert CnaeActivity.objects.count() == 1010
    second = municipalities_load()
    assert (second.total, second.changed) == (36, 0)
    assert cnae_load().changed == 0


@pytest.mark.django_db
def test_reloading_restores_a_changed_fact():
    municipalities_load()
    Municipality.objects.filter(ine_code="08019").update(population=1)
    assert municipalities_load().changed == 1
    assert Municipality.objects.get(ine_code="08019").population == 1636732


@pytest.mark.django_db
def test_the_36_amb_municipalities_and_the_cnae_levels_are_complete():
    municipalities_load()
    cnae_load()
    assert sum(Municipality.objects.values_list("population", flat=True)) == 3303927
    counts = {level: CnaeActivity.objects.filter(level=level).count() for level in CnaeLevel}
    assert counts == {
        CnaeLevel.SECTION: 21,
        CnaeLevel.DIVISION: 88,
        CnaeLevel.GROUP: 272,
        CnaeLevel.CLASS: 629,
    }
    assert CnaeActivity.objects.get(code="0111").parent.code == "011"


def test_no_code_reads_the_shared_folder():
    from oae.reference import services

    assert "shared" not in str(services.DATA_DIR)
