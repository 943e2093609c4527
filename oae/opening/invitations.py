"""Sending a council officer's invitation e-mail, once: what the invitation job runs."""

from django.db import transaction

from oae.network.invitations import invitation_mail
from oae.opening.models import Contact


def contact_invitation_send(*, contact_id: int) -> bool:
    """Send once: claimed inside the sending transaction, as staff invitations are."""
    with transaction.atomic():
        contact = (
            Contact.objects.select_for_update(of=("self",))
            .select_related("user", "path__municipality", "invited_by")
            .filter(pk=contact_id, is_active=True, invitation_sent_at__isnull=True)
            .first()
        )
        if contact is None:
            return False
        invitation_mail(contact, "opening/email/invitation", contact=contact)
    return True
