"""Advisory tools: the fiscal parameters coordinators maintain by year, and the results that
advisors save to a client's record (inputs and parameter values kept, so a result can always
be computed again exactly)."""

import uuid
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

PERCENT = [MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))]


class FiscalParameters(models.Model):
    """One year's tax and social-security values used by the viability plan. Each change
    bumps `version`; saved results keep the values they used."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    vat_rate = models.DecimalField(
        _("VAT, general rate (%)"), max_digits=5, decimal_places=2, validators=PERCENT
    )
    employer_social_security = models.DecimalField(
        _("employer social security (% of gross salary)"),
        max_digits=5,
        decimal_places=2,
        validators=PERCENT,
    )
    self_employed_quota = models.DecimalField(
        _("self-employed quota (€ a month)"),
        max_digits=8,
        decimal_places=2,
        validators=[MinValueValidator(Decimal(0))],
    )
    corporate_tax_new = models.DecimalField(
        _("corporate tax for new companies (%)"), max_digits=5, decimal_places=2, validators=PERCENT
    )
    income_tax_rate = models.DecimalField(
        _("income tax estimate for the self-employed (%)"),
        max_digits=5,
        decimal_places=2,
        validators=PERCENT,
    )
    source = models.CharField(_("source and notes"), max_length=500, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-year"]
        verbose_name = _("fiscal parameters")
        verbose_name_plural = _("fiscal parameters")

    def __str__(self) -> str:
        return f"{self.year} (v{self.version})"

    def values(self) -> dict:
        return {
            "year": self.year,
            "version": self.version,
            "vat_rate": str(self.vat_rate),
            "employer_social_security": str(self.employer_social_security),
            "self_employed_quota": str(self.self_employed_quota),
            "corporate_tax_new": str(self.corporate_tax_new),
            "income_tax_rate": str(self.income_tax_rate),
        }


class Tool(models.TextChoices):
    VIABILITY = "viability", _("viability plan")
    DIAGNOSIS = "diagnosis", _("self-diagnosis")
    FINANCING = "financing", _("financing finder")
    LEGAL_FORM = "legal_form", _("legal-form advisor")
    CANVAS = "canvas", _("business model canvas")


class ToolResult(models.Model):
    """A tool's result kept with a client (and a case), or by a citizen in their account (the
    `owner`; no office until they send it to one): what was entered and the parameter values
    used; the figures are computed again from them when shown."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    tool = models.CharField(_("tool"), max_length=12, choices=Tool.choices)
    title = models.CharField(_("title"), max_length=200)
    inputs = models.JSONField()
    parameters = models.JSONField(default=dict)  # FiscalParameters.values() when used
    summary = models.JSONField(default=dict)  # a few key figures, for lists
    office = models.ForeignKey(
        "network.Office", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    person = models.ForeignKey(
        "crm.Person", on_delete=models.CASCADE, null=True, blank=True, related_name="tool_results"
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="tool_results",
    )
    sent_at = models.DateTimeField(_("sent to the office"), null=True, blank=True)
    message = models.CharField(_("message to the office"), max_length=1000, blank=True)
    case = models.ForeignKey(
        "cases.Case", on_delete=models.SET_NULL, null=True, blank=True, related_name="tool_results"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(office__isnull=False) | models.Q(owner__isnull=False),
                name="tools_result_office_or_owner",
            )
        ]

    def __str__(self) -> str:
        return self.title


class FinancingKind(models.TextChoices):
    LOAN = "loan", _("public loan")
    MICROCREDIT = "microcredit", _("microcredit")
    GUARANTEE = "guarantee", _("guarantee")
    GRANT = "grant", _("grant")
    UNEMPLOYMENT = "unemployment", _("capitalisation of unemployment benefit")
    LOCAL = "local", _("local subsidy")


class FinancingProgramme(models.Model):
    """A programme of the maintained catalogue. `rules` holds its eligibility as data (see
    tools/eligibility.py for the rule types); starter programmes are sample data."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    name = models.JSONField(_("name"))  # {"ca", "es", "en"}
    kind = models.CharField(_("kind"), max_length=14, choices=FinancingKind.choices)
    provider = models.CharField(_("provider"), max_length=200)
    description = models.JSONField(_("description"), default=dict)
    url = models.URLField(_("web page"), blank=True)
    rules = models.JSONField(_("eligibility rules"), default=dict)
    active = models.BooleanField(_("active"), default=True)
    sample = models.BooleanField(_("sample data to be maintained"), default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["kind", "code"]

    def __str__(self) -> str:
        return self.name.get("ca") or self.code


class Questionnaire(models.Model):
    """A self-diagnosis questionnaire as data (see tools/diagnosis.py). Each code has numbered
    versions; the draft has no `published_at`; people answer the latest published version."""

    code = models.SlugField(_("code"), max_length=60)
    version = models.PositiveIntegerField(_("version"))
    content = models.JSONField(_("content"))
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["code", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="tools_questionnaire_version")
        ]

    def __str__(self) -> str:
        return f"{self.code} v{self.version}"


class LegalFormGuide(models.Model):
    """The legal forms' figures for a year (minimum capital, costs, steps, the profit above
    which a company usually pays less tax), maintained by the coordinators. Saved advice
    keeps the content it used."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    content = models.JSONField(_("content"))
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-year"]

    def __str__(self) -> str:
        return str(self.year)
