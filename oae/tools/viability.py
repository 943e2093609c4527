"""The viability plan as a service: inputs as plain JSON (kept in the citizen's session or in
a saved result), the year's parameters from the coordinators' table, the three scenarios
computed, and the documents people keep (PDF with WeasyPrint, XLSX with openpyxl)."""

import io
import math
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from weasyprint import HTML

from oae.common.money import format_amount, format_money
from oae.tools import finance
from oae.tools.models import FiscalParameters

AMOUNT_KEYS = ("amount", "missing")


def _amounts(values: dict) -> dict:
    """The warning's values with each amount written as the reader's language writes money
    ("−1.778,00", not "-1778.00"); the sentence adds the currency."""
    return {key: format_amount(v) if key in AMOUNT_KEYS else v for key, v in values.items()}


WARNING_TEXTS = {
    "cash_negative": lambda v: (
        _(
            "Cash turns negative in month %(month)s (%(amount)s €): more funding or later spending "
            "is needed."
        )
        % _amounts(v)
    ),
    "financing_short": lambda v: (
        _("The funding does not cover the investment: %(missing)s € are missing.") % _amounts(v)
    ),
    "margin_below_cost": lambda v: (
        _("%(product)s is sold at or below what it costs: every sale loses money.") % v
    ),
    "no_sales": lambda v: _("There are no sales in the plan yet."),
    "no_break_even": lambda v: _("The business does not reach break-even in three years."),
    "loss_in_year_3": lambda v: _("Year 3 still ends with a loss (%(amount)s €).") % _amounts(v),
}


def _d(value, default="0") -> Decimal:
    return Decimal(str(value if value not in (None, "") else default))


def plan_inputs(data: dict) -> finance.PlanInputs:
    """The engine's inputs from the JSON kept for a plan."""
    return finance.PlanInputs(
        investments=[
            finance.Investment(i["name"], _d(i["amount"]), int(i["years"]))
            for i in data.get("investments", [])
        ],
        own_funds=_d(data.get("own_funds")),
        loans=[
            finance.Loan(
                loan["name"],
                _d(loan["amount"]),
                _d(loan["annual_rate"]),
                int(loan["months"]),
                int(loan.get("grace_months") or 0),
            )
            for loan in data.get("loans", [])
        ],
        grants=_d(data.get("grants")),
        products=[
            finance.Product(
                p["name"],
                _d(p["units_per_month"]),
                _d(p["price"]),
                _d(p["unit_cost"]),
                _d(p.get("yearly_growth")),
            )
            for p in data.get("products", [])
        ],
        seasonality=[_d(s, "1") for s in data.get("seasonality") or ["1"] * 12],
        fixed_costs_monthly=_d(data.get("fixed_costs_monthly")),
        salaries=[
            finance.Salary(s["role"], _d(s["gross_yearly"]), _d(s.get("people"), "1"))
            for s in data.get("salaries", [])
        ],
        self_employed_founders=int(data.get("self_employed_founders") or 0),
        company=bool(data.get("company")),
        customer_days=int(data.get("customer_days") or 0),
        supplier_days=int(data.get("supplier_days") or 0),
    )


def parameters_values(year: int) -> dict:
    """The values of the year (or the latest year before it) from the coordinators' table."""
    row = FiscalParameters.objects.filter(year__lte=year).order_by("-year").first()
    row = row or FiscalParameters.objects.order_by("year").first()
    if row is None:
        raise ValidationError(
            _("The network has not entered the fiscal parameters yet; ask the coordinators.")
        )
    return row.values()


def _parameters(values: dict) -> finance.Parameters:
    return finance.Parameters(
        year=int(values["year"]),
        vat_rate=Decimal(values["vat_rate"]),
        employer_social_security=Decimal(values["employer_social_security"]),
        self_employed_quota=Decimal(values["self_employed_quota"]),
        corporate_tax_new=Decimal(values["corporate_tax_new"]),
        income_tax_rate=Decimal(values["income_tax_rate"]),
    )


@dataclass
class Outcome:
    data: dict
    parameters: dict
    scenarios: dict[str, finance.Plan]

    @property
    def base(self) -> finance.Plan:
        return self.scenarios["base"]

    @property
    def warnings(self) -> list[str]:
        return [WARNING_TEXTS[code](values) for code, values in self.base.warnings]

    def summary(self) -> dict:
        first, third = self.base.years[0], self.base.years[2]
        return {
            "revenue_year_1": str(first.revenue),
            "net_profit_year_1": str(first.net_profit),
            "net_profit_year_3": str(third.net_profit),
            "break_even_month": self.base.break_even_month,
            "warnings": len(self.base.warnings),
        }


def compute(data: dict, parameters: dict | None = None) -> Outcome:
    """The three scenarios of a plan. A saved result passes the parameter values it used."""
    parameters = parameters or parameters_values(int(data.get("year") or 2026))
    scenarios = finance.compute_scenarios(plan_inputs(data), _parameters(parameters))
    return Outcome(data=data, parameters=parameters, scenarios=scenarios)


def figures(outcome: Outcome, title: str) -> dict:
    """What the result page, the saved result and the PDF show (one place)."""
    plan = outcome.base
    order = ("pessimistic", "base", "optimistic")
    quarters = []
    for year in (2, 3):
        for quarter in plan.quarters(year):
            quarters.append(quarter | {"label": f"{year}.{quarter['quarter']}"})
    return {
        "outcome": outcome,
        "plan": plan,
        "title": title,
        "chart": cash_chart(plan),
        "pnl": [(*(getattr(y, attr) for y in plan.years), label) for label, attr in PNL_ROWS],
        "scenarios": [outcome.scenarios[name] for name in order],
        "lowest_cash": [min(m.cash_end for m in outcome.scenarios[name].months) for name in order],
        "first_year": plan.months[:12],
        "quarters": quarters,
    }


def _nice_step(span: float, ticks: int = 5) -> float:
    """A round step (1, 2, 2.5 or 5 times a power of ten) that cuts `span` in about `ticks`."""
    raw = span / ticks
    power = 10 ** math.floor(math.log10(raw))
    return next(f * power for f in (1, 2, 2.5, 5, 10) if f * power >= raw)


# The plot area inside the SVG: room on the left for the amounts, below for the months.
CHART_MARGIN = {"left": 84, "right": 12, "top": 12, "bottom": 40}
CHART_MONTHS = (1, 6, 12, 18, 24, 30, 36)


def cash_chart(plan: finance.Plan, width: int = 720, height: int = 260) -> dict:
    """The 36-month cash line drawn on the server as SVG (the CSP allows no script): the line,
    the zero line, and both axes with their values (amounts as the language writes money,
    months below). Coordinates are plain text with a decimal point, never localised."""
    values = [float(m.cash_end) for m in plan.months]
    step = _nice_step((max([*values, 0.0]) - min([*values, 0.0])) or 1.0)
    low = math.floor(min([*values, 0.0]) / step) * step
    high = math.ceil(max([*values, 0.0]) / step) * step
    if high == low:
        high = low + step
    left, top = CHART_MARGIN["left"], CHART_MARGIN["top"]
    right, bottom = width - CHART_MARGIN["right"], height - CHART_MARGIN["bottom"]

    def x(month: int) -> str:
        return f"{left + (month - 1) / (len(values) - 1) * (right - left):.1f}"

    def y(value: float) -> str:
        return f"{bottom - (value - low) / (high - low) * (bottom - top):.1f}"

    count = round((high - low) / step)
    return {
        "width": width,
        "height": height,
        "left": left,
        "right": right,
        "top": top,
        "bottom": bottom,
        "points": " ".join(f"{x(i)},{y(v)}" for i, v in enumerate(values, start=1)),
        "zero": y(0.0),
        "y_ticks": [
            {"y": y(low + i * step), "label": format_money(low + i * step, 0)}
            for i in range(count + 1)
        ],
        "x_ticks": [{"x": x(month), "label": str(month)} for month in CHART_MONTHS],
        "x_label_y": bottom + 18,
        "axis_title_y": height - 4,
        "y_label_x": left - 8,
    }


@transaction.atomic
def pdf_bytes(outcome: Outcome, title: str) -> bytes:
    html = render_to_string("tools/viability_pdf.html", figures(outcome, title))
    return HTML(string=html).write_pdf()


def xlsx_bytes(outcome: Outcome, title: str) -> bytes:
    book = Workbook()
    summary = book.active
    summary.title = _("Summary")[:31]
    summary.append([title])
    summary.append(
        [_("Scenario"), _("Revenue year 1"), _("Net profit year 1"), _("Net profit year 3")]
    )
    for name, plan in outcome.scenarios.items():
        summary.append(
            [
                name,
                float(plan.years[0].revenue),
                float(plan.years[0].net_profit),
                float(plan.years[2].net_profit),
            ]
        )
    for warning in outcome.warnings:
        summary.append([warning])
    pnl = book.create_sheet(_("Profit and loss")[:31])
    pnl.append(["", _("Year 1"), _("Year 2"), _("Year 3")])
    for label, attr in PNL_ROWS:
        pnl.append([str(label), *(float(getattr(y, attr)) for y in outcome.base.years)])
    cash = book.create_sheet(_("Cash")[:31])
    cash.append([_("Month"), _("Cash in"), _("Cash out"), _("Cash at the end")])
    for month in outcome.base.months:
        cash.append(
            [month.number, float(month.cash_in), float(month.cash_out), float(month.cash_end)]
        )
    for name, schedule in outcome.base.loans.items():
        sheet = book.create_sheet(name[:31] or _("Loan"))
        sheet.append([_("Month"), _("Payment"), _("Interest"), _("Principal"), _("Balance")])
        for i in schedule:
            sheet.append(
                [i.month, float(i.payment), float(i.interest), float(i.principal), float(i.balance)]
            )
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


PNL_ROWS = [
    (gettext_lazy("Revenue"), "revenue"),
    (gettext_lazy("Variable costs"), "variable_costs"),
    (gettext_lazy("Gross margin"), "gross_margin"),
    (gettext_lazy("Fixed costs"), "fixed_costs"),
    (gettext_lazy("Staff"), "staff"),
    (gettext_lazy("EBITDA"), "ebitda"),
    (gettext_lazy("Amortisation"), "amortisation"),
    (gettext_lazy("Interest"), "interest"),
    (gettext_lazy("Profit before tax"), "profit_before_tax"),
    (gettext_lazy("Tax"), "tax"),
    (gettext_lazy("Net profit"), "net_profit"),
]
