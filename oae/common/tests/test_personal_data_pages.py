"""Pages, exports and downloads that hold a client's data: no browser or proxy keeps them
(`Cache-Control: no-store`), and each read of one client's data is in the audit trail."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from oae.cases import referrals
from oae.cases.services import attachment_add, case_open
from oae.catalogue import services as catalogue
from oae.privacy.models import AuditEvent
from oae.testing.catalogue import build_small_model
from oae.testing.crm import client_with_company
from oae.tools.models import ToolResult

CANVAS = {"title": "Forn de pa Serra", "value": "Pa de massa mare cada matí"}


@pytest.fixture
def records(db, people, office_a, office_b):
    """A client of office A with a case, a document, a referral to office B and a kept
    canvas; the URLs that show them."""
    build_small_model()
    version = catalogue.network_publish(actor=None, changelog="v1")
    for office in (office_a, office_b):
        catalogue.office_catalogue_adopt(actor=None, office=office, version=version)
    person, company = client_with_company(office_a)
    advisor = people["advisor_a"]
    case = case_open(
        actor=advisor, office=office_a, service_code="crear", advisor=advisor, person=person
    )
    document = attachment_add(
        actor=advisor, case=case, upload=SimpleUploadedFile("anna.pdf", b"%PDF-1.4\n")
    )
    referral = referrals.referral_create(
        actor=advisor,
        case=case,
        to_office=office_b,
        service_code="financar",
        reason="Necessita finançament",
        shared=["summary"],
        consent_given_now=True,
    )
    staff = Client()
    staff.force_login(advisor)
    staff.get(reverse("tools:index") + f"?person={person.public_id}")
    staff.post(reverse("tools:canvas"), CANVAS)
    staff.post(reverse("tools:save", args=["canvas"]))
    result = ToolResult.objects.get(tool="canvas")
    return {
        "person": person,
        "company": company,
        "case": case,
        "document": document,
        "referral": referral,
        "result": result,
    }


def _staff_pages(records) -> dict[str, tuple[str, str]]:
    """name: (persona, url) of each page, export and download with a client's data."""
    person, case = records["person"], records["case"]
    referral, result = records["referral"], records["result"]
    return {
        "people list": ("advisor_a", reverse("crm:people")),
        "people export (CSV)": ("advisor_a", reverse("crm:people_export") + "?format=csv"),
        "people export (Excel)": ("advisor_a", reverse("crm:people_export") + "?format=xlsx"),
        "companies export": ("advisor_a", reverse("crm:companies_export") + "?format=csv"),
        "person page": ("advisor_a", reverse("crm:person_detail", args=[person.public_id])),
        "person's data copy": ("manager_a", reverse("crm:person_data", args=[person.public_id])),
        "company page": (
            "advisor_a",
            reverse("crm:company_detail", args=[records["company"].public_id]),
        ),
        "case page": ("advisor_a", reverse("cases:detail", args=[case.public_id])),
        "case document": (
            "advisor_a",
            reverse("cases:attachment_download", args=[records["document"].public_id]),
        ),
        "referral page": ("advisor_b", reverse("cases:referral", args=[referral.public_id])),
        "tool result page": ("advisor_a", reverse("tools:result", args=[result.public_id])),
        "tool result document": (
            "advisor_a",
            reverse("tools:result_document", args=[result.public_id, "pdf"]),
        ),
        "the advisor's day": ("advisor_a", reverse("cases:today")),
    }  # fmt: skip


POSTED = {"person's data copy"}  # a copy is made on purpose, by a button


def _fetch(client, page: str, url: str):
    return client.post(url) if page in POSTED else client.get(url)


PAGES = [
    "people list",
    "people export (CSV)",
    "people export (Excel)",
    "companies export",
    "person page",
    "person's data copy",
    "company page",
    "case page",
    "case document",
    "referral page",
    "tool result page",
    "tool result document",
    "the advisor's day",
]


@pytest.mark.parametrize("page", PAGES)
def test_pages_exports_and_downloads_with_personal_data_are_not_stored(client_for, records, page):
    persona, url = _staff_pages(records)[page]
    response = _fetch(client_for(persona), page, url)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


@pytest.mark.django_db
def test_a_visitors_tool_results_in_the_session_are_not_stored():
    client = Client()
    client.post(reverse("tools:canvas"), CANVAS)
    for url in (reverse("tools:canvas"), reverse("tools:canvas_pdf")):
        response = client.get(url)
        assert response.status_code == 200
        assert "no-store" in response["Cache-Control"]


def test_a_signed_in_users_page_is_not_stored_even_if_its_view_allows_caching(rf, people):
    from django.http import HttpResponse
    from django.utils.cache import patch_cache_control

    from oae.common.nostore import NoStoreMiddleware

    def cacheable(_request):
        response = HttpResponse("Anna Serra")
        patch_cache_control(response, public=True, max_age=3600)
        return response

    request = rf.get("/")
    request.user = people["advisor_a"]
    header = NoStoreMiddleware(cacheable)(request)["Cache-Control"]
    assert "no-store" in header and "public" not in header

    request.user = None  # a visitor: the view's own caching stands
    assert NoStoreMiddleware(cacheable)(request)["Cache-Control"] == "public, max-age=3600"


READS = {
    "case page": ("cases.case.read", "case"),
    "case document": ("cases.document.read", "case"),
    "referral page": ("cases.referral.read", "referral"),
    "tool result page": ("tools.result.read", "result"),
    "tool result document": ("tools.result.read", "result"),
    "person page": ("crm.person.read", "person"),
    "people export (CSV)": ("crm.people.export", None),
    "companies export": ("crm.companies.export", None),
    "person's data copy": ("crm.person.subject_export", "person"),
}


@pytest.mark.parametrize("page", READS)
def test_every_read_of_a_clients_data_is_audited(client_for, people, records, page):
    persona, url = _staff_pages(records)[page]
    action, target = READS[page]
    AuditEvent.objects.all().delete()

    assert _fetch(client_for(persona), page, url).status_code == 200

    event = AuditEvent.objects.get(action=action)
    assert event.actor == people[persona]
    if target:
        assert event.target_id == str(records[target].public_id)


@pytest.mark.parametrize("page", ["case page", "case document", "tool result page"])
def test_a_refused_read_is_not_audited_as_a_read(client_for, records, page):
    _persona, url = _staff_pages(records)[page]
    AuditEvent.objects.all().delete()
    assert client_for("advisor_b").get(url).status_code == 404
    assert not AuditEvent.objects.filter(action__endswith=".read").exists()
