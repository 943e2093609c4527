"""Background jobs of the training domain; thin wrappers around the notices."""

from smtplib import SMTPException

from celery import shared_task

from oae.training import notices


@shared_task(
    autoretry_for=(SMTPException, ConnectionError, TimeoutError),
    retry_backoff=True,
    retry_backoff_max=600,
    max_retries=6,
)
def send_enrolment_notice(enrolment_id: int) -> bool:
    """Idempotent: each notice goes out once however often the job runs."""
    return notices.notice_send(enrolment_id=enrolment_id)
