"""The admin site: staff accounts only, signed in through allauth, with MFA enrolled."""

from allauth.account.decorators import secure_admin_login
from django.contrib import admin

from oae.accounts.security import mfa_requirement_met


class OaeAdminSite(admin.AdminSite):
    site_header = "Xarxa OAE"
    site_title = "Xarxa OAE admin"

    def has_permission(self, request) -> bool:
        return super().has_permission(request) and mfa_requirement_met(request.user)

    def login(self, request, extra_context=None):
        return secure_admin_login(super().login)(request, extra_context)
