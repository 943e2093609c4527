"""The legal-form advisor's rules pinned one by one, without the database: who can take each
form, every point of the ranking worked out by hand with its reason, the answers read from a
form, and every problem a coordinator's guide can have, with its exact message."""

import copy
from decimal import Decimal

import pytest
from django.utils import timezone

from oae.tools import legal_form
from oae.tools.legal_form import Answers, Ranked
from oae.tools.models import LegalFormGuide

# The 2026 starter guide's rules, trimmed to what the ranking and the checks read.
FORMS = [
    ("self_employed", 1, 1, False, 0, "income"),
    ("civil_partnership", 2, None, False, 0, "income"),
    ("community_property", 2, None, False, 0, "income"),
    ("limited", 1, None, True, 1, "corporate"),
    ("public_limited", 1, None, True, 60000, "corporate"),
    ("cooperative", 2, None, True, 3000, "corporate"),
    ("labour", 2, None, True, 1, "corporate"),
]


def _guide() -> dict:
    return {
        "year": 2026,
        "profit_for_company": 40000,
        "forms": [
            {
                "id": form_id,
                "min_founders": least,
                "max_founders": most,
                "limited_liability": limited,
                "min_capital": capital,
                "setup_cost": 0,
                "yearly_cost": 600,
                "taxation": taxation,
                "steps": {"ca": "Alta censal"},
            }
            for form_id, least, most, limited, capital, taxation in FORMS
        ],
    }


def _answers(**changes) -> Answers:
    values = {
        "founders": 1,
        "limited_liability": False,
        "expected_profit": Decimal(15000),
        "capital": Decimal(3000),
        "cooperative_model": False,
        "investors": False,
    }
    return Answers(**(values | changes))


def _table(ranked: list[Ranked]) -> list[tuple]:
    return [(r.form["id"], r.score, r.reasons, r.against, r.excluded) for r in ranked]


NOT_AT_RISK = "your personal assets are not at risk for the business's debts"
AT_RISK = "you answer for the business's debts with your personal assets"
CORPORATE_TAX = (
    "from about 40000 € of profit a year, corporate tax usually costs less than income tax"
)
INCOME_TAX = "at this profit, income tax usually costs more than corporate tax"
CHEAPEST = "the simplest and cheapest to start and run at this level of profit"
RUNNING_COSTS = "its running costs weigh more than its tax advantage at this level of profit"
DEMOCRATIC = "the members run it democratically: one person, one vote"
WORKERS_CAPITAL = "most of the capital belongs to the people who work in it"
NOT_SHARED = "it is not a model of shared ownership by the workers"
SHARES = "investors can come in by buying shares"
NO_INVESTORS = "outside investors cannot come in easily"
PROFESSIONAL = (
    "a regulated profession practised as a company must be a professional company, "
    "entered in the register of its professional association"
)


def test_every_wish_at_once_with_the_profit_exactly_at_the_threshold():
    # 2 founders, 60000 € of capital, a profit of exactly 40000 € (the threshold counts as
    # "from about"), limited liability, a cooperative model, investors and a profession:
    # - self_employed: 2 founders > its maximum of 1 → excluded.
    # - civil_partnership / community_property (income tax, unlimited): personal assets −3,
    #   income tax at this profit −1, not shared ownership −1, investors cannot come in −2 = −7.
    # - limited / public_limited: assets +3, corporate tax +2, not shared −1, shares +3,
    #   professional company −1 = 6 (60000 € is exactly the SA's minimum: possible).
    # - cooperative: +3 +2, democratic +4, investors (limited liability: nothing said),
    #   professional −1 = 8.
    # - labour: +3 +2, workers' capital +2, professional −1 = 6.
    # Best first; equal scores keep the guide's order; the impossible one last.
    answers = _answers(
        founders=2,
        limited_liability=True,
        expected_profit=Decimal(40000),
        capital=Decimal(60000),
        cooperative_model=True,
        investors=True,
        professional=True,
    )
    company = [NOT_AT_RISK, CORPORATE_TAX, SHARES]
    assert _table(legal_form.rank(_guide(), answers)) == [
        ("cooperative", 8, [NOT_AT_RISK, CORPORATE_TAX, DEMOCRATIC], [PROFESSIONAL], ""),
        ("limited", 6, company, [NOT_SHARED, PROFESSIONAL], ""),
        ("public_limited", 6, company, [NOT_SHARED, PROFESSIONAL], ""),
        ("labour", 6, [NOT_AT_RISK, CORPORATE_TAX, WORKERS_CAPITAL], [PROFESSIONAL], ""),
        ("civil_partnership", -7, [], [AT_RISK, INCOME_TAX, NOT_SHARED, NO_INVESTORS], ""),
        ("community_property", -7, [], [AT_RISK, INCOME_TAX, NOT_SHARED, NO_INVESTORS], ""),
        ("self_employed", 0, [], [], "is for one person only"),
    ]


def test_one_founder_with_too_little_capital_can_only_be_self_employed():
    # 1 founder, 0.99 € of capital, a profit a cent under the threshold, a profession:
    # - self_employed: cheapest at this profit +2; a profession alone says nothing for a
    #   person (only companies must be professional companies) = 2.
    # - the partnerships, the cooperative and the labour company need 2 founders; the SL
    #   needs 1 € and the SA 60000 €: all excluded, score 0, kept in the guide's order.
    answers = _answers(
        founders=1,
        capital=Decimal("0.99"),
        expected_profit=Decimal("39999.99"),
        professional=True,
    )
    assert _table(legal_form.rank(_guide(), answers)) == [
        ("self_employed", 2, [CHEAPEST], [], ""),
        ("civil_partnership", 0, [], [], "needs at least 2 founders"),
        ("community_property", 0, [], [], "needs at least 2 founders"),
        ("limited", 0, [], [], "needs a capital of at least 1 €"),
        ("public_limited", 0, [], [], "needs a capital of at least 60000 €"),
        ("cooperative", 0, [], [], "needs at least 2 founders"),
        ("labour", 0, [], [], "needs at least 2 founders"),
    ]


def test_under_the_threshold_a_company_costs_more_than_it_saves():
    # 2 founders, 3000 € (exactly the cooperative's minimum), a cent under 40000 €, no wish:
    # - self_employed: 2 > 1 founder → excluded; public_limited: 3000 < 60000 € → excluded.
    # - civil_partnership / community_property: cheapest +2.
    # - limited, cooperative, labour: running costs −1.
    # Excluded ones last, in the guide's order.
    answers = _answers(founders=2, capital=Decimal(3000), expected_profit=Decimal("39999.99"))
    assert _table(legal_form.rank(_guide(), answers)) == [
        ("civil_partnership", 2, [CHEAPEST], [], ""),
        ("community_property", 2, [CHEAPEST], [], ""),
        ("limited", -1, [], [RUNNING_COSTS], ""),
        ("cooperative", -1, [], [RUNNING_COSTS], ""),
        ("labour", -1, [], [RUNNING_COSTS], ""),
        ("self_employed", 0, [], [], "is for one person only"),
        ("public_limited", 0, [], [], "needs a capital of at least 60000 €"),
    ]


def test_a_high_profit_without_other_wishes_turns_the_ranking_to_companies():
    # 1 founder, 3000 €, 40000.01 € of profit: self_employed pays more income tax −1;
    # limited +2 (corporate tax); the rest need 2 founders or 60000 €.
    answers = _answers(expected_profit=Decimal("40000.01"))
    table = _table(legal_form.rank(_guide(), answers))
    assert table[:2] == [
        ("limited", 2, [CORPORATE_TAX], [], ""),
        ("self_employed", -1, [], [INCOME_TAX], ""),
    ]


@pytest.mark.parametrize(
    ("founders", "capital", "excluded"),
    [
        (1, "3000", "needs at least 2 founders"),  # one under the minimum of founders
        (2, "3000", ""),  # exactly the minimum of founders and of capital
        (2, "2999.99", "needs a capital of at least 3000 €"),
        (50, "3000", ""),  # no maximum of founders
    ],
)
def test_who_can_set_up_a_cooperative(founders, capital, excluded):
    form = _guide()["forms"][5]
    answers = _answers(founders=founders, capital=Decimal(capital))
    assert legal_form._possible(form, answers) == excluded


@pytest.mark.parametrize(("founders", "excluded"), [(1, ""), (2, "is for one person only")])
def test_self_employment_is_for_one_person(founders, excluded):
    form = _guide()["forms"][0]
    assert legal_form._possible(form, _answers(founders=founders)) == excluded


def test_the_threshold_is_the_guides_and_shown_as_written():
    guide = _guide()
    guide["profit_for_company"] = "25000.50"
    ranked = legal_form.rank(guide, _answers(expected_profit=Decimal("25000.50")))
    limited = next(r for r in ranked if r.form["id"] == "limited")
    assert limited.reasons == [
        "from about 25000.50 € of profit a year, corporate tax usually costs less than income tax"
    ]


def test_a_new_ranking_starts_from_nothing():
    entry = Ranked(form={"id": "limited"})
    assert (entry.score, entry.reasons, entry.against, entry.excluded) == (0, [], [], "")
    assert Ranked(form={}).reasons is not entry.reasons


def test_answers_are_read_from_the_form_data():
    data = {
        "founders": "3",
        "limited_liability": "on",
        "expected_profit": "45000.50",
        "capital": 3000,
        "cooperative_model": "on",
        "investors": "on",
        "professional": "on",
    }
    assert Answers.from_data(data) == Answers(
        founders=3,
        limited_liability=True,
        expected_profit=Decimal("45000.50"),
        capital=Decimal(3000),
        cooperative_model=True,
        investors=True,
        professional=True,
    )


def test_unticked_boxes_are_no_and_a_missing_profession_is_no():
    data = {
        "founders": 1,
        "limited_liability": "",
        "expected_profit": 0,
        "capital": "0.50",
        "cooperative_model": None,
        "investors": False,
    }
    answers = Answers.from_data(data)
    assert answers == Answers(
        founders=1,
        limited_liability=False,
        expected_profit=Decimal(0),
        capital=Decimal("0.50"),
        cooperative_model=False,
        investors=False,
        professional=False,
    )


def test_answers_are_kept_as_plain_json_and_read_back_the_same():
    answers = _answers(expected_profit=Decimal("15000.25"), professional=True)
    assert answers.data() == {
        "founders": 1,
        "limited_liability": False,
        "expected_profit": "15000.25",
        "capital": "3000",
        "cooperative_model": False,
        "investors": False,
        "professional": True,
    }
    assert Answers.from_data(answers.data()) == answers


# The guide a coordinator writes.

ALL_IDS = (
    "association, civil_partnership, community_property, cooperative, labour, limited, other, "
    "public_limited, self_employed"
)


def test_the_sample_guide_has_no_problem():
    assert legal_form.guide_problems(_guide()) == []


@pytest.mark.parametrize("content", [[], "guide", None, 2026])
def test_a_guide_must_be_an_object(content):
    assert legal_form.guide_problems(content) == ["The guide must be a JSON object."]


@pytest.mark.parametrize(
    ("year", "valid"),
    [(1999, False), (2000, True), (2100, True), (2101, False), ("2027", False), (None, False)],
)
def test_the_year_is_a_year_between_2000_and_2100(year, valid):
    guide = _guide() | {"year": year}
    expected = [] if valid else ["year must be a year like 2027."]
    assert legal_form.guide_problems(guide) == expected


@pytest.mark.parametrize(
    ("profit", "valid"),
    [(0, True), ("0", True), (12.5, True), (-1, False), ("-0.01", False), ("a lot", False)],
)
def test_the_profit_for_a_company_is_a_number_of_0_or_more(profit, valid):
    guide = _guide() | {"profit_for_company": profit}
    expected = [] if valid else ["Form —: profit_for_company must be a number of 0 or more."]
    assert legal_form.guide_problems(guide) == expected


def test_a_guide_without_the_profit_for_a_company_is_refused():
    guide = _guide()
    del guide["profit_for_company"]
    assert legal_form.guide_problems(guide) == [
        "Form —: profit_for_company must be a number of 0 or more."
    ]


@pytest.mark.parametrize("forms", [[], None, "limited", {"id": "limited"}])
def test_a_guide_needs_a_list_of_forms(forms):
    # The year's and the profit's problems come first, then the forms' and nothing after.
    guide = _guide() | {"year": 1900, "profit_for_company": -1, "forms": forms}
    assert legal_form.guide_problems(guide) == [
        "year must be a year like 2027.",
        "Form —: profit_for_company must be a number of 0 or more.",
        "Add at least one legal form.",
    ]


@pytest.mark.parametrize("form", ["limited", ["limited"], {"id": "trust"}, {}])
def test_every_form_needs_a_known_id(form):
    guide = _guide()
    guide["forms"].append(form)
    assert legal_form.guide_problems(guide) == [f"Every form needs an id among: {ALL_IDS}."]


@pytest.mark.parametrize("key", ["min_founders", "min_capital", "setup_cost", "yearly_cost"])
@pytest.mark.parametrize(("value", "valid"), [(0, True), ("0.01", True), (-1, False), ("x", False)])
def test_each_figure_of_a_form_is_a_number_of_0_or_more(key, value, valid):
    guide = _guide()
    guide["forms"][3][key] = value
    expected = [] if valid else [f"Form limited: {key} must be a number of 0 or more."]
    assert legal_form.guide_problems(guide) == expected


def test_missing_figures_are_named_one_by_one_in_order():
    guide = _guide()
    form = guide["forms"][1]
    for key in ("min_founders", "min_capital", "setup_cost", "yearly_cost"):
        del form[key]
    assert legal_form.guide_problems(guide) == [
        "Form civil_partnership: min_founders must be a number of 0 or more.",
        "Form civil_partnership: min_capital must be a number of 0 or more.",
        "Form civil_partnership: setup_cost must be a number of 0 or more.",
        "Form civil_partnership: yearly_cost must be a number of 0 or more.",
    ]


@pytest.mark.parametrize(
    ("changes", "problem"),
    [
        ({"taxation": "flat"}, "Form labour: taxation is income or corporate."),
        ({"taxation": None}, "Form labour: taxation is income or corporate."),
        ({"taxation": "income"}, None),
        ({"taxation": "corporate"}, None),
        ({"limited_liability": "yes"}, "Form labour: limited_liability is true or false."),
        ({"limited_liability": 1}, "Form labour: limited_liability is true or false."),
        ({"limited_liability": None}, "Form labour: limited_liability is true or false."),
        ({"limited_liability": False}, None),
        ({"steps": {"es": "Alta"}}, "Form labour needs its steps in Catalan."),
        ({"steps": {"ca": ""}}, "Form labour needs its steps in Catalan."),
        ({"steps": None}, "Form labour needs its steps in Catalan."),
    ],
)
def test_taxation_liability_and_steps_of_a_form(changes, problem):
    guide = _guide()
    guide["forms"][6].update(changes)
    assert legal_form.guide_problems(guide) == ([problem] if problem else [])


def test_a_form_with_nothing_but_its_id_gets_every_problem():
    guide = _guide()
    guide["forms"] = [{"id": "cooperative"}]
    assert legal_form.guide_problems(guide) == [
        "Form cooperative: min_founders must be a number of 0 or more.",
        "Form cooperative: min_capital must be a number of 0 or more.",
        "Form cooperative: setup_cost must be a number of 0 or more.",
        "Form cooperative: yearly_cost must be a number of 0 or more.",
        "Form cooperative: taxation is income or corporate.",
        "Form cooperative: limited_liability is true or false.",
        "Form cooperative needs its steps in Catalan.",
    ]


def test_a_form_that_appears_twice_is_refused_once():
    guide = _guide()
    guide["forms"].append(copy.deepcopy(guide["forms"][0]))
    guide["forms"].append(copy.deepcopy(guide["forms"][0]))
    assert legal_form.guide_problems(guide) == ["A legal form appears twice."]


def test_forms_that_are_not_objects_are_left_out_of_the_twice_check():
    guide = _guide()
    guide["forms"].append("limited")
    assert legal_form.guide_problems(guide) == [f"Every form needs an id among: {ALL_IDS}."]


@pytest.mark.django_db
def test_the_guide_of_this_year_by_default_never_one_of_a_coming_year():
    starter = LegalFormGuide.objects.get(year=2026).content
    coming = timezone.localdate().year + 1
    LegalFormGuide.objects.create(year=coming, content={**starter, "year": coming})
    assert legal_form.guide_for().year == 2026  # the starter guide: the latest up to today
