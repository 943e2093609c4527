"""Load reference data, the demo network, the starter operating model and demo records for
every section (clients, cases, agendas, outcomes, surveys, documents, tool results, the
resource library). Idempotent: a second run adds nothing."""

from django.core.management import call_command
from django.core.management.base import BaseCommand

from oae.catalogue.starter import starter_model_load
from oae.devdata.demo.activity import activity_demo_load
from oae.devdata.demo.agenda import agenda_hours_demo_load, appointments_demo_load
from oae.devdata.demo.cases import cases_demo_load
from oae.devdata.demo.catalogue import catalogue_demo_load
from oae.devdata.demo.codesign import codesign_demo_load
from oae.devdata.demo.crm import crm_demo_load, crm_duplicates_demo_load
from oae.devdata.demo.goals import goals_demo_load
from oae.devdata.demo.library import library_demo_load
from oae.devdata.demo.monthly import monthly_reports_demo_load
from oae.devdata.demo.network import demo_network_load
from oae.devdata.demo.opening import opening_demo_load
from oae.devdata.demo.records import (
    closed_cases_demo_load,
    documents_demo_load,
    recent_session_demo_load,
)
from oae.devdata.demo.tools import tools_demo_load
from oae.devdata.demo.training import training_demo_load
from oae.reports.rollups import rollups_refresh
from oae.reports.selectors import reported_office_ids
from oae.tools.starter import (
    financing_programmes_load,
    fiscal_parameters_load,
    legal_forms_load,
    questionnaire_load,
)


class Command(BaseCommand):
    help = (
        "Load reference data, demo offices and logins, the starter operating model and demo "
        "records for every section."
    )

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
        if crm_duplicates_demo_load():
            self.stdout.write("Demo clients: Jordi Casals registered twice at Sant Boi, to merge.")
        if agenda_hours_demo_load():
            self.stdout.write(
                "Demo agendas: the advisors' weekly hours, days away and calendar addresses."
            )
        if cases_demo_load():
            self.stdout.write(
                "Demo cases: Sant Boi's advisor has a task, an overdue step, a quiet case and a "
                "referral from Badalona to answer."
            )
        if documents_demo_load():
            self.stdout.write("Demo documents: on cases at Sant Boi and Badalona.")
        if recent_session_demo_load():
            self.stdout.write("Demo sessions: a recent phone call with Marta Vila.")
        if closed_cases_demo_load():
            self.stdout.write(
                "Demo closed cases: outcomes (verified with evidence, and declared) and the "
                "clients' survey answers, at Sant Boi and Badalona."
            )
        if activity := activity_demo_load():
            self.stdout.write(f"Demo activity: {activity} cases of 15 months at the open offices.")
        if reports := monthly_reports_demo_load():
            self.stdout.write(f"Demo monthly reports: last month's, {reports} PDFs.")
        if goals := goals_demo_load():
            self.stdout.write(
                f"Demo goals: last year's, {goals} approved (this year's are left for the "
                "coordinator to propose and approve)."
            )
        booked = appointments_demo_load()
        if booked:
            self.stdout.write(f"Demo appointments: {booked} in the advisors' next free hours.")
        if tools_demo_load():
            self.stdout.write(
                "Demo tools: a legal-form advice kept with Marta Vila; a canvas the demo citizen "
                "sent to Sant Boi."
            )
        if library_demo_load():
            self.stdout.write("Demo resource library: three templates and guides, as PDF.")
        if sessions := training_demo_load():
            self.stdout.write(
                f"Demo training: the competence framework, the curriculum, job profiles and "
                f"{sessions} sessions (two held with certificates, Joana Riera's among them; "
                "today's under way; one with places; one full with a waiting list); Sant Boi's "
                "staffing plan with an advisor's post vacant."
            )
        if paths := opening_demo_load():
            self.stdout.write(
                f"Demo opening paths: {paths} municipalities, one in each stage; Viladecans's "
                "council officer waits for the signed agreement."
            )
        if codesign_demo_load():
            self.stdout.write(
                "Demo co-design: Sant Boi's proposal, supported by Badalona, accepted with "
                "changes and published in the model's latest version; Badalona's proposal on a "
                "procedure open; a consultation round with two offices' answers."
            )
        # The dashboards read rollups: bring them up to date now rather than at the job's turn.
        if rolled := rollups_refresh(reported_office_ids()):
            self.stdout.write(f"Dashboards' rollups: {rolled} periods computed.")
