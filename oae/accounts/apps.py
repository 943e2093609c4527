from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class AccountsConfig(AppConfig):
    name = "oae.accounts"
    label = "accounts"

    def ready(self) -> None:
        # Imported once apps are ready: the receivers and the registry need the models.
        from oae.accounts import receivers  # noqa: F401
        from oae.accounts.models import User
        from oae.accounts.selectors import accounts_named_for
        from oae.privacy.registry import exempt_from_personal_data, register_audited_records

        exempt_from_personal_data(
            User,
            reason="sign-in accounts of staff and citizens, kept by their owners on the profile "
            "page; not client records",
        )
        # The audit trail names staff by e-mail, a citizen by reference.
        register_audited_records(User, readable_by=accounts_named_for)


class OaeAdminConfig(admin_apps.AdminConfig):
    """Django's admin, with our site class (allauth login, MFA required)."""

    default = False
    default_site = "oae.accounts.admin_site.OaeAdminSite"
