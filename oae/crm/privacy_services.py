"""Data-protection tools for a person: a copy of everything held, erasure by anonymisation
that keeps statistics, and the retention rule."""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from oae.crm.models import DataRequest, Person
from oae.crm.namewords import name_words_replace, words_of
from oae.crm.services import DERIVED_FIELDS, PERSON_FIELDS
from oae.privacy.registry import as_row, personal_data_parts
from oae.privacy.services import audit_record

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
    (subject access): every part registered with the privacy registry."""
    data = {}
    for part in personal_data_parts():
        data |= part.export(person)
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


def _age_band_start(birth_year: int | None) -> int | None:
    """Keep only the decade: enough for statistics by age band."""
    return None if birth_year is None else birth_year - birth_year % 10


# What erasure keeps of a person's fields, so statistics still add up; every other field of
# the form is blanked, the birth year kept as its decade.
KEPT_FOR_STATISTICS = frozenset({"gender", "municipality", "employment", "language"})
ERASED_FIELDS = [f for f in PERSON_FIELDS if f not in KEPT_FOR_STATISTICS | {"birth_year"}]


def crm_person_erase(person: Person) -> None:
    """Replace every personal value of the record by nothing; keep municipality, gender, age
    band, office, consents (no personal values) and company links, so statistics add up."""
    names = words_of(person)
    for field in [*ERASED_FIELDS, *DERIVED_FIELDS]:
        setattr(person, field, "")
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


@transaction.atomic
def person_erase(*, actor, person: Person, kind: str = DataRequest.Kind.ERASURE) -> Person:
    """Erase the person in every domain that registered a part of their data (crm's record,
    cases, tools, the audit trail's labels…), keeping what statistics need."""
    for part in personal_data_parts():
        part.erase(person)
    DataRequest.objects.create(
        kind=kind,
        person=person,
        person_ref=str(person.public_id),
        office=person.office,
        handled_by=actor,
    )
    audit_record(action=f"crm.person.{kind}", actor=actor, target=person, office=person.office)
    return person


def retention_cutoff():
    return timezone.now() - timedelta(days=365 * settings.CRM_RETENTION_YEARS)


def retention_apply() -> int:
    """Anonymise people with no change for the configured number of years. Idempotent."""
    stale = Person.objects.filter(anonymised_at__isnull=True, updated_at__lt=retention_cutoff())
    count = 0
    for person in stale.iterator(chunk_size=500):
        person_erase(actor=None, person=person, kind=DataRequest.Kind.RETENTION)
        count += 1
    return count
