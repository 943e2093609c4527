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
from oae.training.models import Certificate, Module
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
        "certificate": Certificate.objects.get(user=people["advisor_a"]).public_id,
    }


def _staffing(people) -> dict:
    """Office A plans a manager and two advisors; its advisor is in post half-time (with the
    induction passed, as `_training` left it), its read-only member holds a job the plan does
    not list, and a newcomer starts next month."""
    from decimal import Decimal

    from oae.testing.factories import MembershipFactory
    from oae.training import staffing_services

    office = people["manager_a"].memberships.get().office
    for job, fte in (("manager", "1"), ("advisor", "2")):
        staffing_services.position_save(actor=None, office=office, job_role=job, fte=Decimal(fte))
    advisor = people["advisor_a"].memberships.get()
    staffing_services.membership_post_save(
        actor=None,
        membership=advisor,
        job_role="",
        fte=Decimal("0.5"),
        starts_on=None,
        ends_on=None,
    )
    newcomer = MembershipFactory(office=office)
    staffing_services.membership_post_save(
        actor=None,
        membership=newcomer,
        job_role="advisor",
        fte=Decimal("1"),
        starts_on=timezone.localdate() + datetime.timedelta(days=30),
        ends_on=None,
    )
    return {"office_a": office.public_id, "member_a": advisor.public_id}


PAGES = {
    "coordinator": [
        "/staff/training/",
        "/staff/training/mine/",
        "/staff/training/modules/induction/sessions/new/",
        "/staff/training/staffing/",
        "/staff/training/staffing/{office_a}/",
        "/staff/training/staffing/{office_a}/positions/advisor/remove/",
        "/staff/training/staffing/{office_a}/posts/{member_a}/",
        "/staff/training/needs/",
        "/staff/training/sessions/{upcoming}/",
        "/staff/training/sessions/{upcoming}/cancel/",
        "/staff/training/sessions/{full}/",
        "/staff/training/sessions/{held_induction}/",
        "/staff/training/sessions/{held_viability}/",
        "/certificats/{certificate}/",
        "/staff/training/certificates/{certificate}/revoke/",
    ],
    "manager_a": [
        "/staff/training/staffing/{office_a}/",
        "/staff/training/staffing/{office_a}/posts/{member_a}/",
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
        "/certificats/{certificate}/",
        "/certificats/verifica/",
    ],
    "auditor": [
        "/staff/training/",
        "/staff/training/sessions/{upcoming}/",
        "/staff/training/staffing/",
        "/staff/training/staffing/{office_a}/",
        "/staff/training/needs/",
    ],
}


@pytest.mark.parametrize("persona", list(PAGES))
def test_training_pages_have_no_wcag_violations(page, live_server, people, persona):  # noqa: F811
    from allauth.mfa.models import Authenticator

    from oae.testing.mfa import enrol_totp

    ids = _training(people) | _staffing(people)
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


def test_the_public_certificate_pages_pass_valid_revoked_and_checked(page, live_server, people):  # noqa: F811
    """What anyone reaches from a QR code or with a credential file, signed out."""
    from oae.training import certificates

    ids = _training(people)
    certificate = Certificate.objects.get(public_id=ids["certificate"])
    problems = {}
    for label in ("valid", "revoked"):
        if label == "revoked":
            certificates.certificate_revoke(
                actor=people["coordinator"], certificate=certificate, reason="Error de registre"
            )
        page.goto(f"{live_server.url}/certificats/{certificate.public_id}/")
        problems[label] = axe_violations(page)
    page.goto(live_server.url + "/certificats/verifica/")
    page.fill("#id_credential", certificate.credential)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator("main [role=status]").count() == 1
    problems["checked"] = axe_violations(page)
    page.goto(live_server.url + "/certificats/verifica/")
    page.locator("main form button[type=submit]").click()  # nothing given
    page.wait_for_load_state()
    problems["empty"] = axe_violations(page)
    assert problems == {"valid": [], "revoked": [], "checked": [], "empty": []}
    assert page.js_errors == []


def test_the_staffing_forms_sent_back_with_their_reasons_pass(page, live_server, people):  # noqa: F811
    """A position out of range, on the plan's page; a post that ends before it starts."""
    services.framework_load()
    ids = _staffing(people)
    sign_in(page, live_server, people["manager_a"].email)
    page.goto(live_server.url + "/staff/training/staffing/{office_a}/".format(**ids))
    page.fill("#id_fte", "60")
    page.locator("main form[method=post] button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator(".error-summary li").count() == 1
    problems = {"position": axe_violations(page)}
    page.goto(
        live_server.url + "/staff/training/staffing/{office_a}/posts/{member_a}/".format(**ids)
    )
    page.fill("#id_starts_on", "2026-03-02")
    page.fill("#id_ends_on", "2026-03-01")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator(".error-summary li").count() == 1
    problems["post"] = axe_violations(page)
    assert problems == {"position": [], "post": []}
    assert page.js_errors == []


def _job_profiles(people) -> dict:
    """Office A reworded the advisor's mission and tasks; the network then changed the mission,
    so office A has a conflict to settle."""
    from oae.training import profiles
    from oae.training.models import JobProfile

    services.framework_load()
    office = people["manager_a"].memberships.get().office
    profile = JobProfile.objects.get(role="advisor")
    profiles.office_profile_adapt(
        actor=None,
        office=office,
        profile=profile,
        overrides={"mission": "La nostra missió.", "tasks": "Acollir.\nDiagnosticar."},
        expected_version=1,
    )
    data = {"mission": profile.mission | {"en": "A new mission."}}
    data |= {"tasks": profile.tasks, "requirements": profile.requirements}
    profiles.job_profile_update(
        actor=None, profile=profile, data=data, expected_version=profile.lock_version
    )
    return {"office_a": office.public_id}


PROFILE_PAGES = {
    "coordinator": [
        "/staff/training/profiles/",
        "/staff/training/profiles/advisor/",
        "/staff/training/profiles/advisor/edit/",
        "/staff/training/profiles/advisor/offices/{office_a}/",
    ],
    "manager_a": [
        "/staff/training/profiles/",
        "/staff/training/profiles/advisor/",
        "/staff/training/profiles/advisor/offices/{office_a}/",
        "/staff/training/profiles/advisor/offices/{office_a}/adapt/",
    ],
    "advisor_a": ["/staff/training/profiles/advisor/offices/{office_a}/"],
}


@pytest.mark.parametrize("persona", list(PROFILE_PAGES))
def test_the_job_profile_pages_have_no_wcag_violations(page, live_server, people, persona):  # noqa: F811
    from allauth.mfa.models import Authenticator

    from oae.testing.mfa import enrol_totp

    ids = _job_profiles(people)
    user = people[persona]
    secret = None
    if persona == "coordinator":
        Authenticator.objects.filter(user=user).delete()
        secret = enrol_totp(user)
    sign_in(page, live_server, user.email, totp_secret=secret)
    problems = {}
    for path in PROFILE_PAGES[persona]:
        response = page.goto(live_server.url + path.format(**ids))
        assert response.status == 200, path
        assert page.locator("main h1").count() >= 1, path
        violations = axe_violations(page)
        if violations:
            problems[path] = violations
    assert problems == {}, json.dumps(problems, indent=1)
    assert page.js_errors == []


def test_the_job_profile_forms_sent_back_with_their_reasons_pass(page, live_server, people):  # noqa: F811
    """The network's wording with a language left empty; an office's wording saved over a
    newer one (another manager saved first); a conflict settled, with its message."""
    from allauth.mfa.models import Authenticator

    from oae.testing.mfa import enrol_totp

    ids = _job_profiles(people)
    coordinator = people["coordinator"]
    Authenticator.objects.filter(user=coordinator).delete()
    sign_in(page, live_server, coordinator.email, totp_secret=enrol_totp(coordinator))
    page.goto(live_server.url + "/staff/training/profiles/advisor/edit/")
    page.fill("#id_mission_es", "")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator(".error-summary li").count() == 1
    problems = {"network": axe_violations(page)}
    page.context.clear_cookies()
    sign_in(page, live_server, people["manager_a"].email)
    adapt = "/staff/training/profiles/advisor/offices/{office_a}/adapt/".format(**ids)
    page.goto(live_server.url + adapt)
    page.evaluate("document.querySelector('#id_lock_version').value = '99'")
    page.fill("#id_mission", "Una altra missió.")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator(".error-summary li").count() == 1
    problems["office"] = axe_violations(page)
    page.goto(live_server.url + adapt.removesuffix("adapt/"))
    page.locator("main form button[value=office]").first.click()
    page.wait_for_load_state()
    assert page.locator(".message-success").count() == 1
    problems["settled"] = axe_violations(page)
    assert problems == {"network": [], "office": [], "settled": []}
    assert page.js_errors == []
