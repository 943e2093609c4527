"""django-allauth hooks: audit failed logins and lock-outs."""

from allauth.account.adapter import DefaultAccountAdapter
from django.core.exceptions import ValidationError

from oae.common.clientip import rate_limit_key
from oae.privacy.services import audit_record


class AccountAdapter(DefaultAccountAdapter):
    def get_client_ip(self, request) -> str:
        """Sign-in throttling counts clients by the rule every rate limit uses."""
        return rate_limit_key(request)

    def pre_authenticate(self, request, **credentials) -> None:
        try:
            super().pre_authenticate(request, **credentials)
        except ValidationError:
            audit_record(action="auth.lockout", actor_label=credentials.get("email", "")[:254])
            raise

    def authentication_failed(self, request, **credentials) -> None:
        audit_record(action="auth.login_failed", actor_label=credentials.get("email", "")[:254])
