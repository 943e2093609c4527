"""Forms for network data; validation messages name the field and the fix."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from oae.common.concurrency import VersionedForm, VersionField
from oae.common.input import DayField, PageField, QueryForm, SearchField
from oae.network.models import (
    Municipality,
    Office,
    OfficeRole,
    OfficeStatus,
    ServedLanguage,
    Weekday,
)
from oae.network.services import MUNICIPALITY_FIELDS, OFFICE_FIELDS, Period
from oae.network.validators import normalise_phone


class MunicipalityForm(forms.ModelForm):
    class Meta:
        model = Municipality
        fields = MUNICIPALITY_FIELDS


class OfficeForm(VersionedForm, forms.ModelForm):
    languages = forms.MultipleChoiceField(
        label=_("Languages served"),
        choices=ServedLanguage.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    lock_version = VersionField()

    class Meta:
        model = Office
        fields = OFFICE_FIELDS
        help_texts = {
            "latitude": _("Decimal degrees, for example 41.3851."),
            "longitude": _("Decimal degrees, for example 2.1734."),
        }

    def __init__(self, *args, can_change_status: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.require_version(self.instance.lock_version)
        if not can_change_status:
            # Managers keep their office's details up to date; status and town are the network's.
            del self.fields["status"]
            del self.fields["municipality"]

    def clean_postal_code(self) -> str:
        value = self.cleaned_data["postal_code"].strip()
        if len(value) != 5 or not value.isdigit() or not 1 <= int(value[:2]) <= 52:
            raise ValidationError(
                _("A postal code has 5 digits and starts with a province code, for example 08019.")
            )
        return value

    def clean_phone(self) -> str:
        value = self.cleaned_data["phone"].strip()
        return normalise_phone(value) if value else ""

    def clean(self):
        cleaned = super().clean()
        latitude, longitude = cleaned.get("latitude"), cleaned.get("longitude")
        if (
            (latitude is None) != (longitude is None)
            and not self.errors.get("latitude")
            and not self.errors.get("longitude")
        ):
            raise ValidationError(_("Give both latitude and longitude, or neither."))
        return cleaned

    def office_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields if name in self.fields}


class OpeningPeriodForm(forms.Form):
    # A blank first choice keeps the spare rows empty, so the formset skips them.
    weekday = forms.TypedChoiceField(
        label=_("Day"), choices=[("", "—"), *Weekday.choices], coerce=int, empty_value=None
    )
    opens = forms.TimeField(label=_("Opens"), widget=forms.TimeInput(attrs={"type": "time"}))
    closes = forms.TimeField(label=_("Closes"), widget=forms.TimeInput(attrs={"type": "time"}))

    def clean(self):
        cleaned = super().clean()
        opens, closes = cleaned.get("opens"), cleaned.get("closes")
        if opens and closes and opens >= closes:
            raise ValidationError(_("The closing time must be later than the opening time."))
        return cleaned


# A few periods a day, every day; more forms are refused before any is built.
MAX_PERIODS = 30
OpeningPeriodFormSet = forms.formset_factory(
    OpeningPeriodForm, extra=2, can_delete=True, max_num=MAX_PERIODS, absolute_max=MAX_PERIODS
)


def periods_from_formset(formset) -> list[Period]:
    return [
        Period(
            weekday=form.cleaned_data["weekday"],
            opens=form.cleaned_data["opens"],
            closes=form.cleaned_data["closes"],
        )
        for form in formset.forms
        if form.has_changed() and form.cleaned_data and not form.cleaned_data.get("DELETE")
    ]


def formset_initial(office: Office) -> list[dict]:
    return [
        {"weekday": p.weekday, "opens": p.opens, "closes": p.closes}
        for p in office.opening_periods.all()
    ]


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("E-mail"))
    first_name = forms.CharField(label=_("First name"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Surnames"), max_length=150, required=False)
    role = forms.ChoiceField(
        label=_("Role"), choices=OfficeRole.choices, initial=OfficeRole.ADVISOR
    )


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=OfficeRole.choices)


class OfficeFilterForm(forms.Form):
    search = forms.CharField(label=_("Search"), required=False)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All statuses")), *OfficeStatus.choices]
    )
    municipality = forms.ChoiceField(label=_("Municipality"), required=False, choices=[])

    def __init__(self, *args, municipalities=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].choices = [("", _("All municipalities"))] + [
            (m.ine_code, m.name) for m in municipalities
        ]


class AuditFilterForm(forms.Form):
    actor = forms.CharField(label=_("Who (e-mail)"), required=False, max_length=254)
    action = forms.ChoiceField(label=_("Action"), required=False, choices=[])
    office = forms.ChoiceField(label=_("Office"), required=False, choices=[])
    # Days of the calendar the application keeps: the selector reads up to the day after.
    date_from = DayField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    date_to = DayField(label=_("To"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, actions=(), offices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = [("", _("All actions"))] + [(a, a) for a in actions]
        self.fields["office"].choices = [("", _("All offices"))] + [
            (str(o.public_id), str(o)) for o in offices
        ]

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            raise forms.ValidationError(_("The start date must not be after the end date."))
        return cleaned


class MunicipalitySearchForm(QueryForm):
    search = SearchField(max_length=100)
    page = PageField()


class HomeQueryForm(QueryForm):
    """The municipality whose open offices the public home page shows (all when none)."""

    municipality = forms.RegexField(r"^[0-9]{5}$", required=False)
