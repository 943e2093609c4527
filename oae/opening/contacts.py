"""A municipality's contacts: council officers invited to follow its path (they see it and
bring its evidence), invited the way staff are."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from oae.network.services import user_for_invitation
from oae.opening.models import Contact, Path
from oae.opening.services import path_refresh
from oae.opening.tasks import send_contact_invitation
from oae.privacy.services import audit_record


@transaction.atomic
def contact_invite(
    *, actor, path: Path, email: str, first_name: str = "", last_name: str = ""
) -> Contact:
    """Give a council's officer (new or existing account) their municipality's path, and
    e-mail them the way staff are invited."""
    email = email.strip().lower()
    user = user_for_invitation(email=email, first_name=first_name, last_name=last_name)
    contact = Contact.objects.filter(user=user, path=path).first()
    if contact is not None and contact.is_active:
        raise ValidationError(_("%(email)s already follows this path.") % {"email": email})
    contact = contact or Contact(user=user, path=path)
    contact.is_active, contact.invited_by, contact.invitation_sent_at = True, actor, None
    contact.save()
    audit_record(
        action="opening.contact.invite",
        actor=actor,
        target=path,
        office=path.office,
        details={"email": email},
    )
    transaction.on_commit(lambda: send_contact_invitation.delay(contact.pk))
    path_refresh(path)
    return contact


@transaction.atomic
def contact_set_active(*, actor, contact: Contact, active: bool) -> Contact:
    if contact.is_active != active:
        contact.is_active = active
        contact.save(update_fields=["is_active", "updated_at"])
        audit_record(
            action="opening.contact.reactivate" if active else "opening.contact.deactivate",
            actor=actor,
            target=contact.path,
            office=contact.path.office,
            details={"email": contact.user.email},
        )
        path_refresh(contact.path)
    return contact
