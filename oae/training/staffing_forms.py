"""Forms of the staffing plan's pages: the day a plan is read for, a position of the plan and
the post a member of staff holds. Ranges are the services' to refuse, with their reasons."""

from django import forms
from django.utils.translation import gettext_lazy as _

from oae.common.input import DayField, QueryForm
from oae.network.models import JOB_OF_OFFICE_ROLE, JobRole

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _fte_input(highest: str) -> forms.NumberInput:
    return forms.NumberInput(attrs={"step": "0.05", "min": "0.05", "max": highest})


class StaffingQueryForm(QueryForm):
    """`?on=2026-03-02`: the plan on that day (today when not given)."""

    on = DayField(label=_("On"), widget=DATE_INPUT)


class PositionForm(forms.Form):
    job_role = forms.ChoiceField(label=_("Job"), choices=JobRole.choices)
    fte = forms.DecimalField(
        label=_("Full-time posts needed"),
        help_text=_("From 0.05 to 50: 1.5 is one full-time post and one half-time."),
        widget=_fte_input("50"),
    )


class MembershipPostForm(forms.Form):
    job_role = forms.ChoiceField(label=_("Job"), required=False)
    fte = forms.DecimalField(
        label=_("Share of a full-time post"),
        help_text=_("From 0.05 to 1: 0.5 is half-time."),
        widget=_fte_input("1"),
    )
    starts_on = DayField(label=_("In post from"), widget=DATE_INPUT, help_text=_("Optional."))
    ends_on = DayField(label=_("In post until"), widget=DATE_INPUT, help_text=_("Optional."))

    def __init__(self, *args, membership, **kwargs):
        kwargs.setdefault(
            "initial",
            {
                "job_role": membership.job_role,
                "fte": membership.fte,
                "starts_on": membership.starts_on,
                "ends_on": membership.ends_on,
            },
        )
        super().__init__(*args, **kwargs)
        as_role = JobRole(JOB_OF_OFFICE_ROLE[membership.role]).label
        self.fields["job_role"].choices = [
            ("", _("As their access role: %(job)s") % {"job": as_role}),
            *JobRole.choices,
        ]
