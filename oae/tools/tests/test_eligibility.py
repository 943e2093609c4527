"""Eligibility rules: each rule type, combinations, explanations, and the finder page."""

import datetime
from dataclasses import dataclass
from decimal import Decimal as D

import pytest
from django.urls import reverse

from oae.testing.factories import MunicipalityFactory
from oae.tools.eligibility import Profile, evaluate, find, rules_problems
from oae.tools.models import FinancingProgramme


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
        "amount": D(20_000),
        "groups": frozenset({"young"}),
        "today": datetime.date(2026, 11, 25),
    }
    return Profile(**(base | changes))


CASES = [
    ({"max_company_age_months": 12}, {"company_age_months": 13}, "13 months old"),
    ({"legal_forms": ["cooperative"]}, {}, "legal forms accepted: cooperative"),
    ({"cnae_sections_excluded": ["G"]}, {}, "sections G are excluded"),
    ({"cnae_sections_included": ["I"]}, {}, "only activities of sections I"),
    ({"municipalities": ["08015"]}, {}, "for businesses in"),
    ({"max_employees": 1}, {}, "up to 1 employees (you have 2)"),
    ({"amount_range": [25_000, 75_000]}, {}, "from 25000 € to 75000 €"),
    ({"target_groups_any": ["women"]}, {}, "for women founders"),
    ({"deadline": "2026-06-30"}, {}, "applications until 30/06/2026"),
    ({"before_start": True}, {}, "before the business starts"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("rules", "changes", "reason"), CASES)
def test_each_rule_type_fails_with_its_reason_and_passes_otherwise(rules, changes, reason):
    failing = evaluate(Programme(rules), _profile(**changes))
    assert not failing.matches and reason in failing.failed[0]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "rules",
    [
        {"max_company_age_months": 6},
        {"legal_forms": ["limited", "labour"]},
        {"cnae_sections_excluded": ["K"]},
        {"cnae_sections_included": ["G", "I"]},
        {"municipalities": ["08200"]},
        {"max_employees": 2},
        {"amount_range": [3000, 25000]},
        {"target_groups_any": ["women", "young"]},
        {"deadline": "2026-11-25"},
    ],
)
def test_each_rule_type_passes_with_its_reason(rules):
    passing = evaluate(Programme(rules), _profile())
    assert passing.matches and len(passing.passed) == 1


@pytest.mark.django_db
def test_all_rules_must_pass_and_one_failure_is_a_near_miss():
    both = Programme({"max_employees": 5, "target_groups_any": ["young"]}, "both")
    one_off = Programme({"max_employees": 1, "target_groups_any": ["young"]}, "one_off")
    two_off = Programme({"max_employees": 1, "target_groups_any": ["women"]}, "two_off")
    matches, near = find([both, one_off, two_off], _profile())
    assert [e.programme.code for e in matches] == ["both"]
    assert [e.programme.code for e in near] == ["one_off"]
    assert near[0].passed == ["for young founders (under 30)"]


def test_bad_rules_are_reported_for_the_coordinators():
    problems = rules_problems({"colour": "red", "amount_range": [10, 5], "deadline": "next year"})
    assert len(problems) == 3 and "colour" in problems[0]


@pytest.mark.django_db
def test_the_starter_catalogue_is_sample_data_with_valid_rules():
    programmes = list(FinancingProgramme.objects.all())
    assert len(programmes) >= 12 and all(p.sample for p in programmes)
    assert all(rules_problems(p.rules) == [] for p in programmes)
    assert all(p.name.get("ca") and p.name.get("es") for p in programmes)


@pytest.mark.django_db
def test_the_finder_page_lists_matches_with_reasons_and_near_misses(client):
    MunicipalityFactory(ine_code="08200", name="Sant Boi de Llobregat")
    client.cookies["django_language"] = "en"
    response = client.post(
        reverse("tools:financing"),
        {
            "company_age_months": "0",
            "legal_form": "self_employed",
            "municipality": "08200",
            "employees": "0",
            "amount": "12000",
            "groups": ["unemployed"],
        },
    )
    page = response.content.decode()
    assert "Capitalisation of unemployment benefit" in page or "Capitalització" in page
    assert "Why it fits" in page and "What fails" in page
    bad = client.post(reverse("tools:financing"), {"amount": "-3", "employees": "0"})
    assert "cannot be negative" in bad.content.decode()
