"""Remove uploaded spreadsheets nobody will import, and files no import names. The scheduler
runs it every hour (`make run` starts it; production runs Celery beat); this runs it at once,
in this process."""

from django.core.management.base import BaseCommand

from oae.crm.imports.jobs import import_files_remove


class Command(BaseCommand):
    help = (
        "Remove import files left untouched for IMPORT_FILE_HOURS, orphan files, and the "
        "cells old reports kept of their rows to fix."
    )

    def handle(self, *args, **options) -> None:
        removed = import_files_remove()
        self.stdout.write(
            f"Import files removed: {removed['abandoned']} left untouched, "
            f"{removed['orphans']} of no import; rows' cells dropped from "
            f"{removed['reports']} old reports."
        )
