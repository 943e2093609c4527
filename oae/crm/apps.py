from django.apps import AppConfig


class CrmConfig(AppConfig):
    name = "oae.crm"
    label = "crm"
