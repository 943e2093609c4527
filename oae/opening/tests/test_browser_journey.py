"""The opening journey in Debian's Chromium: a council officer brings evidence for their town
(and cannot open another's), the coordinator records the signed agreement and watches the
item complete itself; every page passes the WCAG checks."""

import datetime

import pytest
from django.utils import timezone

from oae.common.tests.test_browser import axe_violations, browser, page, sign_in  # noqa: F401
from oae.opening import services
from oae.opening.models import Contact
from oae.testing.factories import MunicipalityFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MINIMAL_PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _path(name: str, ine_code: str, coordinator):
    services.playbook_starter_load(actor=coordinator)
    municipality = MunicipalityFactory(name=name, ine_code=ine_code)
    started = timezone.localdate() - datetime.timedelta(days=30)
    return services.path_start(actor=coordinator, municipality=municipality, started_on=started)


def test_an_officer_brings_evidence_and_the_coordinator_records_the_agreement(
    browser,  # noqa: F811
    live_server,
    people,
    tmp_path,
):
    from allauth.mfa.models import Authenticator

    from oae.testing.mfa import enrol_totp

    coordinator = people["coordinator"]
    own = _path("Viladecans", "08301", coordinator)
    other = _path("Gavà", "08089", coordinator)
    officer = UserFactory(email="officer@viladecans.example", language="en")
    Contact.objects.create(user=officer, path=own, invited_by=coordinator)

    context = browser.new_context(bypass_csp=True, locale="en-GB")
    officer_page = context.new_page()
    sign_in(officer_page, live_server, officer.email)
    assert f"/staff/opening/paths/{own.public_id}/" in officer_page.url
    item = officer_page.locator("#item-first_meeting")
    item.locator("textarea[name=note]").fill("Met the mayor and the councillor for the economy.")
    item.locator("button[type=submit]").click()
    officer_page.wait_for_load_state()
    assert "the item is done" in officer_page.locator(".messages").inner_text()
    assert axe_violations(officer_page) == []
    response = officer_page.goto(f"{live_server.url}/staff/opening/paths/{other.public_id}/")
    assert response.status == 404
    context.close()

    Authenticator.objects.filter(user=coordinator).delete()
    secret = enrol_totp(coordinator)
    coordinator.language = "en"
    coordinator.save(update_fields=["language"])
    context = browser.new_context(bypass_csp=True, locale="en-GB")
    page = context.new_page()  # noqa: F811
    sign_in(page, live_server, coordinator.email, totp_secret=secret)
    page.goto(f"{live_server.url}/staff/opening/")
    assert "Viladecans" in page.locator("main table").inner_text()
    assert axe_violations(page) == []

    pdf = tmp_path / "conveni.pdf"
    pdf.write_bytes(MINIMAL_PDF)
    page.goto(f"{live_server.url}/staff/opening/agreements/new/")
    page.select_option("#id_municipality", label="Viladecans")
    page.fill("#id_parties", "The network and the council of Viladecans")
    signed = timezone.localdate() - datetime.timedelta(days=2)
    page.fill("#id_signed_on", signed.isoformat())
    page.fill("#id_term_months", "48")
    page.fill("#id_renewal_on", (signed - datetime.timedelta(days=1)).isoformat())
    page.fill("#id_network_obligations", "Training and the shared model.")
    page.fill("#id_municipality_obligations", "Premises and staff.")
    page.set_input_files("#id_file", str(pdf))
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    # A renewal before the signature is refused on its field, and nothing else is lost.
    assert "must come after the signature" in page.locator(".error-summary").inner_text()
    assert page.input_value("#id_parties") == "The network and the council of Viladecans"
    assert axe_violations(page) == []
    page.fill("#id_renewal_on", (signed + datetime.timedelta(days=1400)).isoformat())
    page.set_input_files("#id_file", str(pdf))
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert "/staff/opening/agreements/" in page.url
    assert axe_violations(page) == []

    page.goto(f"{live_server.url}/staff/opening/paths/{own.public_id}/")
    signed_item = page.locator("#item-agreement_signed")
    assert "Agreement signed on" in signed_item.inner_text()
    assert axe_violations(page) == []
    context.close()
