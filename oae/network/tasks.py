"""Background jobs of the network domain; thin wrappers around services."""

from smtplib import SMTPException

from celery import shared_task

from oae.network.invitations import invitation_send


@shared_task(
    autoretry_for=(SMTPException, ConnectionError, TimeoutError),
    retry_backoff=True,
    retry_backoff_max=600,
    max_retries=6,
)
def send_membership_invitation(membership_id: int) -> bool:
    """Idempotent: a membership's invitation goes out once however often the job runs."""
    return invitation_send(membership_id=membership_id)
