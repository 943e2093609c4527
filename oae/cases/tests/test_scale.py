"""The generated case load is consistent (its figures are for `make bench`)."""

import pytest
from django.db import connection


@pytest.mark.skipif(connection.vendor != "postgresql", reason="generated on PostgreSQL only")
@pytest.mark.django_db
def test_generated_cases_have_steps_sessions_and_open_in_the_page(people, office_a):
    from django.core.management import call_command

    from oae.cases import bench
    from oae.cases.models import ACTIVE_STATES, Case, CaseStep, Session
    from oae.cases.scale import generate_cases
    from oae.catalogue.starter import starter_model_load

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
