from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "oae.reports"
    label = "reports"
    verbose_name = "Reports"
