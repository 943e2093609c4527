"""Certificates of completed modules: the facts they certify, frozen when issued; the signed
Open Badges 3.0 credential the holder downloads; revocation; what the public verification
page shows for a certificate or for a credential someone presents; the PDF with its QR code."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

import segno
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from weasyprint import HTML

from oae.privacy.services import audit_record
from oae.training import credentials
from oae.training.models import Certificate, Enrolment, ModuleCompetence

REASON_MAX_LENGTH = 300
# The module every manager and advisor takes first (the opening playbook's "staff trained").
INDUCTION = "induction"


def absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def verification_url(certificate: Certificate) -> str:
    return absolute(reverse("certificates:verify", args=[certificate.public_id]))


def issuer_url() -> str:
    return absolute(reverse("certificates:issuer"))


def certified_facts(enrolment: Enrolment, completed_on: datetime.date) -> dict:
    """What the certificate says, in every language the module is written in."""
    module = enrolment.session.module
    covered = ModuleCompetence.objects.filter(module=module).select_related("competence")
    return {
        "holder": enrolment.user.get_full_name() or enrolment.user.email,
        "module_code": module.code,
        "module": module.title,
        "objectives": module.objectives,
        "hours": str(module.hours),
        "competences": [
            {"code": row.competence.code, "name": row.competence.name, "level": row.level}
            for row in covered.order_by("competence__position")
        ],
        "completed_on": completed_on.isoformat(),
        "issuer": settings.CREDENTIAL_ISSUER_NAME,
    }


def _text(values: dict, language: str = "en") -> str:
    return values.get(language) or next(iter(values.values()), "")


def credential_payload(certificate: Certificate, email: str) -> dict:
    """The OpenBadgeCredential: who issued it, to whom (a hashed e-mail and the name), the
    achievement (the module, its hours and the competences it aligns to), when."""
    facts, salt = certificate.facts, credentials.new_salt()
    issued = certificate.issued_at.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    credential_id = f"urn:uuid:{certificate.public_id}"
    criteria = "; ".join(f"{_text(row['name'])} ({row['level']})" for row in facts["competences"])
    payload = {
        "@context": credentials.CONTEXT,
        "id": credential_id,
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {"id": issuer_url(), "type": ["Profile"], "name": facts["issuer"]},
        "validFrom": issued,
        "name": _text(facts["module"]),
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "identifier": [
                {
                    "type": "IdentityObject",
                    "identityHash": credentials.identity_hash(email, salt),
                    "identityType": "emailAddress",
                    "hashed": True,
                    "salt": salt,
                },
                {
                    "type": "IdentityObject",
                    "identityHash": facts["holder"],
                    "identityType": "name",
                    "hashed": False,
                },
            ],
            "achievement": {
                "id": f"urn:oae:module:{facts['module_code']}",
                "type": ["Achievement"],
                "achievementType": "Course",
                "name": _text(facts["module"]),
                "description": _text(facts["objectives"]),
                "criteria": {"narrative": criteria},
                "humanCode": facts["module_code"],
                "alignment": [
                    {
                        "type": ["Alignment"],
                        "targetCode": row["code"],
                        "targetName": f"{_text(row['name'])} ({row['level']})",
                        "targetUrl": f"urn:oae:competence:{row['code']}",
                        "targetType": "CFItem",
                    }
                    for row in facts["competences"]
                ],
            },
            "creditsEarned": float(facts["hours"]),
        },
        "evidence": [{"id": verification_url(certificate), "type": ["Evidence"]}],
    }
    claims = {
        "iss": issuer_url(),
        "jti": credential_id,
        "nbf": int(certificate.issued_at.timestamp()),
    }
    return payload | claims


@transaction.atomic
def certificate_issue(*, actor, enrolment: Enrolment) -> Certificate:
    """The certificate of a completed enrolment, signed; the one in force if there is one."""
    if enrolment.completed_at is None:
        raise ValidationError(_("A certificate is issued only once the module is completed."))
    existing = Certificate.objects.filter(enrolment=enrolment, revoked_at__isnull=True).first()
    if existing is not None:
        return existing
    completed_on = timezone.localdate(enrolment.completed_at)
    certificate = Certificate(
        enrolment=enrolment,
        user=enrolment.user,
        issued_at=timezone.now().replace(microsecond=0),
        facts=certified_facts(enrolment, completed_on),
    )
    certificate.credential = credentials.sign(credential_payload(certificate, enrolment.user.email))
    certificate.save()
    audit_record(
        action="training.certificate.issue",
        actor=actor,
        target=certificate,
        details={"module": certificate.facts["module_code"]},
    )
    return certificate


def certificate_withdraw(*, actor, enrolment: Enrolment) -> None:
    """A corrected result (absent, not passed) revokes the certificate it had earned."""
    for certificate in Certificate.objects.filter(enrolment=enrolment, revoked_at__isnull=True):
        certificate_revoke(
            actor=actor,
            certificate=certificate,
            reason=_("The result was corrected: the module is not completed."),
        )


@transaction.atomic
def certificate_revoke(*, actor, certificate: Certificate, reason: str) -> Certificate:
    certificate = Certificate.objects.select_for_update().get(pk=certificate.pk)
    if certificate.revoked:
        raise ValidationError(_("This certificate is already revoked."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the certificate is revoked.")})
    if len(reason) > REASON_MAX_LENGTH:
        raise ValidationError(
            {"reason": _("Keep the reason to %(max)s characters.") % {"max": REASON_MAX_LENGTH}}
        )
    certificate.revoked_at, certificate.revoked_by = timezone.now(), actor
    certificate.revocation_reason = reason
    certificate.save(update_fields=["revoked_at", "revoked_by", "revocation_reason", "updated_at"])
    audit_record(
        action="training.certificate.revoke",
        actor=actor,
        target=certificate,
        details={"reason": reason},
    )
    return certificate


def induction_certified(user_ids: set[int]) -> set[int]:
    """Which of these people hold the induction's certificate in force."""
    return set(
        Certificate.objects.filter(
            user_id__in=user_ids,
            revoked_at__isnull=True,
            enrolment__session__module__code=INDUCTION,
        ).values_list("user_id", flat=True)
    )


# Verification -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Verification:
    """What a presented credential proves: `valid` only when the network's key signed it, it
    names a certificate on record, it is that certificate's credential and it is not revoked."""

    valid: bool
    reason: str
    certificate: Certificate | None = None


def credential_check(token: str) -> Verification:
    try:
        payload = credentials.verify(token)
    except credentials.InvalidCredential:
        return Verification(
            False, _("This credential was not signed by the network, or it was changed.")
        )
    credential_id = str(payload.get("id", ""))
    public_id = credential_id.removeprefix("urn:uuid:")
    certificate = Certificate.objects.filter(public_id=public_id).first() if public_id else None
    if certificate is None or certificate.credential != token.strip():
        return Verification(False, _("The network has no record of this credential."))
    if certificate.revoked:
        return Verification(False, _("This certificate has been revoked."), certificate)
    return Verification(True, _("Valid: signed by the network and on record."), certificate)


def facts_in(facts: dict, language: str) -> dict:
    """The certified facts read in a language, for the pages and the PDF."""
    return {
        "holder": facts["holder"],
        "module": facts["module"].get(language) or _text(facts["module"]),
        "objectives": facts["objectives"].get(language) or _text(facts["objectives"]),
        "hours": number_format(Decimal(facts["hours"]).normalize(), use_l10n=True),
        "competences": [
            {
                "code": row["code"],
                "name": row["name"].get(language) or _text(row["name"]),
                "level": row["level"],
            }
            for row in facts["competences"]
        ],
        "completed_on": datetime.date.fromisoformat(facts["completed_on"]),
        "issuer": facts["issuer"],
    }


# The PDF ----------------------------------------------------------------------------------


def qr_svg_data_uri(url: str) -> str:
    return segno.make(url, error="m").svg_data_uri(scale=4, border=2)


def pdf_bytes(certificate: Certificate, language: str) -> bytes:
    url = verification_url(certificate)
    context = {
        "facts": facts_in(certificate.facts, language),
        "certificate": certificate,
        "verify_url": url,
        "qr": qr_svg_data_uri(url),
    }
    with translation.override(language):
        html = render_to_string("training/certificate_pdf.html", context)
    return HTML(string=html).write_pdf()
