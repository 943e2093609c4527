"""Benchmarks of the reports (contract: BENCH.md of the project's brief): server time of the
network dashboard (as the coordinator) and of an office's dashboard (as its manager), through
the real URLs, views and templates, over the periods people open (the year to date, months,
quarters, years), read from the rollups, with the naive way (the raw tables aggregated on
each request) as the baseline in the same run; and the time to make the network's monthly
PDF."""

import time

from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.test.utils import override_settings
from django.urls import reverse
from django.utils import timezone

from oae.accounts.models import NetworkRole, User
from oae.devdata.bench.timing import client_for, page_call, pages_timed
from oae.reports import monthly, rollups
from oae.reports.selectors import reported_office_ids

BASELINE_REQUESTS = 20  # the naive way takes seconds a page at the reference scale


def bench_coordinator() -> User:
    """The network's coordinator of the benchmark, enrolled in TOTP as the role requires."""
    user, created = User.objects.get_or_create(
        email="bench.coordinator@xarxa-oae.example",
        defaults={"network_role": NetworkRole.COORDINATOR, "first_name": "Coordinació"},
    )
    if created:
        TOTP.activate(user, generate_totp_secret())
    return user


def rollups_ready() -> dict:
    """The rollups brought up to date before measuring (the job's work), timed."""
    start = time.perf_counter()
    computed = rollups.rollups_refresh(reported_office_ids())
    return {
        "bench": "reports.rollup_refresh",
        "periods": computed,
        "seconds": round(time.perf_counter() - start, 1),
    }


def _queries() -> list[str]:
    """The period filters a dashboard is opened with: the year to date, this year's months
    and quarters, and last year."""
    today = timezone.localdate()
    months = [f"?kind=month&year={today.year}&number={n}" for n in range(1, today.month + 1)]
    quarters = [
        f"?kind=quarter&year={today.year}&number={n}" for n in range(1, (today.month + 2) // 3 + 1)
    ]
    return ["", f"?kind=year&year={today.year - 1}", *quarters, *months]


def _measure(name: str, client, url: str, requests: int) -> dict:
    queries = _queries()
    calls = [page_call(client, url + queries[n % len(queries)]) for n in range(requests)]
    fast = pages_timed(calls)
    with override_settings(REPORTS_ROLLUPS=False):
        slow = pages_timed(calls[:BASELINE_REQUESTS])
    return {
        "bench": name,
        "n": fast.n,
        "p50_ms": fast.p50_ms,
        "p95_ms": fast.p95_ms,
        "baseline": "raw_aggregates",
        "baseline_n": slow.n,
        "baseline_p50_ms": slow.p50_ms,
        "baseline_p95_ms": slow.p95_ms,
    }


def bench_network_dashboard(requests: int = 100) -> dict:
    return _measure(
        "reports.network_dashboard",
        client_for(bench_coordinator()),
        reverse("reports:network"),
        requests,
    )


def bench_office_dashboard(manager, requests: int = 100) -> dict:
    return _measure(
        "reports.office_dashboard", client_for(manager), reverse("reports:office"), requests
    )


def bench_monthly_pdf(runs: int = 3) -> dict:
    """The network's report of last month: its figures read, the PDF drawn (not stored)."""
    year, month = monthly.previous_month(timezone.localdate())
    durations = []
    size = 0
    for _run in range(runs):
        start = time.perf_counter()
        figures = monthly.month_figures(year, month)
        size = len(monthly.report_pdf(year, month, None, figures))
        durations.append(time.perf_counter() - start)
    return {
        "bench": "reports.monthly_pdf",
        "n": runs,
        "max_s": round(max(durations), 2),
        "median_s": round(sorted(durations)[runs // 2], 2),
        "bytes": size,
    }
