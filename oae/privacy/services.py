"""Writing the audit trail. Every domain calls `audit_record` inside its own transaction."""

from contextvars import ContextVar
from dataclasses import dataclass

from django.db import models
from django.db.models import Q, QuerySet
from django.utils import timezone

from oae.common.bulk import insert_rows
from oae.privacy.models import AuditEvent
from oae.privacy.registry import as_row, audited_records


@dataclass(frozen=True)
class RequestContext:
    ip_address: str | None
    path: str


# Set by privacy.middleware.AuditMiddleware for the length of one request.
current_request: ContextVar[RequestContext | None] = ContextVar("audit_request", default=None)


def _label(value) -> str:
    return str(value)[:300] if value is not None else ""


def model_snapshot(instance: models.Model, fields: list[str]) -> dict:
    """Field values as JSON-safe text, to compare before and after a change."""
    snapshot = {}
    for name in fields:
        value = getattr(instance, name)
        if isinstance(value, models.Model):
            value = str(value)
        snapshot[name] = value if isinstance(value, bool | int | list | None) else str(value)
    return snapshot


def changes_between(before: dict, after: dict) -> dict:
    return {
        name: {"from": before.get(name), "to": value}
        for name, value in after.items()
        if before.get(name) != value
    }


def audit_record(
    *,
    action: str,
    actor=None,
    actor_label: str = "",
    target: models.Model | None = None,
    office=None,
    details: dict | None = None,
) -> AuditEvent:
    """Append one event. `action` is a dotted code: '<domain>.<entity>.<verb>' or 'auth.<event>'."""
    context = current_request.get()
    user = actor if actor is not None and getattr(actor, "is_authenticated", False) else None
    return AuditEvent.objects.create(
        action=action,
        actor=user,
        actor_label=actor_label or (user.email if user else ""),
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(getattr(target, "public_id", None) or target.pk)
        if target is not None
        else "",
        target_label=_label(target),
        office=office,
        ip_address=context.ip_address if context else None,
        path=context.path[:500] if context else "",
        details=details or {},
    )


def audit_record_many(*, action: str, actor, targets: list, office=None) -> None:
    """The same event for many records at once (bulk imports), in one insert."""
    audit_record_rows(
        action=action,
        actor=actor,
        office=office,
        target_type=targets[0]._meta.label_lower if targets else "",
        targets=[
            (str(getattr(target, "public_id", None) or target.pk), _label(target))
            for target in targets
        ],
    )


def audit_record_rows(
    *, action: str, actor, office, target_type: str, targets: list[tuple[str, str]]
) -> None:
    """The same event for many records of one type, given as (id, label) pairs: one insert,
    with no model instance built per record."""
    context = current_request.get()
    user = actor if actor is not None and getattr(actor, "is_authenticated", False) else None
    shared = {
        "occurred_at": timezone.now(),
        "action": action,
        "actor_id": user.pk if user else None,
        "actor_label": user.email if user else "",
        "target_type": target_type,
        "office_id": office.pk if office else None,
        "ip_address": context.ip_address if context else None,
        "path": context.path[:500] if context else "",
        "details": {},
    }
    insert_rows(
        AuditEvent,
        [
            {**shared, "target_id": target_id, "target_label": label[:300]}
            for target_id, label in targets
        ],
    )


ERASED = "—"


def _record_ids(model, records: QuerySet) -> list[str]:
    """The ids audit rows name records by: their public id, else their key (as text)."""
    key = "public_id" if any(f.name == "public_id" for f in model._meta.concrete_fields) else "pk"
    return [str(value) for value in records.values_list(key, flat=True)]


def _about(person) -> QuerySet[AuditEvent]:
    """Rows about any of the person's records: the record itself, and each record of a kind
    registered with `register_audited_records` that is theirs (cases, appointments, results…)."""
    about = Q(target_type=person._meta.label_lower, target_id=str(person.public_id))
    for kind in audited_records():
        if kind.of_person is not None:
            ids = _record_ids(kind.model, kind.of_person(person))
            if ids:
                about |= Q(target_type=kind.model._meta.label_lower, target_id__in=ids)
    return AuditEvent.objects.filter(about)


def audit_rows_about(person) -> dict[str, list[dict]]:
    """The audit trail's rows about the person and their records, for their subject access
    copy."""
    return {"audit_trail": [as_row(event) for event in _about(person)]}


def _erased(value):
    """Details with every text blanked (a free text may name someone: a case's reopening
    reason); numbers, flags and the keys stay."""
    if isinstance(value, str):
        return ERASED
    if isinstance(value, dict):
        return {key: _erased(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_erased(item) for item in value]
    return value


def audit_rows_erase(events: QuerySet[AuditEvent]) -> None:
    """Audit rows keep what happened, when, by whom, and about which record (by its id), not
    who it was about: the label goes, and every text of the details."""
    erased = []
    for event in events.exclude(details={}).only("pk", "details"):
        event.details = _erased(event.details)
        erased.append(event)
    AuditEvent.objects.bulk_update(erased, ["details"], batch_size=500)
    events.update(target_label=ERASED)


def audit_records_erase(model, ids: list[str]) -> None:
    """Blank the rows about these records of `model` (ids as the rows name them)."""
    audit_rows_erase(
        AuditEvent.objects.filter(target_type=model._meta.label_lower, target_id__in=ids)
    )


def audit_labels_erase(person) -> None:
    """Erasure's part in the audit trail: the rows about the person and their records."""
    audit_rows_erase(_about(person))


def list_read_logged(*, actor, action: str, office=None, shown=None, filters=None) -> None:
    """A page listing people's data was read: by whom, for which office, how many rows and
    which filters were used (their names only: what was typed in a search may be a name)."""
    details = {"filters": sorted(name for name, value in (filters or {}).items() if value)}
    if shown is not None:
        details["shown"] = shown
    audit_record(action=action, actor=actor, office=office, details=details)
