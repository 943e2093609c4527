"""When a person was last active with the offices, so that retention counts from their last
activity (a session, a case, an appointment, a consent…), never from the last edit of their
record, while the domain that applies it (crm) imports none of the domains that hold it.

Each domain registers its dated events from its `AppConfig.ready()`: which model, how it
reaches the person, which field dates it, and the retention category it counts for (a key of
`settings.RETENTION_YEARS`). Retention then asks the database, person by person in one query,
whether any event of a category falls within that category's years.
"""

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Exists, Model, OuterRef


@dataclass(frozen=True)
class Activity:
    """One kind of dated event in a person's life with the offices.

    `person` is the lookup from `model` to the person ("person", "case__person"; "pk" for the
    person's own record); `date` the field that dates the event."""

    domain: str
    category: str
    model: type[Model]
    person: str
    date: str

    def since(self, moment) -> Exists:
        """Whether the person of the outer query (a Person queryset) has such an event on or
        after `moment`."""
        events = self.model._default_manager.filter(
            **{self.person: OuterRef("pk"), f"{self.date}__gte": moment}
        )
        return Exists(events)


_ACTIVITIES: dict[tuple[str, str, str], Activity] = {}


def register_activity(*, domain: str, category: str, model: type[Model], person: str, date: str):
    """Register (or replace, when apps are set up again) a kind of activity of a person; a
    category without retention years in the settings is a configuration error."""
    if category not in settings.RETENTION_YEARS:
        raise ImproperlyConfigured(
            f"{domain}: activity category {category!r} has no period in RETENTION_YEARS"
        )
    activity = Activity(domain=domain, category=category, model=model, person=person, date=date)
    _ACTIVITIES[(model._meta.label, person, date)] = activity


def activities() -> list[Activity]:
    """Every registered kind of activity, in the order the domains registered them."""
    return list(_ACTIVITIES.values())
