"""Deciding and writing a batch of people: the people a batch may match are fetched in a few
queries, new people are inserted together, and each row gets its outcome."""

from dataclasses import dataclass, field
from itertools import chain

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, MaxLengthValidator
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from oae.common.bulk import insert_rows, random_uuids, reserve_keys, row_defaults
from oae.common.concurrency import EditConflict, save_with_version
from oae.common.text import fold
from oae.crm.access import people_for
from oae.crm.imports.companies import link_companies
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

    def add_name(self, key: str, person: "_NewPerson") -> None:
        if key:
            entry = (fold(person.full_name), _Similar.of(person))
            self.names_by_key.setdefault(key, []).append(entry)

    def as_record(self, person):
        """A person this import created, as a record a later row may change (one instance,
        which takes the new person's place)."""
        if not isinstance(person, _NewPerson):
            return person
        record = Person(**person.row)
        record.first_line = person.first_line
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

    def probable(self, data: dict):
        """Someone of a similar name with the row's e-mail or phone, or under its name key (of
        this file, or registered): the first found, as `_Similar`; else None."""
        name = fold(_full_name(data))
        for person in [
            *self.by_email.get(data.get("email") or "", []),
            *self.by_phone.get(data.get("phone") or "", []),
        ]:
            if any_similar(name, [fold(person.full_name)]):
                return _Similar.of(person)
        key = data["name_key"]
        for folded, similar in self.names_by_key.get(key, []):
            if any_similar(name, [folded]):
                return similar
        if any_similar(name, self.stored_names.get(key, [])):
            return _registered_similar(key, name)
        return None


@dataclass(frozen=True)
class _Similar:
    """Whom a row resembles, as its rejection names them: a person registered (their
    office, and their page where the importer may see it) or an earlier row of the file."""

    full_name: str
    office: str = ""
    public_id: str = ""
    office_id: int | None = None
    pk: int | None = None
    line: int | None = None

    @classmethod
    def of(cls, person) -> "_Similar":
        if isinstance(person, _NewPerson):
            return cls(person.full_name, line=person.first_line)
        return cls(
            person.full_name,
            str(person.office),
            str(person.public_id),
            person.office_id,
            person.pk,
        )


def _registered_similar(key: str, name: str) -> "_Similar | None":
    """The registered person under `key` whose name is like `name` (rare: a row rejected)."""
    for person in _live_people().filter(name_key=key).select_related("office")[:50]:
        if any_similar(name, [fold(person.full_name)]):
            return _Similar.of(person)
    return None


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

    __slots__ = ("row", "first_line")

    def __init__(self, row: dict, first_line: int):
        self.row = row
        self.first_line = first_line  # the file's row that created them

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


# The fields whose own validators (their lengths) a row's values must pass (documents and
# phones once normalised; years, towns and the form of an e-mail are checked as they are
# read). Each with its validators but the length's, asked first in one go (`_validated`).
READ_CHECKED = (MaxLengthValidator, EmailValidator)
VALIDATED = [
    (model_field, [v for v in model_field.validators if not isinstance(v, READ_CHECKED)])
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


RESIDENCE = ("municipality_id", "other_municipality_id")


def _row_values(data: dict) -> dict:
    """The columns a row gives (its towns by key: one residence, the other field cleared)."""
    given = {k: data[k] for k in PERSON_FIELDS if data.get(k) not in (None, "")}
    towns = {
        f"{k}_id": given.pop(k).pk for k in ("municipality", "other_municipality") if k in given
    }
    if towns:
        given |= dict.fromkeys(RESIDENCE) | towns
    return given


def _current(person) -> dict:
    """The person's columns as a row gives them (`_row_values`)."""
    if isinstance(person, _NewPerson):
        return person.row
    return {
        Person._meta.get_field(k).attname: getattr(person, Person._meta.get_field(k).attname)
        for k in PERSON_FIELDS
    }


def _differences(current: dict, given: dict) -> tuple[dict, dict]:
    """What a row would change of a person: blanks it fills, and conflicts (a value the
    person has, that the row gives otherwise). The residence is one value of two columns."""
    blanks, conflicts = {}, {}
    for name, value in given.items():
        if name in RESIDENCE:
            continue
        if current.get(name) in (None, ""):
            blanks[name] = value
        elif current[name] != value:
            conflicts[name] = value
    if RESIDENCE[0] in given:
        new = {name: given[name] for name in RESIDENCE}
        old = {name: current.get(name) for name in RESIDENCE}
        if not any(old.values()):
            blanks |= new
        elif old != new:
            conflicts |= new
    return blanks, conflicts


def _new_person(data: dict, defaults: dict, line: int) -> _NewPerson:
    _validated(data)
    person = _NewPerson(defaults | _row_values(data), line)  # public id once decided
    person.row["search_text"] = person_search_text(person)
    person.row["name_key"] = data["name_key"]  # of the same name and year
    return person


def _given(data: dict) -> dict:
    """What a row says of someone already known (the language is only a new person's
    default, not something the file says)."""
    return {k: v for k, v in _row_values(data).items() if k != "language"}


def _shown(name: str, value) -> str:
    """A column's value as a report shows it (a town by its name)."""
    if value in (None, ""):
        return "—"
    if name in RESIDENCE:
        return str(
            Person._meta.get_field(name.removesuffix("_id")).remote_field.model.objects.get(
                pk=value
            )
        )
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def _label(name: str) -> str:
    if name in RESIDENCE:
        return str(Person._meta.get_field("municipality").verbose_name)
    return str(Person._meta.get_field(name.removesuffix("_id")).verbose_name)


def _change_lines(current: dict, changes: dict) -> list[list[str]]:
    """[field, old, new] of each change, as the report lists them."""
    shown = {}
    for name, value in changes.items():
        if name in RESIDENCE and value is None:
            continue  # the other half of a residence, cleared
        shown[_label(name)] = [
            _label(name),
            _shown(name, _residence(current) if name in RESIDENCE else current.get(name)),
            _shown(name, value),
        ]
    return list(shown.values())


def _residence(current: dict):
    return current.get(RESIDENCE[0]) or current.get(RESIDENCE[1])


def _conflict_warnings(current: dict, conflicts: dict, *, earlier: int | None) -> list[str]:
    """Why a row's values were not taken: they differ from an earlier row of the file, or
    from what is registered (the file wins only when the user chose so)."""
    messages = []
    for label, old, new in _change_lines(current, conflicts):
        if earlier is not None:
            messages.append(
                _("%(field)s: “%(new)s” differs from row %(row)s (“%(old)s”), which was kept")
                % {"field": label, "new": new, "old": old, "row": earlier}
            )
        else:
            messages.append(
                _(
                    "%(field)s: the file says “%(new)s” but “%(old)s” is registered, which was "
                    "kept (choose “the file wins” to replace it)"
                )
                % {"field": label, "new": new, "old": old}
            )
    return messages


def _fill_in(person: _NewPerson, changes: dict, known: _Known) -> None:
    """A later row of the batch completes someone an earlier row creates (not written
    yet)."""
    person.row |= changes
    person.row |= person_derived(person)
    known.add(person)  # found by its new e-mail or phone too


@dataclass
class _Update:
    """A change a row makes to a registered person, decided, not yet written."""

    offset: int
    person: Person
    fields: list[str]
    names_before: set[str]
    expected_version: int


def _update(existing: Person, changes: dict, offset: int) -> _Update:
    """Set the columns a row changes (in memory), checked as the form checks them. The row
    was matched by its document (or, without one, by e-mail or phone), so it cannot take
    another person's document."""
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
    fields = sorted({k.removesuffix("_id") for k in changes})
    update = _Update(offset, existing, fields, names_before, existing.lock_version)
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
    links: list[tuple[object, dict]] = field(default_factory=list)  # (person, their company)

    def __bool__(self) -> bool:
        return bool(self.created or self.updates or self.links)

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
        link_companies(self.links, actor=self.actor, office=self.office)


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
    batch: ReadBatch, registered: Registered, *, job, known: _Known
) -> tuple[list[dict], Writes]:
    """Outcomes of one batch of rows read by `rows.row_to_person`, and what it writes. `known`
    lasts the whole import."""
    actor, office = job.created_by, job.office
    _take(known, registered)
    writes, defaults = Writes(actor, office), _row_defaults(office, actor)
    for offset, data in batch.cleaned:
        try:
            batch.outcomes[offset] = _decide(offset, data, known, writes, job, defaults, batch)
        except Rejected as rejected:
            batch.outcomes[offset] = ("rejected", str(rejected))
    _identify(writes.created)
    known.fresh = writes.created
    return batch.lines(), writes


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


def _decide(offset, data, known: _Known, writes: Writes, job, defaults, batch) -> tuple:
    outcome, person = _decide_person(offset, data, known, writes, job, defaults, batch)
    if person is not None and data.get("company"):
        writes.links.append((person, data["company"]))
    return outcome


def _decide_person(offset, data, known: _Known, writes: Writes, job, defaults, batch):
    line = batch.numbers[offset]
    existing = known.existing(data)
    if existing is None:
        similar = known.probable(data)
        if similar:
            if _may_see(job, similar):
                batch.similar[offset] = similar.public_id
            raise Rejected(_similar_message(similar))
        person = _new_person(data, defaults, line)
        writes.created.append(person)
        known.add(person)
        known.add_name(data["name_key"], person)
        return ("created", ""), person
    if existing.pk is not None:
        existing = known.as_record(existing)
        if existing.office_id != job.office_id:
            if existing.pk not in known.visible_ids:
                raise Rejected(
                    _(
                        "already registered by another office, which has not been allowed to "
                        "share it"
                    )
                )
            note = _("registered by %(office)s") % {"office": existing.office}
            return ("unchanged", note), None  # another office's record: theirs to link
    return _change(offset, existing, data, known, writes, job, batch), existing


def _change(offset, existing, data, known: _Known, writes: Writes, job, batch) -> tuple:
    """A known person: blanks filled; values that differ from an earlier row of the file are
    never taken, those that differ from the registered ones only when the file wins."""
    earlier = getattr(existing, "first_line", None)
    current = _current(existing)
    blanks, conflicts = _differences(current, _given(data))
    if conflicts and (earlier is not None or not job.overwrite):
        for message in _conflict_warnings(current, conflicts, earlier=earlier):
            batch.warn(offset, message)
        conflicts = {}
    changes = blanks | conflicts
    note = _("repeats row %(row)s") % {"row": earlier} if earlier is not None else ""
    if earlier is None and not isinstance(existing, _NewPerson):
        existing.first_line = batch.numbers[offset]  # what a later row of the file repeats
    if not changes:
        return "unchanged", note
    batch.changes[offset] = _change_lines(current, changes)
    if isinstance(existing, _NewPerson):
        _validated(data)
        _fill_in(existing, changes, known)
        return "updated", note
    writes.updates.append(_update(existing, changes, offset))
    known.add(existing)  # found again by its new e-mail or phone
    return "updated", note


def _may_see(job, similar: _Similar) -> bool:
    """Whether the importer may open the page of the person a row resembles."""
    if not similar.pk or job.created_by is None:
        return False
    if similar.office_id == job.office_id:
        return True
    return people_for(job.created_by).filter(pk=similar.pk).exists()


def _similar_message(similar: _Similar) -> str:
    """Who a row resembles: their name and office (or their row), to be checked by hand."""
    if similar.line is not None:
        return _(
            "a similar person is on row %(row)s (%(name)s): check and register them by hand"
        ) % {"row": similar.line, "name": similar.full_name}
    return _(
        "a similar person is already registered (%(name)s, %(office)s): check and register "
        "them by hand"
    ) % {"name": similar.full_name, "office": similar.office}
