from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "oae.cases"
    label = "cases"
