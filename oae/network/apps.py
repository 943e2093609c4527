from django.apps import AppConfig


class NetworkConfig(AppConfig):
    name = "oae.network"
    label = "network"
