from django.apps import AppConfig


class CatalogueConfig(AppConfig):
    name = "oae.catalogue"
    label = "catalogue"

    def ready(self) -> None:
        from django.apps import apps

        # Before any URL map is read: the catalogue's urls name the `<kind:…>` converter.
        from oae.catalogue import converters

        converters.register()

        # Imported once apps are ready: the registry needs the models.
        from oae.privacy.registry import exempt_from_personal_data

        exempt_from_personal_data(
            *apps.get_app_config(self.label).get_models(),
            reason="the operating model's content and its search index: no client data",
        )
