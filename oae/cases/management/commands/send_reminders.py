"""Send the due reminders now: appointments of the next 24 hours and tasks due. The scheduler
runs the same jobs every few minutes (`make run` starts it; production runs Celery beat); this
runs them at once, in this process, whether a worker runs or not."""

from django.core.management.base import BaseCommand

from oae.cases.reminders import appointment_reminders_send, task_reminders_send


class Command(BaseCommand):
    help = "Send appointment and task reminders that are due (safe to run as often as wanted)."

    def handle(self, *args, **options) -> None:
        appointments = appointment_reminders_send()
        tasks = task_reminders_send()
        self.stdout.write(f"Reminders sent: {appointments} appointments, {tasks} task digests.")
