"""The joint database's forms: they parse input; crm.services validates and saves."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from oae.common.concurrency import VersionedForm, VersionField
from oae.common.input import BadInput, QueryForm, SearchField
from oae.crm.imports.rows import IMPORT_LABELS
from oae.crm.models import (
    Company,
    ConsentEvent,
    ImportJob,
    LawfulBasis,
    LegalForm,
    Person,
    Purpose,
    Relation,
    Stage,
)
from oae.crm.selectors import MERGE_FIELDS, CompanyFilters
from oae.crm.services import COMPANY_FIELDS, PERSON_FIELDS
from oae.crm.validators import EARLIEST_BIRTH_YEAR, normalise_tax_id
from oae.reference.models import CnaeActivity, CnaeLevel

CURRENT_NOTICE = "2026-01"


class PersonForm(VersionedForm, forms.ModelForm):
    lock_version = VersionField()
    confirm_not_duplicate = forms.BooleanField(
        label=_("I have checked: this is a different person"), required=False
    )

    class Meta:
        model = Person
        fields = PERSON_FIELDS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["birth_year"].widget.attrs.update(
            {"min": EARLIEST_BIRTH_YEAR, "max": timezone.localdate().year}
        )
        if self.instance.pk:
            self.require_version(self.instance.lock_version)
            del self.fields["confirm_not_duplicate"]

    def _post_clean(self):
        # The service validates and normalises; the form only parses input.
        pass

    def person_data(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in PERSON_FIELDS}


class CompanyForm(VersionedForm, forms.ModelForm):
    lock_version = VersionField()

    class Meta:
        model = Company
        fields = COMPANY_FIELDS
        widgets = {"start_date": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cnae"].queryset = CnaeActivity.objects.filter(level=CnaeLevel.CLASS)
        if self.instance.pk:
            self.require_version(self.instance.lock_version)

    def _post_clean(self):
        pass

    def company_data(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in COMPANY_FIELDS}


class ConsentForm(forms.Form):
    purpose = forms.ChoiceField(label=_("Purpose"), choices=Purpose.choices)
    action = forms.ChoiceField(label=_("Consent"), choices=ConsentEvent.Action.choices)
    lawful_basis = forms.ChoiceField(label=_("Lawful basis"), choices=LawfulBasis.choices)
    notice_version = forms.CharField(
        label=_("Privacy notice version"), max_length=20, initial=CURRENT_NOTICE
    )


class LinkCompanyForm(forms.Form):
    """The company is named by its NIF: a list of every company would not fit on a page."""

    tax_id = forms.CharField(label=_("Company NIF"), max_length=20)
    relation = forms.ChoiceField(label=_("Relation"), choices=Relation.choices)

    def __init__(self, *args, companies=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.companies = companies if companies is not None else Company.objects.none()

    def clean_tax_id(self):
        tax_id = normalise_tax_id(self.cleaned_data["tax_id"])
        company = self.companies.filter(tax_id=tax_id).first()
        if company is None:
            raise ValidationError(_("No company with this NIF is registered; register it first."))
        self.cleaned_data["company"] = company
        return tax_id


class CompanyFilterForm(forms.Form):
    search = SearchField(label=_("Search"), max_length=100)
    stage = forms.ChoiceField(
        label=_("Stage"), required=False, choices=[("", _("All stages")), *Stage.choices]
    )
    legal_form = forms.ChoiceField(
        label=_("Legal form"), required=False, choices=[("", _("All")), *LegalForm.choices]
    )
    cnae_section = forms.ChoiceField(label=_("Activity (CNAE)"), required=False, choices=[])
    office = forms.ChoiceField(label=_("Registering office"), required=False, choices=[])

    def __init__(self, *args, offices=(), **kwargs):
        super().__init__(*args, **kwargs)
        sections = CnaeActivity.objects.filter(level=CnaeLevel.SECTION).order_by("code")
        self.fields["cnae_section"].choices = [("", _("All"))] + [
            (s.code, f"{s.code} · {s.title}") for s in sections
        ]
        self.fields["office"].choices = [("", _("All offices"))] + [
            (str(o.public_id), o.name) for o in offices
        ]

    def filters(self) -> CompanyFilters:
        """The filters asked for; `BadInput` (a 400) for a query string that does not read."""
        if self.is_bound and not self.is_valid():
            raise BadInput(self.errors)
        data = self.cleaned_data if self.is_bound else {}
        return CompanyFilters(
            **{
                name: data.get(name) or ""
                for name in ("search", "stage", "legal_form", "cnae_section", "office")
            }
        )


class ImportUploadForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("The file lists"),
        choices=ImportJob.Kind.choices,
        initial=ImportJob.Kind.PEOPLE,
        widget=forms.RadioSelect,
        required=False,
    )

    def clean_kind(self) -> str:
        return self.cleaned_data["kind"] or ImportJob.Kind.PEOPLE

    file = forms.FileField(label=_("Spreadsheet (CSV or Excel .xlsx)"))


class ImportMappingForm(forms.Form):
    """For each importable field, the column that holds it (or none)."""

    def __init__(self, *args, headers: list[str], mapping: dict, kind: str, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", _("(not in the file)"))] + [
            (str(index), header or f"#{index + 1}") for index, header in enumerate(headers)
        ]
        for field, label in IMPORT_LABELS[kind].items():
            self.fields[field] = forms.ChoiceField(
                label=label, choices=choices, required=False, initial=str(mapping.get(field, ""))
            )

    def mapping(self) -> dict[str, int]:
        return {field: int(value) for field, value in self.cleaned_data.items() if value != ""}


class ImportQueryForm(QueryForm):
    """What the upload page's file lists, as a link asks (`?kind=companies`)."""

    kind = forms.ChoiceField(
        required=False, initial=ImportJob.Kind.PEOPLE, choices=ImportJob.Kind.choices
    )


class ImportRunForm(forms.Form):
    """The button pressed: a dry run, or the real one."""

    run = forms.ChoiceField(required=False, choices=[("", ""), ("dry", "dry"), ("real", "real")])


class MergeForm(forms.Form):
    """For each field, the record whose value the merged record keeps."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in MERGE_FIELDS:
            self.fields[name] = forms.ChoiceField(
                required=False, choices=[("survivor", "survivor"), ("other", "other")]
            )


def fields_from_other(choice: dict) -> set[str]:
    """The fields a `MergeForm` takes from the other record."""
    return {name for name, side in choice.items() if side == "other"}
