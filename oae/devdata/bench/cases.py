"""Benchmarks of case management (contract: BENCH.md of the project's brief): server time of
the advisor's day view and of the case page, through the real URLs, views and templates."""

import random

from django.urls import reverse

from oae.cases.models import ACTIVE_STATES, Case
from oae.devdata.bench.timing import client_for, page_call, pages_timed

SCALES = {
    "small": {"cases": 20_000, "sessions": 50_000},
    "reference": {"cases": 2_000_000, "sessions": 5_000_000},
}


def _figure(name: str, calls: list) -> dict:
    timing = pages_timed(calls)
    return {"bench": name, "n": timing.n, "p50_ms": timing.p50_ms, "p95_ms": timing.p95_ms}


def bench_day_view(advisors: list, requests: int = 200) -> dict:
    """`requests` day views spread over the advisors (each has thousands of cases)."""
    clients = [client_for(user) for user in advisors]
    url = reverse("cases:today")
    calls = [page_call(clients[n % len(clients)], url) for n in range(requests)]
    return _figure("cases.day_view", calls)


def bench_case_page(requests: int = 200, seed: int = 17) -> dict:
    """Pages of `requests` different running cases, each opened by its advisor."""
    rng = random.Random(seed)  # noqa: S311 - sampling
    # Between the lowest key and the highest: a database's keys need not start at 1.
    keys = Case.objects.order_by("pk").values_list("pk", flat=True)
    low, top = keys.first(), keys.last()
    picks = {rng.randint(low, top) for _ in range(requests * 20)} if top else set()
    sampled = Case.objects.filter(pk__in=picks).select_related("assigned_to")
    running = list(sampled.filter(state__in=ACTIVE_STATES)[: requests * 3 // 4])
    closed = list(sampled.exclude(state__in=ACTIVE_STATES)[: requests - len(running)])
    cases = running + closed
    clients = {}
    calls = []
    for case in cases[:requests]:
        user = case.assigned_to
        client = clients.setdefault(user.pk, client_for(user))
        calls.append(page_call(client, reverse("cases:detail", args=[case.public_id])))
    return _figure("cases.case_page", calls) | {"cases_sampled": len(calls)}
