from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class AccountsConfig(AppConfig):
    name = "oae.accounts"
    label = "accounts"

    def ready(self) -> None:
        # Imported once apps are ready: the receivers and the registry need the models.
        from oae.accounts import receivers  # noqa: F401
        from oae.accounts.models import User
        from oae.privacy.registry import exempt_from_personal_data

        exempt_from_personal_data(
            User,
            reason="sign-in accounts of staff and citizens, kept by their owners on the profile "
            "page; not client records",
        )


class OaeAdminConfig(admin_apps.AdminConfig):
    """Django's admin, with our site class (allauth login, MFA required)."""

    default = False
    default_site = "oae.accounts.admin_site.OaeAdminSite"
