"""Referral life cycle: consent first, the receiver sees only what is granted, accepts or
declines, both sides see the status, and the time to answer is measured."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from oae.cases import referrals
from oae.cases.models import ReferralStatus
from oae.cases.services import session_log
from oae.crm.models import ConsentEvent, Purpose
from oae.crm.services import consent_record


def _refer(case, people, office_b, **kwargs):
    return referrals.referral_create(
        actor=people["advisor_a"],
        case=case,
        to_office=office_b,
        service_code="financar",
        reason="Necessita finançament",
        shared=kwargs.pop("shared", ["summary"]),
        **kwargs,
    )


@pytest.mark.django_db
def test_a_referral_needs_the_clients_consent(case_a, people, office_b):
    with pytest.raises(ValidationError) as error:
        _refer(case_a, people, office_b)
    assert "consent" in error.value.message_dict
    referral = _refer(case_a, people, office_b, consent_given_now=True)
    assert referral.status == ReferralStatus.PENDING
    latest = case_a.person.consent_events.filter(purpose=Purpose.REFERRAL).get()
    assert latest.action == ConsentEvent.Action.GIVEN


@pytest.mark.django_db
def test_accepting_opens_a_case_at_the_receiving_office(case_a, people, office_b):
    referral = _refer(case_a, people, office_b, consent_given_now=True)
    answered = referrals.referral_answer(actor=people["advisor_b"], referral=referral, accept=True)
    assert answered.status == ReferralStatus.ACCEPTED
    assert answered.received_case.office == office_b
    assert answered.received_case.person == case_a.person
    assert answered.hours_to_answer is not None and answered.hours_to_answer >= 0
    with pytest.raises(ValidationError, match="already been answered"):
        referrals.referral_answer(actor=people["advisor_b"], referral=referral, accept=False)


@pytest.mark.django_db
def test_declining_needs_a_reason(case_a, people, office_b):
    referral = _refer(case_a, people, office_b, consent_given_now=True)
    with pytest.raises(ValidationError):
        referrals.referral_answer(actor=people["advisor_b"], referral=referral, accept=False)
    answered = referrals.referral_answer(
        actor=people["advisor_b"], referral=referral, accept=False, note="No tenim places"
    )
    assert answered.status == ReferralStatus.DECLINED and answered.received_case is None


@pytest.mark.django_db
def test_withdrawn_consent_stops_the_acceptance(case_a, people, office_b):
    referral = _refer(case_a, people, office_b, consent_given_now=True)
    consent_record(
        actor=people["advisor_a"],
        office=case_a.office,
        person=case_a.person,
        purpose=Purpose.REFERRAL,
        action=ConsentEvent.Action.WITHDRAWN,
        lawful_basis="consent",
        notice_version="referral-2026",
    )
    with pytest.raises(ValidationError, match="withdrawn"):
        referrals.referral_answer(actor=people["advisor_b"], referral=referral, accept=True)


@pytest.mark.django_db
def test_the_receiver_sees_only_the_granted_parts_and_both_sides_see_the_status(
    case_a, people, office_b, client_for
):
    session_log(
        actor=people["advisor_a"],
        case=case_a,
        started_at=timezone.now(),
        duration_minutes=45,
        channel="phone",
        topics="Tresoreria",
        private_notes="Nota privada",
    )
    referral = _refer(case_a, people, office_b, consent_given_now=True, shared=["summary"])
    receiver = client_for("advisor_b")
    page = receiver.get(reverse("cases:referral", args=[referral.public_id])).content.decode()
    assert "Necessita finançament" in page and "Acollida" in page
    assert "Tresoreria" not in page and "Nota privada" not in page
    assert "anna@example.org" not in page  # contact details were not granted
    assert receiver.get(reverse("cases:detail", args=[case_a.public_id])).status_code == 404

    response = receiver.post(
        reverse("cases:referral_answer", args=[referral.public_id]), {"answer": "accept"}
    )
    referral.refresh_from_db()
    assert response.status_code == 302 and referral.status == ReferralStatus.ACCEPTED
    sender_page = client_for("advisor_a").get(reverse("cases:detail", args=[case_a.public_id]))
    assert "accepted" in sender_page.content.decode()
