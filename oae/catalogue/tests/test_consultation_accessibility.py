"""The consultation rounds' pages pass the WCAG 2.1 A/AA checks (axe-core in Debian's Chromium),
in Catalan, Spanish and English, as each role that opens them sees them: the list, the
coordinator's form (empty and sent back with its reasons), a round with an office's answer and
one yet to come, and the answer form (empty and sent back with its reasons)."""

import datetime
import json

import pytest
from allauth.mfa.models import Authenticator
from django.utils import timezone

from oae.catalogue import consultation
from oae.catalogue.models import Stance
from oae.common.tests.test_browser import axe_violations, browser, page, sign_in  # noqa: F401
from oae.scoping import OfficeRole
from oae.testing.catalogue import build_small_model
from oae.testing.factories import MembershipFactory
from oae.testing.mfa import enrol_totp

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _rounds(people, office_b) -> dict:
    """An open round office B answered (asking for a change), and an upcoming one."""
    build_small_model()
    today = timezone.localdate()
    opened = consultation.round_open(
        actor=people["coordinator"],
        title="Serveis de creació",
        questions="Us semblen bé aquests canvis?\nQuè hi afegiríeu?",
        opens_on=today,
        closes_on=today + datetime.timedelta(days=14),
        item_keys=[("service", "crear"), ("process", "atencio"), ("guide", "guia")],
    )
    manager_b = MembershipFactory(office=office_b, role=OfficeRole.MANAGER).user
    items = {
        consultation.item_key(i["kind"], i["code"]): {"stance": Stance.AGREE, "comment": ""}
        for i in opened.items
    }
    items["service:crear"] = {"stance": Stance.AGREE_WITH_CHANGES, "comment": "Una sessió més."}
    consultation.round_answer(
        actor=manager_b, office=office_b, round=opened, items=items, comment="Gràcies."
    )
    upcoming = consultation.round_open(
        actor=people["coordinator"],
        title="Tràmits",
        questions="Hi esteu d'acord?",
        opens_on=today + datetime.timedelta(days=3),
        closes_on=today + datetime.timedelta(days=20),
        item_keys=[("procedure", "alta-censal")],
    )
    return {"open": opened.public_id, "upcoming": upcoming.public_id}


PAGES = {
    ("coordinator", "ca"): [
        "/staff/catalogue/rounds/",
        "/staff/catalogue/rounds/new/",
        "/staff/catalogue/rounds/{open}/",
        "/staff/catalogue/rounds/{upcoming}/",
    ],
    ("manager_a", "es"): [
        "/staff/catalogue/rounds/",
        "/staff/catalogue/rounds/{open}/",
        "/staff/catalogue/rounds/{open}/answer/",
    ],
    ("auditor", "en"): ["/staff/catalogue/rounds/", "/staff/catalogue/rounds/{open}/"],
    ("advisor_a", "en"): ["/staff/catalogue/rounds/{open}/"],
}


def _sign_in(page, live_server, user, language):  # noqa: F811
    user.language = language
    user.save(update_fields=["language"])
    secret = None
    if user.network_role:
        Authenticator.objects.filter(user=user).delete()
        secret = enrol_totp(user)
    sign_in(page, live_server, user.email, totp_secret=secret)


@pytest.mark.parametrize(("persona", "language"), list(PAGES))
def test_the_round_pages_have_no_wcag_violations(
    page,  # noqa: F811
    live_server,
    people,
    office_b,
    persona,
    language,
):
    ids = _rounds(people, office_b)
    _sign_in(page, live_server, people[persona], language)
    problems = {}
    for path in PAGES[(persona, language)]:
        response = page.goto(live_server.url + path.format(**ids))
        assert response.status == 200, path
        assert page.locator("html").get_attribute("lang") == language, path
        assert page.locator("main h1").count() >= 1, path
        violations = axe_violations(page)
        if violations:
            problems[path] = violations
    assert problems == {}, json.dumps(problems, indent=1)
    assert page.js_errors == []


def test_the_empty_list_and_the_forms_sent_back_with_their_reasons_pass(
    page,  # noqa: F811
    live_server,
    people,
    office_b,
):
    """No round yet; the coordinator's form with no item ticked and the days the wrong way
    round; then, as office A's manager, an answer that asks for changes without saying what."""
    build_small_model()
    _sign_in(page, live_server, people["coordinator"], "ca")
    page.goto(live_server.url + "/staff/catalogue/rounds/")
    assert page.locator("main .empty").count() == 1
    problems = {"empty": axe_violations(page)}
    page.goto(live_server.url + "/staff/catalogue/rounds/new/")
    page.fill("#id_title", "Consulta")
    page.fill("#id_questions", "D'acord?")
    page.fill("#id_closes_on", "2020-01-01")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator(".error-summary li").count() == 2  # the closing day, the items
    problems["round"] = axe_violations(page)
    page.locator("main input[value='service:crear']").check()
    page.fill("#id_closes_on", (timezone.localdate() + datetime.timedelta(days=7)).isoformat())
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator(".message-success").count() == 1
    answer_path = page.url.removeprefix(live_server.url) + "answer/"

    page.context.clear_cookies()
    _sign_in(page, live_server, people["manager_a"], "en")
    page.goto(live_server.url + answer_path)
    page.locator("main input[name=stance_0][value=agree_changes]").check()
    page.locator("main form[method=post] button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator(".error-summary li").count() == 1
    problems["answer"] = axe_violations(page)
    page.fill("#id_comment_0", "Una sessió més.")
    page.locator("main form[method=post] button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator(".message-success").count() == 1
    problems["answered"] = axe_violations(page)
    assert problems == {"empty": [], "round": [], "answer": [], "answered": []}
    assert page.js_errors == []
