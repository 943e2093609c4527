from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "oae.reports"
    label = "reports"
    verbose_name = "Reports"

    def ready(self) -> None:
        # Imported once apps are ready: the registry names models.
        from oae.privacy.registry import exempt_from_personal_data
        from oae.reports import models

        for model in (models.GoalPlan, models.Goal):
            exempt_from_personal_data(model, reason="the network's goals per office: figures")
        # Its PDFs name offices and towns, never a client or a member of staff.
        exempt_from_personal_data(
            models.MonthlyReport, reason="the monthly reports: offices' and the network's figures"
        )
        for model in (models.RollupPeriod, models.FigureRollup, models.TouchedDays):
            exempt_from_personal_data(
                model, reason="the dashboards' rollups: offices' figures and days, no person"
            )
