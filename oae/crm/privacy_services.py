"""Data-protection tools for a person: a copy of everything held, erasure by anonymisation
that keeps statistics, and the retention rule."""

import json
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import reduce
from operator import or_

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext

from oae.common.text import fold_words
from oae.crm.imports.files import read_rows
from oae.crm.models import DataRequest, ImportJob, Person, PersonMerge
from oae.crm.namewords import name_words_replace, words_of
from oae.crm.services import DERIVED_FIELDS, PERSON_FIELDS
from oae.privacy.activity import activities
from oae.privacy.registry import as_row, personal_data_parts
from oae.privacy.services import audit_record, audit_records_erase

ERASED = "—"


def crm_personal_data(person: Person) -> dict[str, list | dict]:
    """What crm holds about the person: the record, consents, companies, requests."""
    return {
        "person": as_row(person, exclude=("id", "search_text", "name_key")),
        "consents": [as_row(e) for e in person.consent_events.all()],
        "companies": [
            {"relation": link.relation, **as_row(link.company, ("id", "search_text"))}
            for link in person.company_links.select_related("company")
        ],
        "data_requests": [as_row(r) for r in person.data_requests.all()],
    }


@transaction.atomic
def person_subject_export(*, actor, person: Person) -> dict:
    """Everything the platform holds about the person, domain by domain and table by table
    (subject access): every part registered with the privacy registry; and the same for each
    record merged into theirs (the same person, registered twice), under "merged_records"."""
    data = _held_about(person)
    merged = records_merged_into(person)
    if merged:
        data["merged_records"] = [_held_about(record) for record in merged]
    data["exported_at"] = timezone.now().isoformat()
    DataRequest.objects.create(
        kind=DataRequest.Kind.ACCESS,
        person=person,
        person_ref=str(person.public_id),
        office=person.office,
        handled_by=actor,
    )
    audit_record(
        action="crm.person.subject_export", actor=actor, target=person, office=person.office
    )
    return data


def _held_about(record: Person) -> dict:
    data: dict = {}
    for part in personal_data_parts():
        data |= part.export(record)
    return data


def _age_band_start(birth_year: int | None) -> int | None:
    """Keep only the decade: enough for statistics by age band."""
    return None if birth_year is None else birth_year - birth_year % 10


# What erasure keeps of a person's fields, so statistics still add up; every other field of
# the form is blanked (the date of birth too), the birth year kept as its decade.
KEPT_FOR_STATISTICS = frozenset(
    {"gender", "municipality", "other_municipality", "employment", "language"}
)
ERASED_FIELDS = [f for f in PERSON_FIELDS if f not in KEPT_FOR_STATISTICS | {"birth_year"}]


def _blank(name: str) -> str | None:
    """What an erased field holds: nothing, as its column writes it (a date has no "")."""
    return None if Person._meta.get_field(name).null else ""


def _erased_values(values: dict) -> dict:
    """A merge's snapshot of a record's fields, erased as the record is."""
    erased = {
        name: _blank(name) if name in ERASED_FIELDS else value for name, value in values.items()
    }
    erased["first_name"] = ERASED
    erased["birth_year"] = _age_band_start(values.get("birth_year"))
    return erased


def _merges_erase(person: Person) -> None:
    """The copies of the record's fields each merge keeps to be undone (both records of a
    merge are the same human: erasing the kept one erases the absorbed one too, and with it
    the other snapshot). Undoing such a merge afterwards gives back erased records."""
    for merge in PersonMerge.objects.filter(Q(survivor=person) | Q(absorbed=person)):
        if merge.survivor_id == person.pk:
            merge.survivor_before = _erased_values(merge.survivor_before)
        if merge.absorbed_id == person.pk:
            merge.absorbed_before = _erased_values(merge.absorbed_before)
        merge.save(update_fields=["survivor_before", "absorbed_before"])


@dataclass(frozen=True)
class _Identifiers:
    """What tells the person apart in a spreadsheet row: the document, the e-mail, the
    phone's digits, or every word of the name (first name and surnames, both needed)."""

    document: str
    email: str
    phone: str  # the last nine digits: the national number, however it was written
    name_words: frozenset[str]

    @classmethod
    def of(cls, person: Person) -> "_Identifiers":
        digits = re.sub(r"\D", "", person.phone)
        return cls(
            document=person.id_number.upper(),
            email=person.email.lower(),
            phone=digits[-9:] if len(digits) >= 9 else "",  # a shorter one tells no one apart
            name_words=frozenset(words_of(person)) if person.last_name else frozenset(),
        )

    def texts(self) -> list[str]:
        """Texts to look for in stored JSON and names first (a shortlist `in_text` decides)."""
        return [v for v in (self.document, self.email, self.phone) if v] + sorted(self.name_words)

    def in_cell(self, cell: str) -> bool:
        value = cell.strip()
        digits = re.sub(r"\D", "", value)
        return bool(
            (self.document and value.upper().replace(" ", "") == self.document)
            or (self.email and value.lower() == self.email)
            or (self.phone and len(digits) >= 9 and digits.endswith(self.phone))
        )

    def in_row(self, cells: list[str]) -> bool:
        if any(self.in_cell(cell) for cell in cells):
            return True
        words = {word for cell in cells for word in fold_words(cell)}
        return bool(self.name_words) and self.name_words <= words

    def in_text(self, text: str) -> bool:
        """Whether a free text (a report's note, a file's name) holds the document, the
        e-mail, the phone's digits, or every word of the name."""
        lowered, digits = text.lower(), re.sub(r"\D", "", text)
        return bool(
            (self.document and self.document.lower() in lowered.replace(" ", ""))
            or (self.email and self.email in lowered)
            or (self.phone and self.phone in digits)
            or (self.name_words and self.name_words <= set(fold_words(re.sub(r"\W", " ", text))))
        )


def _import_file_holds(job: ImportJob, who: _Identifiers) -> bool:
    try:
        with job.file.open("rb") as handle:
            data = handle.read()
    except OSError:  # gone from the storage already: nothing of anyone is left in it
        return False
    return any(who.in_row(row) for row in read_rows(job.original_name, data))


def _imports_erase(who: _Identifiers) -> None:
    """What imports keep that may hold the person: a spreadsheet still stored (not yet
    imported for real, or failed) is deleted if a row holds them, and its job can no longer
    run; a report's notes and a file's name that name them are blanked, with the name in the
    audit trail's rows about the job."""
    for job in ImportJob.objects.exclude(file="").exclude(file__isnull=True):
        if _import_file_holds(job, who):
            job.file.delete(save=False)
            job.headers = []
            if job.status != ImportJob.Status.DONE:
                job.status = ImportJob.Status.FAILED
                job.error = gettext(
                    "The file was deleted: it held someone whose data were erased. "
                    "Upload it again without them."
                )
            job.save(update_fields=["file", "headers", "status", "error"])
    texts = who.texts()
    if not texts:
        return
    # Only a rejected row's note repeats what the row held; looked for in the stored JSON as
    # it is written (non-ASCII letters escaped, or not), then line by line.
    in_report = reduce(
        or_, [Q(report__icontains=t) | Q(report__icontains=json.dumps(t)[1:-1]) for t in texts]
    )
    in_name = reduce(or_, [Q(original_name__icontains=text) for text in texts])
    with_cells = Q(counts__rejected__gt=0) | Q(counts__warned__gt=0)
    for job in ImportJob.objects.filter((with_cells & in_report) | in_name):
        job.report = [_line_erased(line) if _line_holds(line, who) else line for line in job.report]
        if who.in_text(job.original_name):
            job.original_name = ERASED
            audit_records_erase(ImportJob, [str(job.public_id)])
        job.save(update_fields=["report", "original_name"])


def _line_holds(line: dict, who: _Identifiers) -> bool:
    """Whether a report's line names the person: in its note, warnings or changes, or in the
    cells it keeps of the row."""
    texts = [line.get("note", ""), *line.get("warnings", []), *map(str, line.get("changes", []))]
    return any(who.in_text(str(text)) for text in texts) or who.in_row(line.get("cells", []))


def _line_erased(line: dict) -> dict:
    """The line's number and outcome only."""
    return {"line": line["line"], "outcome": line["outcome"], "note": ERASED}


def crm_person_erase(person: Person) -> None:
    """Replace every personal value of the record by nothing (the date of birth too); keep
    municipality (in the network or not), gender, age band, office, consents (no personal
    values) and company links, so statistics add up. The copies go too: merge snapshots,
    the name vocabulary's words only they had, and what imports keep (`_imports_erase`)."""
    who = _Identifiers.of(person)
    names = words_of(person)
    for field in [*ERASED_FIELDS, *DERIVED_FIELDS]:
        setattr(person, field, _blank(field))
    person.first_name = ERASED  # a name nobody has, so lists show that someone was here
    person.birth_year = _age_band_start(person.birth_year)
    person.anonymised_at = timezone.now()
    person.save(
        update_fields=[
            *ERASED_FIELDS,
            *DERIVED_FIELDS,
            "birth_year",
            "anonymised_at",
            "updated_at",
        ]
    )
    name_words_replace(names, set())
    _merges_erase(person)
    _imports_erase(who)


def records_merged_into(person: Person) -> list[Person]:
    """The records merged into the person, and those merged into them, and so on: the same
    human, registered more than once."""
    found: list[Person] = []
    frontier = [person.pk]
    while frontier:
        absorbed = list(Person.objects.filter(merged_into__in=frontier).exclude(pk=person.pk))
        absorbed = [record for record in absorbed if record not in found]
        found += absorbed
        frontier = [record.pk for record in absorbed]
    return found


@transaction.atomic
def person_erase(*, actor, person: Person, kind: str = DataRequest.Kind.ERASURE) -> Person:
    """Erase the person in every domain that registered a part of their data (crm's record,
    cases, tools, the audit trail's labels…), keeping what statistics need; and so every
    record merged into them (the same human), each in every domain too."""
    for record in [person, *records_merged_into(person)]:
        for part in personal_data_parts():
            part.erase(record)
    DataRequest.objects.create(
        kind=kind,
        person=person,
        person_ref=str(person.public_id),
        office=person.office,
        handled_by=actor,
    )
    audit_record(action=f"crm.person.{kind}", actor=actor, target=person, office=person.office)
    return person


def retention_cutoffs() -> dict[str, datetime]:
    """For each retention category (`settings.RETENTION_YEARS`), the moment before which its
    activity no longer keeps a person's data."""
    now = timezone.now()
    return {
        category: now - timedelta(days=365 * years)
        for category, years in settings.RETENTION_YEARS.items()
    }


def retention_due() -> QuerySet[Person]:
    """The people whose data is kept no longer: no activity of any category (their
    registration, consents, appointments, cases, sessions, kept results… as each domain
    registered them in `privacy.activity`) within that category's years. The last edit of
    the record does not count: correcting a typo is not the person coming back. A record
    merged into another goes with it (`person_erase`)."""
    cutoffs = retention_cutoffs()
    due = Person.objects.filter(anonymised_at__isnull=True, merged_into__isnull=True)
    for activity in activities():
        due = due.exclude(activity.since(cutoffs[activity.category]))
    return due


def retention_apply() -> int:
    """Anonymise every person `retention_due` names, as an erasure by the retention rule;
    returns how many. Idempotent: an anonymised person is never due again."""
    count = 0
    for person in retention_due().iterator(chunk_size=500):
        person_erase(actor=None, person=person, kind=DataRequest.Kind.RETENTION)
        count += 1
    return count
