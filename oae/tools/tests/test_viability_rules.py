"""The viability service's rules worked out by hand: the plan's JSON read with its defaults,
the year's parameters picked from the coordinators' table, the warnings and key figures as
people read them, the cash chart's coordinates and the spreadsheet's cells. Every expected
value is derived in the comments beside it, so a reviewer can check it with a calculator.

Unless a test says otherwise: VAT 21 %, employer social security 30 %, self-employed quota
300 € a month, corporate tax 15 %, income tax 20 %; payment terms 0 days."""

import io
from decimal import Decimal as D
from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from openpyxl import load_workbook

from oae.tools import viability
from oae.tools.finance import Investment, Loan, Month, PlanInputs, Product, Salary
from oae.tools.models import FiscalParameters

PARAMETERS = {
    "year": 2026,
    "version": 1,
    "vat_rate": "21",
    "employer_social_security": "30",
    "self_employed_quota": "300",
    "corporate_tax_new": "15",
    "income_tax_rate": "20",
}

NBSP = "\u00a0"


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


# The plan's JSON --------------------------------------------------------------------------


def test_an_empty_plan_reads_as_the_engine_s_defaults():
    inputs = viability.plan_inputs({})
    assert inputs == PlanInputs()
    # Spelled out, so that a changed default of the engine does not hide one of the service:
    assert (inputs.investments, inputs.loans, inputs.products, inputs.salaries) == ([], [], [], [])
    assert (inputs.own_funds, inputs.grants, inputs.fixed_costs_monthly) == (D(0), D(0), D(0))
    assert inputs.seasonality == [D(1)] * 12  # an even year: every month weighs 1
    assert (inputs.self_employed_founders, inputs.company) == (0, False)
    assert (inputs.customer_days, inputs.supplier_days) == (0, 0)


def test_blank_and_missing_values_take_their_defaults():
    inputs = viability.plan_inputs(
        {
            "own_funds": "",
            "grants": None,
            "fixed_costs_monthly": "",
            "loans": [
                {"name": "ICF", "amount": "5000", "annual_rate": "4.5", "months": "24"},
                {
                    "name": "Banc",
                    "amount": "1000",
                    "annual_rate": "",
                    "months": "12",
                    "grace_months": None,
                },
            ],
            "products": [{"name": "Pa", "units_per_month": "10", "price": "2", "unit_cost": ""}],
            "salaries": [
                {"role": "Forner", "gross_yearly": "18000"},
                {"role": "Ajudant", "gross_yearly": "9000", "people": ""},
            ],
            "seasonality": ["", "0.5", "2", "", "1", "1", "1", "1", "1", "1", "1.5", ""],
            "self_employed_founders": "",
            "company": "",
            "customer_days": None,
            "supplier_days": "",
        }
    )
    assert (inputs.own_funds, inputs.grants, inputs.fixed_costs_monthly) == (D(0), D(0), D(0))
    # No grace given, or given as nothing: 0 months; a blank rate is 0 %.
    assert inputs.loans == [
        Loan("ICF", D(5000), D("4.5"), 24, 0),
        Loan("Banc", D(1000), D(0), 12, 0),
    ]
    # No growth given: 0 %; a blank unit cost: 0 €.
    assert inputs.products == [Product("Pa", D(10), D(2), D(0), D(0))]
    # One person in each role unless said, blank or missing.
    assert inputs.salaries == [Salary("Forner", D(18000), D(1)), Salary("Ajudant", D(9000), D(1))]
    # A blank month of the seasonality weighs 1, like an even month; the others are kept.
    assert inputs.seasonality == [D(1), D("0.5"), D(2), D(1)] + [D(1)] * 6 + [D("1.5"), D(1)]
    assert (inputs.self_employed_founders, inputs.company) == (0, False)
    assert (inputs.customer_days, inputs.supplier_days) == (0, 0)


def test_every_value_given_is_kept_with_its_type():
    inputs = viability.plan_inputs(
        {
            "investments": [
                {"name": "Forn", "amount": "18000.50", "years": "10"},
                {"name": "Fiança", "amount": "1200", "years": "0"},
            ],
            "own_funds": "7500",
            "grants": "2500.25",
            "loans": [
                {
                    "name": "MicroBank",
                    "amount": "12000",
                    "annual_rate": "6",
                    "months": "48",
                    "grace_months": "6",
                }
            ],
            "products": [
                {
                    "name": "Coca",
                    "units_per_month": "300",
                    "price": "2.20",
                    "unit_cost": "0.70",
                    "yearly_growth": "-5",
                }
            ],
            "seasonality": ["0.5", "0.5", "1", "1", "1", "1", "2", "2", "1", "1", "1", "1.5"],
            "fixed_costs_monthly": "1800",
            "salaries": [{"role": "Dependenta", "gross_yearly": "16000", "people": "1.5"}],
            "self_employed_founders": "2",
            "company": True,
            "customer_days": "45",
            "supplier_days": "30",
        }
    )
    assert inputs == PlanInputs(
        investments=[Investment("Forn", D("18000.50"), 10), Investment("Fiança", D(1200), 0)],
        own_funds=D(7500),
        loans=[Loan("MicroBank", D(12000), D(6), 48, 6)],
        grants=D("2500.25"),
        products=[Product("Coca", D(300), D("2.20"), D("0.70"), D(-5))],
        seasonality=[D("0.5"), D("0.5")] + [D(1)] * 4 + [D(2), D(2), D(1), D(1), D(1), D("1.5")],
        fixed_costs_monthly=D(1800),
        salaries=[Salary("Dependenta", D(16000), D("1.5"))],
        self_employed_founders=2,
        company=True,
        customer_days=45,
        supplier_days=30,
    )
    assert isinstance(inputs.loans[0].months, int) and isinstance(inputs.customer_days, int)


@pytest.mark.parametrize(("given", "company"), [(True, True), ("on", True), (False, False)])
def test_the_company_flag_chooses_the_tax(given, company):
    assert viability.plan_inputs({"company": given}).company is company


# The year's parameters --------------------------------------------------------------------


@pytest.fixture
def two_years(db):
    """The coordinators' table with 2024, 2026 and 2027 (2025 was never entered)."""
    FiscalParameters.objects.all().delete()
    for year, vat in ((2024, "20"), (2026, "22"), (2027, "23")):
        FiscalParameters.objects.create(
            year=year,
            vat_rate=D(vat),
            employer_social_security=D("31.5"),
            self_employed_quota=D(80),
            corporate_tax_new=D(15),
            income_tax_rate=D(20),
        )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("year", "used"),
    [
        (2026, 2026),  # the year itself
        (2025, 2024),  # not entered: the latest year before it
        (2030, 2027),  # a later year: the latest one entered
        (2020, 2024),  # before every year entered: the earliest one
    ],
)
def test_a_plan_uses_its_year_s_parameters_or_the_latest_before(two_years, year, used):
    values = viability.parameters_values(year)
    assert values["year"] == used
    assert values["vat_rate"] == {2024: "20.00", 2026: "22.00", 2027: "23.00"}[used]
    assert values == FiscalParameters.objects.get(year=used).values()


@pytest.mark.django_db
def test_without_any_parameters_the_plan_asks_for_the_coordinators():
    FiscalParameters.objects.all().delete()
    with pytest.raises(ValidationError) as error:
        viability.parameters_values(2026)
    assert error.value.messages == [
        "The network has not entered the fiscal parameters yet; ask the coordinators."
    ]


@pytest.mark.django_db
def test_a_plan_without_a_year_is_computed_with_2026_s_parameters(two_years):
    assert viability.compute({}).parameters["year"] == 2026
    assert viability.compute({"year": ""}).parameters["year"] == 2026
    assert viability.compute({"year": "2025"}).parameters["year"] == 2024
    # 2024's VAT is 20 %: an investment of 1,000 € costs 1,200 € in cash on the first day.
    outcome = viability.compute(
        {"year": 2024, "investments": [{"name": "PC", "amount": "1000", "years": "4"}]}
    )
    assert outcome.base.months[0].cash_end == D("-1200.00")


def test_a_saved_result_is_computed_with_the_parameters_it_kept():
    # No database: the values given are used as they are (VAT 10 %).
    outcome = viability.compute(
        {"investments": [{"name": "PC", "amount": "1000", "years": "4"}]},
        PARAMETERS | {"vat_rate": "10"},
    )
    assert outcome.parameters["vat_rate"] == "10"
    assert outcome.base.months[0].cash_end == D("-1100.00")  # −(1,000 + 10 % VAT)


def test_the_parameters_given_are_the_ones_the_plan_uses():
    # VAT 10 % and corporate tax 25 % this time. A company with one employee at 12,000 € a
    # year and one self-employed founder: staff 12,000 × 1.30 (social security 30 %) / 12
    # + 300 (quota) = 1,600.00 a month, 19,200.00 a year. 100 hours a month at 30 €, no cost:
    # 3,000 − 1,600 = 1,400 a month before tax, 16,800 a year; tax 25 % = 4,200.00, net
    # 12,600.00.
    outcome = viability.compute(
        {
            "salaries": [{"role": "Fuster", "gross_yearly": "12000"}],
            "self_employed_founders": "1",
            "products": [
                {"name": "Hora", "units_per_month": "100", "price": "30", "unit_cost": "0"}
            ],
            "company": True,
        },
        PARAMETERS | {"vat_rate": "10", "corporate_tax_new": "25"},
    )
    first = outcome.base.years[0]
    assert (first.staff, first.tax, first.net_profit) == (
        D("19200.00"),
        D("4200.00"),
        D("12600.00"),
    )
    # Month 1's cash: sales with 10 % VAT 3,300 in, staff 1,600 out.
    assert outcome.base.months[0].cash_end == D("1700.00")


# Warnings and key figures -----------------------------------------------------------------


def test_every_warning_reads_in_plain_words_with_its_amounts():
    # An oven of 6,000 € (5 years) bought with 1,000 € of own funds, nothing sold:
    #   cash on day one: 1,000 − 6,000 × 1.21 = −6,260.00, and month 1 neither sells nor pays;
    #   missing funding: 6,000 − 1,000 = 5,000.00;
    #   no revenue at all; each year: amortisation 6,000 / 5 = 1,200 lost, no tax on a loss.
    outcome = viability.compute(
        {
            "own_funds": "1000",
            "investments": [{"name": "Forn", "amount": "6000", "years": "5"}],
        },
        PARAMETERS,
    )
    assert outcome.warnings == [
        "Cash turns negative in month 1 (−6,260.00 €): more funding or later spending is needed.",
        "The funding does not cover the investment: 5,000.00 € are missing.",
        "There are no sales in the plan yet.",
        "Year 3 still ends with a loss (−1,200.00 €).",
    ]
    assert outcome.summary() == {
        "revenue_year_1": "0.00",
        "net_profit_year_1": "-1200.00",
        "net_profit_year_3": "-1200.00",
        "break_even_month": None,
        "warnings": 4,
    }


def test_a_product_sold_below_its_cost_is_named_in_the_warning():
    # 100 "Tassa" a month at 3 € that cost 4 €: each month loses 100 €, never a break-even;
    # 10,000 € of own funds keep the cash positive (it loses about 121 € a month).
    outcome = viability.compute(
        {
            "own_funds": "10000",
            "products": [
                {"name": "Tassa", "units_per_month": "100", "price": "3", "unit_cost": "4"}
            ],
        },
        PARAMETERS,
    )
    assert outcome.warnings == [
        "Tassa is sold at or below what it costs: every sale loses money.",
        "The business does not reach break-even in three years.",
        # 12 × 100 × (3 − 4) = −1,200.00 each year
        "Year 3 still ends with a loss (−1,200.00 €).",
    ]


# The figures of a plan worked by hand ------------------------------------------------------

# A carpentry: a saw of 6,000 € over 5 years, 10,000 € of own funds, a 1,200 € loan at 0 % over
# 12 months, 100 tables a month at 10 € that cost 4 € to make, 10 % more a year, 200 € of fixed
# costs a month, a company (corporate tax 15 %).
#   Year 1, base: revenue 12 × 100 × 10 = 12,000; material 4,800; gross margin 7,200; fixed
#     2,400; EBITDA 4,800; amortisation 6,000 / 60 × 12 = 1,200; interest 0: before tax
#     3,600.00, tax 540.00, net 3,060.00.
#   Year 2: × 1.1: revenue 13,200, material 5,280, margin 7,920, EBITDA 5,520, before tax
#     4,320, tax 648.00, net 3,672.00.
#   Year 3: × 1.21: revenue 14,520, material 5,808, margin 8,712, EBITDA 6,312, before tax
#     5,112, tax 766.80, net 4,345.20.
CARPENTRY = {
    "year": 2026,
    "investments": [{"name": "Serra", "amount": "6000", "years": "5"}],
    "own_funds": "10000",
    "loans": [{"name": "ICF", "amount": "1200", "annual_rate": "0", "months": "12"}],
    "products": [
        {
            "name": "Taula",
            "units_per_month": "100",
            "price": "10",
            "unit_cost": "4",
            "yearly_growth": "10",
        }
    ],
    "fixed_costs_monthly": "200",
    "company": True,
}


@pytest.fixture
def carpentry():
    return viability.compute(CARPENTRY, PARAMETERS)


def test_the_summary_keeps_the_key_figures_of_the_base_scenario(carpentry):
    assert carpentry.warnings == []
    assert carpentry.summary() == {
        "revenue_year_1": "12000.00",
        "net_profit_year_1": "3060.00",
        "net_profit_year_3": "4345.20",
        "break_even_month": 1,  # month 1: 1,000 − 400 − 200 − 100 amortisation = 300 ≥ 0
        "warnings": 0,
    }


def test_the_figures_show_the_base_plan_and_each_scenario_s_lowest_cash(carpentry):
    figures = viability.figures(carpentry, "Fusteria")
    assert figures["title"] == "Fusteria" and figures["outcome"] is carpentry
    assert figures["plan"] is carpentry.base
    assert figures["scenarios"] == [
        carpentry.scenarios["pessimistic"],
        carpentry.scenarios["base"],
        carpentry.scenarios["optimistic"],
    ]
    # Cash on day one: 10,000 + 1,200 − 6,000 × 1.21 = 3,940.00. Month 1 sells 100 × factor
    # tables with VAT and pays material, fixed costs with VAT and 100 € of the loan; it is each
    # scenario's lowest month (the next ones add the same, and the VAT of the saw comes back
    # in month 4):
    #   pessimistic 0.8: 3,940 + 800 × 1.21 − (320 + 200) × 1.21 − 100
    #     = 3,940 + 968 − 629.20 − 100 = 4,178.80
    #   base: 3,940 + 1,210 − 726 − 100 = 4,324.00
    #   optimistic 1.15: 3,940 + 1,391.50 − (460 + 200) × 1.21 − 100
    #     = 3,940 + 1,391.50 − 798.60 − 100 = 4,432.90
    assert figures["lowest_cash"] == [D("4178.80"), D("4324.00"), D("4432.90")]
    assert [m.number for m in figures["first_year"]] == list(range(1, 13))
    assert figures["first_year"][0].cash_end == D("4324.00")
    labels = [q["label"] for q in figures["quarters"]]
    assert labels == ["2.1", "2.2", "2.3", "2.4", "3.1", "3.2", "3.3", "3.4"]
    # Year 2's first quarter (months 13–15): 110 tables a month, in 1,100 × 1.21 = 1,331.00;
    # out (440 + 200) × 1.21 = 774.40 a month (the loan is repaid), and in month 13 the VAT of
    # year 1's last quarter: 3 × (1,000 − 600) × 0.21 = 252.00.
    #   in 3 × 1,331 = 3,993.00; out 3 × 774.40 + 252 = 2,575.20.
    # Cash at the end of year 1: 3,940 + 12 × (1,210 − 826) + 1,008 (the VAT refund of month
    # 4: 630 − 378 − 1,260) − 2 × 252 (months 7 and 10) = 9,052.00; month 13: + 1,331
    # − 774.40 − 252 = 9,356.60; months 14 and 15: + 556.60 each = 10,469.80.
    assert figures["quarters"][0] == {
        "quarter": 1,
        "label": "2.1",
        "cash_in": D("3993.00"),
        "cash_out": D("2575.20"),
        "cash_end": D("10469.80"),
    }
    assert figures["quarters"][4]["label"] == "3.1"
    assert figures["quarters"][4]["cash_in"] == D("4392.30")  # 3 × 1,210 × 1.21
    revenue, *_rest, net_profit = figures["pnl"]
    assert revenue == (D("12000.00"), D("13200.00"), D("14520.00"), "Revenue")
    assert net_profit == (D("3060.00"), D("3672.00"), D("4345.20"), "Net profit")
    assert figures["chart"] == viability.cash_chart(carpentry.base)


def test_the_spreadsheet_holds_the_summary_the_accounts_the_cash_and_each_loan(carpentry):
    book = load_workbook(io.BytesIO(viability.xlsx_bytes(carpentry, "Fusteria")))
    assert book.sheetnames == ["Summary", "Profit and loss", "Cash", "ICF"]
    rows = list(book["Summary"].values)
    # Pessimistic (0.8): year 1 revenue 9,600, margin 5,760 − 3,600 = 2,160, tax 324, net 1,836;
    #   year 3: 121 × 0.8 = 96.8 tables a month: revenue 11,616, material 4,646.40, before tax
    #   11,616 − 4,646.40 − 3,600 = 3,369.60, tax 505.44, net 2,864.16.
    # Optimistic (1.15): year 1 revenue 13,800, before tax 13,800 − 5,520 − 3,600 = 4,680, tax
    #   702, net 3,978; year 3: 139.15 tables: revenue 16,698, material 6,679.20, before tax
    #   6,418.80, tax 962.82, net 5,455.98.
    assert rows == [
        ("Fusteria", None, None, None),
        ("Scenario", "Revenue year 1", "Net profit year 1", "Net profit year 3"),
        ("pessimistic", 9600, 1836, 2864.16),
        ("base", 12000, 3060, 4345.2),
        ("optimistic", 13800, 3978, 5455.98),
    ]
    assert list(book["Profit and loss"].values) == [
        (None, "Year 1", "Year 2", "Year 3"),
        ("Revenue", 12000, 13200, 14520),
        ("Variable costs", 4800, 5280, 5808),
        ("Gross margin", 7200, 7920, 8712),
        ("Fixed costs", 2400, 2400, 2400),
        ("Staff", 0, 0, 0),
        ("EBITDA", 4800, 5520, 6312),
        ("Amortisation", 1200, 1200, 1200),
        ("Interest", 0, 0, 0),
        ("Profit before tax", 3600, 4320, 5112),
        ("Tax", 540, 648, 766.8),
        ("Net profit", 3060, 3672, 4345.2),
    ]
    cash = list(book["Cash"].values)
    assert cash[0] == ("Month", "Cash in", "Cash out", "Cash at the end")
    assert len(cash) == 1 + 36
    # Month 1: in 1,210, out 726 + 100 (loan) = 826, 3,940 + 384 = 4,324.
    assert cash[1] == (1, 1210, 826, 4324)
    # Month 4 gets back the VAT of the first quarter: 630 − 378 − 1,260 = −1,008, so its
    # outflow is 826 − 1,008 = −182; cash 4,324 + 2 × 384 + 1,210 + 182 = 6,484.
    assert cash[4] == (4, 1210, -182, 6484)
    assert cash[36][0] == 36
    loan = list(book["ICF"].values)
    # 1,200 € at 0 % over 12 months: 100 € a month, no interest.
    assert loan[0] == ("Month", "Payment", "Interest", "Principal", "Balance")
    assert loan[1] == (1, 100, 0, 100, 1100)
    assert loan[12] == (12, 100, 0, 100, 0)
    assert len(loan) == 13


def test_the_spreadsheet_lists_the_warnings_under_the_scenarios():
    outcome = viability.compute(
        {"own_funds": "1000", "investments": [{"name": "Forn", "amount": "6000", "years": "5"}]},
        PARAMETERS,
    )
    book = load_workbook(io.BytesIO(viability.xlsx_bytes(outcome, "Forn")))
    column = [row[0] for row in book["Summary"].values]
    assert column[5:] == outcome.warnings and len(column) == 5 + 4


def test_a_loan_s_sheet_is_named_after_it_within_excel_s_31_characters():
    loans = [
        {"name": name, "amount": "1200", "annual_rate": "0", "months": "12"}
        for name in ("Préstec participatiu de l'Institut Català", "", "ICF", "ICF")
    ]
    outcome = viability.compute({"loans": loans}, PARAMETERS)
    book = load_workbook(io.BytesIO(viability.xlsx_bytes(outcome, "Préstecs")))
    assert book.sheetnames[3:] == [
        "Préstec participatiu de l'Insti",  # the first 31 characters
        "Loan",  # a loan without a name
        "ICF",
        "ICF (4)",  # a second loan of the same name keeps its position
    ]


@pytest.mark.django_db
def test_the_pdf_is_a_document_with_the_title(carpentry):
    from pypdf import PdfReader

    pdf = viability.pdf_bytes(carpentry, "Fusteria Serra")
    assert pdf.startswith(b"%PDF")
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "Fusteria Serra" in text and "12,000" in text  # year 1's revenue


# The cash chart ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("span", "step"),
    [
        (10, 2),  # 10 / 5 = 2: a round step already
        (12, 2.5),  # 2.4 → 2.5
        (7, 2),  # 1.4 → 2
        (5_000, 1_000),  # exactly 1,000: not the next one up
        (4_000, 1_000),  # 800 → 1,000, the next power of ten
        (5_500, 2_000),  # 1,100 → 2,000
        (20_000, 5_000),  # 4,000 → 5,000
        (35_000, 10_000),  # 7,000 → 10,000
        (1, 0.2),  # 0.2, a power of ten below 1
        (0.3, 0.1),  # 0.06 → 0.1
    ],
)
def test_the_chart_s_step_is_round_and_cuts_the_span_in_about_five(span, step):
    assert viability._nice_step(span) == pytest.approx(step)


def _plan(cash_ends: list) -> SimpleNamespace:
    """A plan stub: the chart reads only the months' cash at the end."""
    return SimpleNamespace(
        months=[Month(number=n, cash_end=D(v)) for n, v in enumerate(cash_ends, start=1)]
    )


# The plot area of the default 720 × 260 chart: x from 84 to 720 − 12 = 708 (624 wide), y from
# 12 to 260 − 40 = 220 (208 high); month m is at x = 84 + (m − 1) / 35 × 624.
X_TICKS = [
    {"x": "84.0", "label": "1"},
    {"x": "173.1", "label": "6"},  # 84 + 5 × 624 / 35 = 84 + 89.14
    {"x": "280.1", "label": "12"},  # 84 + 11 × 17.8286 = 84 + 196.11
    {"x": "387.1", "label": "18"},  # 84 + 303.09
    {"x": "494.1", "label": "24"},  # 84 + 410.06
    {"x": "601.0", "label": "30"},  # 84 + 517.03
    {"x": "708.0", "label": "36"},
]


def test_the_chart_spans_from_the_lowest_to_the_highest_cash_in_round_steps():
    # Month 1 at −1,500, month 36 at 4,000, the others at 1,000: the span −1,500…4,000 is
    # 5,500, a step of 2,000 (5,500 / 5 = 1,100 → 2,000); the axis from −2,000 (−0.75 steps,
    # down) to 4,000 (2 steps): 3 steps, 6,000 high. y = 220 − (value + 2,000) / 6,000 × 208.
    chart = viability.cash_chart(_plan([-1500] + [1000] * 34 + [4000]))
    assert chart["y_ticks"] == [
        {"y": "220.0", "label": f"−2,000{NBSP}€"},
        {"y": "150.7", "label": f"0{NBSP}€"},  # 220 − 2,000 / 6,000 × 208 = 220 − 69.33
        {"y": "81.3", "label": f"2,000{NBSP}€"},  # 220 − 138.67
        {"y": "12.0", "label": f"4,000{NBSP}€"},
    ]
    assert chart["zero"] == "150.7"
    points = chart["points"].split()
    assert len(points) == 36
    # month 1: y = 220 − 500 / 6,000 × 208 = 220 − 17.33 = 202.7
    # month 2: x = 84 + 624 / 35 = 101.8; y = 220 − 3,000 / 6,000 × 208 = 116.0
    assert points[:2] == ["84.0,202.7", "101.8,116.0"]
    assert points[5] == "173.1,116.0"
    assert points[-1] == "708.0,12.0"
    assert chart["x_ticks"] == X_TICKS
    assert {key: chart[key] for key in ("width", "height", "left", "right", "top", "bottom")} == {
        "width": 720,
        "height": 260,
        "left": 84,
        "right": 708,
        "top": 12,
        "bottom": 220,
    }
    # Month labels 18 below the plot, the axis title 4 above the bottom edge, the amounts
    # 8 left of the axis.
    assert (chart["x_label_y"], chart["axis_title_y"], chart["y_label_x"]) == (238, 256, 76)


def test_a_chart_always_positive_starts_at_zero():
    # 3,000 every month: the span 0…3,000 (zero is always on the chart), step 1,000
    # (600 → 1,000), 3 steps; the line runs along the top.
    chart = viability.cash_chart(_plan([3000] * 36))
    assert [(t["y"], t["label"]) for t in chart["y_ticks"]] == [
        ("220.0", f"0{NBSP}€"),
        ("150.7", f"1,000{NBSP}€"),
        ("81.3", f"2,000{NBSP}€"),
        ("12.0", f"3,000{NBSP}€"),
    ]
    assert chart["zero"] == "220.0"
    assert set(point.split(",")[1] for point in chart["points"].split()) == {"12.0"}


def test_a_chart_always_negative_ends_at_zero():
    # −2,500 every month: step 500 (2,500 / 5), from −2,500 to 0 in 5 steps, each 208 / 5 =
    # 41.6 high.
    chart = viability.cash_chart(_plan([-2500] * 36))
    assert [(t["y"], t["label"]) for t in chart["y_ticks"]] == [
        ("220.0", f"−2,500{NBSP}€"),
        ("178.4", f"−2,000{NBSP}€"),
        ("136.8", f"−1,500{NBSP}€"),
        ("95.2", f"−1,000{NBSP}€"),
        ("53.6", f"−500{NBSP}€"),
        ("12.0", f"0{NBSP}€"),
    ]
    assert chart["zero"] == "12.0"
    assert chart["points"].split()[0] == "84.0,220.0"


def test_a_chart_of_small_amounts_still_starts_at_zero():
    # 1.50 € every month: the span 0…1.50, step 0.5 (0.3 → 0.5), from 0 to 1.50 in 3 steps,
    # labels rounded to the euro (halves to even: 0.50 → 0, 1.50 → 2).
    chart = viability.cash_chart(_plan(["1.50"] * 36))
    assert [(t["y"], t["label"]) for t in chart["y_ticks"]] == [
        ("220.0", f"0{NBSP}€"),
        ("150.7", f"0{NBSP}€"),
        ("81.3", f"1{NBSP}€"),
        ("12.0", f"2{NBSP}€"),
    ]
    assert chart["zero"] == "220.0"


def test_a_flat_chart_at_zero_still_has_an_axis():
    # No cash at all: the span 0 counts as 1, step 0.2, and the axis gets one step above zero
    # so that nothing divides by zero; the line lies on the bottom.
    chart = viability.cash_chart(_plan([0] * 36))
    assert chart["y_ticks"] == [
        {"y": "220.0", "label": f"0{NBSP}€"},
        {"y": "12.0", "label": f"0{NBSP}€"},  # 0.2 € rounded to the euro
    ]
    assert chart["zero"] == "220.0"
    assert chart["points"].split()[-1] == "708.0,220.0"


def test_a_chart_of_another_size_keeps_its_margins():
    # 400 × 200: x from 84 to 388 (304 wide), y from 12 to 160; month m at
    # 84 + (m − 1) / 35 × 304; month 36 at 388, month 6 at 84 + 5 × 304 / 35 = 127.4.
    chart = viability.cash_chart(_plan([-1500] + [1000] * 34 + [4000]), width=400, height=200)
    assert (chart["right"], chart["bottom"], chart["x_label_y"], chart["axis_title_y"]) == (
        388,
        160,
        178,
        196,
    )
    assert chart["x_ticks"][1] == {"x": "127.4", "label": "6"}
    # 0 is a third of the way up: 160 − 2,000 / 6,000 × 148 = 110.7
    assert chart["zero"] == "110.7"
