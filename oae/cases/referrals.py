"""Referrals: an office hands a client on to another office or service, with the client's
consent and a say in what the receiver may see; the receiver accepts or declines."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from oae.cases.models import Case, Referral, ReferralStatus, SharedPart
from oae.cases.services import case_open, refuse_if_closed, service_and_process
from oae.crm.models import ConsentEvent, Purpose
from oae.crm.services import consent_state, referral_consent_record
from oae.privacy.services import audit_record

REFERRAL_NOTICE = "referral-2026"


def _has_referral_consent(person) -> bool:
    latest = consent_state(person).get(Purpose.REFERRAL)
    return latest is not None and latest.action == ConsentEvent.Action.GIVEN


@transaction.atomic
def referral_create(
    *,
    actor,
    case: Case,
    to_office,
    service_code: str,
    reason: str,
    shared: list[str],
    consent_given_now: bool = False,
) -> Referral:
    """Refer the case's client. Needs the client's consent to referrals: already in the
    ledger, or given now (recorded in the ledger by this call)."""
    refuse_if_closed(case)
    if not reason.strip():
        raise ValidationError({"reason": _("Say why you refer the client.")})
    unknown = set(shared) - set(SharedPart.values)
    if unknown:
        raise ValidationError({"shared": _("Choose what the other office may see.")})
    if to_office == case.office and service_code == case.service_code:
        raise ValidationError({"service": _("The client is already on this service here.")})
    service_name, _process = service_and_process(to_office, service_code)
    if case.person is not None:
        if consent_given_now:
            referral_consent_record(
                actor=actor, office=case.office, person=case.person, notice_version=REFERRAL_NOTICE
            )
        elif not _has_referral_consent(case.person):
            raise ValidationError(
                {"consent": _("The client has not consented to being referred. Ask them first.")}
            )
    referral = Referral.objects.create(
        case=case,
        from_office=case.office,
        to_office=to_office,
        to_service_code=service_code,
        to_service_name=service_name[:200],
        reason=reason.strip(),
        shared=sorted(set(shared)),
        created_by=actor,
    )
    audit_record(
        action="cases.referral.create",
        actor=actor,
        target=case,
        office=case.office,
        details={"to_office": str(to_office.public_id), "service": service_code},
    )
    return referral


@transaction.atomic
def referral_answer(*, actor, referral: Referral, accept: bool, note: str = "") -> Referral:
    """Accept (a case opens at the receiving office, assigned to whoever accepted) or
    decline (with a reason). The referring office sees the answer at once."""
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    if referral.status != ReferralStatus.PENDING:
        raise ValidationError(_("This referral has already been answered."))
    if not accept and not note.strip():
        raise ValidationError({"note": _("Say why you decline, so the other office can act.")})
    if referral.case.person and not _has_referral_consent(referral.case.person):
        raise ValidationError(_("The client has withdrawn their consent to the referral."))
    if accept:
        referral.received_case = case_open(
            actor=actor,
            office=referral.to_office,
            service_code=referral.to_service_code,
            advisor=actor,
            person=referral.case.person,
            company=referral.case.company,
        )
    referral.status = ReferralStatus.ACCEPTED if accept else ReferralStatus.DECLINED
    referral.responded_by, referral.responded_at = actor, timezone.now()
    referral.response_note = note.strip()
    referral.save(
        update_fields=["status", "responded_by", "responded_at", "response_note", "received_case"]
    )
    audit_record(
        action="cases.referral." + ("accept" if accept else "decline"),
        actor=actor,
        target=referral.case,
        office=referral.to_office,
    )
    return referral


@transaction.atomic
def referral_withdraw(*, actor, referral: Referral) -> Referral:
    # The row as it is now, locked: an answer given since the page loaded must not be undone.
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    if referral.status != ReferralStatus.PENDING:
        raise ValidationError(_("Only a referral waiting for an answer can be withdrawn."))
    referral.status = ReferralStatus.WITHDRAWN
    referral.save(update_fields=["status"])
    audit_record(
        action="cases.referral.withdraw",
        actor=actor,
        target=referral.case,
        office=referral.from_office,
    )
    return referral
