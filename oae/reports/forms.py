"""The period a dashboard shows, as its filter form says it (kept in the URL)."""

import datetime
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from oae.common.input import QueryForm
from oae.reports import periods
from oae.reports.kpis import KPIS

MAX_RANGE_DAYS = 3 * 366
FIRST_YEAR, LAST_YEAR = 2000, 2100


class PeriodForm(forms.Form):
    """A year, a quarter or a month of a year, or a range of days; the year to date when
    nothing is said."""

    kind = forms.ChoiceField(
        label=_("Period"),
        required=False,
        choices=[
            ("year", _("a year")),
            ("quarter", _("a quarter")),
            ("month", _("a month")),
            ("range", _("days from … to …")),
        ],
    )
    year = forms.IntegerField(
        label=_("Year"), required=False, min_value=FIRST_YEAR, max_value=LAST_YEAR
    )
    number = forms.IntegerField(
        label=_("Quarter (1–4) or month (1–12)"), required=False, min_value=1, max_value=12
    )
    start = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, today: datetime.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("kind") or "year"
        if kind in ("quarter", "month") and not cleaned.get("number"):
            raise ValidationError(_("Say which quarter (1–4) or month (1–12)."))
        if kind == "quarter" and (cleaned.get("number") or 0) > 4:
            raise ValidationError(_("A quarter is 1, 2, 3 or 4."))
        if kind == "range":
            start, end = cleaned.get("start"), cleaned.get("end")
            if not (start and end):
                raise ValidationError(_("Give the first and the last day."))
            if start > end:
                raise ValidationError(_("The first day is after the last."))
            if (end - start).days > MAX_RANGE_DAYS:
                raise ValidationError(_("Choose at most three years."))
        return cleaned

    def period(self) -> periods.Period:
        """The period chosen; the year to date when the form says none or is not valid."""
        if not self.is_valid():
            return periods.year_to_date(self.today)
        data = self.cleaned_data
        kind, year = data.get("kind") or "year", data.get("year") or self.today.year
        if kind == "quarter":
            return periods.quarter(year, data["number"])
        if kind == "month":
            return periods.month(year, data["number"])
        if kind == "range":
            return periods.Period(data["start"], data["end"])
        if year == self.today.year:
            return periods.year_to_date(self.today)
        return periods.year(year)


class FiguresForm(forms.Form):
    """Which figures a table shows (all when none is chosen)."""

    figures = forms.MultipleChoiceField(
        label=_("Figures"),
        required=False,
        choices=[(kpi.code, kpi.name) for kpi in KPIS],
        widget=forms.CheckboxSelectMultiple,
    )


class FigureQueryForm(QueryForm):
    """Which figure the offices are compared on, and a download's format."""

    figure = forms.ChoiceField(
        required=False, initial="people_served", choices=[(k.code, k.name) for k in KPIS]
    )
    format = forms.ChoiceField(required=False, choices=[("", ""), ("csv", "CSV"), ("xlsx", "XLSX")])


class BreakdownQueryForm(QueryForm):
    """Which of a dashboard's breakdowns a download is of."""

    breakdown = forms.ChoiceField(
        required=False,
        choices=[("", ""), ("channel", ""), ("financing_type", ""), ("financing_source", "")],
    )


class OfficeQueryForm(QueryForm):
    """The office a network role looks at (its public id)."""

    office = forms.UUIDField(required=False)


class YearQueryForm(QueryForm):
    """The year a goals page is about (this year when none is said)."""

    year = forms.IntegerField(required=False, min_value=FIRST_YEAR, max_value=LAST_YEAR)


GOAL_MAX = Decimal("999999999999")


def _goal_field(label) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        required=False,
        min_value=0,
        max_value=GOAL_MAX,
        decimal_places=1,
        widget=forms.NumberInput(attrs={"step": "0.1", "min": "0"}),
    )


class NetworkGoalsForm(forms.Form):
    """The network's goal of each figure, to share among the offices by population."""

    def __init__(self, *args, kpis, **kwargs):
        super().__init__(*args, **kwargs)
        for kpi in kpis:
            self.fields[kpi.code] = _goal_field(kpi.name)

    def targets(self) -> dict:
        return {code: value for code, value in self.cleaned_data.items() if value is not None}

    def clean(self):
        cleaned = super().clean()
        if not any(value is not None for value in cleaned.values()):
            raise ValidationError(_("Give the network's goal of at least one figure."))
        return cleaned


class GoalGridForm(forms.Form):
    """Each office's goal of each figure, as the coordinator edits them."""

    def __init__(self, *args, offices, kpis, goals: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.keys = {}
        for office in offices:
            for kpi in kpis:
                name = f"goal_{office.pk}_{kpi.code}"
                self.fields[name] = _goal_field(f"{office.name}: {kpi.name}")
                self.fields[name].initial = goals.get((office.pk, kpi.code))
                self.keys[name] = (office.pk, kpi.code)

    def targets(self) -> dict:
        return {
            self.keys[name]: value for name, value in self.cleaned_data.items() if value is not None
        }


class GoalActionForm(forms.Form):
    """The button pressed on the goals page."""

    action = forms.ChoiceField(
        required=False,
        choices=[("", ""), ("propose", "propose"), ("save", "save"), ("approve", "approve")],
    )
    confirm = forms.BooleanField(required=False)
