"""The viability plan through its pages: a citizen without login, an advisor with a client,
coordinators keeping the parameters."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from oae.cases import services as cases
from oae.catalogue import services as catalogue
from oae.testing.catalogue import build_small_model
from oae.testing.crm import client_with_company
from oae.tools.models import FiscalParameters, ToolResult


@pytest.fixture
def client(client):
    """Pages in English (the tests read messages in English)."""
    client.cookies["django_language"] = "en"
    return client


EMPTY_SETS = {
    f"{key}-{name}": value
    for key in ("investments", "loans", "products", "salaries")
    for name, value in (("TOTAL_FORMS", "1"), ("INITIAL_FORMS", "0"))
}


def _post_data(**changes) -> dict:
    data = {
        "title": "Forn de pa Serra",
        "year": "2026",
        "own_funds": "10000",
        "grants": "0",
        "fixed_costs_monthly": "1800",
        "self_employed_founders": "1",
        "customer_days": "0",
        "supplier_days": "30",
        **{f"season_{n}": "1" for n in range(1, 13)},
        **EMPTY_SETS,
        "investments-0-name": "Forn",
        "investments-0-amount": "18000",
        "investments-0-years": "10",
        "loans-0-name": "MicroBank",
        "loans-0-amount": "12000",
        "loans-0-annual_rate": "6",
        "loans-0-months": "48",
        "loans-0-grace_months": "0",
        "products-0-name": "Pa",
        "products-0-units_per_month": "3000",
        "products-0-price": "2.20",
        "products-0-unit_cost": "0.70",
        "products-0-yearly_growth": "5",
        "salaries-0-role": "",
        "salaries-0-gross_yearly": "",
        "salaries-0-people": "1",  # the initial value a browser sends back
    }
    return data | changes


@pytest.mark.django_db
def test_a_citizen_computes_a_plan_and_downloads_pdf_and_spreadsheet(client):
    response = client.post(reverse("tools:viability"), _post_data())
    assert response["Location"] == reverse("tools:viability_result")
    page = client.get(reverse("tools:viability_result")).content.decode()
    assert "Forn de pa Serra" in page and "Profit and loss" in page and "<svg" in page

    pdf = client.get(reverse("tools:viability_document", args=["pdf"]))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "Forn de pa Serra" in text and "79,200" in text  # 3,000 × 2.20 × 12
    xlsx = client.get(reverse("tools:viability_document", args=["xlsx"]))
    book = load_workbook(io.BytesIO(xlsx.content))
    assert book.sheetnames[:3] == ["Summary", "Profit and loss", "Cash"]
    assert book["Profit and loss"]["B2"].value == 79200
    assert client.get("/eines/pla-de-viabilitat/resultat.doc").status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("own_funds", "-5", "cannot be negative"),
        ("loans-0-annual_rate", "45", "above 30 %"),
        ("loans-0-months", "0", "at least one month"),
        ("loans-0-grace_months", "48", "shorter than the term"),
        ("season_3", "9", "at most 5 times"),
        ("products-0-price", "abc", "Enter a number"),
    ],
)
def test_bad_numbers_get_clear_messages_and_nothing_is_lost(client, field, value, message):
    response = client.post(reverse("tools:viability"), _post_data(**{field: value}))
    body = response.content.decode()
    assert response.status_code == 200 and message in body
    assert "Forn de pa Serra" in body  # what was typed is still there


@pytest.mark.django_db
def test_warnings_in_plain_words(client):
    client.post(
        reverse("tools:viability"),
        _post_data(**{"products-0-unit_cost": "3", "own_funds": "0", "loans-0-amount": "1000"}),
    )
    page = client.get(reverse("tools:viability_result")).content.decode()
    assert "every sale loses money" in page and "Cash turns negative in month" in page


@pytest.mark.django_db
def test_public_calculations_are_rate_limited(client, settings):
    for _n in range(30):
        client.post(reverse("tools:viability"), _post_data())
    limited = client.post(reverse("tools:viability"), _post_data())
    assert limited.status_code == 200 and "Too many calculations" in limited.content.decode()


@pytest.mark.django_db
def test_an_advisor_saves_the_plan_with_the_case_and_it_stays_reproducible(
    client_for, people, office_a
):
    build_small_model()
    catalogue.office_catalogue_adopt(
        actor=None, office=office_a, version=catalogue.network_publish(actor=None, changelog="v1")
    )
    person, _company = client_with_company(office_a)
    advisor = people["advisor_a"]
    case = cases.case_open(
        actor=advisor, office=office_a, service_code="crear", advisor=advisor, person=person
    )
    client = client_for("advisor_a")
    client.get(reverse("tools:viability") + f"?case={case.public_id}")
    client.post(reverse("tools:viability"), _post_data())
    page = client.get(reverse("tools:viability_result")).content.decode()
    assert case.reference in page
    response = client.post(reverse("tools:save", args=["viability"]))
    result = ToolResult.objects.get()
    assert response["Location"] == reverse("tools:result", args=[result.public_id])
    assert (result.person, result.case, result.parameters["vat_rate"]) == (person, case, "21.00")
    before = client.get(reverse("tools:result", args=[result.public_id])).content.decode()

    FiscalParameters.objects.filter(year=2026).update(vat_rate=10, version=2)
    after = client.get(reverse("tools:result", args=[result.public_id])).content.decode()
    assert "version 1" in after and before.count("€") == after.count("€")
    assert (
        client_for("advisor_b").get(reverse("tools:result", args=[result.public_id])).status_code
        == 404
    )


@pytest.mark.django_db
def test_coordinators_keep_the_parameters_by_year(client_for):
    client = client_for("coordinator")
    assert "2026" in client.get(reverse("tools:parameters")).content.decode()
    url = reverse("tools:parameters_edit", args=[2026])
    row = FiscalParameters.objects.get(year=2026)
    bad = client.post(url, {**row.values(), "vat_rate": "150", "source": "x"})
    assert bad.status_code == 200 and FiscalParameters.objects.get(year=2026).vat_rate == 21
    values = {**row.values(), "vat_rate": "22", "source": "BOE"}
    client.post(url, values)
    saved = FiscalParameters.objects.get(year=2026)
    assert (saved.vat_rate, saved.version) == (22, 2)
    client.post(reverse("tools:parameters_edit", args=[2027]), values)
    assert FiscalParameters.objects.get(year=2027).version == 1
    assert client_for("advisor_a").get(url).status_code == 403
