"""Reading the audit trail, filtered, and each row as the reader may see it."""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils import timezone

from oae.privacy.models import AuditEvent
from oae.privacy.registry import audited_records_of, label_names_someone, model_of_label


@dataclass(frozen=True)
class AuditFilters:
    actor: str = ""
    action: str = ""  # exact code or a domain prefix such as "auth" or "network.office"
    office: str = ""  # office public id
    date_from: date | None = None
    date_to: date | None = None


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def audit_events(*, filters: AuditFilters) -> QuerySet[AuditEvent]:
    events = AuditEvent.objects.select_related("office")
    if filters.actor:
        events = events.filter(actor_label__icontains=filters.actor)
    if filters.action:
        events = events.filter(
            Q(action=filters.action) | Q(action__startswith=filters.action + ".")
        )
    if filters.office:
        events = events.filter(office__public_id=filters.office)
    if filters.date_from:
        events = events.filter(occurred_at__gte=_start_of(filters.date_from))
    if filters.date_to:
        events = events.filter(occurred_at__lt=_start_of(filters.date_to + timedelta(days=1)))
    return events.order_by("-occurred_at", "-id")


def audit_action_codes() -> list[str]:
    """Every action code recorded so far, and each of their domain prefixes, for the filter."""
    codes = set(AuditEvent.objects.values_list("action", flat=True).distinct())
    prefixes = {code.split(".")[0] for code in codes}
    return sorted(codes | prefixes)


# Each row as its reader may see it --------------------------------------------------------------


@dataclass(frozen=True)
class AuditRow:
    """An audit event as one reader sees it. Where the record may say who someone is and the
    reader may not read it, the row names it by reference (`record_type` and `record_id`, with
    `record` empty) and shows only the keys of its details (`details_hidden`); so does the
    actor, where it is an account the reader may not read by e-mail (a citizen's)."""

    event: AuditEvent
    actor: str
    record: str
    record_type: str
    record_id: str
    details: dict | list
    details_hidden: bool


def _readable_ids(user, model, ids: set[str]) -> set[str]:
    """Those of `ids` (as audit rows name records) of records of `model` the user may read by
    their label: none unless the model's domain registered who may (registry)."""
    kind = audited_records_of(model)
    if kind is None or not ids:
        return set()
    names = {f.name for f in model._meta.concrete_fields}
    key = model._meta.get_field("public_id") if "public_id" in names else model._meta.pk
    wellformed = set()
    for value in ids:
        try:
            wellformed.add(key.to_python(value))
        except ValidationError:
            continue  # a row naming a record by an id of another shape: never readable
    readable = kind.readable_by(user).filter(**{f"{key.attname}__in": wellformed})
    return {str(value) for value in readable.values_list(key.attname, flat=True)}


def _keys(details) -> list[str]:
    return sorted(details) if isinstance(details, dict) else []


def audit_rows(*, user, events: Iterable[AuditEvent]) -> list[AuditRow]:
    """The events as `user` may read them: the one place that decides which labels a reader
    sees (every page that lists audit rows shows them through here). A label that may say who
    someone is (a client's name, a result's title, a citizen's e-mail) is shown only to those
    who may read that record (people_for, cases_for… as each domain registered); every one
    else reads the kind of record and its id. The records the user may read are asked once
    per kind of record on the page."""
    events = list(events)
    wanted: dict[type, set[str]] = defaultdict(set)
    models = {event.target_type: model_of_label(event.target_type) for event in events}
    for event in events:
        model = models[event.target_type]
        if event.target_id and model is not None and label_names_someone(model):
            wanted[model].add(event.target_id)
    readable = {model: _readable_ids(user, model, ids) for model, ids in wanted.items()}
    account = get_user_model()
    actor_ids = {str(e.actor_id) for e in events if e.actor_id is not None}
    accounts = (
        _readable_ids(user, account, actor_ids) if label_names_someone(account) else actor_ids
    )
    rows = []
    for event in events:
        model = models[event.target_type]
        named = not event.target_id or (
            not label_names_someone(model) or event.target_id in readable.get(model, set())
        )
        actor = event.actor_label
        if event.actor_id is not None and str(event.actor_id) not in accounts:
            actor = f"{account._meta.verbose_name} {event.actor_id}"
        rows.append(
            AuditRow(
                event=event,
                actor=actor,
                record=event.target_label if named else "",
                record_type=str(model._meta.verbose_name) if model else event.target_type,
                record_id=event.target_id,
                details=event.details if named else _keys(event.details),
                details_hidden=not named,
            )
        )
    return rows
