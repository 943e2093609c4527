"""Generated data is valid and consistent (its figures are for `make bench`)."""

import pytest
from django.core.management import call_command
from django.db import connection

from oae.cases.models import ACTIVE_STATES, Case, CaseStep, Session
from oae.catalogue.starter import starter_model_load
from oae.crm.models import Company, Person
from oae.crm.validators import normalise_id_document
from oae.devdata.bench import cases as bench
from oae.devdata.scale.cases import generate_cases


@pytest.mark.django_db
def test_scale_data_is_valid_and_can_be_added_twice(people, office_a):
    call_command("generate_scale_data", people=300, companies=50)
    call_command("generate_scale_data", people=200, companies=50)
    assert Person.objects.count() == 500 and Company.objects.count() == 100
    for person in Person.objects.exclude(id_number="")[:50]:
        assert normalise_id_document("dni", person.id_number) == person.id_number


@pytest.mark.skipif(connection.vendor != "postgresql", reason="generated on PostgreSQL only")
@pytest.mark.django_db
def test_generated_cases_have_steps_sessions_and_open_in_the_page(people, office_a):
    starter_model_load()
    call_command("generate_scale_data", people=50, companies=5)
    generate_cases(count=100, sessions=250)
    assert Case.objects.count() == 100
    assert CaseStep.objects.count() == 500
    assert 200 <= Session.objects.count() <= 300
    running = Case.objects.filter(state__in=ACTIVE_STATES).first()
    current = running.steps.get(step_id=running.current_step)
    assert current.started_at is not None and current.completed_at is None
    figure = bench.bench_case_page(requests=5)
    assert figure["n"] == 5
    advisors = [running.assigned_to]
    assert bench.bench_day_view(advisors, requests=3)["n"] == 3
