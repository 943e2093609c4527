"""Benchmarks of the joint database (contract: BENCH.md of the project's brief).

crm.search: 200 fixed queries of different kinds, as an advisor, through the real selector;
baseline: the same queries the naive way (icontains on every field), same scoping.
crm.import: a generated CSV with validation and duplicate checks, through the real import."""

import random
import time
from string import ascii_lowercase

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.db.models import Max, Min, Q

from oae.common.bulk import refresh_statistics
from oae.common.pagination import lookahead_page
from oae.crm.access import people_for
from oae.crm.imports import jobs
from oae.crm.models import ImportJob, NameWord, Person
from oae.crm.namewords import name_words_rebuild
from oae.crm.selectors import PeopleFilters, people_page
from oae.devdata.bench.timing import timed
from oae.devdata.scale.people import NAMES, dni
from oae.privacy.models import AuditEvent

SCALES = {
    "small": {"people": 20_000, "companies": 6_000, "import_rows": 2_000},
    "reference": {"people": 1_000_000, "companies": 300_000, "import_rows": 100_000},
}


def sampled_person_keys(count: int, rng: random.Random) -> list[int]:
    """`count` keys drawn between the lowest and the highest person's (the same ones every run
    on the same data; a database's keys need not start at 1); some may be gone."""
    bounds = Person.objects.aggregate(low=Min("pk"), high=Max("pk"))
    keys = range(bounds["low"] or 0, (bounds["high"] or -1) + 1)
    return rng.sample(keys, min(count, len(keys)))


def search_queries(count: int = 200, seed: int = 11) -> list[tuple[str, str]]:
    """(kind, query): surnames, full names, prefixes, documents, e-mails, phones and typos of
    real rows."""
    rng = random.Random(seed)  # noqa: S311 - benchmark sampling
    picked = sampled_person_keys(count * 2, rng)
    sample = list(
        Person.objects.filter(pk__in=picked, anonymised_at__isnull=True)
        .order_by("pk")
        .values("first_name", "last_name", "id_number", "email", "phone")
    )
    rng.shuffle(sample)
    makers = [
        ("surname", lambda p: p["last_name"].split()[0]),
        ("full_name", lambda p: f"{p['first_name']} {p['last_name'].split()[0]}"),
        ("prefix", lambda p: p["last_name"][:4]),
        ("document", lambda p: p["id_number"] or p["email"]),
        ("email", lambda p: p["email"]),
        ("phone", lambda p: p["phone"].replace(" ", "")[-9:]),
        # a typo: a letter dropped
        ("typo", lambda p: p["last_name"].split()[0][:-2] + p["last_name"].split()[0][-1:]),
    ]
    return [
        (makers[i % len(makers)][0], makers[i % len(makers)][1](sample[i % len(sample)]))
        for i in range(count)
    ]


def naive_search(user, query: str):
    people = people_for(user)
    return people.filter(
        Q(first_name__icontains=query)
        | Q(last_name__icontains=query)
        | Q(email__icontains=query)
        | Q(phone__icontains=query)
        | Q(id_number__icontains=query)
    )


def bench_search(user, queries: list[tuple[str, str]]) -> dict:
    """Each query as the people list runs it: the first page, and whether more follow."""

    def real(query):
        filters = PeopleFilters(search=query)
        return lambda: people_page(user=user, filters=filters, number=1, per_page=25)

    def naive(query):
        return lambda: lookahead_page(naive_search(user, query), 1, 25)

    # As autovacuum leaves the table some time after an earlier run's import (migration 0017).
    refresh_statistics([Person])
    texts = [query for _kind, query in queries]
    for query in texts[:10]:  # warm-up
        real(query)()
    measured, baseline = timed(map(real, texts)), timed(map(naive, texts))
    by_kind = {}
    for kind in dict.fromkeys(kind for kind, _query in queries):
        timing = timed(real(query) for k, query in queries if k == kind)
        by_kind[kind] = {"p50_ms": timing.p50_ms, "p95_ms": timing.p95_ms}
    return {
        "bench": "crm.search",
        "n": measured.n,
        "p50_ms": measured.p50_ms,
        "p95_ms": measured.p95_ms,
        "baseline": "naive_icontains",
        "baseline_p50_ms": baseline.p50_ms,
        "baseline_p95_ms": baseline.p95_ms,
        "by_kind": by_kind,
    }


def import_csv(rows: int, seed: int = 5) -> bytes:
    """New people plus a tenth that already exist (so duplicate checks do real work)."""
    existing = list(
        Person.objects.exclude(id_number="").values_list(
            "first_name", "last_name", "id_number", "email"
        )[: rows // 10]
    )
    lines = ["Nom;Cognoms;DNI;Correu;Telèfon;Any naixement"]
    # Each run imports people no earlier run has imported (one import job per run).
    offset = ImportJob.objects.count() * 100_000 % 9_000_000
    rng = random.Random(seed + offset)  # noqa: S311
    for index in range(offset, offset + rows - len(existing)):
        number = 90_000_000 + index
        # A unique second surname: the file is of new people, and the same name and year as
        # someone registered would rightly make a row a probable duplicate.
        unique = "".join(rng.choices(ascii_lowercase, k=8)).capitalize()
        first, last = NAMES.given_name(rng), f"{NAMES.surname(rng)} {unique}"
        lines.append(
            f"{first};{last};{dni(number)};bench{index}@example.net;"
            f"71{index % 10_000_000:07d};{rng.randint(1950, 2005)}"
        )
    lines += [f"{f};{last};{doc};{email};;" for f, last, doc, email in existing]
    return ("\n".join(lines) + "\n").encode()


def bench_import(user, office, rows: int) -> dict:
    # As autovacuum leaves the tables an import writes to, some time after an earlier run.
    refresh_statistics([Person, NameWord, AuditEvent])
    data = import_csv(rows)
    job = jobs.import_job_create(
        actor=user, office=office, upload=SimpleUploadedFile("bench.csv", data)
    )
    start = time.perf_counter()
    jobs.import_job_run(job_id=job.pk, dry_run=False)
    seconds = time.perf_counter() - start
    job.refresh_from_db()
    forget_imported(user)
    return {
        "bench": "crm.import",
        "rows": rows,
        "rows_per_s": round(rows / seconds, 1),
        "seconds": round(seconds, 1),
        "outcomes": job.counts,
    }


@transaction.atomic
def forget_imported(user) -> int:
    """Once measured, the people the benchmark's imports created go again (with their audit
    rows and name words), so that every run finds the network at its scale."""
    AuditEvent.objects.filter(actor=user, target_type="crm.person").delete()
    with connection.cursor() as cursor:  # outright: nothing else refers to them
        cursor.execute("DELETE FROM crm_person WHERE created_by_id = %s", [user.pk])
        deleted = cursor.rowcount
        if connection.vendor == "postgresql":
            # A text index keeps the pages its deleted entries took (the trigrams of e-mails
            # are in every record): run after run, searches would read ever more of it.
            cursor.execute("REINDEX INDEX crm_person_search_trgm")
    NameWord.objects.all().delete()
    name_words_rebuild()
    return deleted
