"""Remove uploaded spreadsheets nobody will import, and files no import names. In production
Celery beat runs it every hour; with the embedded default, run this from cron."""

from django.core.management.base import BaseCommand

from oae.crm.tasks import remove_import_files


class Command(BaseCommand):
    help = "Remove import files left untouched for IMPORT_FILE_HOURS, and orphan files."

    def handle(self, *args, **options) -> None:
        removed = remove_import_files.delay().get()
        self.stdout.write(
            f"Import files removed: {removed['abandoned']} left untouched, "
            f"{removed['orphans']} of no import."
        )
