from django.apps import AppConfig


class ReferenceConfig(AppConfig):
    name = "oae.reference"
    label = "reference"
