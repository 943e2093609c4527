"""Eligibility rules pinned one by one: each rule type on both sides of its limit with its exact
reason, the checks of a programme's rules for the coordinators, and what counts as a match or a
near miss. Only the municipalities' rule reads the database (the towns' names)."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

import pytest

from oae.testing.factories import MunicipalityFactory
from oae.tools.eligibility import Check, Profile, evaluate, find, rules_problems


@dataclass
class Programme:
    rules: dict
    code: str = "p"


def _profile(**changes) -> Profile:
    base = {
        "company_age_months": 6,
        "legal_form": "limited",
        "cnae_section": "G",
        "municipality": "08200",
        "employees": 2,
        "amount": Decimal(20_000),
        "groups": frozenset({"young"}),
        "today": datetime.date(2026, 11, 25),
    }
    return Profile(**(base | changes))


def _check(rules: dict, **changes) -> Check:
    """The one rule of `rules` checked against the profile."""
    evaluation = evaluate(Programme(rules), _profile(**changes))
    checks = [Check(True, r) for r in evaluation.passed] + [
        Check(False, r) for r in evaluation.failed
    ]
    assert len(checks) == 1
    return checks[0]


@pytest.mark.parametrize(("age", "passed"), [(0, True), (12, True), (13, False)])
def test_the_business_may_be_up_to_the_limit_of_months_old(age, passed):
    reason = f"the business is {age} months old; the limit is 12"
    assert _check({"max_company_age_months": 12}, company_age_months=age) == Check(passed, reason)


@pytest.mark.parametrize(
    ("form", "passed"), [("labour", True), ("limited", True), ("self_employed", False)]
)
def test_only_the_legal_forms_listed_are_accepted(form, passed):
    # An id that is not a legal form we know is left out of the names, not an error.
    rules = {"legal_forms": ["limited", "labour", "trust"]}
    assert _check(rules, legal_form=form) == Check(
        passed, "legal forms accepted: limited company (SL), labour company"
    )


@pytest.mark.parametrize(
    ("section", "passed"), [("G", False), ("I", False), ("K", True), ("", True)]
)
def test_excluded_sections_fail_and_an_unknown_section_passes(section, passed):
    rules = {"cnae_sections_excluded": ["G", "I"]}
    assert _check(rules, cnae_section=section) == Check(
        passed, "activities of sections G, I are excluded"
    )


@pytest.mark.parametrize(
    ("section", "passed"), [("G", True), ("I", True), ("K", False), ("", False)]
)
def test_included_sections_pass_and_an_unknown_section_fails(section, passed):
    rules = {"cnae_sections_included": ["G", "I"]}
    assert _check(rules, cnae_section=section) == Check(passed, "only activities of sections G, I")


@pytest.mark.django_db
@pytest.mark.parametrize(("town", "passed"), [("08200", True), ("08019", False), ("", False)])
def test_municipalities_are_named_when_known_and_by_code_otherwise(town, passed):
    rules = {"municipalities": ["08200", "08015"]}
    assert _check(rules, municipality=town) == Check(passed, "for businesses in 08200, 08015")
    MunicipalityFactory(ine_code="08200", name="Sant Boi de Llobregat")
    MunicipalityFactory(ine_code="08015", name="Badalona")
    # Names in the towns' order (alphabetical), as the programme's page shows them.
    assert _check(rules, municipality=town) == Check(
        passed, "for businesses in Badalona, Sant Boi de Llobregat"
    )


@pytest.mark.parametrize(("employees", "passed"), [(0, True), (5, True), (6, False)])
def test_up_to_the_limit_of_employees(employees, passed):
    reason = f"up to 5 employees (you have {employees})"
    assert _check({"max_employees": 5}, employees=employees) == Check(passed, reason)


@pytest.mark.parametrize(
    ("amount", "passed"),
    [("2999.99", False), ("3000", True), ("12000.50", True), ("25000", True), ("25000.01", False)],
)
def test_the_amount_within_the_range_both_ends_included(amount, passed):
    rules = {"amount_range": [3000, 25000]}
    assert _check(rules, amount=Decimal(amount)) == Check(
        passed, f"amounts from 3000 € to 25000 € (you need {amount} €)"
    )


def test_the_amount_range_may_have_decimals():
    rules = {"amount_range": [1500.5, 2000]}
    assert _check(rules, amount=Decimal("1500.5")) == Check(
        True, "amounts from 1500.5 € to 2000 € (you need 1500.5 €)"
    )


@pytest.mark.parametrize(
    ("groups", "passed"),
    [
        ({"young"}, False),
        ({"women"}, True),
        ({"young", "disability"}, True),
        (set(), False),
    ],
)
def test_one_of_the_target_groups_is_enough(groups, passed):
    rules = {"target_groups_any": ["women", "disability", "martians"]}
    assert _check(rules, groups=frozenset(groups)) == Check(
        passed, "for women founders, founders with a disability"
    )


def test_every_target_group_has_its_name():
    rules = {"target_groups_any": ["young", "unemployed", "women", "over_45", "disability"]}
    assert _check(rules, groups=frozenset({"over_45"})) == Check(
        True,
        "for young founders (under 30), unemployed founders, women founders, founders over 45, "
        "founders with a disability",
    )


@pytest.mark.parametrize(
    ("today", "passed"),
    [
        (datetime.date(2026, 6, 29), True),
        (datetime.date(2026, 6, 30), True),  # the last day still counts
        (datetime.date(2026, 7, 1), False),
    ],
)
def test_applications_until_the_deadline_included(today, passed):
    assert _check({"deadline": "2026-06-30"}, today=today) == Check(
        passed, "applications until 30/06/2026"
    )


@pytest.mark.parametrize(("age", "passed"), [(0, True), (1, False)])
def test_some_programmes_are_only_before_the_business_starts(age, passed):
    assert _check({"before_start": True}, company_age_months=age) == Check(
        passed, "only before the business starts trading"
    )


def test_a_profile_is_checked_today_by_default():
    profile = Profile(
        company_age_months=0,
        legal_form="limited",
        cnae_section="",
        municipality="",
        employees=0,
        amount=Decimal(1),
    )
    assert profile.today == datetime.date.today()  # noqa: DTZ011 - as the finder does
    assert profile.groups == frozenset()


# A programme: every rule must pass; one failing is a near miss.


def test_rules_of_unknown_types_are_not_checked():
    evaluation = evaluate(Programme({"colour": "red", "max_employees": 2}), _profile())
    assert evaluation.passed == ["up to 2 employees (you have 2)"]
    assert evaluation.failed == [] and evaluation.matches


def test_reasons_keep_the_order_of_the_rules():
    rules = {
        "max_employees": 1,  # fails: 2 employees
        "max_company_age_months": 12,  # passes: 6 months
        "deadline": "2026-11-24",  # fails: a day late
        "before_start": True,  # fails: 6 months old
        "legal_forms": ["limited"],  # passes
    }
    evaluation = evaluate(Programme(rules), _profile())
    assert evaluation.passed == [
        "the business is 6 months old; the limit is 12",
        "legal forms accepted: limited company (SL)",
    ]
    assert evaluation.failed == [
        "up to 1 employees (you have 2)",
        "applications until 24/11/2026",
        "only before the business starts trading",
    ]
    assert not evaluation.matches


def test_matches_and_near_misses():
    # none: no rule at all matches; one: one rule fails (near miss); two: two fail (neither).
    none = Programme({}, "none")
    ok = Programme({"max_employees": 2}, "ok")
    one = Programme({"max_employees": 1, "legal_forms": ["limited"]}, "one")
    two = Programme({"max_employees": 1, "before_start": True}, "two")
    matches, near = find([none, ok, one, two], _profile())
    assert [e.programme.code for e in matches] == ["none", "ok"]
    assert [e.programme.code for e in near] == ["one"]
    assert find([], _profile()) == ([], [])


# The coordinators' checks of a programme's rules.


def test_rules_of_every_known_type_have_no_problem():
    rules = {
        "max_company_age_months": 12,
        "legal_forms": ["limited"],
        "cnae_sections_excluded": ["K"],
        "cnae_sections_included": ["G"],
        "municipalities": ["08200"],
        "max_employees": 5,
        "amount_range": [0, 0],
        "target_groups_any": ["young"],
        "deadline": "2026-12-31",
        "before_start": True,
    }
    assert rules_problems(rules) == []


def test_each_unknown_rule_type_is_named():
    assert rules_problems({"colour": "red", "max_employees": 2, "size": 3}) == [
        "“colour” is not a rule type we know.",
        "“size” is not a rule type we know.",
    ]


@pytest.mark.parametrize(
    ("value", "valid"),
    [
        ([0, 0], True),
        ([5, 5], True),
        ([0.5, 10], True),
        ([6, 5], False),
        ([-1, 5], False),
        ([5], False),
        ([1, 2, 3], False),
        ("1-5", False),
        ((1, 5), False),  # JSON gives lists; anything else is not a range
    ],
)
def test_the_amount_range_is_a_minimum_and_a_maximum(value, valid):
    expected = [] if valid else ["amount_range needs [minimum, maximum] with minimum ≤ maximum."]
    assert rules_problems({"amount_range": value}) == expected


@pytest.mark.parametrize(
    ("value", "valid"),
    [("2026-12-31", True), ("2026-02-30", False), ("next year", False), (None, False)],
)
def test_the_deadline_is_a_date(value, valid):
    expected = [] if valid else ["deadline must be a date like 2026-12-31."]
    assert rules_problems({"deadline": value}) == expected


def test_problems_come_in_order_unknown_types_then_range_then_deadline():
    rules = {"deadline": "soon", "amount_range": [9, 1], "colour": "red"}
    assert rules_problems(rules) == [
        "“colour” is not a rule type we know.",
        "amount_range needs [minimum, maximum] with minimum ≤ maximum.",
        "deadline must be a date like 2026-12-31.",
    ]
