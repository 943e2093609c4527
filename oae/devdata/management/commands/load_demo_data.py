"""Load reference data, the demo network and the starter operating model. Idempotent."""

from django.core.management import call_command
from django.core.management.base import BaseCommand

from oae.catalogue.starter import starter_model_load
from oae.devdata.demo.cases import cases_demo_load
from oae.devdata.demo.catalogue import catalogue_demo_load
from oae.devdata.demo.crm import crm_demo_load
from oae.devdata.demo.network import demo_network_load
from oae.devdata.demo.tools import tools_demo_load
from oae.tools.starter import (
    financing_programmes_load,
    fiscal_parameters_load,
    legal_forms_load,
    questionnaire_load,
)


class Command(BaseCommand):
    help = "Load reference data, demo offices and logins, and the starter operating model."

    def handle(self, *args, **options) -> None:
        call_command("load_reference_data", stdout=self.stdout)
        counts = demo_network_load()
        self.stdout.write(f"Demo network: {counts['offices']} offices, {counts['users']} logins.")
        fiscal_parameters_load()
        financing_programmes_load()
        questionnaire_load()
        legal_forms_load()
        starter = starter_model_load()
        self.stdout.write(
            f"Starter model: {starter['created']} items added to the draft, "
            f"{starter['published']} version published."
        )
        if catalogue_demo_load():
            self.stdout.write(
                "Demo offices adapted (Sant Boi stays on v1 with its own wording; "
                "Barcelona has items of its own)."
            )
        if crm_demo_load():
            self.stdout.write(
                "Demo clients: five people (two shared with the network), one company."
            )
        if cases_demo_load():
            self.stdout.write(
                "Demo cases: Sant Boi's advisor has appointments, a task, an overdue step and a "
                "referral from Badalona to answer."
            )
        if tools_demo_load():
            self.stdout.write(
                "Demo tools: a legal-form advice kept with Marta Vila; a canvas the demo citizen "
                "sent to Sant Boi."
            )
