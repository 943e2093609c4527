"""Background jobs of case management; thin wrappers around services. Each is idempotent."""

from smtplib import SMTPException

from celery import shared_task

from oae.cases.reminders import appointment_reminders_send, task_reminders_send
from oae.cases.surveys import survey_send

RETRY = {
    "autoretry_for": (SMTPException, ConnectionError, TimeoutError),
    "retry_backoff": True,
    "retry_backoff_max": 600,
    "max_retries": 6,
}


@shared_task(**RETRY)
def send_survey(survey_id: int) -> bool:
    return survey_send(survey_id=survey_id)


@shared_task(**RETRY)
def send_appointment_reminders() -> int:
    return appointment_reminders_send()


@shared_task(**RETRY)
def send_task_reminders() -> int:
    return task_reminders_send()
