from django.apps import AppConfig


class CommonConfig(AppConfig):
    default = True
    name = "oae.common"
    label = "common"

    def ready(self) -> None:
        # Imported once apps are ready: it registers the `__any` lookup on Django's fields.
        # Before any URL map is read: every urls.py names these path converters.
        from oae.common import (
            converters,
            lookups,  # noqa: F401
        )

        converters.register()
