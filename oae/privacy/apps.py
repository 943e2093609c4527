from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "oae.privacy"
    label = "privacy"

    def ready(self) -> None:
        # Imported once apps are ready: the registry's parts name models.
        from oae.privacy.models import AuditEvent
        from oae.privacy.registry import register_personal_data
        from oae.privacy.services import audit_labels_erase, audit_rows_about

        register_personal_data(
            domain="privacy",
            models=[AuditEvent],
            export=audit_rows_about,
            erase=audit_labels_erase,
        )
