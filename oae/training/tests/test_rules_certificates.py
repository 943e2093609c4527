"""Worked examples of the certificate and credential rules, each at its edge: the e-mail
hashed as Open Badges says (trimmed, lower-cased, salted), the header a credential carries,
a credential refused for each reason (not three segments, another algorithm even with the
network's key, not an Open Badges credential, no type at all, not an object); a revocation's
reason (none, exactly 300 characters, 301), its audit, a corrected result revoking only its
own certificate in force; a signed badge naming no certificate; who holds the induction; a
certificate issued later (the day of completion, the second of issue); each write audited."""

import base64
import datetime
import hashlib
import json

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from jwcrypto import jws
from jwcrypto.common import json_encode

from oae.privacy.models import AuditEvent
from oae.training import certificates, credentials, services
from oae.training.models import Certificate, Enrolment
from oae.training.tests.conftest import schedule, started

BADGE = {"type": ["VerifiableCredential", "OpenBadgeCredential"], "name": "Induction"}


def _header(token: str) -> dict:
    segment = token.split(".")[0]
    return json.loads(base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4)))


def _signed_with_the_network_key(payload, alg: str) -> str:
    """A token the network's own key signed, with an algorithm of the test's choosing."""
    token = jws.JWS(json_encode(payload).encode("utf-8"))
    token.add_signature(
        credentials.signing_key(), alg=alg, protected=json_encode({"alg": alg, "typ": "JWT"})
    )
    return token.serialize(compact=True)


def _refusal(token: str) -> str:
    with pytest.raises(credentials.InvalidCredential) as refused:
        credentials.verify(token)
    return str(refused.value)


# Signing ------------------------------------------------------------------------------------


def test_the_email_is_hashed_trimmed_lower_cased_and_salted():
    expected = hashlib.sha256(b"ana.puig@example.org5a1t").hexdigest()
    assert credentials.identity_hash("  Ana.Puig@Example.ORG ", "5a1t") == f"sha256${expected}"


def test_a_credential_names_its_algorithm_type_and_the_key_that_checks_it():
    token = credentials.sign(BADGE)
    assert _header(token) == {
        "alg": "RS256",
        "typ": "JWT",
        "kid": credentials.signing_key().thumbprint(),
        "jwk": credentials.public_jwk(),
    }
    assert credentials.verify(token) == BADGE


# Verifying ----------------------------------------------------------------------------------


@pytest.mark.parametrize("token", ["", "a.b", "a.b.c.d", "header.payload"])
def test_a_token_not_of_three_segments_is_no_compact_jws(token):
    assert _refusal(token) == "not a compact JWS"


@pytest.mark.parametrize("alg", ["RS512", "PS256"])
def test_only_rs256_verifies_even_signed_with_the_networks_key(alg):
    assert _refusal(_signed_with_the_network_key(BADGE, alg)) == "the signature does not match"
    assert credentials.verify(_signed_with_the_network_key(BADGE, "RS256")) == BADGE


@pytest.mark.parametrize(
    "payload",
    [
        {"type": ["VerifiableCredential"]},  # a credential, not an Open Badges one
        {"name": "Induction"},  # no type at all
        ["OpenBadgeCredential"],  # not an object
        "OpenBadgeCredential",
    ],
)
def test_a_signed_token_that_is_no_open_badges_credential_is_refused(payload):
    token = _signed_with_the_network_key(payload, "RS256")
    assert _refusal(token) == "not an Open Badges credential"


# Certificates ------------------------------------------------------------------------------


def _passed(coordinator, session, *users, **assessment) -> list[Enrolment]:
    """The people enrolled in the session, which starts; each attends and passes."""
    enrolments = [services.enrol(actor=coordinator, session=session, user=u) for u in users]
    started(session)
    passed = []
    for enrolment in enrolments:
        enrolment.refresh_from_db()
        services.attendance_record(actor=coordinator, enrolment=enrolment, attended=True)
        passed.append(
            services.assessment_record(
                actor=coordinator, enrolment=enrolment, **(assessment or {"passed": True})
            )
        )
    return passed


def _revoke_refusal(coordinator, certificate, reason) -> dict | list:
    with pytest.raises(ValidationError) as refused:
        certificates.certificate_revoke(actor=coordinator, certificate=certificate, reason=reason)
    error = refused.value
    return error.message_dict if hasattr(error, "error_dict") else error.messages


@pytest.fixture
def certificate(coordinator, session, people) -> Certificate:
    [enrolment] = _passed(coordinator, session, people["advisor_a"])
    return Certificate.objects.get(enrolment=enrolment)


@pytest.mark.django_db
@pytest.mark.parametrize("reason", [None, "", " \n "])
def test_a_revocation_without_a_reason_is_refused_on_the_reason(certificate, coordinator, reason):
    assert _revoke_refusal(coordinator, certificate, reason) == {
        "reason": ["Say why the certificate is revoked."]
    }
    assert not Certificate.objects.get(pk=certificate.pk).revoked


@pytest.mark.django_db
def test_a_reason_of_exactly_300_characters_is_kept_and_301_refused(certificate, coordinator):
    too_long = "x" * 301
    assert _revoke_refusal(coordinator, certificate, too_long) == {
        "reason": ["Keep the reason to 300 characters."]
    }
    longest = "  " + "y" * 300 + "  "  # the spaces around it do not count
    certificates.certificate_revoke(actor=coordinator, certificate=certificate, reason=longest)
    assert Certificate.objects.get(pk=certificate.pk).revocation_reason == "y" * 300


@pytest.mark.django_db
def test_a_revocation_is_audited_with_who_what_and_why(certificate, coordinator):
    certificates.certificate_revoke(
        actor=coordinator, certificate=certificate, reason=" Attended by mistake "
    )
    event = AuditEvent.objects.get(action="training.certificate.revoke")
    assert (event.actor_id, event.target_id, event.details) == (
        coordinator.pk,
        str(certificate.public_id),
        {"reason": "Attended by mistake"},
    )
    assert _revoke_refusal(coordinator, certificate, "Again") == [
        "This certificate is already revoked."
    ]


@pytest.mark.django_db
def test_a_corrected_result_revokes_only_that_persons_certificate_in_force(
    coordinator, session, people
):
    mine, theirs = _passed(coordinator, session, people["advisor_a"], people["manager_a"])
    services.attendance_record(actor=coordinator, enrolment=mine, attended=False)
    services.attendance_record(actor=coordinator, enrolment=mine, attended=True)
    services.assessment_record(actor=coordinator, enrolment=mine, passed=True)
    certificates.certificate_withdraw(actor=coordinator, enrolment=mine)  # the second one
    assert [c.revoked_by for c in mine.certificates.order_by("pk")] == [coordinator] * 2
    assert not theirs.certificates.get().revoked


@pytest.mark.django_db
def test_the_check_of_the_credential_on_record_says_valid(certificate):
    result = certificates.credential_check(certificate.credential)
    assert (result.valid, result.reason, result.certificate) == (
        True,
        "Valid: signed by the network and on record.",
        certificate,
    )


@pytest.mark.django_db
@pytest.mark.parametrize("credential_id", [None, ""])
def test_a_signed_badge_naming_no_certificate_is_not_on_record(certificate, credential_id):
    payload = dict(BADGE) if credential_id is None else BADGE | {"id": credential_id}
    result = certificates.credential_check(credentials.sign(payload))
    assert (result.valid, result.reason, result.certificate) == (
        False,
        "The network has no record of this credential.",
        None,
    )


@pytest.mark.django_db
def test_the_induction_certified_are_those_holding_its_certificate_in_force(
    coordinator, induction, viability, people
):
    advisor, manager, readonly, other = (
        people[persona] for persona in ("advisor_a", "manager_a", "readonly_a", "advisor_b")
    )
    _passed(coordinator, schedule(coordinator, induction, capacity=3), advisor, manager, other)
    revoked = Certificate.objects.get(user=manager)
    certificates.certificate_revoke(actor=coordinator, certificate=revoked, reason="Error")
    _passed(coordinator, schedule(coordinator, viability), readonly, score=70)
    asked = {advisor.pk, manager.pk, readonly.pk}
    assert certificates.induction_certified(asked) == {advisor.pk}
    assert certificates.induction_certified(set()) == set()


@pytest.mark.django_db
def test_no_certificate_is_issued_before_the_module_is_completed(coordinator, session, people):
    enrolment = services.enrol(actor=coordinator, session=session, user=people["advisor_a"])
    with pytest.raises(ValidationError) as refused:
        certificates.certificate_issue(actor=coordinator, enrolment=enrolment)
    assert refused.value.messages == ["A certificate is issued only once the module is completed."]


@pytest.mark.django_db
def test_the_credential_states_the_second_the_certificate_was_issued(certificate):
    payload = credentials.verify(certificate.credential)
    assert payload["nbf"] == certificate.issued_at.timestamp()
    assert payload["validFrom"] == certificate.issued_at.strftime("%Y-%m-%dT%H:%M:%SZ")


@pytest.mark.django_db
def test_a_certificate_issued_later_states_the_day_the_module_was_completed(
    certificate, coordinator
):
    enrolment = certificate.enrolment
    certificates.certificate_revoke(actor=coordinator, certificate=certificate, reason="Typo")
    completed = timezone.now() - datetime.timedelta(days=3)
    Enrolment.objects.filter(pk=enrolment.pk).update(completed_at=completed)
    enrolment.refresh_from_db()
    again = certificates.certificate_issue(actor=coordinator, enrolment=enrolment)
    assert again.facts["completed_on"] == timezone.localdate(completed).isoformat()


@pytest.mark.django_db
def test_an_issued_certificate_is_audited_with_who_what_and_the_module(certificate, coordinator):
    event = AuditEvent.objects.get(action="training.certificate.issue")
    assert (event.actor_id, event.target_type, event.target_id, event.details) == (
        coordinator.pk,
        "training.certificate",
        str(certificate.public_id),
        {"module": "induction"},
    )


@pytest.mark.django_db
def test_the_certified_facts_read_the_modules_competences_in_one_query(certificate):
    enrolment = Enrolment.objects.select_related("session__module", "user").get(
        pk=certificate.enrolment_id
    )
    with CaptureQueriesContext(connection) as queries:
        facts = certificates.certified_facts(enrolment, timezone.localdate())
    assert (len(facts["competences"]), len(queries)) == (3, 1)
