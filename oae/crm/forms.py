"""The joint database's forms: they parse input; crm.services validates and saves."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from oae.common.concurrency import VersionedForm, VersionField
from oae.common.input import BadInput, QueryForm, SearchField
from oae.crm.imports.mapping import FIELDS as IMPORT_FIELDS
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
from oae.reference.models import CnaeActivity, CnaeLevel, SpanishMunicipality
from oae.reference.municipalities import find_municipality, match_problem

CURRENT_NOTICE = "2026-01"


# A date typed by hand is read day first, whatever the language; the browser's date picker
# sends year-month-day.
BIRTH_DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y"]


class PersonForm(VersionedForm, forms.ModelForm):
    lock_version = VersionField()
    # Typed, not chosen: Spain has 8,131 municipalities (oae.reference.municipalities reads it).
    other_municipality = forms.CharField(
        label=capfirst(Person._meta.get_field("other_municipality").verbose_name),
        required=False,
        max_length=150,
        help_text=_(
            "Anywhere in Spain, as you would write it: “Lleida”, “L'Hospitalet”, “Castellar "
            "(Jaén)” or its INE code. A network town written here is saved as one."
        ),
    )
    birth_date = forms.DateField(
        label=capfirst(Person._meta.get_field("birth_date").verbose_name),
        required=False,
        input_formats=BIRTH_DATE_FORMATS,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("When known; the year of birth is then taken from it."),
    )
    confirm_not_duplicate = forms.BooleanField(
        label=_("I have checked: this is a different person"), required=False
    )

    class Meta:
        model = Person
        fields = PERSON_FIELDS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        self.fields["birth_year"].widget.attrs.update(
            {"min": EARLIEST_BIRTH_YEAR, "max": today.year}
        )
        self.fields["birth_year"].help_text = _("Enough when the date is not known.")
        self.fields["birth_date"].widget.attrs.update(
            {"min": f"{EARLIEST_BIRTH_YEAR}-01-01", "max": today.isoformat()}
        )
        if self.instance.other_municipality_id:
            self.initial["other_municipality"] = str(self.instance.other_municipality)
        if self.instance.pk:
            self.require_version(self.instance.lock_version)
            del self.fields["confirm_not_duplicate"]

    def clean_other_municipality(self) -> SpanishMunicipality | None:
        """The municipality the text names, or an error saying how to write it."""
        text = self.cleaned_data["other_municipality"].strip()
        if not text:
            return None
        match = find_municipality(text)
        if not match.found:
            raise ValidationError(match_problem(text, match))
        municipality = (
            SpanishMunicipality.objects.select_related("network_municipality")
            .filter(ine_code=match.municipality.ine_code)
            .first()
        )
        if municipality is None:  # the reference data was never loaded here
            raise ValidationError(
                _("The municipalities of Spain are not loaded yet: ask an administrator.")
            )
        return municipality

    def _post_clean(self):
        # The service validates and normalises; the form only parses input.
        pass

    def person_data(self) -> dict:
        data = {name: self.cleaned_data.get(name) for name in PERSON_FIELDS}
        # A new date of birth brings its own year, unless the year was changed with it.
        changed = self.changed_data
        if data["birth_date"] and "birth_date" in changed and "birth_year" not in changed:
            data["birth_year"] = None
        return data


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

    file = forms.FileField(
        label=_("Spreadsheet"),
        help_text=_(
            "CSV (any encoding, separated by semicolons, commas or tabs), Excel (.xlsx, .xls) "
            "or LibreOffice (.ods)."
        ),
    )


class ImportMappingForm(forms.Form):
    """For each importable field, the column that holds it (or none); and whether the
    file's values replace the registered ones."""

    overwrite = forms.TypedChoiceField(
        label=_("When a registered value differs from the file's"),
        choices=[
            ("", _("Keep the registered value and list the difference (only blanks are filled)")),
            ("1", _("The file wins: replace the registered value")),
        ],
        coerce=bool,
        empty_value=False,
        required=False,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, headers: list[str], mapping: dict, kind: str, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", _("(not in the file)"))] + [
            (str(index), column_name(index, header)) for index, header in enumerate(headers)
        ]
        for field, label in IMPORT_FIELDS[kind].items():
            self.fields[field] = forms.ChoiceField(
                label=label, choices=choices, required=False, initial=str(mapping.get(field, ""))
            )
        self.order_fields([*IMPORT_FIELDS[kind], "overwrite"])

    def mapping(self) -> dict[str, int]:
        return {
            field: int(value)
            for field, value in self.cleaned_data.items()
            if field != "overwrite" and value != ""
        }

    def clean(self):
        cleaned = super().clean()
        columns = [v for k, v in cleaned.items() if k != "overwrite" and v not in ("", None)]
        if len(columns) != len(set(columns)):
            raise ValidationError(_("A column can hold one field only: choose it once."))
        return cleaned


def column_name(index: int, header: str) -> str:
    """A column as a spreadsheet names it (A, B, … AA), with its header."""
    letters, number = "", index + 1
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return f"{letters} · {header}" if header else letters


class ImportReadingForm(forms.Form):
    """Which sheet of the file, and which of its rows is the header."""

    sheet = forms.ChoiceField(label=_("Sheet"), required=False)
    header_row = forms.IntegerField(label=_("Header row"), min_value=1, max_value=1_000_000)

    def __init__(self, *args, sheets: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sheet"].choices = [(name, name or _("(the only one)")) for name in sheets]


class ImportQueryForm(QueryForm):
    """What the upload page's file lists, as a link asks (`?kind=companies`)."""

    kind = forms.ChoiceField(
        required=False, initial=ImportJob.Kind.PEOPLE, choices=ImportJob.Kind.choices
    )


class ImportRunForm(forms.Form):
    """The button pressed: a dry run, the real one, another reading of the file, or a stop."""

    run = forms.ChoiceField(
        required=False,
        choices=[
            ("", ""),
            ("dry", "dry"),
            ("real", "real"),
            ("reread", "reread"),
            ("cancel", "cancel"),
        ],
    )


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
