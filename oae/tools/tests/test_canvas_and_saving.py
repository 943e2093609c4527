"""The business model canvas (public, printable to PDF) and keeping every tool's result with
a client: the self-diagnosis and the financing finder keep what they used."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from oae.testing.crm import client_with_company
from oae.tools.models import FinancingProgramme, Questionnaire, ToolResult

CANVAS = {
    "title": "Forn de pa Serra",
    "segments": "Veïns del barri\nEscoles",
    "value": "Pa de massa mare cada matí",
    "costs": "Farina, lloguer, forn",
    "revenue": "Venda al taulell",
}


@pytest.fixture
def client(client):
    client.cookies["django_language"] = "en"
    return client


def _pdf_text(content: bytes) -> str:
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


@pytest.mark.django_db
def test_a_citizen_fills_the_canvas_and_downloads_it_as_pdf(client):
    assert client.get(reverse("tools:canvas_pdf")).status_code == 404  # nothing yet
    response = client.post(reverse("tools:canvas"), CANVAS)
    assert response["Location"] == reverse("tools:canvas")
    page = client.get(reverse("tools:canvas")).content.decode()
    assert "Pa de massa mare cada matí" in page and "Key partners" in page
    assert "Veïns del barri<br>Escoles" in page
    document = client.get(reverse("tools:canvas_pdf"))
    assert document["Content-Type"] == "application/pdf"
    assert len(PdfReader(io.BytesIO(document.content)).pages) == 1  # the canvas on one page
    text = _pdf_text(document.content)
    assert "Forn de pa Serra" in text and "Value propositions" in text
    assert "Pa de massa mare" in text and "Venda al taulell" in text


@pytest.mark.django_db
def test_the_canvas_refuses_a_block_too_long_and_keeps_what_was_written(client):
    response = client.post(reverse("tools:canvas"), {**CANVAS, "channels": "x" * 2001})
    body = response.content.decode()
    assert response.status_code == 200 and "at most 2000 characters" in body
    assert "Pa de massa mare cada matí" in body  # nothing lost
    no_title = client.post(reverse("tools:canvas"), {**CANVAS, "title": ""})
    assert "This field is required" in no_title.content.decode()


def _open_for(client, person):
    client.get(reverse("tools:index") + f"?person={person.public_id}")


@pytest.mark.django_db
def test_an_advisor_keeps_a_canvas_with_the_client_and_prints_it_again(client_for, office_a):
    person, _company = client_with_company(office_a)
    client = client_for("advisor_a")
    _open_for(client, person)
    client.post(reverse("tools:canvas"), CANVAS)
    client.post(reverse("tools:save", args=["canvas"]))
    result = ToolResult.objects.get(tool="canvas")
    assert (result.person, result.title) == (person, "Forn de pa Serra")
    shown = client.get(reverse("tools:result", args=[result.public_id])).content.decode()
    assert "Pa de massa mare cada matí" in shown
    pdf = client.get(reverse("tools:result_document", args=[result.public_id, "pdf"]))
    assert "Venda al taulell" in _pdf_text(pdf.content)
    xlsx = client.get(reverse("tools:result_document", args=[result.public_id, "xlsx"]))
    assert xlsx.status_code == 404  # a canvas has no spreadsheet


@pytest.mark.django_db
def test_a_self_diagnosis_is_kept_with_its_questionnaire_version(client_for, office_a):
    person, _company = client_with_company(office_a)
    client = client_for("advisor_a")
    _open_for(client, person)
    questionnaire = Questionnaire.objects.get(code="maduresa", version=1)
    answers = {f"q-{q['id']}": "2" for q in questionnaire.content["questions"]}
    client.post(reverse("tools:diagnosis"), answers)
    assert "Save with the client" in client.get(reverse("tools:diagnosis_result")).content.decode()
    client.post(reverse("tools:save", args=["diagnosis"]))
    result = ToolResult.objects.get(tool="diagnosis")
    assert result.parameters == {"code": "maduresa", "version": 1}
    assert result.title.startswith("Self-diagnosis: ")
    overall = result.summary["overall"]
    Questionnaire.objects.create(code="maduresa", version=2, content={"questions": []})
    shown = client.get(reverse("tools:result", args=[result.public_id])).content.decode()
    assert f"{overall}/100" in shown and "<svg" in shown and "version 1" in shown


@pytest.mark.django_db
def test_a_financing_search_is_kept_with_the_programmes_as_they_were(client_for, office_a):
    person, _company = client_with_company(office_a)
    client = client_for("advisor_a")
    _open_for(client, person)
    profile = {
        "company_age_months": "0",
        "legal_form": "self_employed",
        "employees": "0",
        "amount": "12000",
        "groups": ["unemployed"],
    }
    page = client.post(reverse("tools:financing"), profile).content.decode()
    assert "Save with the client" in page
    client.post(reverse("tools:save", args=["financing"]))
    result = ToolResult.objects.get(tool="financing")
    matched = result.summary["matches"]
    assert matched and result.inputs["amount"] == "12000"
    FinancingProgramme.objects.all().delete()
    shown = client.get(reverse("tools:result", args=[result.public_id])).content.decode()
    assert "Why it fits" in shown
    names = [p["name"]["en"] for p in result.parameters["programmes"] if p["code"] in matched]
    assert all(name in shown for name in names)


@pytest.mark.django_db
def test_saving_without_a_client_or_an_unknown_tool_is_refused(client_for):
    client = client_for("advisor_a")
    client.post(reverse("tools:canvas"), CANVAS)
    response = client.post(reverse("tools:save", args=["canvas"]), follow=True)
    assert "Open the tool from the client" in response.content.decode()
    assert not ToolResult.objects.exists()
    assert client.post(reverse("tools:save", args=["horoscope"])).status_code == 404


@pytest.mark.django_db
def test_a_citizen_downloads_the_diagnosis_and_the_legal_advice_as_pdf(client):
    assert client.get(reverse("tools:session_report", args=["diagnosis"])).status_code == 404
    questionnaire = Questionnaire.objects.get(code="maduresa", version=1)
    client.post(
        reverse("tools:diagnosis"),
        {f"q-{q['id']}": "3" for q in questionnaire.content["questions"]},
    )
    report = client.get(reverse("tools:session_report", args=["diagnosis"]))
    assert report["Content-Disposition"] == 'attachment; filename="autodiagnosi.pdf"'
    text = _pdf_text(report.content)
    assert "Self-diagnosis" in text and "/100" in text and "Strengths" in text

    client.post(
        reverse("tools:legal_form"),
        {"founders": "1", "expected_profit": "60000", "capital": "3000", "limited_liability": "on"},
    )
    advice = _pdf_text(client.get(reverse("tools:session_report", args=["legal_form"])).content)
    assert "Limited company (SL)" in advice and "Minimum capital" in advice
    assert client.get(reverse("tools:session_report", args=["viability"])).status_code == 404


@pytest.mark.django_db
def test_a_saved_financing_search_prints_from_what_it_kept(client_for, office_a):
    person, _company = client_with_company(office_a)
    client = client_for("advisor_a")
    _open_for(client, person)
    client.post(
        reverse("tools:financing"),
        {"company_age_months": "0", "legal_form": "limited", "employees": "2", "amount": "50000"},
    )
    client.post(reverse("tools:save", args=["financing"]))
    result = ToolResult.objects.get(tool="financing")
    FinancingProgramme.objects.all().delete()
    pdf = client.get(reverse("tools:result_document", args=[result.public_id, "pdf"]))
    text = _pdf_text(pdf.content)
    assert "Financing finder" in text and "Why it fits" in text
