from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "oae.privacy"
    label = "privacy"
