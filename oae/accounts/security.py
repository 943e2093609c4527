"""Who must use multi-factor authentication, and whether they have it."""

from allauth.mfa.models import Authenticator
from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings

from oae.accounts.models import NetworkRole

MFA_REQUIRED_NETWORK_ROLES = {NetworkRole.COORDINATOR, NetworkRole.AUDITOR}


def mfa_required(user) -> bool:
    """Network-wide roles and anyone with admin-site access must sign in with TOTP."""
    if not user.is_authenticated:
        return False
    return user.network_role in MFA_REQUIRED_NETWORK_ROLES or user.is_staff or user.is_superuser


def mfa_enrolled(user) -> bool:
    if is_mfa_enabled(user, [Authenticator.Type.TOTP]):
        return True
    return bool(settings.MFA_DEMO_ENROLMENT_ALLOWED and user.demo_mfa_enrolled)


def mfa_requirement_met(user) -> bool:
    return not mfa_required(user) or mfa_enrolled(user)
