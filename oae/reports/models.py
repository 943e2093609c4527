"""The network's annual goals: per office and figure, proposed from each municipality's share
of the network's population, edited by the coordinator, then approved (and fixed); and the
monthly reports' PDFs."""

import uuid

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


class MonthlyReport(models.Model):
    """The PDF of a month's figures: an office's (office set) or the network's (no office).
    One per office and month, the network's included: generating a month again replaces its
    file and keeps the row, so its public id (the e-mailed link) stays the same."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    office = models.ForeignKey(
        "network.Office", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    month = models.PositiveSmallIntegerField(_("month"))
    file = models.FileField(_("file"), upload_to="reports/%Y/")
    generated_at = models.DateTimeField(_("generated"))
    size = models.PositiveIntegerField(_("size in bytes"))
    # When its readers were sent the link: once, however often the month is generated again.
    announced_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("monthly report")
        verbose_name_plural = _("monthly reports")
        constraints = [
            models.UniqueConstraint(
                fields=["office", "year", "month"], name="reports_monthly_one_per_office"
            ),
            # NULLs are distinct in a unique constraint: the network's report needs its own.
            models.UniqueConstraint(
                fields=["year", "month"],
                condition=Q(office__isnull=True),
                name="reports_monthly_one_for_the_network",
            ),
            models.CheckConstraint(
                condition=Q(month__gte=1, month__lte=12), name="reports_monthly_month_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.office or _('the network')} · {self.year}-{self.month:02d}"


class RollupPeriod(models.Model):
    """A standard period (month, quarter, year, year to date) whose figures are kept computed
    (`reports.rollups`), for the offices reported when it was computed (`offices_key`)."""

    start = models.DateField()
    end = models.DateField()
    offices_key = models.CharField(max_length=64)
    computed_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["start", "end"], name="reports_rollup_one_per_period")
        ]

    def __str__(self) -> str:
        return f"{self.start} – {self.end}"


class FigureRollup(models.Model):
    """A figure of a rolled period: one office's (office set) or the network's total, whole or
    one of its parts."""

    period = models.ForeignKey(RollupPeriod, on_delete=models.CASCADE, related_name="figures")
    kpi = models.CharField(max_length=40)
    office = models.ForeignKey(
        "network.Office", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    # A part of the figure ("channel:phone", "financing_type:loan"), or blank: the whole.
    part = models.CharField(max_length=250, blank=True, default="")
    value = models.DecimalField(max_digits=20, decimal_places=4, null=True)
    people = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["period", "kpi", "office", "part"], name="reports_rollup_one_per_office"
            ),
            models.UniqueConstraint(
                fields=["period", "kpi", "part"],
                condition=Q(office__isnull=True),
                name="reports_rollup_one_total",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.period} · {self.kpi} · {self.office_id or 'all'}"


class TouchedDays(models.Model):
    """Days whose figures a write has changed since the rollups were last refreshed, from
    `first` to `last` (none: every day after `first`). Written by database triggers on the
    figures' source tables (see the migration that creates them), so that no write escapes:
    bulk updates, merges and COPY included."""

    first = models.DateField()
    last = models.DateField(null=True)

    def __str__(self) -> str:
        return f"{self.first} – {self.last or '…'}"
