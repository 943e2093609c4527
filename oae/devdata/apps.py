from django.apps import AppConfig


class DevdataConfig(AppConfig):
    name = "oae.devdata"
    label = "devdata"
