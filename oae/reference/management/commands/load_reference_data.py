"""Load (or update) the AMB municipalities, every municipality of Spain and the CNAE-2009
classification. Idempotent."""

from django.core.management.base import BaseCommand

from oae.reference.services import cnae_load, municipalities_load, spanish_municipalities_load


class Command(BaseCommand):
    help = "Load the reference data shipped with the project; re-running updates, never duplicates."

    def handle(self, *args, **options) -> None:
        municipalities = municipalities_load()
        spanish = spanish_municipalities_load()  # after the network's: it links to them
        cnae = cnae_load()
        self.stdout.write(
            f"Municipalities: {municipalities.total} in file, {municipalities.changed} created or "
            f"updated. Municipalities of Spain: {spanish.total} in file, {spanish.changed} "
            f"created or updated. CNAE-2009: {cnae.total} in file, {cnae.changed} created or "
            "updated."
        )
