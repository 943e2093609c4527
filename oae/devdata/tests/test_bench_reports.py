"""The reports' benchmarks run (their figures are for people to judge, not for tests): the
dashboards answer through the rollups and the raw baseline alike, the monthly PDF is drawn."""

import datetime

import pytest
from django.utils import timezone

from oae.devdata.bench import reports as bench
from oae.reports import rollups
from oae.reports.models import RollupPeriod
from oae.testing.reports import clients_served


@pytest.mark.django_db
def test_the_reports_benchmarks_run_on_a_small_network(people, office_a, monkeypatch):
    monkeypatch.setattr(rollups, "YEARS", 1)  # this year's periods: enough to run them
    served = timezone.now() - datetime.timedelta(days=3)
    clients_served(office_a, people["advisor_a"], 6, served)
    refreshed = bench.rollups_ready()
    assert refreshed["periods"] > 0 and RollupPeriod.objects.exists()
    network = bench.bench_network_dashboard(requests=12)
    assert network["n"] == 12 and network["baseline_n"] == 12
    assert network["p95_ms"] > 0 and network["baseline_p95_ms"] > 0
    office = bench.bench_office_dashboard(people["manager_a"], requests=12)
    assert office["bench"] == "reports.office_dashboard" and office["n"] == 12
    pdf = bench.bench_monthly_pdf(runs=1)
    assert pdf["bytes"] > 1000 and pdf["max_s"] > 0
