"""One batch of an import, decided in memory: the people the batch may match are fetched in a
few queries, new people are inserted together, and each row gets its outcome."""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models.functions import Substr
from django.utils.translation import gettext as _

from oae.crm.models import Person
from oae.crm.services import (
    PERSON_FIELDS,
    _person_search_text,
    _Rejected,
    _row_to_data,
    _similar,
    person_clean,
    person_update,
)
from oae.privacy.services import audit_record_many


def _prefix(last_name: str) -> str:
    return (last_name or "")[:3]


@dataclass
class _Known:
    """People the batch's rows could match, from the database and from earlier rows."""

    by_document: dict = field(default_factory=dict)
    by_email: dict = field(default_factory=dict)
    by_phone: dict = field(default_factory=dict)
    by_year_prefix: dict = field(default_factory=dict)

    def add(self, person: Person) -> None:
        if person.id_number:
            self.by_document[(person.id_type, person.id_number)] = person
        for index, key in ((self.by_email, person.email), (self.by_phone, person.phone)):
            if key:
                index.setdefault(key, []).append(person)
        if person.birth_year and person.last_name:
            self.by_year_prefix.setdefault(
                (person.birth_year, _prefix(person.last_name)), []
            ).append(person)

    def existing(self, data: dict) -> Person | None:
        if data.get("id_number"):
            return self.by_document.get((data["id_type"], data["id_number"]))
        name = f"{data['first_name']} {data['last_name']}"
        for index, key in ((self.by_email, data.get("email")), (self.by_phone, data.get("phone"))):
            for person in index.get(key, []) if key else []:
                if _similar(name, person.full_name):
                    return person
        return None

    def probable(self, data: dict) -> bool:
        name = f"{data['first_name']} {data['last_name']}"
        candidates = [
            *self.by_email.get(data.get("email") or "", []),
            *self.by_phone.get(data.get("phone") or "", []),
            *self.by_year_prefix.get((data.get("birth_year"), _prefix(data.get("last_name"))), []),
        ]
        return any(_similar(name, person.full_name) for person in candidates)


def _load_known(rows: list[dict]) -> _Known:
    known = _Known()
    documents = {r["id_number"] for r in rows if r.get("id_number")}
    emails = {r["email"] for r in rows if r.get("email")}
    phones = {r["phone"] for r in rows if r.get("phone")}
    pairs = {
        (r["birth_year"], _prefix(r["last_name"]))
        for r in rows
        if r.get("birth_year") and r.get("last_name")
    }
    live = Person.objects.filter(merged_into__isnull=True)
    found = list(live.filter(id_number__in=documents)) if documents else []
    found += list(live.filter(email__in=emails)) if emails else []
    found += list(live.filter(phone__in=phones)) if phones else []
    if pairs:
        found += list(
            live.filter(birth_year__in={y for y, _p in pairs})
            .annotate(prefix=Substr("last_name", 1, 3))
            .filter(prefix__in={p for _y, p in pairs})
        )
    for person in {p.pk: p for p in found}.values():
        known.add(person)
    return known


def _clean(row: list[str], mapping: dict, towns: dict) -> dict:
    data = _row_to_data(row, mapping, towns)
    try:
        return person_clean(data)
    except ValidationError as error:
        raise _Rejected(
            "; ".join(
                f"{name}: {' '.join(messages)}" for name, messages in error.message_dict.items()
            )
        ) from error


def _new_person(data: dict, office, actor) -> Person:
    person = Person(
        office=office, created_by=actor, **{k: data.get(k) for k in PERSON_FIELDS if k in data}
    )
    if person.language is None:
        person.language = "ca"
    for name in (
        "last_name",
        "id_type",
        "id_number",
        "email",
        "phone",
        "gender",
        "employment",
        "heard_from",
    ):
        if getattr(person, name) is None:
            setattr(person, name, "")
    try:
        person.clean_fields(
            exclude=["office", "municipality", "created_by", "search_text", "merged_into"]
        )
    except ValidationError as error:
        raise _Rejected(" ".join(error.messages)) from error
    person.search_text = _person_search_text(person)
    return person


def _update(actor, existing: Person, data: dict) -> str:
    changes = {
        k: v
        for k, v in data.items()
        if k in PERSON_FIELDS and v not in (None, "") and getattr(existing, k) != v
    }
    if not changes:
        return ""
    current = {name: getattr(existing, name) for name in PERSON_FIELDS}
    try:
        with transaction.atomic():
            person_update(
                actor=actor,
                person=existing,
                data=current | changes,
                expected_version=existing.lock_version,
            )
    except ValidationError as error:
        raise _Rejected(" ".join(error.messages)) from error
    return ", ".join(sorted(changes))


def import_batch(
    *, rows: list[list[str]], first_line: int, job, towns: dict, visible_ids: set[int]
) -> list[dict]:
    """Outcomes of one batch (run inside the caller's transaction)."""
    actor, office = job.created_by, job.office
    cleaned, outcomes = [], {}
    for offset, row in enumerate(rows):
        try:
            cleaned.append((offset, _clean(row, job.mapping, towns)))
        except _Rejected as rejected:
            outcomes[offset] = ("rejected", str(rejected))
    known = _load_known([data for _offset, data in cleaned])
    created = []
    for offset, data in cleaned:
        try:
            outcomes[offset] = _decide(data, known, created, actor, office, visible_ids)
        except _Rejected as rejected:
            outcomes[offset] = ("rejected", str(rejected))
    Person.objects.bulk_create(created)
    audit_record_many(action="crm.person.create", actor=actor, targets=created, office=office)
    return [
        {"line": first_line + offset, "outcome": outcomes[offset][0], "note": outcomes[offset][1]}
        for offset in range(len(rows))
    ]


def _decide(data, known: _Known, created: list, actor, office, visible_ids) -> tuple[str, str]:
    existing = known.existing(data)
    if existing is None:
        if known.probable(data):
            raise _Rejected(
                _("a similar person is already registered; check and register them by hand")
            )
        person = _new_person(data, office, actor)
        created.append(person)
        known.add(person)
        return "created", ""
    if existing.pk is None:  # created by an earlier row of this batch
        return "unchanged", ""
    if existing.office_id != office.pk:
        if existing.pk not in visible_ids:
            raise _Rejected(
                _("already registered by another office, which has not been allowed to share it")
            )
        return "unchanged", _("registered by %(office)s") % {"office": existing.office}
    note = _update(actor, existing, data)
    return ("updated", note) if note else ("unchanged", "")
