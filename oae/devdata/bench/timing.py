"""How the benchmarks measure: percentiles of calls' wall time, and staff pages fetched through
the real URLs, views and templates (Django's test client, no network in between)."""

import statistics
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.conf import settings
from django.test import Client
from django.test.utils import override_settings

WARM_UP = 10  # calls made before measuring: caches, prepared plans and templates are ready


@dataclass(frozen=True)
class Timing:
    p50_ms: float
    p95_ms: float
    n: int


def timed(calls: Iterable[Callable[[], object]]) -> Timing:
    """Calls each callable once, in order, and gives the median and 95th percentile."""
    durations = []
    for call in calls:
        start = time.perf_counter()
        call()
        durations.append((time.perf_counter() - start) * 1000)
    durations.sort()
    p95 = durations[max(0, int(len(durations) * 0.95) - 1)]
    return Timing(round(statistics.median(durations), 2), round(p95, 2), len(durations))


def client_for(user) -> Client:
    """A client signed in as `user`, asking for the host the settings allow."""
    client = Client(HTTP_HOST=settings.ALLOWED_HOSTS[0])
    client.force_login(user)
    return client


def page_call(client: Client, url: str) -> Callable[[], None]:
    """A call that fetches `url` and fails loudly unless the page is served: a benchmark of
    a redirect or an error page would measure the wrong thing."""

    def call() -> None:
        response = client.get(url)
        if response.status_code != 200:
            raise RuntimeError(f"{url} answered {response.status_code}")

    return call


# Pages are rendered as in production except for static file names: the benchmark does not
# run collectstatic, so it asks for plain names instead of the hashed manifest.
PLAIN_STATIC = {
    **settings.STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}


def pages_timed(calls: list[Callable[[], None]]) -> Timing:
    """The pages' server time, after fetching the first `WARM_UP` of them once."""
    with override_settings(STORAGES=PLAIN_STATIC):
        for call in calls[:WARM_UP]:
            call()
        return timed(calls)
