"""Background jobs of the catalogue; thin wrappers around the notices."""

from smtplib import SMTPException

from celery import shared_task
from django.db import transaction

from oae.catalogue import notices


@shared_task(
    autoretry_for=(SMTPException, ConnectionError, TimeoutError),
    retry_backoff=True,
    retry_backoff_max=600,
    max_retries=6,
)
def send_proposal_notice(notice_id: int) -> bool:
    """Idempotent: each notice is e-mailed once however often the job runs."""
    return notices.notice_send(notice_id=notice_id)


def notices_queue(notice_ids: list[int]) -> None:
    """Send each notice once the write that made it commits."""
    transaction.on_commit(lambda: [send_proposal_notice.delay(pk) for pk in notice_ids])
