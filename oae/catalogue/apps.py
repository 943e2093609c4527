from django.apps import AppConfig


class CatalogueConfig(AppConfig):
    name = "oae.catalogue"
    label = "catalogue"
