"""The network's annual goals: per office and figure, proposed from each municipality's share
of the network's population, edited by the coordinator, then approved (and fixed)."""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class GoalPlan(models.Model):
    """A year's goals: a draft until the coordinator approves it."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-year"]
        verbose_name = _("goals of a year")
        verbose_name_plural = _("goals of the years")

    def __str__(self) -> str:
        return str(self.year)

    @property
    def approved(self) -> bool:
        return self.approved_at is not None


class Goal(models.Model):
    """An office's goal for one figure in a year (a figure's code, as `reports.kpis` names
    it)."""

    plan = models.ForeignKey(GoalPlan, on_delete=models.CASCADE, related_name="goals")
    office = models.ForeignKey("network.Office", on_delete=models.CASCADE, related_name="+")
    kpi = models.CharField(_("figure"), max_length=40)
    target = models.DecimalField(
        _("goal"), max_digits=14, decimal_places=1, validators=[MinValueValidator(0)]
    )

    class Meta:
        ordering = ["office__name", "kpi"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "office", "kpi"], name="reports_goal_unique"),
            models.CheckConstraint(condition=Q(target__gte=0), name="reports_goal_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.office} · {self.kpi} · {self.target}"
