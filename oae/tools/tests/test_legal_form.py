"""The legal-form advisor: the ranking and its reasons, the guide as data by year, the public
page and saving the advice with a client."""

import copy
import json
from decimal import Decimal

import pytest
from django.urls import reverse

from oae.testing.crm import client_with_company
from oae.tools import legal_form
from oae.tools.legal_form import Answers
from oae.tools.models import LegalFormGuide, ToolResult


def _guide() -> dict:
    return copy.deepcopy(LegalFormGuide.objects.get(year=2026).content)


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


def _ids(ranked) -> list[str]:
    return [r.form["id"] for r in ranked if not r.excluded]


@pytest.mark.django_db
def test_one_founder_with_a_small_profit_is_best_self_employed():
    ranked = legal_form.rank(_guide(), _answers())
    assert _ids(ranked)[0] == "self_employed"
    assert "cheapest" in " ".join(ranked[0].reasons)
    partnership = next(r for r in ranked if r.form["id"] == "civil_partnership")
    assert partnership.excluded == "needs at least 2 founders"
    assert ranked[-1].excluded  # impossible forms come last


@pytest.mark.django_db
def test_limited_liability_and_a_high_profit_favour_a_limited_company():
    ranked = legal_form.rank(
        _guide(), _answers(limited_liability=True, expected_profit=Decimal(60000))
    )
    assert _ids(ranked)[0] == "limited"
    self_employed = next(r for r in ranked if r.form["id"] == "self_employed")
    assert any("personal assets" in text for text in self_employed.against)
    public = next(r for r in ranked if r.form["id"] == "public_limited")
    assert public.excluded == "needs a capital of at least 60000 €"


@pytest.mark.django_db
def test_the_threshold_of_profit_comes_from_the_guide_of_the_year():
    guide = _guide()
    answers = _answers(limited_liability=False, expected_profit=Decimal(30000))
    assert _ids(legal_form.rank(guide, answers))[0] == "self_employed"
    guide["profit_for_company"] = 20000
    reasons = next(r for r in legal_form.rank(guide, answers) if r.form["id"] == "limited").reasons
    assert any("20000" in text for text in reasons)


@pytest.mark.django_db
def test_a_cooperative_wish_puts_the_cooperative_first_and_investors_the_companies():
    cooperative = legal_form.rank(_guide(), _answers(founders=3, cooperative_model=True))
    assert _ids(cooperative)[0] == "cooperative"
    investors = legal_form.rank(
        _guide(), _answers(founders=2, investors=True, limited_liability=True)
    )
    assert _ids(investors)[0] == "limited"


@pytest.mark.django_db
def test_a_regulated_profession_is_told_about_professional_companies():
    ranked = legal_form.rank(_guide(), _answers(professional=True))
    limited = next(r for r in ranked if r.form["id"] == "limited")
    assert any("professional company" in text for text in limited.against)


@pytest.mark.django_db
def test_the_starter_guide_is_valid_and_problems_are_named():
    assert legal_form.guide_problems(_guide()) == []
    bad = _guide()
    bad["year"] = "next"
    bad["forms"][0]["min_capital"] = -5
    bad["forms"][1]["taxation"] = "flat"
    bad["forms"].append(dict(bad["forms"][2]))
    bad["forms"].append({"id": "trust"})
    problems = " | ".join(legal_form.guide_problems(bad))
    assert "year must be a year" in problems
    assert "self_employed: min_capital must be a number of 0 or more" in problems
    assert "civil_partnership: taxation is income or corporate" in problems
    assert "appears twice" in problems and "needs an id among" in problems
    assert legal_form.guide_problems([]) == ["The guide must be a JSON object."]


@pytest.mark.django_db
def test_the_guide_of_the_year_or_the_latest_before_it():
    LegalFormGuide.objects.create(year=2027, content={**_guide(), "year": 2027})
    assert legal_form.guide_for(2026).year == 2026
    assert legal_form.guide_for(2030).year == 2027
    assert legal_form.guide_for(2020).year == 2026  # nothing before: the oldest one


FORM = {"founders": "1", "expected_profit": "15000", "capital": "3000"}


@pytest.mark.django_db
def test_a_citizen_gets_the_ranking_in_catalan_and_bad_answers_are_explained(client):
    response = client.post(reverse("tools:legal_form"), FORM)
    assert response["Location"] == reverse("tools:legal_form_result")
    page = client.get(response["Location"]).content.decode()
    assert "Autònom" in page or "autònom" in page
    assert "Alta censal a Hisenda" in page  # the steps, in Catalan
    client.cookies["django_language"] = "en"
    bad = client.post(reverse("tools:legal_form"), {**FORM, "founders": "0", "capital": "-1"})
    body = bad.content.decode()
    assert bad.status_code == 200
    assert "greater than or equal to 1" in body and "cannot be negative" in body


@pytest.mark.django_db
def test_an_advisor_saves_the_advice_with_the_client_and_it_keeps_its_guide(client_for, office_a):
    person, _company = client_with_company(office_a)
    client = client_for("advisor_a")
    client.get(reverse("tools:index") + f"?person={person.public_id}")
    client.post(reverse("tools:legal_form"), {**FORM, "limited_liability": "on"})
    page = client.get(reverse("tools:legal_form_result")).content.decode()
    assert "Save with the client" in page
    response = client.post(reverse("tools:save", args=["legal_form"]))
    result = ToolResult.objects.get()
    assert (result.tool, result.person, result.parameters["year"]) == ("legal_form", person, 2026)
    assert response["Location"] == reverse("tools:result", args=[result.public_id])

    LegalFormGuide.objects.filter(year=2026).update(content={**_guide(), "forms": []})
    shown = client.get(reverse("tools:result", args=[result.public_id])).content.decode()
    assert "Limited company (SL)" in shown and "Steps to set it up" in shown
    record = client.get(reverse("crm:person_detail", args=[person.public_id])).content.decode()
    assert reverse("tools:result", args=[result.public_id]) in record


@pytest.mark.django_db
def test_coordinators_keep_the_guide_by_year(client_for):
    client = client_for("coordinator")
    url = reverse("tools:legal_forms")
    assert "2026" in client.get(url).content.decode()
    broken = client.post(url, {"content": "{not json"})
    assert "not valid JSON" in broken.content.decode()
    invalid = client.post(url, {"content": json.dumps({**_guide(), "forms": []})})
    assert "Add at least one legal form" in invalid.content.decode()
    assert LegalFormGuide.objects.get(year=2026).content["forms"]
    saved = client.post(url, {"content": json.dumps({**_guide(), "year": 2027})})
    assert saved["Location"] == f"{url}?year=2027"
    assert LegalFormGuide.objects.get(year=2027).updated_by.email
    assert client_for("advisor_a").post(url, {"content": "{}"}).status_code == 403
