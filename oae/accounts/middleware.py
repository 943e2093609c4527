"""Per-user language, and the MFA enrolment gate for roles that require it."""

from django.conf import settings
from django.shortcuts import redirect
from django.urls import Resolver404, resolve
from django.utils import translation

from oae.accounts.security import mfa_requirement_met

# Pages a user who still has to enrol in MFA may reach: enrolment itself, sign-out, basics.
_ENROLMENT_OPEN_PREFIXES = ("mfa_", "account_")
_ENROLMENT_OPEN_NAMES = {"healthz", "set_language", "home"}


class UserLanguageMiddleware:
    """A signed-in user's saved language wins unless they chose another one in this browser."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated and settings.LANGUAGE_COOKIE_NAME not in request.COOKIES:
            translation.activate(user.language)
            request.LANGUAGE_CODE = user.language
        return self.get_response(request)


class MfaEnrolmentMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated and not self._is_open(request):
            if not mfa_requirement_met(request.user):
                return redirect("mfa_activate_totp")
        return self.get_response(request)

    @staticmethod
    def _is_open(request) -> bool:
        if request.path.startswith(
            settings.STATIC_URL
            if settings.STATIC_URL.startswith("/")
            else "/" + settings.STATIC_URL
        ):
            return True
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return True
        name = match.view_name
        return name in _ENROLMENT_OPEN_NAMES or name.startswith(_ENROLMENT_OPEN_PREFIXES)
