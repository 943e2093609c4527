"""Anonymise the people whose retention period has passed (RETENTION_YEARS, counted from their
last activity). In production Celery beat runs it daily; with the embedded default, run this
from cron."""

from django.core.management.base import BaseCommand

from oae.crm.privacy_services import retention_due
from oae.crm.tasks import apply_retention


class Command(BaseCommand):
    help = "Anonymise people with no activity within the retention periods (idempotent)."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="only say how many people are due"
        )

    def handle(self, *args, dry_run: bool = False, **options) -> None:
        if dry_run:
            self.stdout.write(f"People due for anonymisation: {retention_due().count()}.")
            return
        count = apply_retention.delay().get()
        self.stdout.write(f"People anonymised by the retention rule: {count}.")
