"""Every write to the joint database: people, companies, their links and consents."""

from dataclasses import dataclass
from functools import partial

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from oae.catalogue.search import fold
from oae.common.bulk import commit_without_flush
from oae.common.concurrency import save_with_version
from oae.crm.imports import IMPORT_LABELS, MAX_CELL_CHARS
from oae.crm.matching import name_key, similar_names
from oae.crm.models import Company, ConsentEvent, Person, PersonCompany, Purpose
from oae.crm.namewords import name_words_add, name_words_replace, words_of
from oae.crm.validators import guess_document_type, normalise_id_document, normalise_tax_id
from oae.network.validators import normalise_phone
from oae.privacy.services import audit_record, changes_between, model_snapshot

PERSON_FIELDS = [
    "first_name",
    "last_name",
    "id_type",
    "id_number",
    "email",
    "phone",
    "birth_year",
    "gender",
    "municipality",
    "employment",
    "heard_from",
    "language",
]
COMPANY_FIELDS = [
    "legal_name",
    "trade_name",
    "tax_id",
    "legal_form",
    "cnae",
    "start_date",
    "stage",
    "employees",
    "address",
    "municipality",
]


def person_clean(data: dict) -> dict:
    """Normalise identity document, phone and e-mail; errors name the field and the reason."""
    data = dict(data)
    errors = {}
    try:
        data["id_number"] = normalise_id_document(
            data.get("id_type", ""), data.get("id_number", "")
        )
    except ValidationError as error:
        errors["id_number"] = error
    if data.get("id_number") and not data.get("id_type"):
        errors["id_type"] = ValidationError(_("Say which kind of document this number is."))
    try:
        data["phone"] = normalise_phone(data["phone"]) if data.get("phone") else ""
    except ValidationError as error:
        errors["phone"] = error
    data["email"] = (data.get("email") or "").strip().lower()
    if errors:
        raise ValidationError(errors)
    return data


def person_derive(person: Person) -> None:
    """Set the fields computed from the others: the search text and the name key."""
    for name, value in person_derived(person).items():
        setattr(person, name, value)


def person_derived(person) -> dict:
    """The search text and the name key of a person (or of anything with a person's name,
    document, e-mail, phone and year of birth as attributes)."""
    return {
        "search_text": person_search_text(person),
        "name_key": name_key(person.first_name, person.last_name, person.birth_year),
    }


def person_search_text(person) -> str:
    digits = "".join(filter(str.isdigit, person.phone))
    # Folded part by part: names repeat (their folding is cached), identifiers are plain ASCII.
    parts = [person.first_name, person.last_name, person.id_number, person.email]
    return " ".join([*map(fold, parts), digits, digits[-9:]])


DERIVED_FIELDS = ["search_text", "name_key"]


# Duplicates ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Duplicates:
    certain: list[Person]
    probable: list[Person]

    def __bool__(self) -> bool:
        return bool(self.certain or self.probable)


def person_duplicates(data: dict, *, exclude: Person | None = None) -> Duplicates:
    """Across the whole network: same document (certain), or a similar name with the same
    e-mail, phone or year of birth (probable). Callers show only what the user may see."""
    people = Person.objects.exclude(pk=exclude.pk) if exclude else Person.objects.all()
    certain = (
        list(people.filter(id_type=data.get("id_type"), id_number=data["id_number"]))
        if data.get("id_number")
        else []
    )
    clues = Q()
    for field in ("email", "phone"):
        if data.get(field):
            clues |= Q(**{field: data[field]})
    if data.get("birth_year") and data.get("last_name"):
        # Same year and names starting alike: an indexed lookup, then names compared.
        clues |= Q(
            name_key=name_key(data.get("first_name", ""), data["last_name"], data["birth_year"])
        )
    name = f"{data.get('first_name', '')} {data.get('last_name', '')}"
    candidates = people.filter(clues).exclude(pk__in=[c.pk for c in certain])[:50] if clues else []
    probable = [p for p in candidates if similar_names(name, p.full_name)]
    return Duplicates(certain=certain, probable=probable)


class PossibleDuplicates(Exception):
    def __init__(self, duplicates: Duplicates):
        super().__init__(_("This person may already be registered."))
        self.duplicates = duplicates


# People -----------------------------------------------------------------------------------


@transaction.atomic
def person_create(*, actor, office, data: dict, confirm_probable: bool = False) -> Person:
    """Register a person for `office`. Refused if the document is already registered; held
    back with PossibleDuplicates when probable ones exist, unless confirmed."""
    data = person_clean(data)
    duplicates = person_duplicates(data)
    if duplicates.certain:
        raise ValidationError(
            {
                "id_number": _(
                    "This document is already registered in the network. Search for it instead of "
                    "creating it again."
                )
            }
        )
    if duplicates.probable and not confirm_probable:
        raise PossibleDuplicates(duplicates)
    person = Person(
        office=office, created_by=actor, **{k: data.get(k) for k in PERSON_FIELDS if k in data}
    )
    person.full_clean(exclude=DERIVED_FIELDS)
    person_derive(person)
    try:
        person.save()
    except IntegrityError as error:  # a concurrent registration of the same document
        raise ValidationError({"id_number": _("This document is already registered.")}) from error
    name_words_add(words_of(person))
    audit_record(action="crm.person.create", actor=actor, target=person, office=office)
    return person


@transaction.atomic
def person_update(*, actor, person: Person, data: dict, expected_version: int) -> Person:
    data = person_clean(data)
    duplicates = person_duplicates(data, exclude=person)
    if duplicates.certain:
        raise ValidationError(
            {"id_number": _("Another person in the network already has this document.")}
        )
    saved = Person.objects.get(pk=person.pk)
    before = model_snapshot(saved, PERSON_FIELDS)
    for name in PERSON_FIELDS:
        if name in data:
            setattr(person, name, data[name])
    person.full_clean(exclude=DERIVED_FIELDS)
    person_derive(person)
    save_with_version(
        person, expected_version=expected_version, fields=[*PERSON_FIELDS, *DERIVED_FIELDS]
    )
    name_words_replace(words_of(saved), words_of(person))
    changes = changes_between(before, model_snapshot(person, PERSON_FIELDS))
    # Field names only: the audit trail must not copy personal values.
    audit_record(
        action="crm.person.update",
        actor=actor,
        target=person,
        office=person.office,
        details={"fields": sorted(changes)},
    )
    return person


def person_read_logged(*, actor, person: Person) -> None:
    """Who read which person's record, and when."""
    audit_record(action="crm.person.read", actor=actor, target=person, office=person.office)


def people_export_logged(*, actor, count: int, search: str) -> None:
    audit_record(
        action="crm.people.export", actor=actor, details={"count": count, "search": bool(search)}
    )


# Consent ledger ------------------------------------------------------------------------------


def person_refresh_sharing(person: Person) -> None:
    """Keep `shares_with_network` equal to what the person's latest sharing event says."""
    latest = (
        person.consent_events.filter(purpose=Purpose.NETWORK_SHARING)
        .order_by("-occurred_at", "-id")
        .values_list("action", flat=True)
        .first()
    )
    shares = latest == ConsentEvent.Action.GIVEN
    if person.shares_with_network != shares:
        person.shares_with_network = shares
        Person.objects.filter(pk=person.pk).update(shares_with_network=shares)


def consent_state(person: Person) -> dict[str, ConsentEvent]:
    """The latest event per purpose."""
    state: dict[str, ConsentEvent] = {}
    for event in person.consent_events.order_by("-occurred_at", "-id"):
        state.setdefault(event.purpose, event)
    return state


@transaction.atomic
def consent_record(
    *,
    actor,
    office,
    person: Person,
    purpose: str,
    action: str,
    lawful_basis: str,
    notice_version: str,
) -> ConsentEvent:
    """Append a consent or a withdrawal; it takes effect at once."""
    if purpose not in Purpose.values or action not in ConsentEvent.Action.values:
        raise ValidationError(_("Choose a purpose and whether it is given or withdrawn."))
    if not notice_version.strip():
        raise ValidationError({"notice_version": _("Say which privacy notice was shown.")})
    event = ConsentEvent.objects.create(
        person=person,
        purpose=purpose,
        action=action,
        lawful_basis=lawful_basis,
        notice_version=notice_version.strip(),
        recorded_by=actor,
        office=office,
    )
    if purpose == Purpose.NETWORK_SHARING:
        person_refresh_sharing(person)
    audit_record(
        action=f"crm.consent.{action}",
        actor=actor,
        target=person,
        office=office,
        details={"purpose": purpose, "basis": lawful_basis, "notice": event.notice_version},
    )
    return event


# Companies ----------------------------------------------------------------------------------


def company_clean(data: dict) -> dict:
    data = dict(data)
    try:
        data["tax_id"] = normalise_tax_id(data.get("tax_id", ""))
    except ValidationError as error:
        raise ValidationError({"tax_id": error}) from error
    return data


def _company_search_text(company: Company) -> str:
    return fold(" ".join([company.legal_name, company.trade_name, company.tax_id]))


@transaction.atomic
def company_save(
    *, actor, office, company: Company | None, data: dict, expected_version: int | None = None
) -> Company:
    data = company_clean(data)
    others = Company.objects.exclude(pk=company.pk) if company else Company.objects.all()
    if data["tax_id"] and others.filter(tax_id=data["tax_id"]).exists():
        raise ValidationError({"tax_id": _("A company with this NIF is already registered.")})
    creating = company is None
    company = company or Company(office=office, created_by=actor)
    for name in COMPANY_FIELDS:
        if name in data:
            setattr(company, name, data[name])
    company.full_clean(exclude=["search_text"])
    company.search_text = _company_search_text(company)
    if creating:
        company.save()
    else:
        save_with_version(
            company,
            expected_version=expected_version or company.lock_version,
            fields=[*COMPANY_FIELDS, "search_text"],
        )
    audit_record(
        action="crm.company." + ("create" if creating else "update"),
        actor=actor,
        target=company,
        office=company.office,
    )
    return company


@transaction.atomic
def person_link_company(*, actor, person: Person, company: Company, relation: str) -> PersonCompany:
    link, created = PersonCompany.objects.get_or_create(
        person=person, company=company, relation=relation
    )
    if created:
        audit_record(
            action="crm.person.link_company",
            actor=actor,
            target=person,
            office=person.office,
            details={"company": str(company.public_id), "relation": relation},
        )
    return link


# Imports ------------------------------------------------------------------------------------

IMPORT_BATCH = 2000


class _Rejected(Exception):
    pass


def import_job_create(*, actor, office, upload, kind: str = "people"):
    """Store the file and read its header; bad files are refused with a clear reason."""
    from oae.crm.imports import guess_mapping, read_rows
    from oae.crm.models import ImportJob

    data = upload.read()
    rows = read_rows(upload.name, data)
    upload.seek(0)
    job = ImportJob.objects.create(
        office=office,
        created_by=actor,
        kind=kind,
        original_name=upload.name[:255],
        file=upload,
        headers=rows[0][:60],
        mapping=guess_mapping(rows[0], kind),
        total_rows=len(rows) - 1,
    )
    audit_record(
        action="crm.import.upload",
        actor=actor,
        target=job,
        office=office,
        details={"rows": job.total_rows, "file": job.original_name, "kind": kind},
    )
    return job


def import_job_set_mapping(*, job, mapping: dict[str, int]) -> None:
    required = "legal_name" if job.kind == "companies" else "first_name"
    if required not in mapping:
        raise ValidationError(
            _("Choose at least the column with the legal name.")
            if job.kind == "companies"
            else _("Choose at least the column with the name.")
        )
    job.mapping = mapping
    job.save(update_fields=["mapping"])


def _cell(row: list[str], mapping: dict, field: str) -> str:
    index = mapping.get(field)
    value = row[index] if index is not None and index < len(row) else ""
    if len(value) > MAX_CELL_CHARS:
        raise _Rejected(
            _("the “%(field)s” cell is longer than %(max)s characters")
            % {"field": _cell_label(field), "max": MAX_CELL_CHARS}
        )
    if "\x00" in value:  # a damaged file: no database takes it as text
        raise _Rejected(
            _("the “%(field)s” cell holds a null character") % {"field": _cell_label(field)}
        )
    return value


def _cell_label(field: str) -> str:
    """A field as the mapping form names it (people's and companies' fields differ but for
    the municipality, named alike)."""
    return str(IMPORT_LABELS["people"].get(field) or IMPORT_LABELS["companies"][field])


def _row_to_data(row: list[str], mapping: dict, towns: dict) -> dict:
    get = lambda field: _cell(row, mapping, field)  # noqa: E731
    data = {
        "first_name": get("first_name"),
        "last_name": get("last_name"),
        "id_number": get("id_number"),
        "email": get("email"),
        "phone": get("phone"),
        "language": "ca",
    }
    data["id_type"] = guess_document_type(data["id_number"])
    if not data["first_name"]:
        raise _Rejected(_("the name is empty"))
    year = get("birth_year")
    if year:
        if not year.isdigit() or not 1900 <= int(year) <= 2030:
            raise _Rejected(_("the year of birth “%(value)s” is not a year") % {"value": year})
        data["birth_year"] = int(year)
    town = get("municipality")
    if town:
        municipality = towns.get(fold(town).strip())
        if municipality is None:
            raise _Rejected(
                _("the municipality “%(value)s” is not one of the network's") % {"value": town}
            )
        data["municipality"] = municipality
    if not (data["id_number"] or data["email"] or data["phone"]):
        raise _Rejected(
            _("it has no document, e-mail or phone, so a second import could not recognise it")
        )
    return data


def _towns() -> dict:
    from oae.network.models import Municipality

    towns = {}
    for municipality in Municipality.objects.all():
        towns[fold(municipality.name)] = municipality
        towns[municipality.ine_code] = municipality
    return towns


@dataclass
class ReadBatch:
    """A batch of rows once read: each row's data, or why it is rejected (by offset)."""

    size: int
    cleaned: list[tuple[int, dict]]
    outcomes: dict[int, tuple[str, str]]

    def lines(self, first_line: int) -> list[dict]:
        return [
            {"line": first_line + offset, "outcome": outcome, "note": note}
            for offset, (outcome, note) in sorted(self.outcomes.items())
        ]


def import_batch_read(rows: list[list[str]], clean) -> ReadBatch:
    """Each row through `clean` (a row's cells to its data, or _Rejected): no database."""
    batch = ReadBatch(size=len(rows), cleaned=[], outcomes={})
    for offset, row in enumerate(rows):
        try:
            batch.cleaned.append((offset, clean(row)))
        except _Rejected as rejected:
            batch.outcomes[offset] = ("rejected", str(rejected))
    return batch


def import_job_run(*, job_id: int, dry_run: bool) -> None:
    """Run (or rehearse) the import. Each batch is one transaction; its rows are all checked
    before anything is written, so a bad row never takes good ones with it. A dry run writes
    nothing (a batch is decided in a transaction rolled back). While a batch is decided, the
    records the next one may match are looked up and the batches before are written, on
    connections of their own (common/writes_behind.py)."""
    from oae.common.collector import fewer_collections

    with fewer_collections():  # an import makes millions of objects, and keeps many
        _import_job_run(job_id=job_id, dry_run=dry_run)


def _import_job_run(*, job_id: int, dry_run: bool) -> None:
    from oae.common.writes_behind import reads_ahead, writes_behind
    from oae.crm.imports import read_rows
    from oae.crm.models import ImportJob

    job = ImportJob.objects.select_related("office", "created_by").get(pk=job_id)
    with job.file.open("rb") as handle:
        rows = read_rows(job.original_name, handle.read())[1:]
    report = []
    job.status, job.processed_rows = ImportJob.Status.RUNNING, 0
    job.save(update_fields=["status", "processed_rows"])
    clean, look_up, apply = _batch_runner(job, _towns())
    decided = partial(_import_decided, job=job, apply=apply, dry_run=dry_run)
    with writes_behind() as submit, reads_ahead() as read_ahead:
        waiting = None  # a batch read, whose registered records are being looked up
        for start in range(0, len(rows), IMPORT_BATCH):
            batch = import_batch_read(rows[start : start + IMPORT_BATCH], clean)
            looked_up = read_ahead(partial(look_up, batch))
            if waiting:  # decided while the next one is looked up
                report += decided(*waiting, submit=submit)
            waiting = (start, batch, looked_up)
        if waiting:
            report += decided(*waiting, submit=submit)
    counts = {"created": 0, "updated": 0, "unchanged": 0, "rejected": 0}
    for line in report:  # once written: a write may turn an update down
        counts[line["outcome"]] += 1
    _import_finish(job=job, dry_run=dry_run, counts=counts, report=report)


def _import_decided(start, batch, looked_up, *, job, apply, dry_run, submit) -> list[dict]:
    """A batch's outcomes, once decided; its writes are handed to `submit`."""
    with transaction.atomic():
        lines, writes = apply(batch, looked_up.result(), first_line=start + 2)
        if dry_run:
            transaction.set_rollback(True)
    progress = partial(_import_progress, job, start + batch.size)
    if writes and not dry_run:
        submit(partial(_import_insert, writes), partial(_import_follow, writes, lines, progress))
    else:
        progress()
    return lines


def _import_insert(writes) -> None:
    # The job's end is committed as usual (`_import_finish`): it waits for every batch.
    commit_without_flush()
    writes.insert()


def _import_follow(writes, lines: list[dict], progress) -> None:
    writes.follow(lines)
    progress()


def _import_progress(job, processed: int) -> None:
    from oae.crm.models import ImportJob

    ImportJob.objects.filter(pk=job.pk).update(processed_rows=processed)


def _batch_runner(job, towns: dict):
    """How rows of the job's kind are read (`clean(row)`: its data, no database), what the
    database holds that a batch may match is looked up (`look_up(batch)`, possibly on another
    connection) and a batch is applied (`apply(batch, looked_up, first_line)`: its
    outcomes, and what it writes)."""
    if job.kind == "companies":
        from oae.crm.company_import import cnae_classes, import_company_batch, row_to_company

        clean = partial(row_to_company, mapping=job.mapping, towns=towns, activities=cnae_classes())
        return clean, _nothing, partial(import_company_batch, job=job)
    from oae.crm.importer import import_batch, known_people, registered_for, row_to_person

    clean = partial(row_to_person, mapping=job.mapping, towns=towns)
    return (
        clean,
        partial(registered_for, job=job, names_read={}),
        partial(import_batch, job=job, known=known_people()),
    )


def _nothing(_batch) -> None:
    """Companies are looked up as their batch is decided (crm/company_import.py)."""
    return None


def _import_finish(*, job, dry_run: bool, counts: dict, report: list) -> None:
    from django.utils import timezone

    from oae.crm.models import ImportJob

    job.refresh_from_db(fields=["processed_rows"])
    job.counts, job.report = counts, report
    job.status = ImportJob.Status.CHECKED if dry_run else ImportJob.Status.DONE
    job.finished_at = timezone.now()
    job.save(update_fields=["counts", "report", "status", "finished_at"])
    if not dry_run:
        # The uploaded sheet holds personal data: once imported, it is not kept.
        job.file.delete(save=True)
        audit_record(
            action="crm.import.run",
            actor=job.created_by,
            target=job,
            office=job.office,
            details=counts,
        )


def import_job_fail(*, job_id: int, error: Exception) -> None:
    from oae.crm.models import ImportJob

    ImportJob.objects.filter(pk=job_id).update(
        status=ImportJob.Status.FAILED, error=f"{type(error).__name__}: {error}"[:1000]
    )


# Merging duplicates --------------------------------------------------------------------------


def _person_values(person: Person) -> dict:
    values = {name: getattr(person, name) for name in PERSON_FIELDS if name != "municipality"}
    values["municipality_id"] = person.municipality_id
    return values


def _apply_values(person: Person, values: dict) -> None:
    for name, value in values.items():
        setattr(person, name, value)
    person_derive(person)


def _saved_fields() -> list[str]:
    return [
        *(n for n in PERSON_FIELDS if n != "municipality"),
        "municipality",
        *DERIVED_FIELDS,
        "updated_at",
    ]


@transaction.atomic
def person_merge(*, actor, survivor: Person, absorbed: Person, take: set[str]):
    """Keep `survivor`, taking the fields named in `take` from `absorbed`; move every
    relation of `absorbed` to the survivor and keep what is needed to undo it."""
    from oae.crm.models import DataRequest, PersonMerge

    if survivor.pk == absorbed.pk:
        raise ValidationError(_("Choose two different records."))
    if survivor.merged_into_id or absorbed.merged_into_id:
        raise ValidationError(_("One of these records has already been merged."))
    survivor_before, absorbed_before = _person_values(survivor), _person_values(absorbed)
    chosen = {
        name: value
        for name, value in absorbed_before.items()
        if name in take or (name == "municipality_id" and "municipality" in take)
    }
    if "id_number" in chosen:
        chosen["id_type"] = absorbed_before["id_type"]
    # Free the absorbed record's document first: documents are unique in the network.
    absorbed.id_type, absorbed.id_number, absorbed.merged_into = "", "", survivor
    absorbed.save(update_fields=["id_type", "id_number", "merged_into", "updated_at"])
    names_before = words_of(survivor)
    _apply_values(survivor, chosen)
    survivor.save(update_fields=_saved_fields())
    name_words_replace(names_before, words_of(survivor))
    moved = {
        "consents": list(absorbed.consent_events.values_list("pk", flat=True)),
        "requests": list(DataRequest.objects.filter(person=absorbed).values_list("pk", flat=True)),
        "links": [],
        "links_dropped": [],
    }
    absorbed.consent_events.update(person=survivor)
    DataRequest.objects.filter(person=absorbed).update(person=survivor)
    for link in absorbed.company_links.all():
        if survivor.company_links.filter(company=link.company_id, relation=link.relation).exists():
            moved["links_dropped"].append([link.company_id, link.relation])
            link.delete()
        else:
            moved["links"].append(link.pk)
    PersonCompany.objects.filter(pk__in=moved["links"]).update(person=survivor)
    person_refresh_sharing(survivor)
    person_refresh_sharing(absorbed)
    merge = PersonMerge.objects.create(
        survivor=survivor,
        absorbed=absorbed,
        survivor_before=survivor_before,
        absorbed_before=absorbed_before,
        moved=moved,
        merged_by=actor,
    )
    audit_record(
        action="crm.person.merge",
        actor=actor,
        target=survivor,
        office=survivor.office,
        details={"absorbed": str(absorbed.public_id), "fields": sorted(take)},
    )
    return merge


@transaction.atomic
def person_merge_undo(*, actor, merge) -> None:
    """Put both records back as they were before the merge, relations included."""
    from django.utils import timezone

    from oae.crm.models import DataRequest, PersonMerge

    merge = PersonMerge.objects.select_for_update().get(pk=merge.pk)
    if merge.undone_at is not None:
        raise ValidationError(_("This merge has already been undone."))
    survivor, absorbed = merge.survivor, merge.absorbed
    if survivor.merged_into_id:
        raise ValidationError(_("Undo the later merge of this record first."))
    names_before = words_of(survivor) | words_of(absorbed)
    _apply_values(survivor, merge.survivor_before)
    survivor.save(update_fields=_saved_fields())
    _apply_values(absorbed, merge.absorbed_before)
    absorbed.merged_into = None
    absorbed.save(update_fields=[*_saved_fields(), "merged_into"])
    name_words_replace(names_before, words_of(survivor) | words_of(absorbed))
    absorbed_id = absorbed.pk
    ConsentEvent.objects.filter(pk__in=merge.moved["consents"]).update(person_id=absorbed_id)
    DataRequest.objects.filter(pk__in=merge.moved["requests"]).update(person_id=absorbed_id)
    PersonCompany.objects.filter(pk__in=merge.moved["links"]).update(person_id=absorbed_id)
    for company_id, relation in merge.moved["links_dropped"]:
        PersonCompany.objects.get_or_create(
            person_id=absorbed_id, company_id=company_id, relation=relation
        )
    person_refresh_sharing(survivor)
    person_refresh_sharing(absorbed)
    merge.undone_at, merge.undone_by = timezone.now(), actor
    merge.save(update_fields=["undone_at", "undone_by"])
    audit_record(
        action="crm.person.merge_undo",
        actor=actor,
        target=survivor,
        office=survivor.office,
        details={"absorbed": str(absorbed.public_id)},
    )
