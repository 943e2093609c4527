"""Reading the audit trail, filtered."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Q, QuerySet
from django.utils import timezone

from oae.privacy.models import AuditEvent


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
