from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class CommonConfig(AppConfig):
    default = True
    name = "oae.common"
    label = "common"

    def ready(self) -> None:
        from oae.common import lookups  # noqa: F401 - registers `__any`


class OaeAdminConfig(admin_apps.AdminConfig):
    """Django's admin, with our site class (allauth login, MFA required)."""

    default = False
    default_site = "oae.common.admin_site.OaeAdminSite"
