"""Background jobs of the opening domain; thin wrappers around services."""

from smtplib import SMTPException

from celery import shared_task

from oae.opening import invitations, reminders, services


@shared_task(
    autoretry_for=(SMTPException, ConnectionError, TimeoutError),
    retry_backoff=True,
    retry_backoff_max=600,
    max_retries=6,
)
def send_contact_invitation(contact_id: int) -> bool:
    """Idempotent: a contact's invitation goes out once however often the job runs."""
    return invitations.contact_invitation_send(contact_id=contact_id)


@shared_task
def refresh_paths() -> int:
    """Items completed (or opened again) by facts that changed outside the domain."""
    return services.paths_refresh()


@shared_task(autoretry_for=(SMTPException, ConnectionError, TimeoutError), max_retries=3)
def send_weekly_digests() -> int:
    return reminders.digests_send()
