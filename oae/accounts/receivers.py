"""Thin receivers that write security events from auth signals into the audit trail."""

from allauth.account import signals as account_signals
from allauth.mfa import signals as mfa_signals
from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.dispatch import receiver

from oae.privacy.services import audit_record


@receiver(user_logged_in)
def audit_login(sender, request, user, **kwargs) -> None:
    audit_record(action="auth.login", actor=user)


@receiver(user_logged_out)
def audit_logout(sender, request, user, **kwargs) -> None:
    if user is not None:
        audit_record(action="auth.logout", actor=user)


@receiver(account_signals.password_changed)
def audit_password_changed(sender, request, user, **kwargs) -> None:
    audit_record(action="auth.password_changed", actor=user, target=user)


@receiver(account_signals.password_reset)
def audit_password_reset(sender, request, user, **kwargs) -> None:
    audit_record(action="auth.password_reset", actor=user, target=user)


@receiver(mfa_signals.authenticator_added)
def audit_mfa_added(sender, request, user, authenticator, **kwargs) -> None:
    audit_record(
        action="auth.mfa_added", actor=user, target=user, details={"type": authenticator.type}
    )


@receiver(mfa_signals.authenticator_removed)
def audit_mfa_removed(sender, request, user, authenticator, **kwargs) -> None:
    audit_record(
        action="auth.mfa_removed", actor=user, target=user, details={"type": authenticator.type}
    )
