"""Forms of case management: they parse and check input; rules live in the services."""

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from oae.cases.models import (
    MAX_SESSION_MINUTES,
    TITLE_MAX_LENGTH,
    AppointmentStatus,
    CaseState,
    Channel,
    ClosingReason,
    FinancingType,
    OutcomeKind,
    ReferralStatus,
    SharedPart,
    Verification,
    Weekday,
)
from oae.cases.selectors import CaseFilters
from oae.common.concurrency import VersionedForm, VersionField
from oae.common.input import (
    DayField,
    FlagField,
    NextField,
    PageField,
    PublicIdField,
    QueryForm,
    RecordIdField,
    SearchField,
)


class DateInput(forms.DateInput):
    input_type = "date"


class TimeInput(forms.TimeInput):
    input_type = "time"


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def format_value(self, value):
        if isinstance(value, datetime.datetime):
            local = timezone.localtime(value) if timezone.is_aware(value) else value
            return local.strftime("%Y-%m-%dT%H:%M")
        return value


class UserChoiceField(forms.ChoiceField):
    """One of the users the form is given (an office's advisors, say): offered by name,
    cleaned to the user itself, so a view never looks the user up again."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.users = {}

    def set_users(self, users) -> None:
        self.users = {str(user.pk): user for user in users}
        self.choices = [(key, str(user)) for key, user in self.users.items()]

    def clean(self, value):
        return self.users.get(super().clean(value))


class CaseOpenForm(forms.Form):
    service = forms.ChoiceField(label=_("Service"))
    advisor = UserChoiceField(label=_("Advisor"))

    def __init__(self, *args, services: list[tuple[str, str]], advisors, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service"].choices = services
        self.fields["advisor"].set_users(advisors)


class SessionForm(forms.Form):
    """Quick entry: a phone call is logged with the defaults and two fields."""

    started_at = forms.DateTimeField(label=_("When"), widget=DateTimeInput)
    duration_minutes = forms.IntegerField(
        label=_("Minutes"), min_value=1, max_value=MAX_SESSION_MINUTES, initial=30
    )
    channel = forms.ChoiceField(label=_("Channel"), choices=Channel.choices, initial="phone")
    topics = forms.CharField(label=_("Topics"), max_length=300, required=False)
    private_notes = forms.CharField(
        label=_("Private notes (only your office sees them)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    step_id = forms.ChoiceField(label=_("Step"), required=False)
    file = forms.FileField(label=_("Attach a file"), required=False)

    def __init__(self, *args, steps=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["step_id"].choices = [("", "—")] + list(steps)
        self.fields["started_at"].initial = timezone.localtime().replace(second=0, microsecond=0)


class TaskForm(forms.Form):
    title = forms.CharField(label=_("Task"), max_length=TITLE_MAX_LENGTH)
    due_on = forms.DateField(label=_("Due"), widget=DateInput)
    assignee = UserChoiceField(label=_("Assigned to"))

    def __init__(self, *args, advisors=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].set_users(advisors)


class AttachmentForm(forms.Form):
    file = forms.FileField(label=_("Document"))
    step_id = forms.ChoiceField(label=_("Step"), required=False)

    def __init__(self, *args, steps=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["step_id"].choices = [("", "—")] + list(steps)


class OutcomeForm(forms.Form):
    kind = forms.ChoiceField(label=_("Outcome"), choices=OutcomeKind.choices)
    occurred_on = forms.DateField(label=_("Date"), widget=DateInput)
    company = forms.ChoiceField(label=_("Company"), required=False)
    jobs_fte = forms.DecimalField(
        label=_("Jobs (full-time equivalents, owner included)"),
        required=False,
        max_digits=7,
        decimal_places=2,
    )
    amount = forms.DecimalField(
        label=_("Amount (€)"), required=False, max_digits=12, decimal_places=2
    )
    financing_type = forms.ChoiceField(
        label=_("Type of financing"), choices=[("", "—"), *FinancingType.choices], required=False
    )
    source = forms.CharField(label=_("Source"), max_length=200, required=False)
    description = forms.CharField(label=_("Description"), max_length=300, required=False)
    verification = forms.ChoiceField(
        label=_("Verification"), choices=Verification.choices, initial=Verification.DECLARED
    )
    evidence = forms.FileField(label=_("Evidence"), required=False)

    def __init__(self, *args, companies=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.companies = {str(c.public_id): c for c in companies}
        self.fields["company"].choices = [("", "—")] + [
            (key, str(c)) for key, c in self.companies.items()
        ]

    def outcome_data(self) -> dict:
        data = {k: v for k, v in self.cleaned_data.items() if k != "evidence"}
        data["company"] = self.companies.get(data["company"])
        return data


class CaseUpdateForm(VersionedForm, forms.Form):
    version_field, version_required = "version", True

    state = forms.ChoiceField(
        label=_("State"),
        choices=[(CaseState.IN_PROGRESS, _("in progress")), (CaseState.ON_HOLD, _("on hold"))],
    )
    advisor = UserChoiceField(label=_("Advisor"))
    version = VersionField()

    def __init__(self, *args, advisors=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["advisor"].set_users(advisors)


class StepDoneForm(VersionedForm, forms.Form):
    """Mark a step done: only the version of the case the page showed."""

    version_field, version_required = "version", True
    version = VersionField()


class CloseForm(VersionedForm, forms.Form):
    version_field, version_required = "version", True

    reason = forms.ChoiceField(label=_("Why is it closed?"), choices=ClosingReason.choices)
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    version = VersionField()


class ReopenForm(VersionedForm, forms.Form):
    version_field, version_required = "version", True

    reason = forms.CharField(label=_("Why is it reopened?"), max_length=300)
    version = VersionField()


class ReferralForm(forms.Form):
    to_office = forms.ChoiceField(label=_("Office"))
    service = forms.ChoiceField(label=_("Service"))
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))
    shared = forms.MultipleChoiceField(
        label=_("The other office may see"),
        choices=SharedPart.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        initial=[SharedPart.CONTACT, SharedPart.SUMMARY],
    )
    consent = forms.BooleanField(
        label=_("The client agrees to be referred and to share what is ticked above"),
        required=False,
    )

    def __init__(self, *args, offices=(), services=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.offices = {str(o.public_id): o for o in offices}
        self.fields["to_office"].choices = [(k, o.name) for k, o in self.offices.items()]
        self.fields["service"].choices = list(services)


class ReferralAnswerForm(forms.Form):
    answer = forms.ChoiceField(
        label=_("Answer"), choices=[("accept", _("Accept")), ("decline", _("Decline"))]
    )
    note = forms.CharField(
        label=_("Note (required to decline)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class AppointmentForm(forms.Form):
    advisor = UserChoiceField(label=_("Advisor"))
    # A day of the calendar the application keeps: its start and end are computed from it.
    date = DayField(label=_("Date"), widget=DateInput, required=True)
    starts = forms.TimeField(label=_("Time"), widget=TimeInput)
    minutes = forms.IntegerField(label=_("Minutes"), min_value=5, max_value=8 * 60, initial=60)
    channel = forms.ChoiceField(label=_("Channel"), choices=Channel.choices)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args, advisors=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["advisor"].set_users(advisors)

    def period(self) -> tuple[datetime.datetime, datetime.datetime]:
        start = timezone.make_aware(
            datetime.datetime.combine(self.cleaned_data["date"], self.cleaned_data["starts"])
        )
        return start, start + datetime.timedelta(minutes=self.cleaned_data["minutes"])


class SlotForm(forms.Form):
    weekday = forms.TypedChoiceField(label=_("Day"), choices=Weekday.choices, coerce=int)
    starts = forms.TimeField(label=_("From"), widget=TimeInput)
    ends = forms.TimeField(label=_("To"), widget=TimeInput)


SlotFormSet = forms.formset_factory(SlotForm, extra=2, can_delete=True, max_num=30, absolute_max=30)


class AwayForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=DateInput)
    starts = forms.TimeField(label=_("From (empty: whole day)"), widget=TimeInput, required=False)
    ends = forms.TimeField(label=_("To"), widget=TimeInput, required=False)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)


class SurveyForm(forms.Form):
    score = forms.TypedChoiceField(
        label=_(
            "From 0 to 10, how likely are you to recommend the office to someone starting a "
            "business?"
        ),
        choices=[(n, str(n)) for n in range(11)],
        coerce=int,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Anything you want to tell us (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


# Query strings, and what a page posts that nobody types (read with `oae.common.input`: a value
# that does not parse is a 400) ----------------------------------------------------------------


class ClientQueryForm(QueryForm):
    """The client, and the case, a page is opened for (`?person=…&company=…&case=…`)."""

    person = PublicIdField()
    company = PublicIdField()
    case = PublicIdField()


class CaseFilterForm(QueryForm):
    """The case list's filters; with no state asked for, the cases not closed."""

    state = forms.ChoiceField(
        required=False,
        initial="active",
        choices=[("active", "active"), ("", ""), *CaseState.choices],
    )
    service = forms.SlugField(required=False, max_length=80)
    advisor = RecordIdField()
    overdue = FlagField()
    to = DayField()
    search = SearchField(max_length=30)
    page = PageField()


def case_filters(query: dict) -> CaseFilters:
    """The filters of a query read by `CaseFilterForm`."""
    return CaseFilters(
        state=query["state"],
        service=query["service"],
        advisor=str(query["advisor"] or ""),
        overdue=query["overdue"],
        opened_from=query["from"],
        opened_to=query["to"],
        search=query["search"],
    )


# "from" is a Python keyword: the field is declared by its name.
CaseFilterForm.base_fields["from"] = DayField()


class AgendaQueryForm(QueryForm):
    """Whose week, and which (any day of it; this week when none)."""

    advisor = RecordIdField()
    week = DayField()


class ReferralInboxForm(QueryForm):
    """The inbox shows one status (pending ones unless asked), or every one when empty."""

    status = forms.ChoiceField(
        required=False,
        initial=ReferralStatus.PENDING,
        choices=[("", ""), *ReferralStatus.choices],
    )


class StepTickForm(forms.Form):
    item = forms.IntegerField(min_value=0, max_value=1000)
    done = FlagField()


class TaskDoneForm(forms.Form):
    done = FlagField()
    next = NextField()


class AppointmentStatusForm(forms.Form):
    status = forms.ChoiceField(choices=AppointmentStatus.choices)
