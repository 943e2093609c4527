"""Write the demo's example spreadsheets where the import page offers them."""

from pathlib import Path

from django.core.management.base import BaseCommand

from oae.devdata.demo.spreadsheets import EXAMPLES

FOLDER = Path(__file__).resolve().parents[3] / "crm" / "static" / "crm" / "examples"


class Command(BaseCommand):
    help = "Write the example client and company lists offered on the import page."

    def handle(self, *args, **options) -> None:
        FOLDER.mkdir(parents=True, exist_ok=True)
        for name, make in EXAMPLES.items():
            (FOLDER / name).write_bytes(make())
            self.stdout.write(f"Wrote {FOLDER / name}")
