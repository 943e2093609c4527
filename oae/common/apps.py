from django.apps import AppConfig


class CommonConfig(AppConfig):
    default = True
    name = "oae.common"
    label = "common"

    def ready(self) -> None:
        # Imported once apps are ready: it registers the `__any` lookup on Django's fields.
        from oae.common import lookups  # noqa: F401
