"""Browser tests in Debian's Chromium: the sign-in journey and WCAG 2.1 A/AA checks (axe-core)."""

import json
import os
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from oae.testing.factories import TEST_PASSWORD
from oae.testing.mfa import current_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
AXE = Path(__file__).resolve().parents[3] / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="module")
def browser():
    # Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
    # themselves (fixtures) are still plain synchronous calls, so Django's guard is lifted here.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()
    if previous is None:
        del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def page(browser):
    # bypass_csp lets the test inject axe-core; the app's own pages run under the real CSP.
    context = browser.new_context(bypass_csp=True, locale="ca-ES")
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on(
        "console", lambda message: errors.append(message.text) if message.type == "error" else None
    )
    page.js_errors = errors
    yield page
    context.close()


def sign_in(page, live_server, email, totp_secret=None):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", TEST_PASSWORD)
    page.locator("form:has(input[name=password]) button[type=submit]").first.click()
    if totp_secret:
        page.fill("input[name=code]", current_code(totp_secret))
        page.locator("form:has(input[name=code]) button[type=submit]").first.click()
    page.wait_for_load_state()


def axe_violations(page) -> list[dict]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS
    )
    return [
        {"id": v["id"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"]]}
        for v in result["violations"]
    ]


def test_advisor_signs_in_switches_language_and_signs_out(page, live_server, people, office_a):
    sign_in(page, live_server, people["advisor_a"].email)
    assert page.url.endswith("/staff/")
    assert page.locator("html").get_attribute("lang") == "ca"
    assert page.get_by_role("link", name="OAE Alfa").is_visible()
    assert page.get_by_text("OAE Beta").count() == 0

    page.select_option("#language-select", "es")
    page.locator(".language-form button").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "es"
    assert page.url.endswith("/staff/")

    page.locator("form[action='/accounts/logout/'] button").first.click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "es"
    page.goto(f"{live_server.url}/staff/")
    assert "/accounts/login/" in page.url
    assert page.js_errors == []


def test_htmx_filter_updates_the_office_table_in_place(
    page, live_server, people, office_a, office_b
):
    from allauth.mfa.models import Authenticator

    from oae.testing.mfa import enrol_totp

    coordinator = people["coordinator"]
    Authenticator.objects.filter(user=coordinator).delete()
    secret = enrol_totp(coordinator)
    sign_in(page, live_server, coordinator.email, totp_secret=secret)
    assert page.url.endswith("/staff/")
    page.evaluate("window.notReloaded = true")
    page.fill("#id_search", "Beta")
    page.wait_for_function("!document.querySelector('#office-table').textContent.includes('Alfa')")
    page.wait_for_function("location.search.includes('search=Beta')")
    assert page.evaluate("window.notReloaded") is True  # swapped in place, no page load
    assert page.locator("#office-table").get_by_text("OAE Beta").is_visible()
    assert page.js_errors == []


PAGES = {
    "anonymous": [
        "/",
        "/accounts/login/",
        "/accounts/password/reset/",
        "/accounts/signup/",
        "/oae/{a}/",
        "/oae/{a}/service/crear/",
        "/tramits/{ine}/",
        "/tramits/{ine}/alta-censal/",
        "/survey/{survey}/",
        "/eines/",
        "/eines/pla-de-viabilitat/",
        "/eines/financament/",
        "/eines/autodiagnosi/",
        "/eines/forma-juridica/",
        "/eines/model-de-negoci/",
        "/dades-obertes/",
    ],
    "advisor_a": [
        "/staff/reports/mine/",
        "/staff/cases/today/",
        "/staff/cases/",
        "/staff/cases/{case}/",
        "/staff/cases/{case}/refer/",
        "/staff/cases/new/?person={person}",
        "/staff/referrals/",
        "/staff/agenda/",
        "/staff/agenda/book/?case={case}",
        "/staff/agenda/availability/",
        "/staff/people/",
        "/staff/people/{person}/",
        "/staff/people/import/",
        "/eines/?person={person}",
        "/staff/tools/received/",
        "/staff/tools/results/{sent}/",
    ],
    "citizen": ["/eines/els-meus-resultats/", "/eines/els-meus-resultats/{mine}/"],
    "manager_a": [
        "/staff/reports/",
        "/staff/reports/office/",
        "/staff/reports/definitions/",
        "/staff/reports/monthly/",
        "/staff/",
        "/staff/offices/{a}/",
        "/staff/offices/{a}/edit/",
        "/staff/offices/{a}/staff/",
        "/staff/offices/{a}/staff/{member}/deactivate/",
        "/staff/municipalities/",
        "/account/profile/",
        "/staff/offices/{a}/catalogue/",
        "/staff/offices/{a}/catalogue/service/crear/",
        "/staff/offices/{a}/catalogue/service/crear/adapt/",
        "/staff/offices/{a}/catalogue/updates/",
        "/staff/offices/{a}/catalogue/local/service/new/",
        "/staff/offices/{a}/catalogue/procedures/alta-censal/variant/",
        "/staff/catalogue/resources/",
    ],
    "auditor": ["/staff/audit/", "/staff/offices/{a}/", "/staff/reports/goals/"],
    "coordinator": [
        "/staff/reports/",
        "/staff/reports/goals/",
        "/staff/catalogue/",
        "/staff/catalogue/service/crear/",
        "/staff/catalogue/process/atencio/",
        "/staff/catalogue/service/crear/history/",
        "/staff/catalogue/service/crear/preview/",
        "/staff/catalogue/publish/",
        "/staff/catalogue/versions/",
        "/staff/catalogue/versions/1/",
        "/staff/catalogue/compare/",
        "/staff/catalogue/adoption/",
        "/staff/catalogue/categories/",
        "/staff/catalogue/resources/new/",
        "/staff/tools/parameters/",
        "/staff/tools/parameters/2026/",
        "/staff/tools/legal-forms/",
    ],
}


def _small_catalogue(office):
    from oae.catalogue import services
    from oae.testing.catalogue import build_small_model

    build_small_model()
    version = services.network_publish(actor=None, changelog="v1")
    services.office_catalogue_adopt(actor=None, office=office, version=version)


def _clients(office):
    from oae.testing.crm import client_with_company

    return client_with_company(office)


def _tool_data() -> None:
    """Browser tests empty the tables the migrations filled: put the tools' data back."""
    from oae.tools import starter

    starter.fiscal_parameters_load()
    starter.financing_programmes_load()
    starter.questionnaire_load()
    starter.legal_forms_load()


def _citizen_results(citizen, office) -> dict:
    """A result a citizen keeps, and one they sent to the office."""
    from oae.tools import results

    data = {"title": "Taller", "value": "Reparacions", "segments": "Veïns"}
    kept = results.keep_mine(user=citizen, tool="canvas", data=data)
    sent = results.keep_mine(user=citizen, tool="canvas", data=data)
    results.send_to_office(user=citizen, result=sent, office=office, message="Hola")
    return {"mine": kept.public_id, "sent": sent.public_id}


def _cases(office, advisor) -> dict:
    """A running case with a session and a task, and a closed one whose survey is pending."""
    from django.utils import timezone

    from oae.cases import services, surveys

    person, _company = _clients(office)
    case = services.case_open(
        actor=advisor, office=office, service_code="crear", advisor=advisor, person=person
    )
    services.session_log(
        actor=advisor,
        case=case,
        started_at=timezone.now(),
        duration_minutes=30,
        channel="phone",
        topics="Primera trucada",
    )
    services.task_add(
        actor=advisor, case=case, title="Pla", due_on=timezone.localdate(), assignee=advisor
    )
    closed = services.case_open(
        actor=advisor, office=office, service_code="financar", advisor=advisor, person=person
    )
    services.case_close(
        actor=advisor,
        case=closed,
        reason="goals_met",
        note="",
        expected_version=closed.lock_version,
    )
    return {
        "case": case.public_id,
        "person": person.public_id,
        "survey": surveys.survey_token(closed.survey),
    }


@pytest.mark.parametrize("persona", list(PAGES))
def test_pages_have_no_wcag_violations(page, live_server, people, office_a, persona):
    from allauth.mfa.models import Authenticator

    from oae.testing.mfa import enrol_totp

    _small_catalogue(office_a)
    _tool_data()
    ids = _cases(office_a, people["advisor_a"]) | _citizen_results(people["citizen"], office_a)
    user = people[persona]
    if user is not None:
        secret = None
        if persona in ("auditor", "coordinator"):
            Authenticator.objects.filter(user=user).delete()
            secret = enrol_totp(user)
        sign_in(page, live_server, user.email, totp_secret=secret)
    member = people["advisor_a"].memberships.get().public_id
    problems = {}
    for path in PAGES[persona]:
        url = path.format(
            a=office_a.public_id, member=member, ine=office_a.municipality.ine_code, **ids
        )
        response = page.goto(live_server.url + url)
        assert response.status == 200, url
        assert page.locator("main h1").count() >= 1, path
        violations = axe_violations(page)
        if violations:
            problems[path] = violations
    assert problems == {}, json.dumps(problems, indent=1)
    assert page.js_errors == []


def test_coordinator_publishes_and_the_office_takes_it_up(browser, live_server, people, office_a):
    """The operating model's main journey, in the browser, from draft to the public page."""
    from allauth.mfa.models import Authenticator

    from oae.testing.mfa import enrol_totp

    _small_catalogue(office_a)
    coordinator = people["coordinator"]
    Authenticator.objects.filter(user=coordinator).delete()
    secret = enrol_totp(coordinator)

    context = browser.new_context(locale="ca-ES")
    page = context.new_page()
    sign_in(page, live_server, coordinator.email, totp_secret=secret)
    page.goto(f"{live_server.url}/staff/catalogue/service/crear/")
    page.fill("#id_duration__ca", "Tres sessions intensives")
    page.fill("#id_duration__es", "Tres sesiones intensivas")
    page.locator("main form.card button[type=submit]").click()
    page.goto(f"{live_server.url}/staff/catalogue/publish/")
    page.fill("#id_changelog", "Durada nova")
    page.locator("form:has(#id_changelog) button[type=submit]").click()
    page.wait_for_url("**/staff/catalogue/versions/2/")
    context.close()

    context = browser.new_context(locale="ca-ES")
    page = context.new_page()
    sign_in(page, live_server, people["manager_a"].email)
    page.goto(f"{live_server.url}/staff/offices/{office_a.public_id}/catalogue/updates/")
    items = page.locator("main form > table > tbody > tr:not(.changes-row)")
    assert items.count() == 1
    # The changed field's old and new text, side by side, one click away.
    page.locator("details.field-changes summary").click()
    assert "Tres sessions intensives" in page.locator("details.field-changes td").last.inner_text()
    page.locator("button[name=all]").click()
    page.wait_for_load_state()
    assert items.count() == 0
    context.close()

    context = browser.new_context(locale="es-ES")
    page = context.new_page()
    page.goto(f"{live_server.url}/oae/{office_a.public_id}/service/crear/")
    assert page.locator("html").get_attribute("lang") == "es"
    assert "Tres sesiones intensivas" in page.locator("article").inner_text()
    context.close()


def test_advisor_logs_a_phone_call_and_ticks_the_checklist(page, live_server, people, office_a):
    """Quick session entry: from the day view to a logged call in a few clicks."""
    _small_catalogue(office_a)
    ids = _cases(office_a, people["advisor_a"])
    sign_in(page, live_server, people["advisor_a"].email)
    page.goto(f"{live_server.url}/staff/cases/today/")
    page.locator("main").get_by_role("link", name="EXP-").first.click()
    page.wait_for_url(f"**/staff/cases/{ids['case']}/")
    page.fill("#session_duration_minutes", "10")
    page.fill("#session_topics", "Trucada sobre el lloguer")
    page.locator("form:has(#session_topics) button[type=submit]").click()
    page.wait_for_load_state()
    assert "Trucada sobre el lloguer" in page.locator(".timeline").inner_text()
    page.locator(".steps li.current ul.checklist button").first.click()
    page.wait_for_load_state()
    assert "advisor.a@example.org" in page.locator(".steps li.current").inner_text()
    assert page.js_errors == []


def test_a_citizen_makes_a_viability_plan_in_catalan_and_downloads_the_pdf(page, live_server):
    """No sign-in: fill in the plan, see the chart and the warnings, download the PDF."""
    _tool_data()
    page.goto(f"{live_server.url}/eines/pla-de-viabilitat/")
    assert page.locator("html").get_attribute("lang") == "ca"
    page.fill("#id_title", "Taller de bicicletes")
    page.fill("#id_own_funds", "3000")
    page.fill("#id_fixed_costs_monthly", "1500")
    page.fill("#id_investments-0-name", "Eines")
    page.fill("#id_investments-0-amount", "9000")
    page.fill("#id_products-0-name", "Reparacions")
    page.fill("#id_products-0-units_per_month", "60")
    page.fill("#id_products-0-price", "35")
    page.fill("#id_products-0-unit_cost", "8")
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_url("**/eines/pla-de-viabilitat/resultat/")
    assert page.locator("svg.chart polyline").count() == 1
    assert page.locator(".problems li").count() >= 1  # the funding does not cover the tools
    with page.expect_download() as download:
        page.locator("a[href$='resultat.pdf']").click()
    path = download.value.path()
    assert open(path, "rb").read(4) == b"%PDF"
    violations = axe_violations(page)
    assert violations == [], json.dumps(violations, indent=1)
    assert page.js_errors == []


def test_a_form_sent_back_focuses_its_error_summary_whose_links_focus_the_fields(page, live_server):
    """The summary is read out first (it takes the focus); each link takes the focus on to its
    field; all of it under the real CSP (a static script, no inline one)."""
    _tool_data()
    page.goto(f"{live_server.url}/eines/pla-de-viabilitat/")
    page.fill("#id_own_funds", "-5")
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_load_state()
    summary = page.locator(".error-summary")
    assert summary.count() == 1
    assert page.evaluate("document.activeElement.classList.contains('error-summary')")
    links = summary.locator("a")
    assert links.count() >= 2  # the missing name and the negative funds
    summary.locator("a[href='#id_own_funds']").click()
    assert page.evaluate("document.activeElement.id") == "id_own_funds"
    assert axe_violations(page) == []
    assert page.js_errors == []


def test_a_citizen_completes_the_self_diagnosis_in_catalan(page, live_server):
    _tool_data()
    page.goto(f"{live_server.url}/eines/autodiagnosi/")
    assert page.locator("html").get_attribute("lang") == "ca"
    for fieldset in page.locator("fieldset.question").all():
        fieldset.locator("input[type=radio]").nth(1).check()
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/eines/autodiagnosi/resultat/")
    assert page.locator("svg.radar polygon").count() == 5  # four rings and the scores
    assert "33/100" in page.locator("h1").inner_text()
    assert axe_violations(page) == []
    assert page.js_errors == []


def test_a_citizen_finds_a_legal_form_and_makes_a_canvas_in_catalan(page, live_server):
    _tool_data()
    page.goto(f"{live_server.url}/eines/forma-juridica/")
    assert page.locator("html").get_attribute("lang") == "ca"
    page.fill("#id_founders", "3")
    page.fill("#id_expected_profit", "20000")
    page.fill("#id_capital", "3000")
    page.check("#id_cooperative_model")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/eines/forma-juridica/resultat/")
    first = page.locator("ol.ranking > li").first
    assert "Cooperativa" in first.locator("h3").inner_text()
    first.locator("summary").click()
    assert first.locator("details ol li").count() >= 3  # the steps, in Catalan
    assert axe_violations(page) == []
    page.goto(f"{live_server.url}/eines/model-de-negoci/")
    page.fill("#id_title", "Cooperativa de missatgeria")
    page.fill("#id_value", "Repartiment en bicicleta el mateix dia")
    page.locator("main form button[type=submit]").click()
    assert "Repartiment en bicicleta" in page.locator(".canvas-value").inner_text()
    with page.expect_download() as download:
        page.get_by_role("link", name="Baixa el PDF").click()
    assert download.value.suggested_filename == "model-de-negoci.pdf"
    assert page.js_errors == []
