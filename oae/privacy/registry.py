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

from django.db.models import Model


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
    """Every registered part, in the order the domains were registered (their apps' order)."""
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
