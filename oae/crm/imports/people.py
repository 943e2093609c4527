"""Deciding and writing a batch of people: the people a batch may match are fetched in a few
queries, new people are inserted together, and each row gets its outcome."""

from dataclasses import dataclass, field
from itertools import chain

from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from oae.common.bulk import insert_rows, random_uuids, reserve_keys, row_defaults
from oae.common.concurrency import EditConflict, save_with_version
from oae.common.text import fold
from oae.crm.access import people_for
from oae.crm.imports.rows import ReadBatch, Rejected, rejection_reasons
from oae.crm.matching import any_similar, similar_names
from oae.crm.models import Person
from oae.crm.namewords import name_words, name_words_add, name_words_replace, words_of
from oae.crm.services import (
    DERIVED_FIELDS,
    PERSON_FIELDS,
    person_derive,
    person_derived,
    person_search_text,
)
from oae.privacy.services import audit_record, audit_record_rows

# Relations are checked when the rows are read; derived fields are computed from the others.
CHECKED_ELSEWHERE = ["office", "municipality", "created_by", "merged_into", *DERIVED_FIELDS]


def _full_name(data: dict) -> str:
    return f"{data['first_name']} {data.get('last_name') or ''}"


@dataclass
class _Known:
    """People the rows could match: from the database (fetched batch by batch) and from
    earlier rows of the whole import, which the database may not show yet (each batch is
    written while the next is decided). Whole records where a row may update them, only names
    where a row may merely resemble them."""

    by_document: dict = field(default_factory=dict)
    by_email: dict = field(default_factory=dict)
    by_phone: dict = field(default_factory=dict)
    records: set = field(default_factory=set)  # keys of the records held
    fresh: list = field(default_factory=list)  # created by the last batch
    names_by_key: dict = field(default_factory=dict)  # of the people this import creates
    stored_names: dict = field(default_factory=dict)  # from the database, this batch's keys
    visible_ids: set = field(default_factory=set)

    def add(self, person) -> None:
        if person.pk is not None:
            self.records.add(person.pk)
        if person.id_number:
            self.by_document[(person.id_type, person.id_number)] = person
        for index, key in ((self.by_email, person.email), (self.by_phone, person.phone)):
            if key:
                index.setdefault(key, []).append(person)

    def add_name(self, key: str, full_name: str) -> None:
        if key:
            self.names_by_key.setdefault(key, []).append(fold(full_name))

    def as_record(self, person):
        """A person this import created, as a record a later row may change (one instance,
        which takes the new person's place)."""
        if not isinstance(person, _NewPerson):
            return person
        record = Person(**person.row)
        self.by_document.pop((person.id_type, person.id_number), None)
        for index, key in ((self.by_email, person.email), (self.by_phone, person.phone)):
            if key:
                index[key].remove(person)
        self.add(record)
        return record

    def existing(self, data: dict):
        if data.get("id_number"):
            return self.by_document.get((data["id_type"], data["id_number"]))
        name = _full_name(data)
        for index, key in ((self.by_email, data.get("email")), (self.by_phone, data.get("phone"))):
            for person in index.get(key, []) if key else []:
                if similar_names(name, person.full_name):
                    return person
        return None

    def probable(self, data: dict) -> bool:
        key = data["name_key"]
        candidates = [
            *(fold(p.full_name) for p in self.by_email.get(data.get("email") or "", [])),
            *(fold(p.full_name) for p in self.by_phone.get(data.get("phone") or "", [])),
            *self.names_by_key.get(key, []),
            *self.stored_names.get(key, []),
        ]
        return any_similar(fold(_full_name(data)), candidates)


def _with_documents(documents: set[tuple[str, str]]) -> Q:
    """By the unique index of (type, number), whose condition (a number) is said outright so
    that PostgreSQL may use it: a few more types and numbers than asked may match, and are
    told apart by the caller."""
    types, numbers = zip(*documents, strict=True)
    return Q(id_type__any=set(types), id_number__any=set(numbers)) & ~Q(id_number="")


def known_people() -> _Known:
    """What an import knows of the people its rows could match, before its first batch."""
    return _Known()


@dataclass
class Registered:
    """What the database holds that a batch's rows could match: read a batch ahead (on a
    connection of its own, where it can), so it may miss what the import wrote meanwhile;
    the import's own knowledge (`_Known`) prevails."""

    found: list = field(default_factory=list)
    stored_names: dict = field(default_factory=dict)
    visible_ids: set = field(default_factory=set)


def _live_people():
    """Every record a row may match, across the network (not merged into another); what a row
    is told of another office's record is asked apart (`people_for`)."""
    return Person.objects.filter(merged_into__isnull=True).order_by()


# Name keys whose names an import keeps once read (about eight names each, in the network of
# the benchmark); beyond, it forgets them and reads again.
NAMES_KEPT = 100_000


def _names_under(keys: set[str], names_read: dict) -> dict[str, list[str]]:
    """The folded names of the people under each key, read once per import: common keys come
    back batch after batch. What the import itself registers under a key it knows apart
    (`_Known.names_by_key`)."""
    if len(names_read) > NAMES_KEPT:
        names_read.clear()
    missing = keys - names_read.keys()
    if missing:
        names_read.update((key, []) for key in missing)
        for key, first, last in (
            _live_people()
            .filter(name_key__any=missing)
            .values_list("name_key", "first_name", "last_name")
        ):
            names_read[key].append(fold(f"{first} {last}"))
    return {key: names_read[key] for key in keys}


def registered_for(batch: ReadBatch, *, job, names_read: dict) -> Registered:
    """A few indexed queries per batch, whatever the size of the network. `names_read` lasts
    the import (`_names_under`)."""
    rows = [data for _offset, data in batch.cleaned]
    documents = {(r["id_type"], r["id_number"]) for r in rows if r.get("id_number")}
    emails = {r["email"] for r in rows if r.get("email")}
    phones = {r["phone"] for r in rows if r.get("phone")}
    records = _live_people().select_related("office")  # a row may be told whose record it is
    found = list(records.filter(_with_documents(documents))) if documents else []
    found += list(records.filter(email__any=emails)) if emails else []
    found += list(records.filter(phone__any=phones)) if phones else []
    registered = Registered(found=list({p.pk: p for p in found}.values()))
    keys = {data["name_key"] for data in rows if data["name_key"]}
    registered.stored_names = _names_under(keys, names_read)
    foreign = [p.pk for p in registered.found if p.office_id != job.office_id]
    if foreign and job.created_by is not None:
        visible = people_for(job.created_by).filter(pk__in=foreign)
        registered.visible_ids = set(visible.values_list("pk", flat=True))
    return registered


def _take(known: _Known, registered: Registered) -> None:
    """A record already held stays as held: an earlier batch may have changed it, or created
    it."""
    # Keyed by now (`bulk.reserve_keys`, or `insert_rows` where a batch is written at once).
    known.records.update(person.pk for person in known.fresh if person.pk is not None)
    for person in registered.found:
        if person.pk not in known.records:
            known.add(person)
    known.stored_names = registered.stored_names
    known.visible_ids |= registered.visible_ids


class _NewPerson:
    """A person a row creates: the columns to insert, and what later rows are compared with."""

    __slots__ = ("row",)

    def __init__(self, row: dict):
        self.row = row

    @property
    def pk(self) -> int | None:
        """Given once its batch is decided (`bulk.reserve_keys`) or inserted."""
        return self.row.get("id")

    def __getattr__(self, name: str):
        try:
            return self.row[name]
        except KeyError:
            raise AttributeError(name) from None

    @property
    def full_name(self) -> str:
        return f"{self.row['first_name']} {self.row['last_name']}".strip()


# The fields whose own validators (length, the form of an e-mail) a row's values must pass
# (documents and phones once normalised; years and towns are checked as they are read).
# Each with its validators but the length's, asked first in one go (`_validated`).
VALIDATED = [
    (model_field, [v for v in model_field.validators if not isinstance(v, MaxLengthValidator)])
    for model_field in map(
        Person._meta.get_field, ("first_name", "last_name", "id_number", "email", "phone")
    )
]


def _row_defaults(office, actor) -> dict:
    """The columns of a new person that a row does not give, the same for a whole batch."""
    now = timezone.now()
    return row_defaults(Person) | {
        "office_id": office.pk,
        "created_by_id": actor.pk if actor is not None else None,
        "created_at": now,
        "updated_at": now,
    }


def _validated(data: dict) -> None:
    for model_field, others in VALIDATED:
        value = data.get(model_field.name)
        if not value:
            continue
        try:
            # The length first, in one go: a value too long goes through all of the field's
            # validators, for their messages; else the others (the e-mail's form).
            if len(value) > model_field.max_length:
                model_field.run_validators(value)
            for validator in others:
                validator(value)
        except ValidationError as error:
            raise Rejected(rejection_reasons(ValidationError({model_field.name: error}))) from error


def _row_values(data: dict) -> dict:
    """The columns a row gives (its town by key)."""
    given = {k: data[k] for k in PERSON_FIELDS if data.get(k) is not None}
    town = given.pop("municipality", None)
    return given | ({"municipality_id": town.pk} if town is not None else {})


def _new_person(data: dict, defaults: dict) -> _NewPerson:
    _validated(data)
    person = _NewPerson(defaults | _row_values(data))  # its public id once the batch is decided
    person.row["search_text"] = person_search_text(person)
    person.row["name_key"] = data["name_key"]  # of the same name and year
    return person


def _fill_in(person: _NewPerson, data: dict, known: _Known) -> tuple[str, str]:
    """A later row of the batch completes or corrects someone an earlier row creates (not
    written yet)."""
    changes = {k: v for k, v in _row_values(data).items() if v != "" and person.row[k] != v}
    if not changes:
        return "unchanged", ""
    _validated(data)
    person.row |= changes
    person.row |= person_derived(person)
    known.add(person)  # found by its new e-mail or phone too
    return "updated", ", ".join(sorted(k.removesuffix("_id") for k in changes))


@dataclass
class _Update:
    """A change a row makes to a registered person, decided, not yet written."""

    offset: int
    person: Person
    fields: list[str]
    names_before: set[str]
    expected_version: int


def _update(existing: Person, data: dict, offset: int) -> _Update | None:
    """Fill in or correct the fields the row changes (in memory). The row was matched by its
    document (or, without one, by e-mail or phone), so it cannot take another person's
    document."""
    changes = {
        k: v
        for k, v in data.items()
        if k in PERSON_FIELDS and v not in (None, "") and getattr(existing, k) != v
    }
    if not changes:
        return None
    names_before, before = words_of(existing), {k: getattr(existing, k) for k in changes}
    for name, value in changes.items():
        setattr(existing, name, value)
    try:
        existing.clean_fields(exclude=CHECKED_ELSEWHERE)
    except ValidationError as error:
        for name, value in before.items():  # later rows meet the record as it is
            setattr(existing, name, value)
        raise Rejected(" ".join(error.messages)) from error
    person_derive(existing)
    update = _Update(offset, existing, sorted(changes), names_before, existing.lock_version)
    existing.lock_version += 1  # as it will be once written: a later row's change follows it
    return update


@dataclass
class Writes:
    """What a batch writes, in its own transaction (possibly while the next batch is being
    decided, and the one before is being written): the people it creates, then, once every
    batch before is written, the words of their names and the changes its rows make."""

    actor: object
    office: object
    created: list[_NewPerson] = field(default_factory=list)
    updates: list[_Update] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.created or self.updates)

    def insert(self) -> None:
        """New rows, which nothing written before can touch."""
        _insert_created(self.created, self.actor, self.office)

    def follow(self, lines: list[dict]) -> None:
        """What may follow from what earlier batches wrote: the counts of the words of
        names, and the changes to people (perhaps created by those batches)."""
        name_words_add(
            chain.from_iterable(name_words(p.first_name, p.last_name) for p in self.created)
        )
        for update in self.updates:
            if not _apply(update, self.actor, self.office):
                lines[update.offset] |= {
                    "outcome": "rejected",
                    "note": _("someone changed this person meanwhile; import the file again"),
                }


def _apply(update: _Update, actor, office) -> bool:
    person, fields = update.person, [*update.fields, *DERIVED_FIELDS]
    try:
        save_with_version(person, expected_version=update.expected_version, fields=fields)
    except EditConflict:
        return False
    name_words_replace(update.names_before, words_of(person))
    audit_record(
        action="crm.person.update",
        actor=actor,
        target=person,
        office=office,
        details={"fields": update.fields, "import": True},
    )
    return True


def import_batch(
    batch: ReadBatch, registered: Registered, *, first_line: int, job, known: _Known
) -> tuple[list[dict], Writes]:
    """Outcomes of one batch of rows read by `rows.row_to_person`, and what it writes. `known`
    lasts the whole import."""
    actor, office = job.created_by, job.office
    _take(known, registered)
    writes, defaults = Writes(actor, office), _row_defaults(office, actor)
    for offset, data in batch.cleaned:
        try:
            batch.outcomes[offset] = _decide(offset, data, known, writes, job, defaults)
        except Rejected as rejected:
            batch.outcomes[offset] = ("rejected", str(rejected))
    _identify(writes.created)
    known.fresh = writes.created
    return batch.lines(first_line), writes


def _identify(created: list[_NewPerson]) -> None:
    """The batch's new people get their public ids, and their keys where the database gives
    them ahead (`bulk.reserve_keys`), all at once."""
    for person, public_id in zip(created, random_uuids(len(created)), strict=True):
        person.row["public_id"] = public_id
    keys = reserve_keys(Person, len(created))
    for person, key in zip(created, keys, strict=True) if keys else ():
        person.row["id"] = key


def _insert_created(created: list[_NewPerson], actor, office) -> None:
    insert_rows(Person, [person.row for person in created])
    audit_record_rows(
        action="crm.person.create",
        actor=actor,
        office=office,
        target_type=Person._meta.label_lower,
        targets=[(str(p.public_id), p.full_name) for p in created],
    )


def _decide(offset, data, known: _Known, writes: Writes, job, defaults) -> tuple[str, str]:
    existing = known.existing(data)
    if existing is None:
        if known.probable(data):
            raise Rejected(
                _("a similar person is already registered; check and register them by hand")
            )
        person = _new_person(data, defaults)
        writes.created.append(person)
        known.add(person)
        known.add_name(data["name_key"], person.full_name)
        return "created", ""
    if existing.pk is None:  # created by an earlier row of this batch
        return _fill_in(existing, data, known)
    existing = known.as_record(existing)
    if existing.office_id != job.office_id:
        if existing.pk not in known.visible_ids:
            raise Rejected(
                _("already registered by another office, which has not been allowed to share it")
            )
        return "unchanged", _("registered by %(office)s") % {"office": existing.office}
    update = _update(existing, data, offset)
    if update is None:
        return "unchanged", ""
    writes.updates.append(update)
    known.add(existing)  # found again by its new e-mail or phone
    return "updated", ", ".join(update.fields)
