"""Realistic generated data at any size, for the demo and for benchmarks.

Names, documents, e-mails and phones are made up but valid (DNI letters computed, Spanish
mobile numbers), spread over the network's municipalities (one in twenty people elsewhere in
Spain) and offices. PostgreSQL gets COPY; other databases bulk inserts."""

import datetime
import random
import uuid
from collections import Counter

from django.db import connection, transaction
from django.utils import timezone

from oae.common import bulk
from oae.common.bulk import copy_rows
from oae.common.text import fold
from oae.crm.matching import name_key
from oae.crm.models import Company, ConsentEvent, Person, PersonCompany, Purpose, Relation
from oae.crm.namewords import name_words, name_words_add
from oae.devdata.scale.names import NameSampler
from oae.network.models import Municipality, Office
from oae.reference.models import SpanishMunicipality

TRADES = [
    "Disseny",
    "Fusteria",
    "Cafeteria",
    "Consultoria",
    "Bugaderia",
    "Forn",
    "Taller",
    "Estudi",
    "Botiga",
    "Serveis",
    "Logística",
    "Clínica",
    "Acadèmia",
    "Gestoria",
]
_LETTERS = "TRWAGMYFPDXBNJZSQVHLCKE"
_CIF_LETTERS = "JABCDEFGHI"


def dni(number: int) -> str:
    return f"{number:08d}{_LETTERS[number % 23]}"


def cif(number: int) -> str:
    digits = f"{number:07d}"
    even = sum(int(d) for d in digits[1::2])
    odd = sum(sum(divmod(int(d) * 2, 10)) for d in digits[0::2])
    control = (10 - (even + odd) % 10) % 10
    return f"B{digits}{control}"


NAMES = NameSampler()


def _birth_date(index: int, birth_year: int) -> datetime.date | None:
    """Every other person's full date of birth (the others give the year only); from the
    index, so the random draws, and the names they give, stay as they were."""
    if index % 2:
        return None
    return datetime.date(birth_year, 1 + index % 12, 1 + index % 28)


def _person_row(
    index: int, rng: random.Random, offices, towns, taken=frozenset(), elsewhere=()
) -> dict:
    first, last = NAMES.given_name(rng), NAMES.surnames(rng)
    number = 10_000_000 + index * 7 % 89_000_000  # 7 and 89,000,000 are coprime: unique
    email = f"{fold(first)}.{fold(last.split()[0])}{index}@example.org".replace(" ", "")
    phone = (
        f"+34 6{index % 100:02d} {index // 100 % 100:02d} {index // 10_000 % 100:02d} "
        f"{index // 1_000_000 % 100:02d}"
    )
    has_document = rng.random() < 0.8 and dni(number) not in taken
    birth_year = rng.randint(1950, 2005)
    row = {
        "public_id": uuid.uuid4(),
        "office_id": rng.choice(offices),
        "first_name": first,
        "last_name": last,
        "id_type": "dni" if has_document else "",
        "id_number": dni(number) if has_document else "",
        "email": email,
        "phone": phone,
        "birth_year": birth_year,
        "birth_date": _birth_date(index, birth_year),
        "gender": rng.choice(["female", "male", "female", "male", "unsaid", ""]),
        "municipality_id": rng.choice(towns),
        "other_municipality_id": None,
        "language": rng.choice(["ca", "es"]),
        "employment": "",
        "heard_from": "",
        "shares_with_network": False,
        "name_key": name_key(first, last, birth_year),
        "search_text": fold(
            f"{first} {last} {dni(number) if has_document else ''} {email} "
            f"{phone.replace(' ', '').lstrip('+')} "
            f"{phone.replace(' ', '')[-9:]}"
        ),
    }
    if elsewhere and index % 20 == 7:  # one in twenty lives outside the network's towns
        row["municipality_id"] = None
        row["other_municipality_id"] = elsewhere[index % len(elsewhere)]
    return row


@transaction.atomic
def generate_people(*, count: int, seed: int = 42, start: int = 0) -> int:
    rng = random.Random(seed + start)  # noqa: S311 - made-up data, not security
    offices = list(Office.objects.values_list("pk", flat=True))
    towns = list(Municipality.objects.values_list("pk", flat=True))
    elsewhere = list(
        SpanishMunicipality.objects.filter(network_municipality__isnull=True).values_list(
            "pk", flat=True
        )
    )
    taken = frozenset(Person.objects.exclude(id_number="").values_list("id_number", flat=True))
    words: Counter = Counter()

    def new_row(index: int) -> dict:
        values = _person_row(index, rng, offices, towns, taken, elsewhere)
        words.update(name_words(values["first_name"], values["last_name"]))
        return values

    rows = (new_row(start + i) for i in range(count))
    extra = {"lock_version": 1}
    if connection.vendor == "postgresql":
        now = timezone.now()
        sample = _person_row(0, random.Random(0), offices, towns)  # noqa: S311
        columns = [
            *sample,
            "lock_version",
            "created_at",
            "updated_at",
        ]
        stamps = extra | {"created_at": now, "updated_at": now}
        copy_rows(Person, columns, ([*r.values(), *stamps.values()] for r in rows))
    else:
        batch = []
        for row in rows:
            batch.append(Person(**row))
            if len(batch) == 5000:
                Person.objects.bulk_create(batch)
                batch = []
        Person.objects.bulk_create(batch)
    name_words_add(words)
    return count


@transaction.atomic
def generate_sharing_consents(*, after_pk: int, share_ratio: float = 0.3, seed: int = 42) -> int:
    """Give network-sharing consent to a share of the people created after `after_pk`."""
    rng = random.Random(seed)  # noqa: S311
    people = Person.objects.filter(pk__gt=after_pk).values_list("pk", "office_id")
    events = [
        ConsentEvent(
            person_id=pk,
            purpose=Purpose.NETWORK_SHARING,
            action=ConsentEvent.Action.GIVEN,
            lawful_basis="consent",
            notice_version="2026-01",
            office_id=office_id,
        )
        for pk, office_id in people.iterator()
        if rng.random() < share_ratio
    ]
    ConsentEvent.objects.bulk_create(events, batch_size=5000)
    shared = [event.person_id for event in events]
    for start in range(0, len(shared), 10_000):
        Person.objects.filter(pk__in=shared[start : start + 10_000]).update(
            shares_with_network=True
        )
    return len(events)


@transaction.atomic
def generate_companies(*, count: int, seed: int = 7) -> int:
    start = Company.objects.count()
    rng = random.Random(seed + start)  # noqa: S311
    offices = list(Office.objects.values_list("pk", flat=True))
    towns = list(Municipality.objects.values_list("pk", flat=True))
    companies = []
    taken = set(Company.objects.exclude(tax_id="").values_list("tax_id", flat=True))
    for index in range(start, start + count):
        name = f"{rng.choice(TRADES)} {NAMES.surname(rng)} {index} SL"
        tax_id = cif(1_000_000 + index)
        tax_id = "" if tax_id in taken else tax_id
        companies.append(
            Company(
                office_id=rng.choice(offices),
                legal_name=name,
                tax_id=tax_id,
                legal_form=rng.choice(["limited", "self_employed", "cooperative", "limited"]),
                stage=rng.choice(["idea", "in_creation", "active", "active"]),
                employees=rng.randint(0, 40),
                municipality_id=rng.choice(towns),
                search_text=fold(f"{name} {tax_id}"),
            )
        )
    Company.objects.bulk_create(companies, batch_size=5000)
    return count


@transaction.atomic
def generate_company_links(*, share: float = 1 / 3, most: int = 4, seed: int = 23) -> int:
    """Link a `share` of the companies to one to `most` people each, drawn among all the
    people, so that a company's page lists people of several offices (some of them not
    visible to a given advisor)."""
    rng = random.Random(seed)  # noqa: S311
    people = list(
        Person.objects.filter(merged_into__isnull=True, anonymised_at__isnull=True)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    links = []
    for company in Company.objects.order_by("pk").values_list("pk", flat=True).iterator():
        if not people or rng.random() >= share:
            continue
        for person in rng.sample(people, min(rng.randint(1, most), len(people))):
            relation = rng.choice(Relation.values)
            links.append(PersonCompany(person_id=person, company_id=company, relation=relation))
    PersonCompany.objects.bulk_create(links, batch_size=5000)
    return len(links)


def refresh_statistics() -> None:
    bulk.refresh_statistics([Person, Company, ConsentEvent])
