"""The viability plan's arithmetic: pure functions on Decimals (money rounded to cents), no
database, no floats, so results are exact, reproducible and never NaN or infinite.

A plan is computed month by month over three years (36 months): sales with seasonality and
yearly growth, variable costs, fixed costs, staff with employer social security, the
self-employed quota, amortisation, loan interest, corporate or income tax on the year's
profit; cash adds VAT timing and payment terms. Every parameter that changes with the law
(rates, quotas) comes in `Parameters`, which the caller reads from the table coordinators
maintain, never from here."""

from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
ZERO = Decimal(0)
MONTHS = 36


def money(value) -> Decimal:
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


# Loans ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Installment:
    month: int  # 1-based, from the loan's start
    payment: Decimal
    interest: Decimal
    principal: Decimal
    balance: Decimal


def loan_schedule(
    amount: Decimal, annual_rate: Decimal, months: int, grace_months: int = 0
) -> list[Installment]:
    """French method: constant payments after an interest-only grace period. The last
    payment absorbs the rounding, so the principal repaid always equals the loan."""
    amount, rate = Decimal(amount), Decimal(annual_rate) / 100 / 12
    if months <= 0:
        raise ValueError("a loan needs at least one month")
    if grace_months < 0 or grace_months >= months:
        raise ValueError("the grace period must be shorter than the loan")
    balance = money(amount)
    schedule = []
    for month in range(1, grace_months + 1):
        interest = money(balance * rate)
        schedule.append(Installment(month, interest, interest, ZERO, balance))
    paying = months - grace_months
    if rate == 0:
        payment = money(balance / paying)
    else:
        payment = money(balance * rate / (1 - (1 + rate) ** -paying))
    for month in range(grace_months + 1, months + 1):
        interest = money(balance * rate)
        principal = payment - interest if month < months else balance
        balance = money(balance - principal)
        schedule.append(Installment(month, interest + principal, interest, principal, balance))
    return schedule


# Inputs -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Investment:
    name: str
    amount: Decimal
    years: int  # amortisation period; 0 = not amortised (land, deposits)


@dataclass(frozen=True)
class Loan:
    name: str
    amount: Decimal
    annual_rate: Decimal  # percent
    months: int
    grace_months: int = 0


@dataclass(frozen=True)
class Product:
    name: str
    units_per_month: Decimal  # in an average month of year 1
    price: Decimal  # without VAT
    unit_cost: Decimal  # variable cost per unit, without VAT
    yearly_growth: Decimal = ZERO  # percent, applied to years 2 and 3


@dataclass(frozen=True)
class Salary:
    role: str
    gross_yearly: Decimal
    people: Decimal = Decimal(1)


@dataclass(frozen=True)
class Parameters:
    """One year's fiscal and social-security values (from the coordinators' table)."""

    year: int
    vat_rate: Decimal  # percent, general rate
    employer_social_security: Decimal  # percent of gross salary
    self_employed_quota: Decimal  # euros a month
    corporate_tax_new: Decimal  # percent, new companies' reduced rate
    income_tax_rate: Decimal  # percent, a flat estimate for the self-employed


@dataclass(frozen=True)
class PlanInputs:
    investments: list[Investment] = field(default_factory=list)
    own_funds: Decimal = ZERO
    loans: list[Loan] = field(default_factory=list)
    grants: Decimal = ZERO
    products: list[Product] = field(default_factory=list)
    seasonality: list[Decimal] = field(default_factory=lambda: [Decimal(1)] * 12)
    fixed_costs_monthly: Decimal = ZERO  # rent, supplies, insurance, advisers… without VAT
    salaries: list[Salary] = field(default_factory=list)
    self_employed_founders: int = 0
    company: bool = False  # a company pays corporate tax; a self-employed person income tax
    customer_days: int = 0  # days customers take to pay
    supplier_days: int = 0  # days we take to pay suppliers
    scenario_factor: Decimal = Decimal(1)  # sales multiplier of the scenario


# Results ----------------------------------------------------------------------------------


@dataclass
class Month:
    number: int  # 1..36
    revenue: Decimal = ZERO
    variable_costs: Decimal = ZERO
    fixed_costs: Decimal = ZERO
    staff: Decimal = ZERO
    amortisation: Decimal = ZERO
    interest: Decimal = ZERO
    cash_in: Decimal = ZERO
    cash_out: Decimal = ZERO
    cash_end: Decimal = ZERO

    @property
    def profit_before_tax(self) -> Decimal:
        return (
            self.revenue
            - self.variable_costs
            - self.fixed_costs
            - self.staff
            - self.amortisation
            - self.interest
        )


@dataclass
class Year:
    number: int
    revenue: Decimal
    variable_costs: Decimal
    gross_margin: Decimal
    fixed_costs: Decimal
    staff: Decimal
    ebitda: Decimal
    amortisation: Decimal
    interest: Decimal
    profit_before_tax: Decimal
    tax: Decimal
    net_profit: Decimal


@dataclass
class Plan:
    months: list[Month]
    years: list[Year]
    loans: dict[str, list[Installment]]
    initial_investment: Decimal
    initial_financing: Decimal
    break_even_revenue: Decimal | None  # yearly revenue that covers the costs (year 1 mix)
    break_even_month: int | None  # first month whose own profit is not negative
    ratios: dict[str, Decimal | None]
    warnings: list[tuple[str, dict]] = field(default_factory=list)  # (code, values)

    def quarters(self, year: int) -> list[dict]:
        """Cash by quarter of `year` (2 or 3)."""
        result = []
        for quarter in range(4):
            months = self.months[(year - 1) * 12 + quarter * 3 : (year - 1) * 12 + quarter * 3 + 3]
            result.append(
                {
                    "quarter": quarter + 1,
                    "cash_in": sum((m.cash_in for m in months), ZERO),
                    "cash_out": sum((m.cash_out for m in months), ZERO),
                    "cash_end": months[-1].cash_end,
                }
            )
        return result


def _ratio(part: Decimal, whole: Decimal) -> Decimal | None:
    return None if whole == 0 else (100 * part / whole).quantize(Decimal("0.1"))


def _sales(inputs: PlanInputs, month: int) -> tuple[Decimal, Decimal]:
    """Revenue and variable cost of month 1..36."""
    year, calendar_month = (month - 1) // 12, (month - 1) % 12
    season = inputs.seasonality[calendar_month] if len(inputs.seasonality) == 12 else Decimal(1)
    revenue = variable = ZERO
    for product in inputs.products:
        # Year 1 has no growth, even for a product that stops selling (−100 %): Decimal's
        # 0 ** 0 is an error, not 1.
        growth = (1 + product.yearly_growth / 100) ** year if year else Decimal(1)
        units = product.units_per_month * season * growth * inputs.scenario_factor
        revenue += units * product.price
        variable += units * product.unit_cost
    return money(revenue), money(variable)


def _shifted(amount: Decimal, days: int) -> int:
    """In how many months a payment falls, from payment terms in days: to the nearest month,
    a half month up (15 days: 1, 45: 2, 75: 3), never Python's round-half-to-even, which sent
    45 and 75 days both to the second month."""
    return max(0, (days + 15) // 30)


def _amortisation(investments: list[Investment], month: int) -> Decimal:
    """Month 1..36's amortisation: each investment's cost spread over its years and none once
    they are over; land and deposits (0 years) are never amortised."""
    return money(
        sum((i.amount / (i.years * 12) for i in investments if month <= i.years * 12), ZERO)
    )


def _loans_by_name(loans: list[Loan], schedules: list[list[Installment]]) -> dict:
    """Each loan's schedule under its name; a name already used gets the loan's position
    ("ICF (2)"), so no loan disappears from the plan."""
    named = {}
    for position, (loan, schedule) in enumerate(zip(loans, schedules, strict=True), start=1):
        named[f"{loan.name} ({position})" if loan.name in named else loan.name] = schedule
    return named


def compute_plan(inputs: PlanInputs, params: Parameters) -> Plan:
    vat = params.vat_rate / 100
    months = [Month(number=n) for n in range(1, MONTHS + 1)]
    monthly_staff = money(
        sum(
            (s.gross_yearly * s.people * (1 + params.employer_social_security / 100) / 12)
            for s in inputs.salaries
        )
        + params.self_employed_quota * inputs.self_employed_founders
    )
    # A list, not a dict by name: two loans may share a name and both are repaid.
    schedules = [
        loan_schedule(loan.amount, loan.annual_rate, loan.months, loan.grace_months)
        for loan in inputs.loans
    ]
    investment = money(sum((i.amount for i in inputs.investments), ZERO))
    financing = money(
        inputs.own_funds + inputs.grants + sum((loan.amount for loan in inputs.loans), ZERO)
    )
    cash_in = [ZERO] * (MONTHS + 6)
    cash_out = [ZERO] * (MONTHS + 6)
    for month in months:
        index = month.number - 1
        month.revenue, month.variable_costs = _sales(inputs, month.number)
        month.fixed_costs = money(inputs.fixed_costs_monthly)
        month.staff = monthly_staff
        month.amortisation = _amortisation(inputs.investments, month.number)
        paid = [s[index] for s in schedules if index < len(s)]
        month.interest = sum((p.interest for p in paid), ZERO)
        # Cash: sales and purchases with VAT, paid after their terms; the VAT balance is
        # settled with the tax office the month after each quarter.
        cash_in[index + _shifted(month.revenue, inputs.customer_days)] += money(
            month.revenue * (1 + vat)
        )
        cash_out[index + _shifted(month.variable_costs, inputs.supplier_days)] += money(
            (month.variable_costs + month.fixed_costs) * (1 + vat)
        )
        cash_out[index] += month.staff + sum((p.payment for p in paid), ZERO)
    _settle_vat(months, cash_out, vat, inputs, investment)
    cash = financing - money(investment * (1 + vat))
    years = _years(months, inputs, params)
    for year in years:  # tax on the year's profit is paid in the next year's 7th month
        due = year.number * 12 + 6
        if due < MONTHS:
            cash_out[due] += year.tax
    for month in months:
        index = month.number - 1
        month.cash_in, month.cash_out = cash_in[index], cash_out[index]
        cash += month.cash_in - month.cash_out
        month.cash_end = money(cash)
    plan = Plan(
        months=months,
        years=years,
        loans=_loans_by_name(inputs.loans, schedules),
        initial_investment=investment,
        initial_financing=financing,
        break_even_revenue=_break_even_revenue(months[:12]),
        break_even_month=next((m.number for m in months if m.profit_before_tax >= 0), None),
        ratios=_ratios(years[0], inputs, financing, investment),
    )
    plan.warnings = plan_warnings(plan, inputs)
    return plan


def _settle_vat(months, cash_out, vat: Decimal, inputs: PlanInputs, investment) -> None:
    """VAT charged minus VAT paid, per quarter; a refund is an income (negative outflow).
    The VAT of the initial investment is deducted in the first quarter."""
    for quarter in range(MONTHS // 3):
        quarter_months = months[quarter * 3 : quarter * 3 + 3]
        charged = sum((m.revenue * vat for m in quarter_months), ZERO)
        paid = sum(((m.variable_costs + m.fixed_costs) * vat for m in quarter_months), ZERO)
        if quarter == 0:
            paid += investment * vat
        cash_out[quarter * 3 + 3] += money(charged - paid)


def _years(months: list[Month], inputs: PlanInputs, params: Parameters) -> list[Year]:
    years = []
    for number in (1, 2, 3):
        chunk = months[(number - 1) * 12 : number * 12]
        total = {
            name: sum((getattr(m, name) for m in chunk), ZERO)
            for name in (
                "revenue",
                "variable_costs",
                "fixed_costs",
                "staff",
                "amortisation",
                "interest",
            )
        }
        gross = total["revenue"] - total["variable_costs"]
        ebitda = gross - total["fixed_costs"] - total["staff"]
        before_tax = ebitda - total["amortisation"] - total["interest"]
        rate = params.corporate_tax_new if inputs.company else params.income_tax_rate
        tax = money(max(before_tax, ZERO) * rate / 100)
        years.append(
            Year(
                number=number,
                revenue=total["revenue"],
                variable_costs=total["variable_costs"],
                gross_margin=gross,
                fixed_costs=total["fixed_costs"],
                staff=total["staff"],
                ebitda=ebitda,
                amortisation=total["amortisation"],
                interest=total["interest"],
                profit_before_tax=before_tax,
                tax=tax,
                net_profit=before_tax - tax,
            )
        )
    return years


def _break_even_revenue(first_year: list[Month]) -> Decimal | None:
    """Yearly revenue at which the contribution margin covers the fixed costs (with the
    first year's product mix); None when each sale loses money or there are no sales."""
    revenue = sum((m.revenue for m in first_year), ZERO)
    variable = sum((m.variable_costs for m in first_year), ZERO)
    fixed = sum((m.fixed_costs + m.staff + m.amortisation + m.interest for m in first_year), ZERO)
    if revenue <= 0 or variable >= revenue:
        return None
    return money(fixed / ((revenue - variable) / revenue))


def _ratios(first: Year, inputs: PlanInputs, financing, investment) -> dict:
    debt = sum((loan.amount for loan in inputs.loans), ZERO)
    return {
        "gross_margin_pct": _ratio(first.gross_margin, first.revenue),
        "net_margin_pct": _ratio(first.net_profit, first.revenue),
        "own_funds_pct": _ratio(inputs.own_funds + inputs.grants, financing),
        "debt_pct": _ratio(debt, financing),
        "financing_cover_pct": _ratio(financing, investment),
    }


def plan_warnings(plan: Plan, inputs: PlanInputs) -> list[tuple[str, dict]]:
    """Problems in plain words (the caller translates the codes)."""
    warnings = []
    negative = next((m for m in plan.months if m.cash_end < 0), None)
    if negative is not None:
        warnings.append(("cash_negative", {"month": negative.number, "amount": negative.cash_end}))
    if plan.initial_financing < plan.initial_investment:
        warnings.append(
            (
                "financing_short",
                {"missing": plan.initial_investment - plan.initial_financing},
            )
        )
    for product in inputs.products:
        if product.unit_cost >= product.price and product.unit_cost > 0:
            warnings.append(("margin_below_cost", {"product": product.name}))
    first = plan.years[0]
    if first.revenue == 0:
        warnings.append(("no_sales", {}))
    elif plan.break_even_month is None:
        warnings.append(("no_break_even", {}))
    if plan.years[2].net_profit < 0:
        warnings.append(("loss_in_year_3", {"amount": plan.years[2].net_profit}))
    return warnings


SCENARIOS = {"pessimistic": Decimal("0.8"), "base": Decimal(1), "optimistic": Decimal("1.15")}


def compute_scenarios(inputs: PlanInputs, params: Parameters) -> dict[str, Plan]:
    """The same plan with sales 20 % lower and 15 % higher than expected."""
    return {
        name: compute_plan(replace(inputs, scenario_factor=factor), params)
        for name, factor in SCENARIOS.items()
    }
