"""Forms of the advisory tools: numbers checked with messages that say what is wrong; the
coordinators' JSON editors; a citizen sending a result to an office."""

import json
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils import timezone
from django.utils.dates import MONTHS_ALT
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from oae.common.input import PublicIdField, QueryForm
from oae.crm.models import LegalForm
from oae.network.selectors import municipalities_by_name, open_offices_by_name
from oae.reference.models import CnaeActivity
from oae.tools.canvas import BLOCKS, MAX_BLOCK
from oae.tools.diagnosis import question_options
from oae.tools.eligibility import TARGET_GROUPS
from oae.tools.models import FinancingProgramme, FiscalParameters
from oae.tools.selectors import fiscal_parameter_years

# A plan may start this year, in the next three (people plan ahead) or last year (a business
# that has just started); years the network has fiscal parameters for are offered too. A year
# without its own parameters is computed with the latest year before it (viability.compute).
PLAN_YEARS_BEFORE, PLAN_YEARS_AHEAD = 1, 3


def plan_start_years(this_year: int, parameter_years) -> list[int]:
    """The years a viability plan may start in, oldest first."""
    near = range(this_year - PLAN_YEARS_BEFORE, this_year + PLAN_YEARS_AHEAD + 1)
    return sorted(set(near) | set(parameter_years))


def _money(label, required=True, **kwargs):
    return forms.DecimalField(
        label=label,
        required=required,
        max_digits=14,
        decimal_places=2,
        min_value=Decimal(0),
        error_messages={"min_value": _("An amount cannot be negative.")},
        **kwargs,
    )


class PlanForm(forms.Form):
    title = forms.CharField(label=_("Name of the business"), max_length=120)
    year = forms.TypedChoiceField(label=_("Year the business starts"), coerce=int)
    own_funds = _money(_("Own funds (€)"), initial=0)
    grants = _money(_("Grants (€)"), initial=0)
    fixed_costs_monthly = _money(
        _("Fixed costs a month, without VAT: rent, supplies, insurance, advisers… (€)"), initial=0
    )
    self_employed_founders = forms.IntegerField(
        label=_("Founders paying the self-employed quota"), min_value=0, max_value=50, initial=1
    )
    company = forms.BooleanField(
        label=_("It will be a company (SL, cooperative…) paying corporate tax"), required=False
    )
    customer_days = forms.IntegerField(
        label=_("Days customers take to pay"), min_value=0, max_value=180, initial=0
    )
    supplier_days = forms.IntegerField(
        label=_("Days you take to pay suppliers"), min_value=0, max_value=180, initial=30
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        this_year = timezone.localdate().year
        years = plan_start_years(this_year, fiscal_parameter_years())
        self.fields["year"].choices = [(y, str(y)) for y in years]
        self.fields["year"].initial = this_year
        for number in range(1, 13):
            self.fields[f"season_{number}"] = forms.DecimalField(
                label=capfirst(MONTHS_ALT[number]),
                initial=Decimal(1),
                min_value=Decimal(0),
                max_value=Decimal(5),
                max_digits=4,
                decimal_places=2,
                error_messages={
                    "max_value": _("A month sells at most 5 times an average month."),
                    "min_value": _("A month cannot sell less than nothing."),
                },
            )

    def season_fields(self):
        return [self[f"season_{n}"] for n in range(1, 13)]


class InvestmentForm(forms.Form):
    name = forms.CharField(label=_("Investment"), max_length=80)
    amount = _money(_("Amount (€)"))
    years = forms.IntegerField(
        label=_("Years to amortise (0: not amortised)"), min_value=0, max_value=50, initial=5
    )


class LoanForm(forms.Form):
    name = forms.CharField(label=_("Loan"), max_length=30)
    amount = _money(_("Amount (€)"))
    annual_rate = forms.DecimalField(
        label=_("Yearly interest rate (%)"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(30))],
        error_messages={"max_value": _("A rate above 30 %% is not a loan we can plan.")},
    )
    months = forms.IntegerField(
        label=_("Term (months)"),
        min_value=1,
        max_value=360,
        error_messages={"min_value": _("A loan lasts at least one month.")},
    )
    grace_months = forms.IntegerField(
        label=_("Grace months (interest only)"), min_value=0, max_value=60, initial=0
    )

    def clean(self):
        data = super().clean()
        if data.get("months") and (data.get("grace_months") or 0) >= data["months"]:
            self.add_error("grace_months", _("The grace period must be shorter than the term."))
        return data


class ProductForm(forms.Form):
    name = forms.CharField(label=_("Product or service"), max_length=80)
    units_per_month = forms.DecimalField(
        label=_("Units sold in an average month"), min_value=0, max_digits=12, decimal_places=2
    )
    price = _money(_("Price without VAT (€)"))
    unit_cost = _money(_("Variable cost per unit (€)"))
    yearly_growth = forms.DecimalField(
        label=_("Yearly growth (%)"),
        initial=0,
        max_digits=6,
        decimal_places=2,
        validators=[MinValueValidator(Decimal(-100)), MaxValueValidator(Decimal(500))],
    )


class SalaryForm(forms.Form):
    role = forms.CharField(label=_("Job"), max_length=80)
    gross_yearly = _money(_("Gross yearly salary (€)"))
    people = forms.DecimalField(
        label=_("People (full-time equivalents)"),
        min_value=0,
        max_value=1000,
        max_digits=6,
        decimal_places=2,
        initial=1,
    )


def _formset(form, extra):
    return forms.formset_factory(form, extra=extra, can_delete=True, max_num=40, absolute_max=40)


InvestmentFormSet = _formset(InvestmentForm, 3)
LoanFormSet = _formset(LoanForm, 2)
ProductFormSet = _formset(ProductForm, 3)
SalaryFormSet = _formset(SalaryForm, 2)
FORMSETS = {
    "investments": InvestmentFormSet,
    "loans": LoanFormSet,
    "products": ProductFormSet,
    "salaries": SalaryFormSet,
}


class FinancingProfileForm(forms.Form):
    """The finder asks about the project only: nothing that identifies the person."""

    company_age_months = forms.IntegerField(
        label=_("Months since the business started (0 if not yet)"),
        min_value=0,
        max_value=1200,
        initial=0,
    )
    legal_form = forms.ChoiceField(label=_("Legal form (planned)"))
    cnae_section = forms.ChoiceField(label=_("Activity"), required=False)
    municipality = forms.ChoiceField(label=_("Municipality"), required=False)
    employees = forms.IntegerField(label=_("Employees"), min_value=0, max_value=100000, initial=0)
    amount = forms.DecimalField(
        label=_("Amount you need (€)"),
        min_value=0,
        max_digits=12,
        decimal_places=2,
        error_messages={"min_value": _("An amount cannot be negative.")},
    )
    groups = forms.MultipleChoiceField(
        label=_("The founders include"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["legal_form"].choices = LegalForm.choices
        self.fields["cnae_section"].choices = [("", _("I do not know yet"))] + [
            (a.code, f"{a.code} · {a}") for a in CnaeActivity.objects.filter(level="section")
        ]
        self.fields["municipality"].choices = [("", _("Elsewhere"))] + list(
            municipalities_by_name().values_list("ine_code", "name")
        )
        self.fields["groups"].choices = list(TARGET_GROUPS.items())


class LegalFormAnswersForm(forms.Form):
    """The legal-form advisor's questions: about the project, nothing personal."""

    founders = forms.IntegerField(label=_("How many people found it?"), min_value=1, max_value=500)
    limited_liability = forms.BooleanField(
        label=_("I want my personal assets kept apart from the business's debts"), required=False
    )
    expected_profit = forms.DecimalField(
        label=_("Expected profit a year, before tax (€)"),
        max_digits=12,
        decimal_places=2,
        help_text=_("A loss can be entered as a negative number."),
    )
    capital = _money(_("Money the founders can put in as capital (€)"), initial=0)
    cooperative_model = forms.BooleanField(
        label=_("We want the people who work in it to own and run it together"), required=False
    )
    investors = forms.BooleanField(
        label=_("We expect outside investors to come in"), required=False
    )
    professional = forms.BooleanField(
        label=_(
            "The activity is a regulated profession (lawyers, architects, engineers, doctors…)"
        ),
        required=False,
    )


class CanvasForm(forms.Form):
    title = forms.CharField(label=_("Name of the business"), max_length=120)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for key, name, hint in BLOCKS:
            self.fields[key] = forms.CharField(
                label=name,
                help_text=hint,
                required=False,
                max_length=MAX_BLOCK,
                widget=forms.Textarea(attrs={"rows": 6}),
            )


class FiscalParametersForm(forms.ModelForm):
    """A year's fiscal parameters, as the coordinators enter them."""

    class Meta:
        model = FiscalParameters
        fields = [
            "vat_rate",
            "employer_social_security",
            "self_employed_quota",
            "corporate_tax_new",
            "income_tax_rate",
            "source",
        ]


# The coordinators' editors of the tools' data -------------------------------------------------


class JsonField(forms.CharField):
    widget = forms.Textarea(attrs={"rows": 24, "class": "code", "spellcheck": "false"})

    def to_python(self, value):
        value = super().to_python(value)
        try:
            return json.loads(value or "null")
        except json.JSONDecodeError as error:
            raise ValidationError(
                gettext("This is not valid JSON (line %(line)s, column %(column)s: %(reason)s).")
                % {"line": error.lineno, "column": error.colno, "reason": error.msg}
            ) from error

    def prepare_value(self, value):
        return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, indent=1)


class QuestionnaireForm(forms.Form):
    content = JsonField(label=_("Questionnaire (JSON)"))


class ProgrammeForm(forms.ModelForm):
    url = forms.URLField(label=_("web page"), required=False, assume_scheme="https")
    name_ca = forms.CharField(label=_("Name (Catalan)"), max_length=200)
    name_es = forms.CharField(label=_("Name (Spanish)"), max_length=200, required=False)
    name_en = forms.CharField(label=_("Name (English)"), max_length=200, required=False)
    description_ca = forms.CharField(
        label=_("Description (Catalan)"), widget=forms.Textarea(attrs={"rows": 3})
    )
    description_es = forms.CharField(
        label=_("Description (Spanish)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    rules = JsonField(
        label=_("Eligibility rules (JSON)"),
        widget=forms.Textarea(attrs={"rows": 8, "class": "code"}),
        help_text=_(
            "Rule types: max_company_age_months, legal_forms, cnae_sections_excluded, "
            "cnae_sections_included, municipalities, max_employees, amount_range, "
            "target_groups_any, deadline, before_start."
        ),
    )

    class Meta:
        model = FinancingProgramme
        fields = ["code", "kind", "provider", "url", "active", "sample"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        programme = self.instance
        for language in ("ca", "es", "en"):
            self.fields[f"name_{language}"].initial = (programme.name or {}).get(language, "")
        for language in ("ca", "es"):
            self.fields[f"description_{language}"].initial = (programme.description or {}).get(
                language, ""
            )
        self.fields["rules"].initial = programme.rules or {}

    def programme(self) -> FinancingProgramme:
        """The programme with the form's values, not saved (the service checks and saves it)."""
        programme = super().save(commit=False)
        data = self.cleaned_data
        programme.name = {lang: data[f"name_{lang}"] for lang in ("ca", "es", "en")}
        programme.description = {lang: data[f"description_{lang}"] for lang in ("ca", "es")}
        programme.rules = data["rules"]
        return programme


class LegalGuideForm(forms.Form):
    content = JsonField(
        label=_("Legal-form guide of a year (JSON)"),
        help_text=_(
            "year; profit_for_company (the yearly profit from which a company usually pays "
            "less tax); forms: id, min_founders, max_founders, limited_liability, min_capital, "
            "setup_cost, yearly_cost, taxation (income or corporate), steps in ca/es/en, one "
            "per line. Saving a year that exists replaces it; advice already saved keeps the "
            "guide it used."
        ),
    )


# A citizen's result sent to an office ----------------------------------------------------------


class SendForm(forms.Form):
    office = forms.ModelChoiceField(label=_("Office"), queryset=None)
    message = forms.CharField(
        label=_("Message to the office (optional)"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    agree = forms.BooleanField(
        label=_(
            "I want this office to see this result and my e-mail address, to contact me about it"
        )
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["office"].queryset = open_offices_by_name()


# Query strings, and what a page posts that nobody types (read with `oae.common.input`) --------


class YearQueryForm(QueryForm):
    """A year asked for in the address (`?year=2026`): the legal-form guide or the fiscal
    parameters of that year."""

    year = forms.IntegerField(required=False, min_value=1000, max_value=9999)


class OfficeQueryForm(QueryForm):
    """The office whose services the self-diagnosis's advice shows (`?office=…`)."""

    office = PublicIdField()


class LinkPersonForm(forms.Form):
    """The client a result received from a citizen is filed with."""

    person = PublicIdField(required=True)


class DiagnosisAnswersForm(forms.Form):
    """One answer per question of the questionnaire: the position of the option chosen."""

    def __init__(self, *args, content: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = [question["id"] for question in content["questions"]]
        for question in content["questions"]:
            count = len(question_options(content, question))
            self.fields[f"q-{question['id']}"] = forms.TypedChoiceField(
                required=False,
                coerce=int,
                empty_value=None,
                choices=[(str(n), str(n)) for n in range(count)],
            )

    def answers(self) -> tuple[dict[str, int], list[str]]:
        """(question id → option chosen, the questions not answered, or not with an option)."""
        self.is_valid()
        chosen = {question: self.cleaned_data.get(f"q-{question}") for question in self.questions}
        answers = {question: value for question, value in chosen.items() if value is not None}
        return answers, [question for question in self.questions if question not in answers]
