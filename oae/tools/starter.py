"""Starter fiscal parameters: sample values for 2025 and 2026, to be reviewed and maintained
by the network's coordinators (page "Fiscal parameters"). Only missing years are added."""

import json
from decimal import Decimal
from pathlib import Path

from django.utils import timezone

from oae.tools.models import FinancingProgramme, FiscalParameters, LegalFormGuide, Questionnaire

SOURCE = (
    "Sample values to be reviewed by the coordinators: general VAT 21 %; employer social "
    "security of the general regime with an average occupational-risk premium; monthly flat "
    "rate for new self-employed people; reduced corporate tax for new companies; a flat income "
    "tax estimate for the self-employed."
)
YEARS = {
    2025: ("21", "31.40", "80", "15", "20"),
    2026: ("21", "31.50", "80", "15", "20"),
}


def fiscal_parameters_load(model=None) -> int:
    """Add the sample years that are missing (`model` lets a migration pass its own)."""
    model = model or FiscalParameters
    added = 0
    for year, (vat, social, quota, corporate, income) in YEARS.items():
        _row, created = model.objects.get_or_create(
            year=year,
            defaults={
                "vat_rate": Decimal(vat),
                "employer_social_security": Decimal(social),
                "self_employed_quota": Decimal(quota),
                "corporate_tax_new": Decimal(corporate),
                "income_tax_rate": Decimal(income),
                "source": SOURCE,
            },
        )
        added += created
    return added


def _data_file(name: str):
    """A sample data file of oae/tools/data/, parsed."""
    return json.loads((Path(__file__).parent / "data" / name).read_text(encoding="utf-8"))


def financing_programmes_load(model=None) -> int:
    """Add the sample programmes that are missing (coordinators' edits are never undone)."""
    model = model or FinancingProgramme
    added = 0
    for item in _data_file("financing_programmes.json"):
        _row, created = model.objects.get_or_create(
            code=item["code"],
            defaults={**{k: v for k, v in item.items() if k != "code"}, "sample": True},
        )
        added += created
    return added


def questionnaire_load(model=None) -> bool:
    """Publish the starter self-diagnosis as version 1 if there is none yet."""
    model = model or Questionnaire
    if model.objects.filter(code="maduresa").exists():
        return False
    content = _data_file("diagnosis_starter.json")
    model.objects.create(code="maduresa", version=1, content=content, published_at=timezone.now())
    return True


def legal_forms_load(model=None) -> bool:
    """The sample legal-form guide of 2026 (data/legal_forms_2026.json), if missing."""
    model = model or LegalFormGuide
    content = _data_file("legal_forms_2026.json")
    _row, created = model.objects.get_or_create(year=content["year"], defaults={"content": content})
    return created
