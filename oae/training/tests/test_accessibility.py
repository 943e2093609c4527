"""Every training page passes the WCAG 2.1 A/AA checks (axe-core in Debian's Chromium), as each
role that opens it sees it, filled as the demo fills it: the curriculum with sessions coming,
one with places and one full with a waiting list; a session under way with attendance and
assessment to record (by score and by the trainer's word); a person's record with a completed
module and their role's gap; the scheduling form, empty and sent back with its reasons."""

import datetime
import json

import pytest
from django.utils import timezone

from oae.common.tests.test_browser import axe_violations, browser, page, sign_in  # noqa: F401
from oae.training import services
from oae.training.models import Module
from oae.training.tests.conftest import schedule, started

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _training(people) -> dict:
    coordinator = people["coordinator"]
    services.framework_load()
    induction = Module.objects.get(code="induction")
    viability = Module.objects.get(code="viability")
    upcoming = schedule(coordinator, induction, capacity=8)
    full = schedule(
        coordinator, viability, capacity=1, place="", online_url="https://reunions.example/v"
    )
    for persona in ("advisor_a", "readonly_a"):
        services.enrol(actor=coordinator, session=full, user=people[persona])
    services.enrol(actor=coordinator, session=upcoming, user=people["manager_a"])
    held = {}
    for module in (induction, viability):
        session = schedule(coordinator, module, capacity=4)
        enrolments = [
            services.enrol(actor=coordinator, session=session, user=people[persona])
            for persona in ("advisor_a", "readonly_a", "advisor_b")
        ]
        started(session)
        for enrolment in enrolments[:2]:
            enrolment.refresh_from_db()
            services.attendance_record(actor=coordinator, enrolment=enrolment, attended=True)
        assessed = enrolments[0]
        if module.pass_mark is None:
            services.assessment_record(actor=coordinator, enrolment=assessed, passed=True)
        else:
            services.assessment_record(actor=coordinator, enrolment=assessed, score=55)
        held[module.code] = session
    return {
        "upcoming": upcoming.public_id,
        "full": full.public_id,
        "held_induction": held["induction"].public_id,
        "held_viability": held["viability"].public_id,
    }


PAGES = {
    "coordinator": [
        "/staff/training/",
        "/staff/training/mine/",
        "/staff/training/modules/induction/sessions/new/",
        "/staff/training/sessions/{upcoming}/",
        "/staff/training/sessions/{full}/",
        "/staff/training/sessions/{held_induction}/",
        "/staff/training/sessions/{held_viability}/",
    ],
    "manager_a": [
        "/staff/training/",
        "/staff/training/mine/",
        "/staff/training/sessions/{upcoming}/",
        "/staff/training/sessions/{full}/",
        "/staff/training/sessions/{held_viability}/",
    ],
    "advisor_a": [
        "/staff/training/mine/",
        "/staff/training/sessions/{full}/",
        "/staff/training/sessions/{held_induction}/",
    ],
    "auditor": ["/staff/training/", "/staff/training/sessions/{upcoming}/"],
}


@pytest.mark.parametrize("persona", list(PAGES))
def test_training_pages_have_no_wcag_violations(page, live_server, people, persona):  # noqa: F811
    from allauth.mfa.models import Authenticator

    from oae.testing.mfa import enrol_totp

    ids = _training(people)
    user = people[persona]
    secret = None
    if persona in ("auditor", "coordinator"):
        Authenticator.objects.filter(user=user).delete()
        secret = enrol_totp(user)
    sign_in(page, live_server, user.email, totp_secret=secret)
    problems = {}
    for path in PAGES[persona]:
        response = page.goto(live_server.url + path.format(**ids))
        assert response.status == 200, path
        assert page.locator("main h1").count() >= 1, path
        violations = axe_violations(page)
        if violations:
            problems[path] = violations
    assert problems == {}, json.dumps(problems, indent=1)
    assert page.js_errors == []


def test_the_scheduling_form_sent_back_with_its_reasons_passes(page, live_server, people):  # noqa: F811
    from allauth.mfa.models import Authenticator

    from oae.testing.mfa import enrol_totp

    services.framework_load()
    coordinator = people["coordinator"]
    Authenticator.objects.filter(user=coordinator).delete()
    sign_in(page, live_server, coordinator.email, totp_secret=enrol_totp(coordinator))
    page.goto(live_server.url + "/staff/training/modules/viability/sessions/new/")
    yesterday = timezone.localtime() - datetime.timedelta(days=1)
    page.fill("#id_starts_at", yesterday.strftime("%Y-%m-%dT10:00"))
    page.fill("#id_ends_at", yesterday.strftime("%Y-%m-%dT09:00"))
    page.fill("#id_trainer", "Jordi Vidal")
    page.fill("#id_capacity", "10")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator("#id_place").count() == 1
    assert page.locator(".error-summary li").count() == 3  # the start, the end, the place
    assert axe_violations(page) == []
    assert page.js_errors == []
