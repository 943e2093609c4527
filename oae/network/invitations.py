"""Sending a membership's invitation e-mail, once: what the invitation job runs."""

from allauth.account.forms import default_token_generator
from allauth.account.utils import user_pk_to_url_str
from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from oae.network.models import Membership


def invitation_link(user) -> str:
    """A set-your-password link for new accounts, the sign-in page for existing ones."""
    if user.has_usable_password():
        path = reverse("account_login")
    else:
        path = reverse(
            "account_reset_password_from_key",
            kwargs={
                "uidb36": user_pk_to_url_str(user),
                "key": default_token_generator.make_token(user),
            },
        )
    return settings.SITE_URL.rstrip("/") + path


def invitation_send(*, membership_id: int) -> bool:
    """Send once: the row is claimed inside the transaction that sends, so a retry after a
    failed send tries again and a duplicate job finds it claimed and does nothing."""
    with transaction.atomic():
        membership = (
            Membership.objects.select_for_update(of=("self",))
            .select_related("user", "office", "invited_by")
            .filter(pk=membership_id, is_active=True, invitation_sent_at__isnull=True)
            .first()
        )
        if membership is None:
            return False
        invitation_mail(membership, "network/email/invitation", membership=membership)
    return True


def invitation_mail(invited, templates: str, **context) -> None:
    """E-mail `invited.user` (a membership, or a council officer's access to a path) in their
    language, with the link to sign in or to choose a password, and mark it sent. Called
    inside the transaction that claimed the row."""
    user = invited.user
    with translation.override(user.language):
        context |= {"link": invitation_link(user), "site_url": settings.SITE_URL}
        subject = render_to_string(f"{templates}_subject.txt", context).strip()
        body = render_to_string(f"{templates}_body.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])
    invited.invitation_sent_at = timezone.now()
    invited.save(update_fields=["invitation_sent_at"])
