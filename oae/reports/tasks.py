"""Background jobs of the reports: the rollups, every five minutes; the monthly reports,
generated on the 1st for the month before (`CELERY_BEAT_SCHEDULE`), or again when a
coordinator asks. Idempotent: a month generated
again replaces its reports, and each is announced once."""

import datetime
from smtplib import SMTPException

from celery import shared_task
from django.db import transaction
from django.utils import timezone

from oae.privacy.services import audit_record
from oae.reports.monthly import check_month_ended, monthly_reports_generate_all, previous_month
from oae.reports.rollups import rollups_refresh
from oae.reports.selectors import reported_office_ids


@shared_task(
    autoretry_for=(SMTPException, ConnectionError, TimeoutError),
    retry_backoff=True,
    retry_backoff_max=600,
    max_retries=6,
)
def generate_monthly_reports(year: int | None = None, month: int | None = None) -> int:
    """The month's reports (the month before today's when none is given); how many."""
    if year is None or month is None:
        year, month = previous_month(timezone.localdate())
    return len(monthly_reports_generate_all(year=year, month=month))


def monthly_reports_regenerate(
    *, actor, year: int, month: int, today: datetime.date | None = None
) -> None:
    """A coordinator asks for a month's reports again (a month that has ended): audited, and
    queued once the request's transaction commits (a job, never inside the request)."""
    check_month_ended(year, month, today)
    with transaction.atomic():
        audit_record(
            action="reports.monthly.regenerate",
            actor=actor,
            details={"year": year, "month": month},
        )
        transaction.on_commit(lambda: generate_monthly_reports.delay(year, month))


@shared_task
def refresh_rollups() -> int:
    """The dashboards' rollups brought up to date (`reports.rollups`); how many periods."""
    return rollups_refresh(reported_office_ids())
