"""Every referral rule pinned: each refusal with its exact message, in the service and through
its page as a signed-in user (a message or the form again, never an error page); the states a
referral goes through, what each answer saves and audits, and who may act."""

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.urls import reverse

from oae.cases import referrals
from oae.cases.models import Referral, ReferralStatus
from oae.cases.services import case_close, case_open
from oae.catalogue import services as catalogue
from oae.catalogue.models import OfficeItem
from oae.crm.models import ConsentEvent, Purpose
from oae.crm.services import consent_record
from oae.privacy.models import AuditEvent

NO_REASON = "Say why you refer the client."
NOT_SHAREABLE = "Choose what the other office may see."
SAME_SERVICE = "The client is already on this service here."
NOT_OFFERED = "This office does not offer that service."
NO_CONSENT = "The client has not consented to being referred. Ask them first."
CLOSED = "This case is closed. Reopen it to change it."
ANSWERED = "This referral has already been answered."
NO_DECLINE_NOTE = "Say why you decline, so the other office can act."
CONSENT_WITHDRAWN = "The client has withdrawn their consent to the referral."
NOT_PENDING = "Only a referral waiting for an answer can be withdrawn."


def _refer(case, people, office_b, **kwargs):
    arguments = {
        "actor": people["advisor_a"],
        "case": case,
        "to_office": office_b,
        "service_code": "financar",
        "reason": "Necessita finançament",
        "shared": ["summary"],
    } | kwargs
    return referrals.referral_create(**arguments)


def _refused(call, **kwargs) -> ValidationError:
    with pytest.raises(ValidationError) as error:
        call(**kwargs)
    return error.value


def _withdraw_consent(people, case):
    consent_record(
        actor=people["advisor_a"],
        office=case.office,
        person=case.person,
        purpose=Purpose.REFERRAL,
        action=ConsentEvent.Action.WITHDRAWN,
        lawful_basis="consent",
        notice_version="referral-2026",
    )


def _messages(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


@pytest.fixture
def company_case(case_a, people, office_a, client_a):
    """A case for the client's company alone: no person whose consent is asked."""
    _person, company = client_a
    return case_open(
        actor=people["advisor_a"],
        office=office_a,
        service_code="crear",
        advisor=people["advisor_a"],
        company=company,
    )


@pytest.fixture
def pending(case_a, people, office_b):
    return _refer(case_a, people, office_b, consent_given_now=True)


# Refusals in the service, each with its message.


@pytest.mark.django_db
def test_a_referral_without_a_reason_is_refused(case_a, people, office_b):
    for reason in ("", "   \n"):
        error = _refused(_refer, case=case_a, people=people, office_b=office_b, reason=reason)
        assert error.message_dict == {"reason": [NO_REASON]}
    assert not Referral.objects.exists()


@pytest.mark.django_db
def test_sharing_an_unknown_part_is_refused(case_a, people, office_b):
    error = _refused(
        _refer, case=case_a, people=people, office_b=office_b, shared=["summary", "diary"]
    )
    assert error.message_dict == {"shared": [NOT_SHAREABLE]}


@pytest.mark.django_db
def test_referring_to_the_same_service_of_the_same_office_is_refused(case_a, people, office_a):
    error = _refused(
        _refer,
        case=case_a,
        people=people,
        office_b=office_a,
        service_code="crear",
        consent_given_now=True,
    )
    assert error.message_dict == {"service": [SAME_SERVICE]}
    assert not Referral.objects.exists()


@pytest.mark.django_db
def test_the_same_service_elsewhere_or_another_service_here_may_be_referred(
    case_a, people, office_a, office_b
):
    here = _refer(case_a, people, office_a, service_code="financar", consent_given_now=True)
    elsewhere = _refer(case_a, people, office_b, service_code="crear")
    assert (here.to_office, here.to_service_code) == (office_a, "financar")
    assert (elsewhere.to_office, elsewhere.to_service_code) == (office_b, "crear")


@pytest.mark.django_db
def test_a_service_the_office_does_not_offer_is_refused(case_a, people, office_b):
    error = _refused(
        _refer,
        case=case_a,
        people=people,
        office_b=office_b,
        service_code="no-such-service",
        consent_given_now=True,
    )
    assert error.message_dict == {"service": [NOT_OFFERED]}
    assert not ConsentEvent.objects.filter(purpose=Purpose.REFERRAL).exists()


@pytest.mark.django_db
def test_without_consent_in_the_ledger_or_given_now_it_is_refused(case_a, people, office_b):
    error = _refused(_refer, case=case_a, people=people, office_b=office_b)
    assert error.message_dict == {"consent": [NO_CONSENT]}
    _refer(case_a, people, office_b, consent_given_now=True)
    _withdraw_consent(people, case_a)
    error = _refused(_refer, case=case_a, people=people, office_b=office_b)
    assert error.message_dict == {"consent": [NO_CONSENT]}
    assert Referral.objects.count() == 1


@pytest.mark.django_db
def test_consent_given_before_is_enough(case_a, people, office_b):
    _refer(case_a, people, office_b, consent_given_now=True)
    again = _refer(case_a, people, office_b, service_code="crear")  # the ledger says given
    assert again.status == ReferralStatus.PENDING
    assert case_a.person.consent_events.filter(purpose=Purpose.REFERRAL).count() == 1


@pytest.mark.django_db
def test_consent_given_now_is_recorded_in_the_ledger(case_a, people, office_a, office_b):
    _refer(case_a, people, office_b, consent_given_now=True)
    event = case_a.person.consent_events.get(purpose=Purpose.REFERRAL)
    assert event.action == ConsentEvent.Action.GIVEN
    assert event.notice_version == "referral-2026"
    assert event.office == office_a
    assert event.recorded_by == people["advisor_a"]


@pytest.mark.django_db
def test_a_case_of_a_company_alone_needs_no_personal_consent(company_case, people, office_b):
    referral = _refer(company_case, people, office_b)
    assert referral.status == ReferralStatus.PENDING
    answered = referrals.referral_answer(actor=people["advisor_b"], referral=referral, accept=True)
    assert answered.received_case.company == company_case.company
    assert answered.received_case.person is None


@pytest.mark.django_db
def test_a_closed_case_cannot_be_referred(case_a, people, office_b):
    case_close(
        actor=people["advisor_a"],
        case=case_a,
        reason="goals_met",
        note="",
        expected_version=case_a.lock_version,
    )
    error = _refused(_refer, case=case_a, people=people, office_b=office_b, consent_given_now=True)
    assert error.messages == [CLOSED]
    assert not Referral.objects.exists()


# What a referral keeps and audits.


@pytest.mark.django_db
def test_a_referral_keeps_what_was_sent_and_is_audited(case_a, people, office_a, office_b):
    referral = _refer(
        case_a,
        people,
        office_b,
        reason="  Necessita finançament  ",
        shared=["sessions", "contact", "sessions"],
        consent_given_now=True,
    )
    referral.refresh_from_db()
    assert referral.case == case_a
    assert referral.from_office == office_a and referral.to_office == office_b
    assert referral.to_service_code == "financar"
    assert referral.to_service_name == "Finançament"
    assert referral.reason == "Necessita finançament"
    assert referral.shared == ["contact", "sessions"]
    assert referral.created_by == people["advisor_a"]
    assert referral.status == ReferralStatus.PENDING and referral.responded_at is None
    event = AuditEvent.objects.get(action="cases.referral.create")
    assert event.actor == people["advisor_a"] and event.office == office_a
    assert event.target_id == str(case_a.public_id)
    assert event.details == {"to_office": str(office_b.public_id), "service": "financar"}


# Answers: accept or decline, once, while the client still consents.


@pytest.mark.django_db
def test_accepting_opens_the_case_for_the_one_who_accepts(pending, case_a, people, office_b):
    answered = referrals.referral_answer(
        actor=people["advisor_b"], referral=pending, accept=True, note="  Benvinguda  "
    )
    pending.refresh_from_db()
    assert pending.status == ReferralStatus.ACCEPTED
    assert pending.responded_by == people["advisor_b"] and pending.responded_at is not None
    assert pending.response_note == "Benvinguda"
    received = pending.received_case
    assert received == answered.received_case
    assert received.office == office_b and received.service_code == "financar"
    assert (
        received.assigned_to == people["advisor_b"] and received.created_by == people["advisor_b"]
    )
    assert received.person == case_a.person and received.company == case_a.company
    event = AuditEvent.objects.get(action="cases.referral.accept")
    assert event.actor == people["advisor_b"] and event.office == office_b
    assert event.target_id == str(case_a.public_id)


@pytest.mark.django_db
def test_accepting_needs_no_note(pending, people):
    answered = referrals.referral_answer(actor=people["advisor_b"], referral=pending, accept=True)
    assert answered.status == ReferralStatus.ACCEPTED and answered.response_note == ""


@pytest.mark.django_db
def test_declining_keeps_the_reason_and_opens_nothing(pending, people, office_b):
    for note in ("", "  "):
        error = _refused(
            referrals.referral_answer,
            actor=people["advisor_b"],
            referral=pending,
            accept=False,
            note=note,
        )
        assert error.message_dict == {"note": [NO_DECLINE_NOTE]}
    referrals.referral_answer(
        actor=people["advisor_b"], referral=pending, accept=False, note=" No tenim places "
    )
    pending.refresh_from_db()
    assert pending.status == ReferralStatus.DECLINED and pending.received_case is None
    assert pending.response_note == "No tenim places"
    assert pending.responded_by == people["advisor_b"] and pending.responded_at is not None
    event = AuditEvent.objects.get(action="cases.referral.decline")
    assert event.actor == people["advisor_b"] and event.office == office_b
    assert event.target_id == str(pending.case.public_id)
    assert not AuditEvent.objects.filter(action="cases.referral.accept").exists()


@pytest.mark.django_db
@pytest.mark.parametrize("first", [True, False])
def test_an_answered_referral_cannot_be_answered_again(pending, people, first):
    referrals.referral_answer(actor=people["advisor_b"], referral=pending, accept=first, note="x")
    for accept in (True, False):
        error = _refused(
            referrals.referral_answer,
            actor=people["advisor_b"],
            referral=pending,
            accept=accept,
            note="y",
        )
        assert error.messages == [ANSWERED]
    pending.refresh_from_db()
    assert pending.response_note == "x"


@pytest.mark.django_db
def test_withdrawn_consent_stops_either_answer(pending, case_a, people):
    _withdraw_consent(people, case_a)
    for accept in (True, False):
        error = _refused(
            referrals.referral_answer,
            actor=people["advisor_b"],
            referral=pending,
            accept=accept,
            note="z",
        )
        assert error.messages == [CONSENT_WITHDRAWN]
    pending.refresh_from_db()
    assert pending.status == ReferralStatus.PENDING


# Withdrawing: only while it waits for an answer.


@pytest.mark.django_db
def test_a_pending_referral_is_withdrawn_and_audited(pending, people, office_a):
    referrals.referral_withdraw(actor=people["advisor_a"], referral=pending)
    pending.refresh_from_db()
    assert pending.status == ReferralStatus.WITHDRAWN
    event = AuditEvent.objects.get(action="cases.referral.withdraw")
    assert event.actor == people["advisor_a"] and event.office == office_a
    assert event.target_id == str(pending.case.public_id)
    error = _refused(referrals.referral_withdraw, actor=people["advisor_a"], referral=pending)
    assert error.messages == [NOT_PENDING]
    error = _refused(
        referrals.referral_answer, actor=people["advisor_b"], referral=pending, accept=True
    )
    assert error.messages == [ANSWERED]


@pytest.mark.django_db
def test_an_answered_referral_cannot_be_withdrawn(pending, people):
    referrals.referral_answer(actor=people["advisor_b"], referral=pending, accept=True)
    pending.refresh_from_db()
    error = _refused(referrals.referral_withdraw, actor=people["advisor_a"], referral=pending)
    assert error.messages == [NOT_PENDING]
    pending.refresh_from_db()
    assert pending.status == ReferralStatus.ACCEPTED


@pytest.mark.django_db
def test_a_referral_answered_since_it_was_read_cannot_be_withdrawn(pending, people):
    stale = Referral.objects.get(pk=pending.pk)  # read by the referring office, still pending
    referrals.referral_answer(actor=people["advisor_b"], referral=pending, accept=True)
    error = _refused(referrals.referral_withdraw, actor=people["advisor_a"], referral=stale)
    assert error.messages == [NOT_PENDING]
    pending.refresh_from_db()
    assert pending.status == ReferralStatus.ACCEPTED and pending.received_case is not None


@pytest.mark.django_db
def test_withdrawing_changes_only_the_status(pending, people):
    stale = Referral.objects.get(pk=pending.pk)
    Referral.objects.filter(pk=pending.pk).update(reason="Necessita finançament i local")
    referrals.referral_withdraw(actor=people["advisor_a"], referral=stale)
    pending.refresh_from_db()
    assert pending.status == ReferralStatus.WITHDRAWN
    assert pending.reason == "Necessita finançament i local"


@pytest.mark.django_db
def test_a_long_service_name_is_cut_to_the_referrals_limit(case_a, people, office_b):
    item = OfficeItem.objects.get(office=office_b, kind="service", code="financar")
    long_name = "Finançament " + "i micro-crèdits " * 20  # 332 characters
    catalogue.office_item_override(
        actor=None,
        item=item,
        overrides={"name": {"ca": long_name, "es": "", "en": ""}},
        expected_version=item.lock_version,
    )
    referral = _refer(case_a, people, office_b, consent_given_now=True)
    referral.refresh_from_db()
    assert referral.to_service_name == long_name[:200]


# Through the pages, as a signed-in user: each refusal shown, never an error page.


def _refer_form(office, service="financar", **more) -> dict:
    return {
        "to_office": str(office.public_id),
        "service": service,
        "reason": "Necessita finançament",
        "shared": ["summary"],
        "consent": "on",
    } | more


@pytest.mark.django_db
def test_the_refer_page_sends_a_referral(case_a, office_b, client_for):
    url = reverse("cases:refer", args=[case_a.public_id])
    response = client_for("advisor_a").post(url, _refer_form(office_b))
    assert response.status_code == 302
    assert response.url == reverse("cases:detail", args=[case_a.public_id])
    assert Referral.objects.get().to_office == office_b


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"consent": ""}, NO_CONSENT),
        ({"to_office": "A", "service": "crear"}, SAME_SERVICE),
        ({"service": "disabled"}, NOT_OFFERED),
        ({"closed": True}, CLOSED),
    ],
)
def test_the_refer_page_shows_each_refusal(
    case_a, people, office_a, office_b, client_for, change, message
):
    change = dict(change)  # the parameters are shared by every run of the test: keep them as given
    if change.pop("closed", False):
        case_close(
            actor=people["advisor_a"],
            case=case_a,
            reason="goals_met",
            note="",
            expected_version=case_a.lock_version,
        )
    if change.get("to_office") == "A":
        change["to_office"] = str(office_a.public_id)
    if change.get("service") == "disabled":  # office B stops offering "financar"
        item = OfficeItem.objects.get(office=office_b, kind="service", code="financar")
        catalogue.office_item_set_enabled(actor=None, item=item, enabled=False)
        change["service"] = "financar"
    url = reverse("cases:refer", args=[case_a.public_id])
    response = client_for("advisor_a").post(url, _refer_form(office_b) | change)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Referral.objects.exists()


@pytest.mark.django_db
def test_the_refer_page_asks_for_a_reason_and_known_parts(case_a, office_b, client_for):
    url = reverse("cases:refer", args=[case_a.public_id])
    for change in ({"reason": "   "}, {"shared": ["diary"]}):
        response = client_for("advisor_a").post(url, _refer_form(office_b) | change)
        assert response.status_code == 200
        assert response.context["form"].errors
    assert not Referral.objects.exists()


@pytest.mark.django_db
def test_the_answer_page_shows_each_refusal(pending, case_a, people, client_for):
    url = reverse("cases:referral_answer", args=[pending.public_id])
    back = reverse("cases:referral", args=[pending.public_id])
    receiver = client_for("advisor_b")

    response = receiver.post(url, {"answer": "decline", "note": "  "})
    assert response.status_code == 302 and response.url == back
    assert _messages(response) == [NO_DECLINE_NOTE]

    _withdraw_consent(people, case_a)
    response = receiver.post(url, {"answer": "accept"})
    assert response.status_code == 302 and response.url == back
    assert _messages(response)[-1] == CONSENT_WITHDRAWN
    pending.refresh_from_db()
    assert pending.status == ReferralStatus.PENDING


@pytest.mark.django_db
def test_the_answer_page_refuses_a_second_answer(pending, people, client_for):
    url = reverse("cases:referral_answer", args=[pending.public_id])
    receiver = client_for("advisor_b")
    response = receiver.post(url, {"answer": "decline", "note": "No tenim places"})
    assert response.status_code == 302 and response.url == reverse("cases:referrals")
    response = receiver.post(url, {"answer": "accept"})
    assert response.status_code == 302
    assert _messages(response)[-1] == ANSWERED
    pending.refresh_from_db()
    assert pending.status == ReferralStatus.DECLINED


@pytest.mark.django_db
def test_accepting_on_the_page_leads_to_the_new_case(pending, client_for):
    url = reverse("cases:referral_answer", args=[pending.public_id])
    response = client_for("advisor_b").post(url, {"answer": "accept"})
    pending.refresh_from_db()
    assert response.url == reverse("cases:detail", args=[pending.received_case.public_id])


@pytest.mark.django_db
def test_the_withdraw_page_refuses_an_answered_referral(pending, case_a, people, client_for):
    referrals.referral_answer(actor=people["advisor_b"], referral=pending, accept=True)
    url = reverse("cases:referral_withdraw", args=[pending.public_id])
    response = client_for("advisor_a").post(url)
    assert response.status_code == 302
    assert response.url == reverse("cases:detail", args=[case_a.public_id])
    assert _messages(response) == [NOT_PENDING]
    pending.refresh_from_db()
    assert pending.status == ReferralStatus.ACCEPTED


@pytest.mark.django_db
def test_the_withdraw_page_withdraws_a_pending_referral(pending, client_for):
    url = reverse("cases:referral_withdraw", args=[pending.public_id])
    response = client_for("advisor_a").post(url)
    assert response.status_code == 302
    pending.refresh_from_db()
    assert pending.status == ReferralStatus.WITHDRAWN


# Who may act.


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("persona", "status"),
    [("readonly_a", 403), ("advisor_b", 404), ("citizen", 403), ("anonymous", 302)],
)
def test_only_an_advisor_of_the_case_office_may_refer(
    case_a, office_b, client_for, persona, status
):
    url = reverse("cases:refer", args=[case_a.public_id])
    response = client_for(persona).post(url, _refer_form(office_b))
    assert response.status_code == status
    assert not Referral.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("persona", "status"),
    [("advisor_a", 404), ("manager_a", 404), ("citizen", 403), ("anonymous", 302)],
)
def test_only_the_receiving_office_may_answer(pending, client_for, persona, status):
    url = reverse("cases:referral_answer", args=[pending.public_id])
    response = client_for(persona).post(url, {"answer": "accept"})
    assert response.status_code == status
    pending.refresh_from_db()
    assert pending.status == ReferralStatus.PENDING


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("persona", "status"),
    [("advisor_b", 404), ("readonly_a", 403), ("citizen", 403), ("anonymous", 302)],
)
def test_only_the_referring_office_may_withdraw(pending, client_for, persona, status):
    url = reverse("cases:referral_withdraw", args=[pending.public_id])
    response = client_for(persona).post(url)
    assert response.status_code == status
    pending.refresh_from_db()
    assert pending.status == ReferralStatus.PENDING
