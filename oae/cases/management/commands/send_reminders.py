"""Send the due reminders now: appointments of the next 24 hours and tasks due. In production
Celery beat runs the same jobs on a schedule; with the embedded default, run this from cron."""

from django.core.management.base import BaseCommand

from oae.cases.tasks import send_appointment_reminders, send_task_reminders


class Command(BaseCommand):
    help = "Send appointment and task reminders that are due (safe to run as often as wanted)."

    def handle(self, *args, **options) -> None:
        appointments = send_appointment_reminders.delay().get()
        tasks = send_task_reminders.delay().get()
        self.stdout.write(f"Reminders sent: {appointments} appointments, {tasks} task digests.")
