"""Forms of the staffing plan's pages: the day a plan is read for, a position of the plan and
the post a member of staff holds. Ranges are the services' to refuse, with their reasons."""

from decimal import Decimal

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from oae.common.input import DayField, QueryForm
from oae.network.models import JOB_OF_OFFICE_ROLE, JobRole

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class FteField(forms.DecimalField):
    """A share of full-time posts as people type it: 1.5 or 1,5 (the comma is the decimal mark
    in Catalan and Spanish, whatever the browser's language), shown in the reader's notation.
    A text box, not a number box: a browser's number box drops what it cannot read, so "1,5"
    could reach the server as "15" (accepted: a plan may need 15 posts) and "abc" as nothing."""

    def __init__(self, **kwargs):
        kwargs.setdefault(
            "widget",
            forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
        )
        super().__init__(localize=True, **kwargs)

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip().replace(",", ".")
        return super().to_python(value)


def _job_choices() -> list[tuple[str, str]]:
    """The jobs as a list offers them: "Advisor" (a sentence writes "advisor")."""
    return [(value, capfirst(label)) for value, label in JobRole.choices]


def _plain(value: Decimal | None) -> Decimal | None:
    """1.00 → 1, 0.50 → 0.5: a share as the plan's pages write it."""
    if value is None:
        return None
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize()


class StaffingQueryForm(QueryForm):
    """`?on=2026-03-02`: the plan on that day (today when not given)."""

    on = DayField(label=_("On"), widget=DATE_INPUT)


class PositionForm(forms.Form):
    job_role = forms.ChoiceField(label=_("Job"), choices=_job_choices)
    fte = FteField(
        label=_("Full-time posts needed"),
        help_text=_("From 0.05 to 50: 1.5 is one full-time post and one half-time."),
    )


class MembershipPostForm(forms.Form):
    job_role = forms.ChoiceField(label=_("Job"), required=False)
    fte = FteField(
        label=_("Share of a full-time post"),
        help_text=_("From 0.05 to 1: 0.5 is half-time."),
    )
    starts_on = DayField(label=_("In post from"), widget=DATE_INPUT, help_text=_("Optional."))
    ends_on = DayField(label=_("In post until"), widget=DATE_INPUT, help_text=_("Optional."))

    def __init__(self, *args, membership, **kwargs):
        kwargs.setdefault(
            "initial",
            {
                "job_role": membership.job_role,
                "fte": _plain(membership.fte),
                "starts_on": membership.starts_on,
                "ends_on": membership.ends_on,
            },
        )
        super().__init__(*args, **kwargs)
        as_role = JobRole(JOB_OF_OFFICE_ROLE[membership.role]).label
        self.fields["job_role"].choices = [
            ("", _("As their access role: %(job)s") % {"job": as_role}),
            *_job_choices(),
        ]
