"""Load the demo network (offices, staff, one login per role). Idempotent."""

from django.core.management import call_command
from django.core.management.base import BaseCommand

from oae.network.demo import demo_network_load


class Command(BaseCommand):
    help = "Load reference data, then the demo offices and demo logins (safe to run twice)."

    def handle(self, *args, **options) -> None:
        call_command("load_reference_data", stdout=self.stdout)
        counts = demo_network_load()
        self.stdout.write(f"Demo network: {counts['offices']} offices, {counts['users']} logins.")
