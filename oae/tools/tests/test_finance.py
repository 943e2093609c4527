"""The viability plan's arithmetic against hand-worked examples, and its properties."""

from decimal import Decimal as D

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from oae.tools import finance
from oae.tools.finance import Investment, Loan, Parameters, PlanInputs, Product, Salary

PARAMS = Parameters(
    year=2026,
    vat_rate=D(21),
    employer_social_security=D("31.4"),
    self_employed_quota=D(80),
    corporate_tax_new=D(15),
    income_tax_rate=D(20),
)


def test_a_french_loan_matches_the_hand_worked_example():
    # 10,000 € at 6 % for 12 months: payment 50 / (1 - 1.005^-12) = 860.66 €
    schedule = finance.loan_schedule(D(10_000), D(6), 12)
    assert schedule[0].payment == D("860.66") and schedule[0].interest == D("50.00")
    assert sum(i.principal for i in schedule) == D("10000.00")
    # Unrounded, 12 × 860.6643 − 10,000 = 327.97; each month's interest rounded to the cent:
    assert sum(i.interest for i in schedule) == D("327.96")
    # balance before the last payment 856.42, its interest 4.28: the last payment is 860.70
    assert schedule[-1].payment == D("860.70")
    assert sum(i.payment for i in schedule) == D("10327.96")
    assert schedule[-1].balance == 0


def test_grace_months_pay_interest_only_and_zero_rate_splits_evenly():
    schedule = finance.loan_schedule(D(12_000), D(12), 24, grace_months=6)
    assert [i.payment for i in schedule[:6]] == [D("120.00")] * 6
    assert all(i.principal == 0 for i in schedule[:6])
    assert sum(i.principal for i in schedule) == D("12000.00")
    flat = finance.loan_schedule(D(1200), D(0), 12)
    assert {i.payment for i in flat} == {D("100.00")}


@pytest.mark.parametrize(("months", "grace"), [(0, 0), (12, 12), (12, -1)])
def test_impossible_loans_are_refused(months, grace):
    with pytest.raises(ValueError):
        finance.loan_schedule(D(1000), D(5), months, grace)


@settings(max_examples=60, deadline=None)
@given(
    amount=st.decimals(min_value=100, max_value=2_000_000, places=2),
    rate=st.decimals(min_value=0, max_value=25, places=2),
    months=st.integers(min_value=1, max_value=240),
    grace=st.integers(min_value=0, max_value=24),
)
def test_the_principal_repaid_always_equals_the_loan(amount, rate, months, grace):
    grace = min(grace, months - 1)
    schedule = finance.loan_schedule(amount, rate, months, grace)
    assert sum(i.principal for i in schedule) == finance.money(amount)
    assert len(schedule) == months and schedule[-1].balance == 0
    assert all(i.payment == i.interest + i.principal for i in schedule)


def _shop(**changes) -> PlanInputs:
    base = {
        "investments": [Investment("Obres", D(12_000), 10), Investment("Equips", D(6_000), 5)],
        "own_funds": D(8_000),
        "loans": [Loan("ICF", D(15_000), D(5), 60, 6)],
        "products": [Product("Menú", D(900), D(14), D(5), D(5))],
        "fixed_costs_monthly": D(2_500),
        "salaries": [Salary("Cambrer", D(18_000))],
        "self_employed_founders": 1,
        "customer_days": 0,
        "supplier_days": 30,
    }
    return PlanInputs(**(base | changes))


def test_break_even_revenue_is_fixed_costs_over_the_margin_ratio():
    # price 100, unit cost 40 (margin 60 %); fixed 3,000 a month: 36,000 / 0.6 = 60,000 a year
    inputs = PlanInputs(
        products=[Product("Servei", D(50), D(100), D(40))], fixed_costs_monthly=D(3_000)
    )
    plan = finance.compute_plan(inputs, PARAMS)
    assert plan.break_even_revenue == D("60000.00")
    assert plan.break_even_month == 1  # 5,000 revenue - 2,000 variable - 3,000 fixed = 0
    assert plan.years[0].revenue == D("60000.00")


def test_the_profit_and_loss_adds_up():
    plan = finance.compute_plan(_shop(), PARAMS)
    first = plan.years[0]
    # 900 menus × 14 € × 12 = 151,200; food 900 × 5 × 12 = 54,000; margin 97,200
    assert (first.revenue, first.variable_costs, first.gross_margin) == (
        D("151200.00"),
        D("54000.00"),
        D("97200.00"),
    )
    # a waiter: 18,000 × 1.314 / 12 = 1,971.00, plus the founder's quota 80: 2,051.00 a month,
    # 24,612.00 a year
    assert first.staff == D("24612.00")
    assert first.amortisation == D("2400.00")  # 12,000/10 + 6,000/5
    # The loan (15,000 € at 5 %, r = 0.05 / 12): 6 grace months of 15,000 × r = 62.50, then
    # P = 15,000 × r / (1 − (1 + r)^−54) = 310.77; interest to the cent on each balance:
    #   month 7: 62.50 (balance after 14,751.73); 8: 61.47 (14,502.43); 9: 60.43 (14,252.09);
    #   10: 59.38 (14,000.70); 11: 58.34 (13,748.27); 12: 57.28 (13,494.78)
    # 6 × 62.50 + 62.50 + 61.47 + 60.43 + 59.38 + 58.34 + 57.28 = 734.40
    assert first.interest == D("734.40")
    assert plan.loans["ICF"][11].balance == D("13494.78")
    # 97,200 − 30,000 fixed − 24,612 − 2,400 − 734.40 = 39,453.60; income tax 20 % = 7,890.72
    assert (first.profit_before_tax, first.tax, first.net_profit) == (
        D("39453.60"),
        D("7890.72"),
        D("31562.88"),
    )
    assert plan.years[1].revenue == D("158760.00")  # 945 menus (900 × 1.05) × 14 × 12


def test_cash_flow_balances_month_by_month():
    """The shop's first seven months of cash, worked out by hand (VAT 21 %)."""
    plan = finance.compute_plan(_shop(), PARAMS)
    # Funding 8,000 + 15,000 = 23,000; the investment with VAT 18,000 × 1.21 = 21,780:
    # cash starts at 1,220.00.
    # In: customers pay at once, 12,600 × 1.21 = 15,246.00 a month.
    # Out: staff 2,051.00 and the loan's 62.50 every month (2,113.50); food and fixed costs
    #   (4,500 + 2,500) × 1.21 = 8,470.00 paid 30 days later, from month 2 on.
    #   Month 4 deducts quarter 1's VAT: charged 3 × 12,600 × 0.21 = 7,938.00; paid
    #   3 × 7,000 × 0.21 = 4,410.00 + the investment's 18,000 × 0.21 = 3,780.00: a refund of
    #   7,938 − 8,190 = −252.00. Month 7 pays quarter 2's 7,938 − 4,410 = 3,528.00 and the
    #   loan's first full payment, 310.77: 8,470 + 2,051 + 310.77 + 3,528 = 14,359.77.
    expected = [
        # (in, out, cash at the end)
        (D("15246.00"), D("2113.50"), D("14352.50")),  # 1,220 + 15,246 − 2,113.50
        (D("15246.00"), D("10583.50"), D("19015.00")),  # 8,470 + 2,113.50; + 4,662.50
        (D("15246.00"), D("10583.50"), D("23677.50")),
        (D("15246.00"), D("10331.50"), D("28592.00")),  # 10,583.50 − 252; + 4,914.50
        (D("15246.00"), D("10583.50"), D("33254.50")),
        (D("15246.00"), D("10583.50"), D("37917.00")),
        (D("15246.00"), D("14359.77"), D("38803.23")),  # 37,917 + 15,246 − 14,359.77
    ]
    assert [(m.cash_in, m.cash_out, m.cash_end) for m in plan.months[:7]] == expected
    # Quarter 1: in 3 × 15,246 = 45,738.00, out 2,113.50 + 2 × 10,583.50 = 23,280.50;
    # quarter 2: out 10,331.50 + 2 × 10,583.50 = 31,498.50.
    assert plan.quarters(1)[:2] == [
        {
            "quarter": 1,
            "cash_in": D("45738.00"),
            "cash_out": D("23280.50"),
            "cash_end": D("23677.50"),
        },
        {
            "quarter": 2,
            "cash_in": D("45738.00"),
            "cash_out": D("31498.50"),
            "cash_end": D("37917.00"),
        },
    ]


def test_scenarios_keep_their_order():
    plans = finance.compute_scenarios(_shop(), PARAMS)
    profits = [plans[name].years[0].net_profit for name in ("pessimistic", "base", "optimistic")]
    assert profits == sorted(profits) and profits[0] < profits[2]


def test_warnings_say_what_is_wrong_in_plain_codes():
    poor = _shop(
        own_funds=D(0),
        loans=[],
        products=[Product("Menú", D(100), D(5), D(6))],  # sold below cost
    )
    codes = {code for code, _values in finance.compute_plan(poor, PARAMS).warnings}
    assert {"cash_negative", "financing_short", "margin_below_cost", "no_break_even"} <= codes
    month = dict(finance.compute_plan(poor, PARAMS).warnings)["cash_negative"]["month"]
    assert month == 1


def test_absurd_but_valid_inputs_give_numbers_not_crashes():
    plan = finance.compute_plan(PlanInputs(), PARAMS)
    assert plan.break_even_revenue is None and plan.ratios["gross_margin_pct"] is None
    assert ("no_sales", {}) in plan.warnings
    huge = finance.compute_plan(_shop(products=[Product("X", D(10**9), D(10**6), D(1))]), PARAMS)
    assert huge.years[2].revenue > 0
