"""Every opening page passes the WCAG 2.1 A/AA checks (axe-core in Debian's Chromium), as each
role that opens it sees it, filled as the demo fills it: paths at several stages (one stalled,
one with its staff gone, one item sent back), evidence of each kind, agreements with a renewal
and one ending soon, a yearly review with its meeting and actions (not for the council's
contact), a newer playbook and a draft with changes and problems, the calendar address made
(the coordinator's) and still to make (the contact's)."""

import datetime
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from oae.common.tests.test_browser import axe_violations, browser, page, sign_in  # noqa: F401
from oae.network.models import Membership
from oae.opening import contacts, reminders, services
from oae.opening.models import months_after
from oae.testing.factories import MunicipalityFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
CONTACT = "ajuntament@santboi.example"


def _pdf(name):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def _days_ago(days: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=days)


def _agreement(coordinator, municipality, signed_on, term_months, renews=None):
    return services.agreement_record(
        actor=coordinator,
        municipality=municipality,
        data={
            "parties": f"Xarxa OAE i Ajuntament de {municipality.name}",
            "signed_on": signed_on,
            "term_months": term_months,
            "renewal_on": months_after(signed_on, term_months) - datetime.timedelta(days=60),
            "network_obligations": "Formació inicial i contínua; model de serveis i eines.",
            "municipality_obligations": "Local accessible, personal i pressupost anual.",
        },
        upload=_pdf(f"conveni-{signed_on:%Y}.pdf"),
        renews=renews,
    )


def _opening(people, office_a) -> dict:
    coordinator = people["coordinator"]
    services.playbook_starter_load(actor=coordinator)
    path = services.path_start(
        actor=coordinator,
        municipality=office_a.municipality,
        office=office_a,
        started_on=_days_ago(500),
    )
    contacts.contact_invite(actor=coordinator, path=path, email=CONTACT, first_name="Ramon")
    services.evidence_add(
        actor=coordinator, path=path, item_key="first_meeting", note="Reunió amb l'alcaldia."
    )
    services.evidence_add(
        actor=coordinator, path=path, item_key="premises", upload=_pdf("planol.pdf")
    )
    services.item_reopen(
        actor=coordinator, path=path, item_key="premises", reason="Falta el plànol acotat."
    )
    services.evidence_add(
        actor=coordinator, path=path, item_key="letter_of_interest", upload=_pdf("carta.pdf")
    )
    services.evidence_add(
        actor=coordinator,
        path=path,
        item_key="council_approval",
        url="https://seu.example/ple/acord-conveni-oae",
    )
    first = _agreement(coordinator, path.municipality, _days_ago(4 * 365 + 30), 48)
    renewal = _agreement(coordinator, path.municipality, _days_ago(20), 48, renews=first)
    year = timezone.localdate().year - 1
    review = services.review_open(actor=coordinator, path=path, year=year)
    services.review_meeting_record(
        actor=coordinator,
        review=review,
        data={
            "met_on": _days_ago(3),
            "attendees": "Regidoria; direcció de l'oficina; coordinació de la xarxa",
            "findings": "Cal reforçar la difusió entre el comerç.",
        },
    )
    for title, due_in in (("Campanya de difusió", 30), ("Agenda de tarda", 90)):
        services.review_action_add(
            actor=coordinator,
            review=review,
            data={
                "title": title,
                "owner": "Direcció de l'oficina",
                "due_on": timezone.localdate() + datetime.timedelta(days=due_in),
            },
        )
    services.review_action_done(actor=coordinator, action=review.actions.first(), done=True)
    # The advisor left: "staff in place" opens again and the path shows it.
    Membership.objects.filter(user=people["advisor_a"], office=office_a).update(is_active=False)
    services.path_refresh(path)
    # Gavà: no office yet, nothing heard for 100 days, its agreement ending within 90 days.
    stalled = services.path_start(
        actor=coordinator,
        municipality=MunicipalityFactory(name="Gavà", ine_code="08089"),
        started_on=_days_ago(100),
    )
    _agreement(coordinator, stalled.municipality, _days_ago(700), 24)
    # A newer playbook (path A stays on v1 and is shown what changed), then a draft with a
    # change and a problem.
    draft = services.playbook_draft()
    services.draft_item_save(
        actor=coordinator,
        expected_version=draft.lock_version,
        stage_key="design",
        item_key="premises",
        data={
            "title": {"ca": "Local adequat", "es": "Local adecuado", "en": "Suitable premises"},
            "why": {"ca": "Accessible i visible.", "es": "", "en": ""},
            "owner": "municipality",
            "target_days": 75,
            "evidence": "document",
            "fact": "",
        },
    )
    services.playbook_publish(actor=coordinator, changelog="Més temps per al local.")
    services.draft_stage_save(
        actor=coordinator,
        expected_version=services.playbook_draft().lock_version,
        stage_key=None,
        name={"ca": "Consolidació", "es": "", "en": ""},
    )
    reminders.feed_token(coordinator)  # the contact's is still to make: its button shows
    return {
        "a": path.public_id,
        "b": stalled.public_id,
        "agreement": renewal.public_id,
        "first": first.public_id,
        "review": review.public_id,
    }


PAGES = {
    "coordinator": [
        "/staff/opening/",
        "/staff/opening/?attention=on",
        "/staff/opening/start/",
        "/staff/opening/paths/{a}/",
        "/staff/opening/paths/{b}/",
        "/staff/opening/agreements/",
        "/staff/opening/agreements/new/",
        "/staff/opening/agreements/{agreement}/",
        "/staff/opening/agreements/{first}/",
        "/staff/opening/agreements/{agreement}/renew/",
        "/staff/opening/reviews/{review}/",
        "/staff/opening/playbook/",
        "/staff/opening/playbook/v1/",
        "/staff/opening/playbook/v2/",
        "/staff/opening/playbook/draft/item/?stage=design",
        "/staff/opening/playbook/draft/item/?item=premises",
        "/staff/opening/playbook/draft/item/?stage=",
    ],
    "auditor": [
        "/staff/opening/",
        "/staff/opening/paths/{a}/",
        "/staff/opening/agreements/",
        "/staff/opening/reviews/{review}/",
        "/staff/opening/playbook/",
    ],
    "manager_a": [
        "/staff/opening/paths/{a}/",
        "/staff/opening/agreements/",
        "/staff/opening/agreements/{agreement}/",
        "/staff/opening/reviews/{review}/",
        "/staff/opening/playbook/",
    ],
    "contact": [  # no yearly review: it is for the network and the office
        "/staff/opening/paths/{a}/",
        "/staff/opening/agreements/{agreement}/",
        "/staff/opening/playbook/v1/",
    ],
}


@pytest.mark.parametrize("persona", list(PAGES))
def test_opening_pages_have_no_wcag_violations(page, live_server, people, office_a, persona):  # noqa: F811
    from allauth.mfa.models import Authenticator

    from oae.testing.mfa import enrol_totp

    if persona == "contact":
        user = UserFactory(email=CONTACT, first_name="Ramon")
    ids = _opening(people, office_a)
    if persona != "contact":
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
