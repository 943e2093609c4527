"""The viability plan's figures worked out by hand: every expected number below is derived in
the comments beside it, step by step, so a reviewer can check it with a calculator. None is
read back from the module's own output, and none needs the database.

Unless a test says otherwise: VAT 21 %, employer social security 30 %, self-employed quota
300 € a month, corporate tax 15 %, income tax 20 %; payment terms 0 days; no staff.
Money is rounded to the cent, halves up (0.005 → 0.01).

The loan formula is the French (annuity) method: with a monthly rate r = annual % / 100 / 12
and n months left to repay, the constant payment is P = B · r / (1 − (1 + r)^−n)."""

import dataclasses
from decimal import Decimal as D

import pytest

from oae.tools import finance, viability
from oae.tools.finance import (
    Installment,
    Investment,
    Loan,
    Parameters,
    PlanInputs,
    Product,
    Salary,
)

PARAMS = Parameters(
    year=2026,
    vat_rate=D(21),
    employer_social_security=D(30),
    self_employed_quota=D(300),
    corporate_tax_new=D(15),
    income_tax_rate=D(20),
)


def cash_out(plan, first, last):
    """Cash out of months first..last (1-based, both included)."""
    return [m.cash_out for m in plan.months[first - 1 : last]]


# Loans ------------------------------------------------------------------------------------


def test_a_short_loan_with_grace_months_is_repaid_to_the_cent():
    # 6,000 € at 12 % a year for 6 months, the first 2 interest only: r = 12 / 100 / 12 = 0.01.
    # Grace months pay the interest only: 6,000 × 0.01 = 60.00, the balance stays 6,000.00.
    # Then 4 constant payments: P = 6,000 × 0.01 / (1 − 1.01^−4);
    #   1.01^4 = 1.04060401, 1.01^−4 = 0.96098034, 1 − 0.96098034 = 0.03901966,
    #   P = 60 / 0.03901966 = 1,537.6866 → 1,537.69.
    # Each month: interest = balance × 0.01 (to the cent); principal = P − interest.
    #   month 3: interest 60.00;                    principal 1,477.69; balance 4,522.31
    #   month 4: 4,522.31 × 0.01 = 45.2231 → 45.22; principal 1,492.47; balance 3,029.84
    #   month 5: 3,029.84 × 0.01 = 30.2984 → 30.30; principal 1,507.39; balance 1,522.45
    #   month 6, the last, repays the whole balance: 1,522.45 × 0.01 = 15.2245 → 15.22,
    #   principal 1,522.45, payment 15.22 + 1,522.45 = 1,537.67 (2 cents under P: rounding).
    assert finance.loan_schedule(D(6_000), D(12), 6, grace_months=2) == [
        Installment(1, D("60.00"), D("60.00"), D(0), D("6000.00")),
        Installment(2, D("60.00"), D("60.00"), D(0), D("6000.00")),
        Installment(3, D("1537.69"), D("60.00"), D("1477.69"), D("4522.31")),
        Installment(4, D("1537.69"), D("45.22"), D("1492.47"), D("3029.84")),
        Installment(5, D("1537.69"), D("30.30"), D("1507.39"), D("1522.45")),
        Installment(6, D("1537.67"), D("15.22"), D("1522.45"), D("0.00")),
    ]
    # principal: 1,477.69 + 1,492.47 + 1,507.39 + 1,522.45 = 6,000.00
    # interest: 3 × 60.00 + 45.22 + 30.30 + 15.22 = 270.74


def test_a_one_month_loan_repays_everything_with_one_month_of_interest():
    # 1,000 € at 12 % for 1 month: r = 0.01, P = 1,000 × 0.01 / (1 − 1 / 1.01)
    #   = 10 / (0.01 / 1.01) = 10 × 101 = 1,010.00: interest 10.00 and principal 1,000.00.
    assert finance.loan_schedule(D(1_000), D(12), 1) == [
        Installment(1, D("1010.00"), D("10.00"), D("1000.00"), D("0.00"))
    ]


def test_an_interest_free_loan_with_grace_splits_the_rest_evenly():
    # 1,200 € at 0 % for 5 months, 1 of grace: interest 0.00; then 1,200 / 4 = 300.00 a month.
    assert finance.loan_schedule(D(1_200), D(0), 5, grace_months=1) == [
        Installment(1, D(0), D(0), D(0), D("1200.00")),
        Installment(2, D("300.00"), D(0), D("300.00"), D("900.00")),
        Installment(3, D("300.00"), D(0), D("300.00"), D("600.00")),
        Installment(4, D("300.00"), D(0), D("300.00"), D("300.00")),
        Installment(5, D("300.00"), D(0), D("300.00"), D("0.00")),
    ]


def test_a_loan_amount_is_rounded_to_the_cent_before_the_schedule():
    # 1,000.005 € is lent as 1,000.01 (halves up); at 0 % over 2 months:
    # payment 1,000.01 / 2 = 500.005 → 500.01, balance 500.00; the last month repays 500.00.
    assert finance.loan_schedule(D("1000.005"), D(0), 2) == [
        Installment(1, D("500.01"), D(0), D("500.01"), D("500.00")),
        Installment(2, D("500.00"), D(0), D("500.00"), D("0.00")),
    ]


@pytest.mark.parametrize(
    ("months", "grace", "message"),
    [
        (0, 0, "a loan needs at least one month"),
        (-1, 0, "a loan needs at least one month"),
        (12, 12, "the grace period must be shorter than the loan"),
        (12, 13, "the grace period must be shorter than the loan"),
        (12, -1, "the grace period must be shorter than the loan"),
    ],
)
def test_impossible_loans_are_refused_with_their_reason(months, grace, message):
    with pytest.raises(ValueError, match=f"^{message}$"):
        finance.loan_schedule(D(1_000), D(5), months, grace)


def test_a_loan_has_no_grace_period_unless_given_one():
    # 1,000 € at 12 % for 1 month (the schedule above): month 1 pays 1,010.00.
    plan = finance.compute_plan(PlanInputs(loans=[Loan("Caixa", D(1_000), D(12), 1)]), PARAMS)
    assert plan.months[0].cash_out == D("1010.00")


def test_the_longest_grace_leaves_one_month_to_repay():
    # 12,000 € at 6 % for 36 months with 35 of grace (a bullet loan): r = 0.005,
    # interest 12,000 × 0.005 = 60.00 a month; the 36th pays 12,000 × 0.005 / (1 − 1/1.005)
    # = 60 × 201 = 12,060.00.
    schedule = finance.loan_schedule(D(12_000), D(6), 36, grace_months=35)
    assert [i.payment for i in schedule] == [D("60.00")] * 35 + [D("12060.00")]
    assert schedule[-1] == Installment(36, D("12060.00"), D("60.00"), D("12000.00"), D(0))


# Amortisation -----------------------------------------------------------------------------


def test_land_is_never_amortised_and_each_asset_only_over_its_own_years():
    inputs = PlanInputs(
        investments=[
            Investment("Terreny", D(50_000), 0),  # land: 0 years, never amortised
            Investment("Furgoneta", D(24_000), 4),  # 24,000 / (4 × 12) = 500.00 a month
            Investment("Ordinador", D(1_200), 1),  # 1,200 / 12 = 100.00 a month, months 1–12
            Investment("Programari", D(2_400), 2),  # 2,400 / 24 = 100.00 a month, months 1–24
        ],
        own_funds=D(100_000),
    )
    plan = finance.compute_plan(inputs, PARAMS)
    # months 1–12: 500 + 100 + 100 = 700.00; 13–24: 500 + 100 = 600.00; 25–36: 500.00
    assert [m.amortisation for m in plan.months] == (
        [D("700.00")] * 12 + [D("600.00")] * 12 + [D("500.00")] * 12
    )
    # a year: 12 × 700 = 8,400.00; 12 × 600 = 7,200.00; 12 × 500 = 6,000.00. Over the three
    # years the computer costs 1,200, the software 2,400, the van 18,000 of its 24,000.
    assert [y.amortisation for y in plan.years] == [D("8400.00"), D("7200.00"), D("6000.00")]
    # 50,000 + 24,000 + 1,200 + 2,400 = 77,600.00, all of it paid with VAT on day one (land
    # included, the module's rule): cash starts at 100,000 − 77,600 × 1.21 = 100,000 − 93,896
    # = 6,104.00, and month 1 has no sales nor costs.
    assert plan.initial_investment == D("77600.00")
    assert plan.months[0].cash_end == D("6104.00")
    # the first quarter deducts that VAT: 77,600 × 0.21 = 16,296.00 back in month 4
    assert cash_out(plan, 3, 5) == [D(0), D("-16296.00"), D(0)]


# VAT and payment terms ---------------------------------------------------------------------


def _workshop(**changes) -> PlanInputs:
    """A workshop selling 100 tables a month at 10 € (4 € of material each); January sells
    1×, February 2×, March 3×, the other months 1×. 200 € of fixed costs a month."""
    base = {
        "products": [Product("Taula", D(100), D(10), D(4))],
        "seasonality": [D(1), D(2), D(3)] + [D(1)] * 9,
        "fixed_costs_monthly": D(200),
        "own_funds": D(10_000),
    }
    return PlanInputs(**(base | changes))


def test_a_quarter_s_vat_is_settled_the_month_after_it():
    # A 6,000 € oven (5 years) bought on day one; customers and suppliers pay at once.
    plan = finance.compute_plan(_workshop(investments=[Investment("Forn", D(6_000), 5)]), PARAMS)
    # Sales (revenue; material): Jan 1,000; 400  Feb 2,000; 800  Mar 3,000; 1,200, others
    # 1,000; 400. Purchases paid with VAT, (material + 200 fixed) × 1.21:
    #   Jan 600 × 1.21 = 726.00, Feb 1,000 × 1.21 = 1,210.00, Mar 1,400 × 1.21 = 1,694.00,
    #   other months 726.00.
    # Quarter 1 (months 1–3), settled in month 4:
    #   VAT charged  (1,000 + 2,000 + 3,000) × 0.21 = 1,260.00
    #   VAT paid     (600 + 1,000 + 1,400) × 0.21 = 630.00, plus the oven's 6,000 × 0.21 =
    #                1,260.00: 1,890.00
    #   settlement   1,260.00 − 1,890.00 = −630.00, a refund: month 4 pays 726 − 630 = 96.00
    # Quarters 2 and 3 (months 4–6, 7–9): charged 3,000 × 0.21 = 630.00, paid 1,800 × 0.21 =
    #   378.00, settlement 252.00 in months 7 and 10: 726 + 252 = 978.00.
    # Quarter 4 (months 10–12): the same 252.00 in month 13 (a January: 726 + 252 = 978.00).
    # Quarter 5 (months 13–15, sold like months 1–3 but without the oven): 1,260 − 630 =
    #   630.00 in month 16: 726 + 630 = 1,356.00.
    assert cash_out(plan, 1, 16) == [
        D("726.00"),
        D("1210.00"),
        D("1694.00"),
        D("96.00"),
        D("726.00"),
        D("726.00"),
        D("978.00"),
        D("726.00"),
        D("726.00"),
        D("978.00"),
        D("726.00"),
        D("726.00"),
        D("978.00"),
        D("1210.00"),
        D("1694.00"),
        D("1356.00"),
    ]
    # Quarter 11 (months 31–33, July–September) is settled in month 34: 978.00; quarter 12
    # (months 34–36) would be settled in month 37, after the plan.
    assert cash_out(plan, 34, 36) == [D("978.00"), D("726.00"), D("726.00")]
    # Cash in: sales × 1.21: 1,210.00, 2,420.00, 3,630.00, then 1,210.00.
    assert [m.cash_in for m in plan.months[:4]] == [
        D("1210.00"),
        D("2420.00"),
        D("3630.00"),
        D("1210.00"),
    ]
    # Cash starts at 10,000 − 6,000 × 1.21 = 2,740.00:
    #   month 1: 2,740 + 1,210 − 726 = 3,224.00;  month 2: + 2,420 − 1,210 = 4,434.00;
    #   month 3: + 3,630 − 1,694 = 6,370.00;       month 4: + 1,210 − 96 = 7,484.00
    assert [m.cash_end for m in plan.months[:4]] == [
        D("3224.00"),
        D("4434.00"),
        D("6370.00"),
        D("7484.00"),
    ]
    # By quarter: Q1 in 1,210 + 2,420 + 3,630 = 7,260.00, out 726 + 1,210 + 1,694 = 3,630.00;
    #   Q2 in 3 × 1,210 = 3,630.00, out 96 + 726 + 726 = 1,548.00, cash 7,484 + 2 × (1,210 −
    #   726) = 8,452.00; Q3 out 978 + 726 + 726 = 2,430.00, cash 8,452 + 3,630 − 2,430 =
    #   9,652.00; Q4 the same: 10,852.00.
    assert plan.quarters(1) == [
        {"quarter": 1, "cash_in": D("7260.00"), "cash_out": D("3630.00"), "cash_end": D("6370.00")},
        {"quarter": 2, "cash_in": D("3630.00"), "cash_out": D("1548.00"), "cash_end": D("8452.00")},
        {"quarter": 3, "cash_in": D("3630.00"), "cash_out": D("2430.00"), "cash_end": D("9652.00")},
        {
            "quarter": 4,
            "cash_in": D("3630.00"),
            "cash_out": D("2430.00"),
            "cash_end": D("10852.00"),
        },
    ]
    # Year 2's first quarter: in 7,260.00; out 978 + 1,210 + 1,694 = 3,882.00; cash
    # 10,852 + 7,260 − 3,882 = 14,230.00 (no tax is paid before month 19).
    assert plan.quarters(2)[0] == {
        "quarter": 1,
        "cash_in": D("7260.00"),
        "cash_out": D("3882.00"),
        "cash_end": D("14230.00"),
    }


def test_customers_at_60_days_and_suppliers_at_30_move_cash_to_later_months():
    plan = finance.compute_plan(_workshop(customer_days=60, supplier_days=30), PARAMS)
    # 60 days = 2 months: January's sales (1,000 × 1.21 = 1,210.00) arrive in March,
    # February's 2,420.00 in April, March's 3,630.00 in May, April's 1,210.00 in June.
    assert [m.cash_in for m in plan.months[:7]] == [
        D(0),
        D(0),
        D("1210.00"),
        D("2420.00"),
        D("3630.00"),
        D("1210.00"),
        D("1210.00"),
    ]
    # 30 days = 1 month: January's purchases (726.00) leave in February, February's 1,210.00
    # in March, March's 1,694.00 in April. VAT is due on what was invoiced, whenever it is
    # paid: quarter 1 settles (1,000 + 2,000 + 3,000) × 0.21 − (600 + 1,000 + 1,400) × 0.21
    # = 1,260 − 630 = 630.00 in April: 1,694 + 630 = 2,324.00; quarter 2, 630 − 378 = 252.00
    # in July: 726 + 252 = 978.00.
    assert cash_out(plan, 1, 7) == [
        D(0),
        D("726.00"),
        D("1210.00"),
        D("2324.00"),
        D("726.00"),
        D("726.00"),
        D("978.00"),
    ]
    # Cash from 10,000.00 (no investment): 10,000.00; − 726 = 9,274.00; + 1,210 − 1,210 =
    # 9,274.00; + 2,420 − 2,324 = 9,370.00; + 3,630 − 726 = 12,274.00; + 1,210 − 726 =
    # 12,758.00; + 1,210 − 978 = 12,990.00.
    assert [m.cash_end for m in plan.months[:7]] == [
        D("10000.00"),
        D("9274.00"),
        D("9274.00"),
        D("9370.00"),
        D("12274.00"),
        D("12758.00"),
        D("12990.00"),
    ]


# January and December sell 1,000 € (VAT: 1,210.00); no other month sells.
JANUARY_AND_DECEMBER = [D(1)] + [D(0)] * 10 + [D(1)]


@pytest.mark.parametrize(
    ("days", "months_later"),
    [
        # to the nearest month, a half month (15 days) up: months = (days + 15) // 30
        (-30, 0),  # no negative terms: paid at once
        (0, 0),
        (14, 0),  # 29 // 30 = 0
        (15, 1),  # 30 // 30 = 1
        (30, 1),
        (44, 1),  # 59 // 30 = 1
        (45, 2),  # 60 // 30 = 2
        (60, 2),
        (75, 3),  # 90 // 30 = 3
        (180, 6),  # 195 // 30 = 6: month 36's sales are counted in month 42, after the plan
    ],
)
def test_customer_payment_days_become_whole_months(days, months_later):
    product = Product("Servei", D(100), D(10), D(0))
    inputs = PlanInputs(products=[product], seasonality=JANUARY_AND_DECEMBER, customer_days=days)
    plan = finance.compute_plan(inputs, PARAMS)
    expected = [D(0)] * 8
    expected[months_later] = D("1210.00")  # January's sale, 1,000 × 1.21
    assert [m.cash_in for m in plan.months[:8]] == expected


@pytest.mark.parametrize(("days", "months_later"), [(0, 0), (14, 0), (15, 1), (45, 2), (75, 3)])
def test_supplier_payment_days_become_whole_months(days, months_later):
    # Material bought in January, 100 × 10 = 1,000 € (1,210.00 with VAT); nothing sold.
    # Quarter 1's VAT: 0 charged − 210.00 paid = a 210.00 refund in month 4, whenever the
    # supplier is paid.
    product = Product("Material", D(100), D(0), D(10))
    inputs = PlanInputs(products=[product], seasonality=JANUARY_AND_DECEMBER, supplier_days=days)
    plan = finance.compute_plan(inputs, PARAMS)
    expected = [D(0)] * 8
    expected[3] = D("-210.00")
    expected[months_later] += D("1210.00")
    assert cash_out(plan, 1, 8) == expected


def test_a_sale_at_180_days_in_the_last_month_is_left_after_the_plan():
    # December of year 3 (month 36) sells 1,210.00 paid 6 months later, month 42: not in the
    # plan, which ends in month 36. June of year 3 (month 30) gets January's (month 25).
    inputs = PlanInputs(
        products=[Product("Servei", D(100), D(10), D(0))],
        seasonality=JANUARY_AND_DECEMBER,
        customer_days=180,
    )
    plan = finance.compute_plan(inputs, PARAMS)
    assert [m.number for m in plan.months if m.cash_in] == [7, 18, 19, 30, 31]


# Profit and loss --------------------------------------------------------------------------


def _restaurant(**changes) -> PlanInputs:
    """A restaurant company: 200 menus a month at 50 € (20 € of food each), 10 % more each
    year; 1,500 € of fixed costs a month; a cook at 24,000 € gross a year and one founder
    paying the self-employed quota; a 36,000 € kitchen over 5 years and 20,000 € of land;
    two loans (one repaid within 6 months, one bullet loan of 36); 50,000 € own funds,
    6,000 € of grants."""
    base = {
        "investments": [
            Investment("Cuina", D(36_000), 5),  # 36,000 / 60 = 600.00 a month
            Investment("Solar", D(20_000), 0),
        ],
        "own_funds": D(50_000),
        "grants": D(6_000),
        "loans": [
            Loan("Pont", D(6_000), D(12), 6, 2),  # the schedule worked out above
            Loan("Bala", D(12_000), D(6), 36, 35),  # 60.00 of interest a month, 12,060 in month 36
        ],
        "products": [Product("Menú", D(200), D(50), D(20), D(10))],
        "fixed_costs_monthly": D(1_500),
        "salaries": [Salary("Cuiner", D(24_000))],
        "self_employed_founders": 1,
        "company": True,
    }
    return PlanInputs(**(base | changes))


def test_three_years_of_profit_and_loss_with_amortisation_and_interest():
    plan = finance.compute_plan(_restaurant(), PARAMS)
    # Units: 200 a month; year 2: 200 × 1.10 = 220; year 3: 200 × 1.10² = 242.
    # Revenue: 200 × 50 × 12 = 120,000; 220 × 50 × 12 = 132,000; 242 × 50 × 12 = 145,200.
    # Variable: 200 × 20 × 12 = 48,000; 220 × 20 × 12 = 52,800; 242 × 20 × 12 = 58,080.
    # Staff a month: 24,000 × 1.30 / 12 = 2,600 + 300 quota = 2,900.00; a year 34,800.00.
    # Amortisation: 600.00 a month, 7,200.00 a year (the land none).
    # Interest: year 1: the bridge loan 270.74 (60 + 60 + 60 + 45.22 + 30.30 + 15.22) and the
    #   bullet loan 12 × 60 = 720.00: 990.74; years 2 and 3: the bullet loan's 720.00 only.
    # Corporate tax 15 % of the profit before tax, to the cent.
    first, second, third = plan.years
    assert first == finance.Year(
        number=1,
        revenue=D("120000.00"),
        variable_costs=D("48000.00"),
        gross_margin=D("72000.00"),  # 120,000 − 48,000
        fixed_costs=D("18000.00"),  # 12 × 1,500
        staff=D("34800.00"),
        ebitda=D("19200.00"),  # 72,000 − 18,000 − 34,800
        amortisation=D("7200.00"),
        interest=D("990.74"),
        profit_before_tax=D("11009.26"),  # 19,200 − 7,200 − 990.74
        tax=D("1651.39"),  # 11,009.26 × 0.15 = 1,651.389
        net_profit=D("9357.87"),  # 11,009.26 − 1,651.39
    )
    assert second == finance.Year(
        number=2,
        revenue=D("132000.00"),
        variable_costs=D("52800.00"),
        gross_margin=D("79200.00"),
        fixed_costs=D("18000.00"),
        staff=D("34800.00"),
        ebitda=D("26400.00"),  # 79,200 − 18,000 − 34,800
        amortisation=D("7200.00"),
        interest=D("720.00"),
        profit_before_tax=D("18480.00"),  # 26,400 − 7,200 − 720
        tax=D("2772.00"),  # 18,480 × 0.15
        net_profit=D("15708.00"),
    )
    assert third == finance.Year(
        number=3,
        revenue=D("145200.00"),
        variable_costs=D("58080.00"),
        gross_margin=D("87120.00"),
        fixed_costs=D("18000.00"),
        staff=D("34800.00"),
        ebitda=D("34320.00"),  # 87,120 − 18,000 − 34,800
        amortisation=D("7200.00"),
        interest=D("720.00"),
        profit_before_tax=D("26400.00"),  # 34,320 − 7,200 − 720
        tax=D("3960.00"),  # 26,400 × 0.15
        net_profit=D("22440.00"),
    )
    # A month's own profit: 10,000 − 4,000 − 1,500 − 2,900 − 600 − interest (month 1: 120.00)
    # = 880.00; month 7, the bridge loan repaid: 10,000 − 9,000 − 60 = 940.00.
    assert plan.months[0].profit_before_tax == D("880.00")
    assert plan.months[6].profit_before_tax == D("940.00")


def test_the_restaurant_s_loans_and_taxes_in_cash():
    plan = finance.compute_plan(_restaurant(), PARAMS)
    # Interest a month: both loans' (60 + 60), then the bridge loan's falling interest beside
    # the bullet loan's 60: 45.22 + 60, 30.30 + 60, 15.22 + 60, then 60.00 alone.
    assert [m.interest for m in plan.months[:8]] == [
        D("120.00"),
        D("120.00"),
        D("120.00"),
        D("105.22"),
        D("90.30"),
        D("75.22"),
        D("60.00"),
        D("60.00"),
    ]
    # Year 1 month out: food and fixed costs (4,000 + 1,500) × 1.21 = 6,655.00, staff
    # 2,900.00, loan payments.
    #   months 1–2: 6,655 + 2,900 + 60 + 60 = 9,675.00
    #   month 3: 6,655 + 2,900 + 1,537.69 + 60 = 11,152.69
    #   month 4: the same minus quarter 1's VAT: charged 3 × 10,000 × 0.21 = 6,300; paid
    #     3 × 5,500 × 0.21 = 3,465 + the investment's 56,000 × 0.21 = 11,760: 15,225;
    #     6,300 − 15,225 = −8,925.00 → 11,152.69 − 8,925 = 2,227.69
    #   month 5: 11,152.69; month 6 (the bridge loan's last, 1,537.67): 11,152.67
    #   month 7: 6,655 + 2,900 + 60 + quarter 2's VAT 6,300 − 3,465 = 2,835: 12,450.00
    assert cash_out(plan, 1, 7) == [
        D("9675.00"),
        D("9675.00"),
        D("11152.69"),
        D("2227.69"),
        D("11152.69"),
        D("11152.67"),
        D("12450.00"),
    ]
    # Month 19 (July of year 2): food and fixed (4,400 + 1,500) × 1.21 = 7,139.00, staff
    # 2,900, bullet loan 60, VAT of months 16–18: 3 × 11,000 × 0.21 = 6,930 − 3 × 5,900 × 0.21
    # = 3,717 → 3,213.00, and year 1's corporate tax 1,651.39:
    #   7,139 + 2,900 + 60 + 3,213 + 1,651.39 = 14,963.39; month 20: 7,139 + 2,960 = 10,099.00
    assert cash_out(plan, 18, 20) == [D("10099.00"), D("14963.39"), D("10099.00")]
    # Month 31 (July of year 3): (4,840 + 1,500) × 1.21 = 7,671.40, staff 2,900, loan 60, VAT
    # 3 × 12,100 × 0.21 = 7,623 − 3 × 6,340 × 0.21 = 3,994.20 → 3,628.80, year 2's tax
    # 2,772.00: 17,032.20. Month 36 repays the bullet loan: 7,671.40 + 2,900 + 12,060 =
    # 22,631.40. Year 3's tax falls after the plan.
    assert cash_out(plan, 30, 31) == [D("10631.40"), D("17032.20")]
    assert cash_out(plan, 36, 36) == [D("22631.40")]
    # Cash: 6,000 + 50,000 + 18,000 of loans = 74,000 − 56,000 × 1.21 = 74,000 − 67,760
    # = 6,240.00; each year 1 month brings 10,000 × 1.21 = 12,100.00:
    #   month 1: 6,240 + 12,100 − 9,675 = 8,665.00; month 2: 11,090.00;
    #   month 3: + 12,100 − 11,152.69 = 12,037.31; month 4: + 12,100 − 2,227.69 = 21,909.62
    assert plan.initial_financing == D("74000.00")
    assert [m.cash_end for m in plan.months[:4]] == [
        D("8665.00"),
        D("11090.00"),
        D("12037.31"),
        D("21909.62"),
    ]
    assert [m.cash_in for m in plan.months[:13:12]] == [D("12100.00"), D("13310.00")]


def test_the_restaurant_s_ratios_and_no_warnings():
    plan = finance.compute_plan(_restaurant(), PARAMS)
    # gross margin 72,000 / 120,000 = 60.0 %; net margin 9,357.87 / 120,000 = 7.798 → 7.8 %;
    # own funds (50,000 + 6,000) / 74,000 = 75.68 → 75.7 %; debt 18,000 / 74,000 = 24.32 →
    # 24.3 %; funding covers the investment 74,000 / 56,000 = 132.14 → 132.1 %.
    assert plan.ratios == {
        "gross_margin_pct": D("60.0"),
        "net_margin_pct": D("7.8"),
        "own_funds_pct": D("75.7"),
        "debt_pct": D("24.3"),
        "financing_cover_pct": D("132.1"),
    }
    assert plan.warnings == []
    assert list(plan.loans) == ["Pont", "Bala"]


def test_two_loans_with_the_same_name_are_both_repaid():
    # Two loans named alike are two loans: both in the funding and both repaid. Each is
    # 12,000 € at 6 % over 36 months with 35 of grace: 2 × 60.00 of interest a month.
    twin = Loan("ICF", D(12_000), D(6), 36, 35)
    plan = finance.compute_plan(PlanInputs(loans=[twin, twin]), PARAMS)
    assert plan.initial_financing == D("24000.00")
    assert plan.months[0].interest == D("120.00")
    assert plan.months[35].cash_out == D("24120.00")  # 2 × 12,060
    assert list(plan.loans) == ["ICF", "ICF (2)"]


def test_staff_adds_social_security_people_and_founders_then_rounds_to_the_cent():
    inputs = PlanInputs(
        salaries=[Salary("Dependenta", D(20_000)), Salary("Mosso", D(10_000), D("1.5"))],
        self_employed_founders=2,
    )
    plan = finance.compute_plan(inputs, PARAMS)
    # 20,000 × 1.30 / 12 = 2,166.6667; 10,000 × 1.5 people × 1.30 / 12 = 1,625.00;
    # quotas 2 × 300 = 600.00. 2,166.6667 + 1,625 + 600 = 4,391.6667 → 4,391.67 a month,
    # 12 × 4,391.67 = 52,700.04 a year; paid in cash each month, no VAT.
    assert plan.months[0].staff == D("4391.67")
    assert plan.years[0].staff == D("52700.04")
    assert plan.months[0].cash_out == D("4391.67")


def test_a_self_employed_person_pays_no_tax_on_a_loss_and_income_tax_on_a_profit():
    # 40 services a month at 100 € (40 € of cost each), 10 % more a year; 2,500 € fixed.
    # Year 1: 40 × 60 = 2,400 margin − 2,500 = −100 a month, −1,200.00 a year: tax 0.00.
    # Year 2: 44 × 60 = 2,640 − 2,500 = 140 a month, 1,680.00: tax 20 % = 336.00.
    # Year 3: 48.4 × 60 = 2,904 − 2,500 = 404 a month, 4,848.00: tax 969.60.
    inputs = PlanInputs(
        products=[Product("Servei", D(40), D(100), D(40), D(10))],
        fixed_costs_monthly=D(2_500),
        own_funds=D(10_000),
    )
    plan = finance.compute_plan(inputs, PARAMS)
    assert [(y.profit_before_tax, y.tax, y.net_profit) for y in plan.years] == [
        (D("-1200.00"), D("0.00"), D("-1200.00")),
        (D("1680.00"), D("336.00"), D("1344.00")),
        (D("4848.00"), D("969.60"), D("3878.40")),
    ]
    # Month 19 pays year 1's tax, nothing: (1,760 + 2,500) × 1.21 = 5,154.60 and the VAT of
    # months 16–18, 3 × 4,400 × 0.21 = 2,772.00 − 3 × 4,260 × 0.21 = 2,683.80 → 88.20:
    # 5,242.80. Month 31 pays year 2's 336.00: (1,936 + 2,500) × 1.21 = 5,367.56, VAT
    # 3 × 4,840 × 0.21 = 3,049.20 − 3 × 4,436 × 0.21 = 2,794.68 → 254.52: 5,958.08.
    assert cash_out(plan, 19, 19) == [D("5242.80")]
    assert cash_out(plan, 30, 32) == [D("5367.56"), D("5958.08"), D("5367.56")]
    # The plan reaches break-even with year 2's growth: month 13 is the first not losing.
    assert plan.break_even_month == 13
    assert plan.warnings == []


def test_revenue_is_rounded_to_the_cent_each_month():
    # 100 units at 9.99 € (3.33 € of cost), 3 % more a year:
    #   year 2: 103 units: 1,028.97 revenue, 342.99 cost a month;
    #   year 3: 100 × 1.03² = 106.09 units: 1,059.8391 → 1,059.84 revenue,
    #           353.2797 → 353.28 cost a month; 12 × 1,059.84 = 12,718.08; 12 × 353.28 = 4,239.36
    inputs = PlanInputs(products=[Product("Article", D(100), D("9.99"), D("3.33"), D(3))])
    plan = finance.compute_plan(inputs, PARAMS)
    assert (plan.months[12].revenue, plan.months[12].variable_costs) == (
        D("1028.97"),
        D("342.99"),
    )
    assert (plan.months[24].revenue, plan.months[24].variable_costs) == (
        D("1059.84"),
        D("353.28"),
    )
    assert (plan.years[2].revenue, plan.years[2].variable_costs) == (
        D("12718.08"),
        D("4239.36"),
    )
    # cash in: 1,059.84 × 1.21 = 1,282.4064 → 1,282.41
    assert plan.months[24].cash_in == D("1282.41")


def test_a_seasonality_that_is_not_twelve_months_long_is_ignored():
    # 10 units at 10 €: a flat 100.00 a month, not 200.00 as the 11 values of 2 would say.
    inputs = PlanInputs(products=[Product("X", D(10), D(10), D(0))], seasonality=[D(2)] * 11)
    plan = finance.compute_plan(inputs, PARAMS)
    assert {m.revenue for m in plan.months} == {D("100.00")}


def test_every_figure_is_a_decimal_even_in_an_empty_plan():
    # No loans, investments nor sales: the figures are Decimal zeros, never the integer 0.
    plan = finance.compute_plan(PlanInputs(), PARAMS)
    for row in [*plan.months, *plan.years]:
        for f in dataclasses.fields(row):
            assert type(getattr(row, f.name)) is (int if f.name == "number" else D), f.name
    assert type(plan.initial_investment) is type(plan.initial_financing) is D


def test_the_plan_has_thirty_six_months_numbered_from_one():
    plan = finance.compute_plan(PlanInputs(), PARAMS)
    assert [m.number for m in plan.months] == list(range(1, 37))
    assert [y.number for y in plan.years] == [1, 2, 3]


def test_scenarios_sell_a_fifth_less_and_fifteen_percent_more():
    # 100 units at 10 € a month: 12,000 a year; × 0.8 = 9,600.00; × 1.15 = 13,800.00.
    inputs = PlanInputs(products=[Product("X", D(100), D(10), D(0))])
    plans = finance.compute_scenarios(inputs, PARAMS)
    assert {name: plan.years[0].revenue for name, plan in plans.items()} == {
        "pessimistic": D("9600.00"),
        "base": D("12000.00"),
        "optimistic": D("13800.00"),
    }


# Break-even -------------------------------------------------------------------------------


def test_break_even_in_units_counts_staff_amortisation_and_interest():
    # A service at 40 € costing 15 €: each unit leaves 25 €, 62.5 % of its price.
    # Fixed a year: fixed costs 12 × 502.50 = 6,030; the founder's quota 12 × 300 = 3,600;
    # amortisation 12,000 / 60 = 200 a month, 2,400; the bullet loan's interest 12 × 60 = 720.
    # 6,030 + 3,600 + 2,400 + 720 = 12,750.00 → 12,750 / 25 = 510 units a year,
    # 510 × 40 = 20,400.00 of revenue (= 12,750 / 0.625).
    inputs = PlanInputs(
        products=[Product("Classe", D(50), D(40), D(15))],
        fixed_costs_monthly=D("502.50"),
        self_employed_founders=1,
        investments=[Investment("Equip", D(12_000), 5)],
        loans=[Loan("Bala", D(12_000), D(6), 36, 35)],
    )
    plan = finance.compute_plan(inputs, PARAMS)
    assert plan.break_even_revenue == 510 * D(40) == D("20400.00")
    # Each month: 50 × 25 = 1,250 − (502.50 + 300 + 200 + 60) = 187.50: month 1 breaks even.
    assert plan.months[0].profit_before_tax == D("187.50")
    assert plan.break_even_month == 1


def test_break_even_revenue_is_rounded_to_the_cent():
    # The restaurant: fixed 18,000 + 34,800 + 7,200 + 990.74 = 60,990.74 a year; each menu
    # leaves 30 € of 50 €, 60 %: 60,990.74 / 0.6 = 101,651.2333 → 101,651.23
    # (2,033.02 menus a year, 169.4 a month, against the 200 planned).
    plan = finance.compute_plan(_restaurant(), PARAMS)
    assert plan.break_even_revenue == D("101651.23")


def test_two_products_add_up_and_break_even_with_their_mix():
    # Tables: 100 a month at 10 € (4 € each): 1,000 of revenue, 400 of cost.
    # Chairs: 50 a month at 20 € (15 € each): 1,000 of revenue, 750 of cost.
    # A month: 2,000 of revenue, 1,150 of cost; fixed costs 850: profit 0.00.
    # Year 1: 24,000 of revenue, 13,800 of cost: the margin is (24,000 − 13,800) / 24,000 =
    # 0.425 of each euro sold; fixed 12 × 850 = 10,200 → 10,200 / 0.425 = 24,000.00.
    inputs = PlanInputs(
        products=[Product("Taula", D(100), D(10), D(4)), Product("Cadira", D(50), D(20), D(15))],
        fixed_costs_monthly=D(850),
    )
    plan = finance.compute_plan(inputs, PARAMS)
    assert (plan.months[0].revenue, plan.months[0].variable_costs) == (D("2000.00"), D("1150.00"))
    assert plan.break_even_revenue == D("24000.00")
    assert plan.break_even_month == 1


def test_even_a_few_cents_of_sales_have_a_break_even_point():
    # 1 sticker a month at 0.05 € (no cost): 0.60 a year, all of it margin; fixed costs of
    # 0.01 € a month, 0.12 a year: the break-even revenue is 0.12 / (0.60 / 0.60) = 0.12.
    inputs = PlanInputs(
        products=[Product("Adhesiu", D(1), D("0.05"), D(0))], fixed_costs_monthly=D("0.01")
    )
    assert finance.compute_plan(inputs, PARAMS).break_even_revenue == D("0.12")


@pytest.mark.parametrize(
    ("price", "unit_cost"),
    [
        (D(10), D(10)),  # sold at cost: no margin to cover anything
        (D(10), D(11)),  # sold below cost
        (D(0), D(0)),  # no sales
    ],
)
def test_no_break_even_revenue_without_a_margin(price, unit_cost):
    inputs = PlanInputs(products=[Product("X", D(10), price, unit_cost)], own_funds=D(99_999))
    assert finance.compute_plan(inputs, PARAMS).break_even_revenue is None


def test_break_even_month_is_the_first_month_not_losing_money():
    # 50 units at 100 € (40 € of cost) in an average month; 3,000 € of fixed costs. The first
    # months sell 0.2, 0.4, 0.6, 0.8, 1 and 1.2 times an average month:
    #   profit = 50 × s × 60 − 3,000 = 3,000 × s − 3,000: −2,400, −1,800, −1,200, −600, 0, 600
    # Month 5, at exactly 0.00, is the first that does not lose money.
    season = [D("0.2"), D("0.4"), D("0.6"), D("0.8"), D(1), D("1.2")] + [D(1)] * 6
    inputs = PlanInputs(
        products=[Product("Servei", D(50), D(100), D(40))],
        seasonality=season,
        fixed_costs_monthly=D(3_000),
        own_funds=D(50_000),
    )
    plan = finance.compute_plan(inputs, PARAMS)
    assert [m.profit_before_tax for m in plan.months[:6]] == [
        D("-2400.00"),
        D("-1800.00"),
        D("-1200.00"),
        D("-600.00"),
        D("0.00"),
        D("600.00"),
    ]
    assert plan.break_even_month == 5


def test_no_break_even_month_in_three_years_is_a_warning():
    # The self-employed services without growth lose 100.00 every month: −1,200.00 a year.
    # Cash: 10,000 and each quarter −3 × 121 (sales 4,840 in, purchases 4,961 out) plus a VAT
    # refund of 3 × 4,000 × 0.21 − 3 × 4,100 × 0.21 = −63: never below zero.
    inputs = PlanInputs(
        products=[Product("Servei", D(40), D(100), D(40))],
        fixed_costs_monthly=D(2_500),
        own_funds=D(10_000),
    )
    plan = finance.compute_plan(inputs, PARAMS)
    assert plan.break_even_month is None
    assert plan.warnings == [("no_break_even", {}), ("loss_in_year_3", {"amount": D("-1200.00")})]


# Warnings ---------------------------------------------------------------------------------


def _cash_tight(own_funds: D) -> PlanInputs:
    """Services of 2,000 € a month (no material) paid by customers at 30 days; 1,000 € of
    fixed costs a month paid at once: month 1 pays 1,000 × 1.21 = 1,210.00 with no income."""
    return PlanInputs(
        products=[Product("Servei", D(100), D(20), D(0))],
        fixed_costs_monthly=D(1_000),
        customer_days=30,
        own_funds=own_funds,
    )


def test_cash_that_reaches_exactly_zero_is_not_negative():
    # 1,210.00 − 1,210.00 = 0.00 after month 1; month 2: + 2,420 − 1,210 = 1,210.00;
    # month 3: 2,420.00; month 4: + 2,420 − 1,210 − (1,260 − 630 of VAT) = 3,000.00.
    plan = finance.compute_plan(_cash_tight(D("1210.00")), PARAMS)
    assert [m.cash_end for m in plan.months[:4]] == [
        D("0.00"),
        D("1210.00"),
        D("2420.00"),
        D("3000.00"),
    ]
    assert plan.warnings == []


def test_cash_one_cent_below_zero_is_a_warning_with_its_month_and_amount():
    plan = finance.compute_plan(_cash_tight(D("1209.99")), PARAMS)
    assert plan.months[0].cash_end == D("-0.01")
    assert plan.warnings == [("cash_negative", {"month": 1, "amount": D("-0.01")})]


def test_cash_negative_names_the_first_month_below_zero():
    # 3,000 € of funds and 1,000 € of fixed costs (1,210.00 with VAT), no sales:
    # 3,000 − 1,210 = 1,790.00; 580.00; −630.00 in month 3.
    inputs = PlanInputs(fixed_costs_monthly=D(1_000), own_funds=D(3_000))
    plan = finance.compute_plan(inputs, PARAMS)
    assert plan.warnings[0] == ("cash_negative", {"month": 3, "amount": D("-630.00")})


def test_funding_equal_to_the_investment_is_enough_and_a_cent_less_is_not():
    # A 1,000 € deposit (0 years); sales of 2,000 € a month paid at once.
    def plan_with(own_funds):
        inputs = PlanInputs(
            investments=[Investment("Fiança", D(1_000), 0)],
            products=[Product("Servei", D(100), D(20), D(0))],
            own_funds=own_funds,
        )
        return finance.compute_plan(inputs, PARAMS)

    # Cash: 1,000 − 1,000 × 1.21 = −210 before the first sale; month 1: −210 + 2,420 =
    # 2,210.00, not negative.
    enough = plan_with(D(1_000))
    assert enough.months[0].cash_end == D("2210.00")
    assert enough.warnings == []
    assert plan_with(D("999.99")).warnings == [("financing_short", {"missing": D("0.01")})]


def test_a_product_sold_at_or_below_its_cost_is_a_warning_and_one_cent_above_is_not():
    inputs = PlanInputs(
        products=[
            Product("A cost", D(1), D(10), D(10)),  # 10 ≥ 10: every sale loses money
            Product("Un cèntim de marge", D(1), D(10), D("9.99")),  # 9.99 < 10
            Product("Regalat", D(1), D(0), D(5)),  # given away at a cost of 5
            Product("Per omplir", D(1), D(0), D(0)),  # an empty line: no price, no cost
            Product("Per sota", D(1), D(10), D("10.01")),
            Product("Clip", D(1), D("0.50"), D("0.60")),  # cents count too
        ],
        own_funds=D(99_999),
    )
    plan = finance.compute_plan(inputs, PARAMS)
    below = [warning for warning in plan.warnings if warning[0] == "margin_below_cost"]
    assert below == [
        ("margin_below_cost", {"product": "A cost"}),
        ("margin_below_cost", {"product": "Regalat"}),
        ("margin_below_cost", {"product": "Per sota"}),
        ("margin_below_cost", {"product": "Clip"}),
    ]


def test_a_product_that_stops_selling_after_year_1():
    # 10 books a month at 100 € (no cost), −100 % a year: year 1 sells 10 × 100 × 12 =
    # 12,000.00; years 2 and 3 sell 10 × (1 − 1)¹ = 0 and 10 × 0² = 0. Fixed costs 100 € a month.
    # Year 1: 12,000 − 1,200 = 10,800.00 before tax, income tax 2,160.00, net 8,640.00;
    # years 2 and 3: −1,200.00, no tax on a loss.
    inputs = PlanInputs(
        products=[Product("Llibre", D(10), D(100), D(0), D(-100))],
        fixed_costs_monthly=D(100),
        own_funds=D(10_000),
    )
    plan = finance.compute_plan(inputs, PARAMS)
    assert [y.revenue for y in plan.years] == [D("12000.00"), D(0), D(0)]
    assert [y.net_profit for y in plan.years] == [D("8640.00"), D("-1200.00"), D("-1200.00")]
    # It did sell (in year 1) and broke even in month 1: only year 3's loss is a warning.
    assert plan.warnings == [("loss_in_year_3", {"amount": D("-1200.00")})]


def test_a_plan_without_sales_says_so_and_its_year_3_loss():
    # Nothing at all: no sales, and no loss (year 3 ends at exactly 0.00).
    empty = finance.compute_plan(PlanInputs(), PARAMS)
    assert empty.warnings == [("no_sales", {})]
    assert empty.break_even_revenue is None
    assert empty.ratios == dict.fromkeys(
        ("gross_margin_pct", "net_margin_pct", "own_funds_pct", "debt_pct", "financing_cover_pct")
    )
    # 100 € of fixed costs a month, no sales: month 1 pays 121.00; year 3 loses 1,200.00
    # (no tax on a loss). "No sales" is said instead of "no break-even".
    costs = finance.compute_plan(PlanInputs(fixed_costs_monthly=D(100)), PARAMS)
    assert costs.warnings == [
        ("cash_negative", {"month": 1, "amount": D("-121.00")}),
        ("no_sales", {}),
        ("loss_in_year_3", {"amount": D("-1200.00")}),
    ]


@pytest.mark.parametrize(
    "value",
    [
        Installment(1, D(1), D(0), D(1), D(0)),
        Investment("Forn", D(1), 0),
        Loan("ICF", D(1), D(0), 1),
        Product("Taula", D(1), D(1), D(0)),
        Salary("Fuster", D(1)),
        PARAMS,
        PlanInputs(),
    ],
)
def test_inputs_and_installments_cannot_be_changed_once_made(value):
    # The three scenarios are copies of one set of inputs (dataclasses.replace): none may
    # change what another reads.
    with pytest.raises(dataclasses.FrozenInstanceError):
        setattr(value, dataclasses.fields(value)[0].name, None)


# The viability service's figures ----------------------------------------------------------


WORKSHOP_DATA = {
    "investments": [{"name": "Forn", "amount": "6000", "years": "5"}],
    "own_funds": "10000",
    "grants": "",
    "loans": [{"name": "ICF", "amount": "12000", "annual_rate": "6", "months": "36"}],
    "products": [
        {
            "name": "Taula",
            "units_per_month": "100",
            "price": "10",
            "unit_cost": "4",
            "yearly_growth": "10",
        }
    ],
    "seasonality": ["1", "2", "3", "1", "1", "1", "1", "1", "1", "1", "1", ""],
    "fixed_costs_monthly": "200",
    "salaries": [{"role": "Fuster", "gross_yearly": "12000"}],
}


def test_a_plan_s_json_becomes_the_engine_s_inputs_with_defaults_for_blanks():
    assert viability.plan_inputs(WORKSHOP_DATA) == PlanInputs(
        investments=[Investment("Forn", D(6_000), 5)],
        own_funds=D(10_000),
        grants=D(0),  # blank
        loans=[Loan("ICF", D(12_000), D(6), 36, 0)],  # no grace given: 0
        products=[Product("Taula", D(100), D(10), D(4), D(10))],
        seasonality=[D(1), D(2), D(3)] + [D(1)] * 9,  # December blank: 1
        fixed_costs_monthly=D(200),
        salaries=[Salary("Fuster", D(12_000), D(1))],  # one person unless said
        self_employed_founders=0,
        company=False,
        customer_days=0,
        supplier_days=0,
    )
    assert viability.plan_inputs({}) == PlanInputs()


def test_a_plan_s_json_keeps_every_value_given():
    data = WORKSHOP_DATA | {
        "grants": "500",
        "loans": [{**WORKSHOP_DATA["loans"][0], "grace_months": "6"}],
        "salaries": [{"role": "Fuster", "gross_yearly": "12000", "people": "2.5"}],
        "self_employed_founders": "2",
        "company": True,
        "customer_days": "60",
        "supplier_days": "30",
    }
    inputs = viability.plan_inputs(data)
    assert (inputs.grants, inputs.loans[0].grace_months, inputs.salaries[0].people) == (
        D(500),
        6,
        D("2.5"),
    )
    assert (inputs.self_employed_founders, inputs.company) == (2, True)
    assert (inputs.customer_days, inputs.supplier_days) == (60, 30)


def test_the_summary_and_figures_of_the_three_scenarios():
    data = WORKSHOP_DATA | {"loans": [], "salaries": []}
    outcome = viability.compute(data, parameters={"year": 2026, **_parameter_values()})
    # The workshop of the VAT test, 10 % more sales a year (self-employed, income tax 20 %):
    # year 1: revenue 1,000 (January) + 2,000 + 3,000 + 9 × 1,000 = 15,000.00; material 40 %
    #   = 6,000; fixed 2,400; amortisation 6,000 / 60 × 12 = 1,200: 5,400.00 before tax, tax
    #   1,080.00, net 4,320.00.
    # year 3: revenue and material × 1.1² = 1.21: 18,150 − 7,260 − 2,400 − 1,200 = 7,290.00,
    #   tax 1,458.00, net 5,832.00.
    assert outcome.summary() == {
        "revenue_year_1": "15000.00",
        "net_profit_year_1": "4320.00",
        "net_profit_year_3": "5832.00",
        "break_even_month": 1,
        "warnings": 0,
    }
    figures = viability.figures(outcome, "Taller")
    # The lowest cash of each scenario is month 1's (cash only grows after it): from
    # 10,000 − 7,260 = 2,740.00, January sells 1,000 × factor and buys 400 × factor + 200:
    #   pessimistic 0.8: 2,740 + 800 × 1.21 − (320 + 200) × 1.21 = 2,740 + 968 − 629.20
    #     = 3,078.80
    #   base: 2,740 + 1,210 − 726 = 3,224.00
    #   optimistic 1.15: 2,740 + 1,150 × 1.21 − (460 + 200) × 1.21 = 2,740 + 1,391.50
    #     − 798.60 = 3,332.90
    assert figures["lowest_cash"] == [D("3078.80"), D("3224.00"), D("3332.90")]
    assert [q["label"] for q in figures["quarters"]] == [
        "2.1",
        "2.2",
        "2.3",
        "2.4",
        "3.1",
        "3.2",
        "3.3",
        "3.4",
    ]
    # year 2's first quarter: in 1.1 × (1,000 + 2,000 + 3,000) × 1.21 = 7,986.00
    assert figures["quarters"][0]["cash_in"] == D("7986.00")
    revenue_row = figures["pnl"][0]
    # 15,000; × 1.1 = 16,500; × 1.21 = 18,150
    assert revenue_row[:3] == (D("15000.00"), D("16500.00"), D("18150.00"))
    assert [m.number for m in figures["first_year"]] == list(range(1, 13))


def _parameter_values() -> dict:
    return {
        "vat_rate": "21",
        "employer_social_security": "30",
        "self_employed_quota": "300",
        "corporate_tax_new": "15",
        "income_tax_rate": "20",
    }
