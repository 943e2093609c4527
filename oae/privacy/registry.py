"""Where each domain keeps a person's data, so that a copy of everything held about a person and
their erasure reach every domain, while the domain that runs them (crm) imports none of the
domains above it.

Each domain registers its part from its `AppConfig.ready()`: the models it covers, how to copy
what they hold about a person, and how to erase it. Every other model of the project is exempt,
with the reason; `unclassified_models` names the ones that are neither, and a test keeps that
list empty, so a new domain cannot forget its clients' data.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.apps import apps
from django.db.models import Model, QuerySet


@dataclass(frozen=True)
class PersonalData:
    """One domain's part of a person's data.

    `export(person)` returns {section name: [rows as dicts]} for the subject access copy;
    `erase(person)` blanks every personal value the domain holds about the person and keeps what
    statistics need (counts, dates, states, figures)."""

    domain: str
    models: tuple[type[Model], ...]
    export: Callable[[Model], dict[str, list[dict]]]
    erase: Callable[[Model], None]


_PARTS: dict[str, PersonalData] = {}
_EXEMPT: dict[type[Model], str] = {}


def register_personal_data(
    *,
    domain: str,
    models: Iterable[type[Model]],
    export: Callable[[Model], dict[str, list[dict]]],
    erase: Callable[[Model], None],
) -> None:
    """Register (or replace, when apps are set up again) a domain's part of personal data."""
    _PARTS[domain] = PersonalData(domain=domain, models=tuple(models), export=export, erase=erase)


def exempt_from_personal_data(*models: type[Model], reason: str) -> None:
    """Declare models that hold no client's personal data, and say why."""
    if not reason.strip():
        raise ValueError("An exemption needs its reason.")
    for model in models:
        _EXEMPT[model] = reason


def personal_data_parts() -> list[PersonalData]:
    """Every registered part, in the order the domains were registered (their apps' order:
    privacy's own part first, so the audit rows about a person's records are found before a
    domain above deletes the records)."""
    return list(_PARTS.values())


def unclassified_models(models: Iterable[type[Model]]) -> list[str]:
    """The labels of the models that are neither in a registered part nor exempt."""
    registered = {model for part in _PARTS.values() for model in part.models}
    return [
        model._meta.label for model in models if model not in registered and model not in _EXEMPT
    ]


def _value(value):
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value if isinstance(value, bool | int | float | list | dict | None) else str(value)


def as_row(instance: Model, exclude: Iterable[str] = ("id",)) -> dict:
    """A model instance as a dict of its stored values (keys as ids), for a subject access copy."""
    excluded = set(exclude)
    return {
        field.name: _value(getattr(instance, field.attname))
        for field in instance._meta.concrete_fields
        if field.name not in excluded
    }


# Records the audit trail names ------------------------------------------------------------------


@dataclass(frozen=True)
class AuditedRecords:
    """A kind of record the audit trail names whose label may say who someone is (a client's
    name, the title of a client's tool result, a citizen's e-mail).

    `readable_by(user)` is the queryset of those records the user may read: only they see the
    label, everyone else a reference (the kind of record and its id). `of_person(person)` is
    the queryset of the person's records of this kind, whose audit rows erasure blanks."""

    model: type[Model]
    readable_by: Callable[[object], QuerySet]
    of_person: Callable[[Model], QuerySet] | None = None


_AUDITED: dict[type[Model], AuditedRecords] = {}


def register_audited_records(
    model: type[Model],
    *,
    readable_by: Callable[[object], QuerySet],
    of_person: Callable[[Model], QuerySet] | None = None,
) -> None:
    """Say who may read the records of `model` the audit trail names, and which are a
    person's (from the domain's `AppConfig.ready()`, like its part of personal data)."""
    _AUDITED[model] = AuditedRecords(model=model, readable_by=readable_by, of_person=of_person)


def audited_records() -> list[AuditedRecords]:
    return list(_AUDITED.values())


def audited_records_of(model: type[Model] | None) -> AuditedRecords | None:
    return _AUDITED.get(model) if model is not None else None


def model_of_label(label_lower: str) -> type[Model] | None:
    """The model an audit row's record type names ("crm.person"), or None if none does."""
    try:
        return apps.get_model(label_lower) if label_lower else None
    except (LookupError, ValueError):
        return None


def label_names_someone(model: type[Model] | None) -> bool:
    """Whether a record's label may say who someone is. Deny by default: only the labels of
    models exempt from personal data (an office, a municipality, a catalogue item) are shown
    to everyone; a model holding personal data, one registered as audited records (user
    accounts) and one nobody classified or knows are shown by reference."""
    return model is None or model not in _EXEMPT or model in _AUDITED
