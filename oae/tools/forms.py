"""Forms of the advisory tools: numbers checked with messages that say what is wrong."""

from decimal import Decimal

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _

from oae.tools.models import FiscalParameters

MONTH_NAMES = [
    _("Jan"), _("Feb"), _("Mar"), _("Apr"), _("May"), _("Jun"),
    _("Jul"), _("Aug"), _("Sep"), _("Oct"), _("Nov"), _("Dec"),
]  # fmt: skip


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
        years = list(FiscalParameters.objects.order_by("year").values_list("year", flat=True))
        self.fields["year"].choices = [(y, str(y)) for y in years]
        if years:
            self.fields["year"].initial = years[-1]
        for number, name in enumerate(MONTH_NAMES, start=1):
            self.fields[f"season_{number}"] = forms.DecimalField(
                label=name,
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
    return forms.formset_factory(form, extra=extra, can_delete=True, max_num=40)


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
        from oae.crm.models import LegalForm
        from oae.network.models import Municipality
        from oae.reference.models import CnaeActivity
        from oae.tools.eligibility import TARGET_GROUPS

        super().__init__(*args, **kwargs)
        self.fields["legal_form"].choices = LegalForm.choices
        self.fields["cnae_section"].choices = [("", _("I do not know yet"))] + [
            (a.code, f"{a.code} · {a}") for a in CnaeActivity.objects.filter(level="section")
        ]
        self.fields["municipality"].choices = [("", _("Elsewhere"))] + list(
            Municipality.objects.order_by("name").values_list("ine_code", "name")
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
        from oae.tools.canvas import BLOCKS, MAX_BLOCK

        super().__init__(*args, **kwargs)
        for key, name, hint in BLOCKS:
            self.fields[key] = forms.CharField(
                label=name,
                help_text=hint,
                required=False,
                max_length=MAX_BLOCK,
                widget=forms.Textarea(attrs={"rows": 6}),
            )
