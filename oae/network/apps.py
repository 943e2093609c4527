from django.apps import AppConfig


class NetworkConfig(AppConfig):
    name = "oae.network"
    label = "network"

    def ready(self) -> None:
        # Imported once apps are ready: the registry needs the models.
        from oae.network import models
        from oae.privacy.registry import exempt_from_personal_data

        exempt_from_personal_data(
            models.Municipality,
            models.Office,
            models.OpeningPeriod,
            reason="the network's public data: towns, offices, opening hours",
        )
        exempt_from_personal_data(models.Membership, reason="staff roles in an office")
