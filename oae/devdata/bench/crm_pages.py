"""Benchmarks of the joint database's pages, through the real URLs, views and templates:
crm.people_list, crm.person_page and crm.company_page.

Each page is measured twice in the same run: as the views work now (who may see a person is
asked of the database, in the page's own queries) and, as the baseline, the old way, where
the key of every person the user may see (or merge) was read into Python and the page's rows
were kept if their key was in that set. The old way is written here, and swapped in for the
crm selector the page reads through while the baseline is measured."""

import random
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from unittest import mock
from urllib.parse import urlencode

from django.urls import reverse

from oae.common.pagination import LookaheadPage
from oae.crm import selectors
from oae.crm.access import people_for
from oae.crm.models import Company, Person, PersonCompany
from oae.crm.selectors import PeopleFilters, people_page
from oae.crm.services import probable_duplicates_of
from oae.devdata.bench.crm import sampled_person_keys, search_queries
from oae.devdata.bench.timing import client_for, page_call, pages_timed
from oae.scoping import Action

PAGES = 200  # pages fetched per figure, after the warm-up
TARGET_P95_MS = 100
NAME_SEARCHES = ("surname", "full_name", "prefix")


# The old way ---------------------------------------------------------------------------------


def visible_ids(user, action: Action = Action.VIEW_PEOPLE) -> set[int]:
    """The key of every person the user may `action`, read into Python (the old way)."""
    return set(people_for(user, action).values_list("pk", flat=True))


def old_people_page(*, user, filters: PeopleFilters, number, per_page: int) -> LookaheadPage:
    """The list's page, its rows kept if they are in the set of visible keys."""
    visible = visible_ids(user)
    page = people_page(user=user, filters=filters, number=number, per_page=per_page)
    page.object_list = [person for person in page.object_list if person.pk in visible]
    return page


def old_merge_candidates(*, user, person: Person) -> list[Person]:
    """Probable duplicates of `person`, kept if they are in the set of keys of everyone the
    user may merge (as the person page read them before)."""
    mergeable = visible_ids(user, Action.MERGE_PEOPLE)
    if person.pk not in mergeable:
        return []
    found = probable_duplicates_of(person)
    return [p for p in found if p.pk in mergeable and p.merged_into_id is None]


def old_company_person_links(*, user, company: Company) -> list[PersonCompany]:
    """All the company's links, kept if their person is in the set of visible keys."""
    visible = visible_ids(user)
    links = company.person_links.select_related("person")
    return [link for link in links if link.person_id in visible]


# Each page's figure name: the crm selector its view reads through, and the old way of it.
OLD_WAYS: dict[str, tuple[str, Callable]] = {
    "crm.people_list": ("people_page", old_people_page),
    "crm.person_page": ("merge_candidates", old_merge_candidates),
    "crm.company_page": ("company_person_links", old_company_person_links),
}


@contextmanager
def the_old_way(bench: str) -> Iterator[list]:
    """While the block runs, the selector named for `bench` in `OLD_WAYS` is the old way.
    Gives the list of its calls; after the block, fails unless the pages asked for it: a
    view that stopped reading through it would make the baseline measure nothing old."""
    name, old = OLD_WAYS[bench]
    calls: list = []

    def counted(**kwargs):
        calls.append(kwargs)
        return old(**kwargs)

    with mock.patch.object(selectors, name, counted):
        yield calls
    if not calls:
        raise RuntimeError(f"{bench}: the page never called crm.selectors.{name}")


# The pages -------------------------------------------------------------------------------------


def people_list_urls(count: int = PAGES, seed: int = 29) -> list[str]:
    """The list as advisors open it, in a fixed order: mostly the first page with the
    default filters, some next pages, their own offices' people only, and searches of
    surnames and full names of real rows."""
    base = reverse("crm:people")
    searches = [query for kind, query in search_queries(count, seed) if kind in NAME_SEARCHES]
    slots = [base, base, base, base, f"{base}?page=2", f"{base}?page=3", f"{base}?mine=1"]
    urls = []
    for n in range(count):
        slot = n % 10  # seven slots of ten are plain pages, three are searches
        if slot < len(slots) or not searches:
            urls.append(slots[slot % len(slots)])
        else:
            urls.append(f"{base}?{urlencode({'search': searches[n % len(searches)]})}")
    return urls


def person_page_urls(user, count: int = PAGES, seed: int = 31) -> list[str]:
    """Pages of `count` different people the user may see (their own offices' and those
    shared with the network), drawn from the same rows every run."""
    rng = random.Random(seed)  # noqa: S311 - sampling
    picks = sampled_person_keys(count * 10, rng)
    visible = people_for(user).filter(pk__in=picks, anonymised_at__isnull=True)
    public_ids = list(visible.order_by("pk").values_list("public_id", flat=True)[:count])
    rng.shuffle(public_ids)
    return [reverse("crm:person_detail", args=[public_id]) for public_id in public_ids]


def company_page_urls(count: int = PAGES, seed: int = 37) -> list[str]:
    """Pages of `count` different companies that have linked people."""
    rng = random.Random(seed)  # noqa: S311 - sampling
    linked = PersonCompany.objects.order_by("company_id").values_list("company_id", flat=True)
    keys = sorted(set(linked))
    picks = rng.sample(keys, min(count, len(keys)))
    public_ids = list(
        Company.objects.filter(pk__in=picks).order_by("pk").values_list("public_id", flat=True)
    )
    rng.shuffle(public_ids)
    return [reverse("crm:company_detail", args=[public_id]) for public_id in public_ids]


def bench_page(
    bench: str, user, persona: str, urls: list[str], action: Action = Action.VIEW_PEOPLE
) -> dict:
    """Server time of `urls` fetched as `user`, now and the old way. `visible_people`: how
    many keys the old way read on every page (the people the user may `action`)."""
    client = client_for(user)
    calls = [page_call(client, url) for url in urls]
    measured = pages_timed(calls)
    with the_old_way(bench):
        baseline = pages_timed(calls)
    return {
        "bench": bench,
        "n": measured.n,
        "p50_ms": measured.p50_ms,
        "p95_ms": measured.p95_ms,
        "target_p95_ms": TARGET_P95_MS,
        "baseline": "visible_id_set",
        "baseline_p50_ms": baseline.p50_ms,
        "baseline_p95_ms": baseline.p95_ms,
        "persona": persona,
        "visible_people": people_for(user, action).count(),
    }


def bench_people_list(advisor, pages: int = PAGES) -> dict:
    return bench_page("crm.people_list", advisor, "advisor", people_list_urls(pages))


def bench_person_page(manager, pages: int = PAGES) -> dict:
    """As a manager of the office: only those who may merge are shown merge candidates, so
    only for them did the old way read the set of everyone they may merge."""
    urls = person_page_urls(manager, pages)
    return bench_page("crm.person_page", manager, "manager", urls, Action.MERGE_PEOPLE)


def bench_company_page(advisor, pages: int = PAGES) -> dict:
    return bench_page("crm.company_page", advisor, "advisor", company_page_urls(pages))
