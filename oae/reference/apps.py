from django.apps import AppConfig


class ReferenceConfig(AppConfig):
    name = "oae.reference"
    label = "reference"

    def ready(self) -> None:
        # Imported once apps are ready: the registry needs the models.
        from oae.privacy.registry import exempt_from_personal_data
        from oae.reference.models import CnaeActivity, SpanishMunicipality

        exempt_from_personal_data(CnaeActivity, reason="public reference data (CNAE-2009)")
        exempt_from_personal_data(
            SpanishMunicipality, reason="public reference data (INE municipality codes)"
        )
