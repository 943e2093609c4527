"""Data-protection tools for a person: a copy of everything held, erasure by anonymisation
that keeps statistics, and the retention rule."""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from oae.crm.models import DataRequest, Person
from oae.crm.namewords import name_words_replace, words_of
from oae.privacy.models import AuditEvent
from oae.privacy.services import audit_record

ERASED = "—"


def _value(value):
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value if isinstance(value, bool | int | float | list | dict | None) else str(value)


def _row(instance, exclude=("id",)) -> dict:
    return {
        f.name: _value(getattr(instance, f.attname))
        for f in instance._meta.concrete_fields
        if f.name not in exclude
    }


@transaction.atomic
def person_subject_export(*, actor, person: Person) -> dict:
    """Everything the platform holds about the person, table by table (subject access)."""
    data = {
        "person": _row(person, exclude=("id", "search_text", "name_key")),
        "consents": [_row(e) for e in person.consent_events.all()],
        "companies": [
            {"relation": link.relation, **_row(link.company, ("id", "search_text"))}
            for link in person.company_links.select_related("company")
        ],
        "data_requests": [_row(r) for r in person.data_requests.all()],
        "audit_trail": [
            _row(e)
            for e in AuditEvent.objects.filter(
                target_type="crm.person", target_id=str(person.public_id)
            )
        ],
        "exported_at": timezone.now().isoformat(),
    }
    from oae.cases.privacy import person_case_data

    data |= person_case_data(person, _row)
    data["tool_results"] = [_row(r) for r in person.tool_results.all()]
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


@transaction.atomic
def person_erase(*, actor, person: Person, kind: str = DataRequest.Kind.ERASURE) -> Person:
    """Replace every personal value by nothing; keep municipality, gender, age band, office,
    consents (no personal values) and company links, so statistics still add up."""
    names = words_of(person)
    person.first_name, person.last_name = ERASED, ""
    person.id_type, person.id_number, person.email, person.phone = "", "", "", ""
    person.birth_year = _age_band_start(person.birth_year)
    person.heard_from, person.search_text, person.name_key = "", "", ""
    person.anonymised_at = timezone.now()
    person.save(
        update_fields=[
            "first_name",
            "last_name",
            "id_type",
            "id_number",
            "email",
            "phone",
            "birth_year",
            "heard_from",
            "search_text",
            "name_key",
            "anonymised_at",
            "updated_at",
        ]
    )
    name_words_replace(names, set())
    from oae.cases.privacy import person_case_erase

    person_case_erase(person)
    # Audit rows keep what happened, not who it was about.
    AuditEvent.objects.filter(target_type="crm.person", target_id=str(person.public_id)).update(
        target_label=ERASED
    )
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
