"""Anonymise the people whose retention period has passed (RETENTION_YEARS, counted from their
last activity). The scheduler runs it daily (`make run` starts it; production runs Celery
beat); this runs it at once, in this process."""

from django.core.management.base import BaseCommand

from oae.crm.privacy_services import retention_apply, retention_due


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
        count = retention_apply()
        self.stdout.write(f"People anonymised by the retention rule: {count}.")
