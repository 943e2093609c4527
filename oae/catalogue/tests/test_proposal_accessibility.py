"""The proposals' pages pass the WCAG 2.1 A/AA checks (axe-core in Debian's Chromium), in
Catalan, Spanish and English, as each role that opens them sees them: the list, the form to
propose (empty and sent back with its reasons), a proposal with its changes, a revision,
evidence, comments and a support, the revision form, the withdrawal's confirmation, the
coordinator's decision and merge with a conflict, and the notices."""

import json

import pytest
from allauth.mfa.models import Authenticator
from django.core.files.uploadedfile import SimpleUploadedFile

from oae.catalogue import proposals, services
from oae.catalogue.models import DraftItem
from oae.common.tests.test_browser import axe_violations, browser, page, sign_in  # noqa: F401
from oae.testing.catalogue import build_small_model, i18n
from oae.testing.mfa import enrol_totp

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _proposals(people, office_a, office_b) -> dict:
    """Office A's proposal to reword "crear", revised once, with evidence, a comment and B's
    support, accepted; the draft changed the same field meanwhile (a conflict to settle)."""
    build_small_model()
    v1 = services.network_publish(actor=None, changelog="v1")
    published = v1.items.get(kind="service", code="crear").content
    content = proposals._only_network_fields("service", published)
    proposal = proposals.proposal_create(
        actor=people["manager_a"],
        office=office_a,
        kind="service",
        code="crear",
        content=content | {"name": i18n("Crea la teva empresa", "Crea tu empresa", "Start up")},
        reason="Els clients ho entenen millor.",
    )
    proposals.proposal_revise(
        actor=people["advisor_a"],
        proposal=proposal,
        content=content
        | {"name": i18n("Crea la teva empresa", "Crea tu empresa", "Start up")}
        | {"summary": i18n("Pas a pas, amb una persona que t'acompanya")},
        reason="I un resum més clar.",
        expected_version=proposal.lock_version,
    )
    proposals.proposal_evidence_add(
        actor=people["manager_a"],
        proposal=proposal,
        note="Enquesta a 40 clients",
        upload=SimpleUploadedFile("enquesta.pdf", b"%PDF-1.4\n%\xe2\xe3\n", "application/pdf"),
    )
    proposals.proposal_comment(
        actor=people["advisor_b"], office=office_b, proposal=proposal, body="**D'acord.**"
    )
    proposals.proposal_support(actor=people["advisor_b"], office=office_b, proposal=proposal)
    open_one = proposals.proposal_create(
        actor=people["advisor_b"],
        office=office_b,
        kind="service",
        code="financar",
        content=proposals._only_network_fields("service", v1.items.get(code="financar").content)
        | {"duration": i18n("3 sessions")},
        reason="Cal més temps.",
    )
    draft = DraftItem.objects.get(kind="service", code="crear")
    services.draft_item_update(
        actor=people["coordinator"],
        item=draft,
        content=draft.content | {"name": i18n("Crear una empresa pas a pas")},
        expected_version=draft.lock_version,
    )
    proposals.proposal_decide(actor=people["coordinator"], proposal=proposal, state="accepted")
    return {"accepted": proposal.public_id, "open": open_one.public_id}


PAGES = {
    ("coordinator", "ca"): [
        "/staff/catalogue/proposals/",
        "/staff/catalogue/proposals/{accepted}/",
        "/staff/catalogue/proposals/{open}/",
        "/staff/catalogue/proposals/{accepted}/merge/",
    ],
    ("advisor_b", "es"): [
        "/staff/catalogue/proposals/",
        "/staff/catalogue/proposals/{accepted}/",
        "/staff/catalogue/proposals/{open}/",
        "/staff/catalogue/proposals/{open}/revise/",
        "/staff/catalogue/proposals/{open}/withdraw/",
        "/staff/catalogue/proposals/new/service/crear/",
        "/staff/catalogue/proposals/new/service/",
    ],
    ("manager_a", "en"): [
        "/staff/catalogue/proposals/",
        "/staff/catalogue/proposals/{accepted}/",
        "/staff/catalogue/proposals/notices/",
    ],
}


def _sign_in(page, live_server, user, language):  # noqa: F811
    user.language = language
    user.save(update_fields=["language"])
    secret = None
    if user.network_role:
        Authenticator.objects.filter(user=user).delete()
        secret = enrol_totp(user)
    sign_in(page, live_server, user.email, totp_secret=secret)
    page.context.add_cookies(
        [{"name": "django_language", "value": language, "url": live_server.url}]
    )


@pytest.mark.parametrize(("persona", "language"), list(PAGES))
def test_proposal_pages_have_no_wcag_violations(
    page,  # noqa: F811
    live_server,
    people,
    office_a,
    office_b,
    persona,
    language,
):
    ids = _proposals(people, office_a, office_b)
    _sign_in(page, live_server, people[persona], language)
    problems = {}
    for path in PAGES[(persona, language)]:
        response = page.goto(live_server.url + path.format(**ids))
        assert response.status == 200, path
        assert page.locator("html").get_attribute("lang") == language, path
        violations = axe_violations(page)
        if violations:
            problems[path] = violations
    assert problems == {}, json.dumps(problems, indent=1)
    assert page.js_errors == []


def test_the_proposal_form_sent_back_with_its_reasons_passes(
    page,  # noqa: F811
    live_server,
    people,
    office_a,
    office_b,
):
    _proposals(people, office_a, office_b)
    _sign_in(page, live_server, people["advisor_a"], "ca")
    page.goto(live_server.url + "/staff/catalogue/proposals/new/service/financar/")
    page.locator("main form button[type=submit]").click()  # unchanged, with no reason
    page.wait_for_load_state()
    assert page.locator(".error-summary li").count() >= 1
    assert axe_violations(page) == []
    assert page.js_errors == []
