"""Certificates people can prove: passing issues one with the certified facts and a signed
Open Badges 3.0 credential; a corrected result revokes it and a later pass issues another;
the public page the QR code opens shows the facts and the revocation; a presented credential
verifies only as signed by the network's key, unchanged and on record; the holder, their
manager and coordinators download it, others get a 404; only coordinators revoke, with a
reason."""

import base64
import datetime
import io
import json
import os

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from jwcrypto import jwk, jws
from pypdf import PdfReader

from oae.privacy.models import AuditEvent
from oae.training import certificates, credentials, services
from oae.training.models import Certificate
from oae.training.tests.conftest import started


def _passed(coordinator, session, user, **assessment):
    enrolment = services.enrol(actor=coordinator, session=session, user=user)
    started(session)
    enrolment.refresh_from_db()
    services.attendance_record(actor=coordinator, enrolment=enrolment, attended=True)
    return services.assessment_record(
        actor=coordinator, enrolment=enrolment, **(assessment or {"passed": True})
    )


@pytest.fixture
def certificate(coordinator, session, people) -> Certificate:
    enrolment = _passed(coordinator, session, people["advisor_a"])
    return Certificate.objects.get(enrolment=enrolment)


def _segments(token: str) -> list[str]:
    return token.split(".")


def _b64(data: dict) -> str:
    raw = json.dumps(data, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _payload(token: str) -> dict:
    segment = _segments(token)[1]
    return json.loads(base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4)))


def _messages(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


# Issuing ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_passing_issues_a_certificate_of_the_facts(certificate, people):
    facts = certificate.facts
    assert certificate.user == people["advisor_a"]
    assert facts["holder"] == people["advisor_a"].get_full_name()
    assert (facts["module_code"], facts["hours"]) == ("induction", "12.0")
    assert facts["module"]["ca"] == "Acollida a la xarxa OAE"
    assert {(row["code"], row["level"]) for row in facts["competences"]} == {
        ("OAE4", 2),
        ("OAE5", 2),
        ("EC3.4", 2),
    }
    # the day in the network's time zone (the UTC date is the day before until 1 or 2 a.m.)
    assert facts["completed_on"] == timezone.localdate(certificate.issued_at).isoformat()
    assert facts["issuer"] == "Xarxa OAE"
    assert AuditEvent.objects.filter(action="training.certificate.issue").count() == 1


@pytest.mark.django_db
def test_the_credential_is_an_open_badge_signed_by_the_network(certificate):
    payload = credentials.verify(certificate.credential)
    assert payload["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert payload["@context"][0] == "https://www.w3.org/ns/credentials/v2"
    assert payload["id"] == payload["jti"] == f"urn:uuid:{certificate.public_id}"
    assert payload["issuer"]["id"] == payload["iss"] == certificates.issuer_url()
    subject = payload["credentialSubject"]
    assert subject["type"] == ["AchievementSubject"]
    assert subject["achievement"]["name"] == "Induction to the OAE network"
    assert {row["targetCode"] for row in subject["achievement"]["alignment"]} == {
        "OAE4",
        "OAE5",
        "EC3.4",
    }
    email = certificate.user.email
    hashed = subject["identifier"][0]
    assert hashed["identityHash"] == credentials.identity_hash(email, hashed["salt"])
    assert email not in certificate.credential  # only hashed
    header = json.loads(base64.urlsafe_b64decode(_segments(certificate.credential)[0] + "=="))
    assert header["alg"] == "RS256" and header["kid"] == credentials.public_jwk()["kid"]


@pytest.mark.django_db
def test_no_certificate_before_completion(coordinator, session, people):
    enrolment = services.enrol(actor=coordinator, session=session, user=people["advisor_a"])
    with pytest.raises(ValidationError, match="only once the module is completed"):
        certificates.certificate_issue(actor=coordinator, enrolment=enrolment)
    assert not Certificate.objects.exists()


@pytest.mark.django_db
def test_a_failed_score_issues_nothing(coordinator, viability, people):
    from oae.training.tests.conftest import schedule

    session = schedule(coordinator, viability)
    _passed(coordinator, session, people["advisor_a"], score=69)
    assert not Certificate.objects.exists()


@pytest.mark.django_db
def test_issuing_again_returns_the_certificate_in_force(certificate, coordinator):
    again = certificates.certificate_issue(actor=coordinator, enrolment=certificate.enrolment)
    assert again == certificate
    assert Certificate.objects.count() == 1


@pytest.mark.django_db
def test_a_corrected_result_revokes_and_a_later_pass_issues_a_new_one(certificate, coordinator):
    enrolment = certificate.enrolment
    services.attendance_record(actor=coordinator, enrolment=enrolment, attended=False)
    certificate.refresh_from_db()
    assert certificate.revoked
    assert certificate.revocation_reason == "The result was corrected: the module is not completed."
    services.attendance_record(actor=coordinator, enrolment=enrolment, attended=True)
    services.assessment_record(actor=coordinator, enrolment=enrolment, passed=True)
    assert enrolment.certificates.count() == 2  # the revoked one stays listed
    fresh = enrolment.certificates.get(revoked_at__isnull=True)
    assert fresh != certificate
    assert certificates.credential_check(certificate.credential).valid is False
    assert certificates.credential_check(fresh.credential).valid is True


# Verification -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_credential_on_record_verifies(certificate):
    result = certificates.credential_check(certificate.credential + "\n")
    assert (result.valid, result.certificate) == (True, certificate)


@pytest.mark.django_db
def test_a_tampered_credential_fails(certificate):
    header, body, signature = _segments(certificate.credential)
    payload = _payload(certificate.credential)
    payload["credentialSubject"]["achievement"]["name"] = "Master of everything"
    tampered = ".".join([header, _b64(payload), signature])
    result = certificates.credential_check(tampered)
    assert result.valid is False
    assert result.reason == "This credential was not signed by the network, or it was changed."
    with pytest.raises(credentials.InvalidCredential):
        credentials.verify(tampered)


@pytest.mark.django_db
def test_a_credential_signed_with_another_key_fails_even_carrying_that_key(certificate):
    forger = jwk.JWK.generate(kty="RSA", size=2048)
    token = jws.JWS(json.dumps(_payload(certificate.credential)).encode())
    public = json.loads(forger.export_public())
    token.add_signature(forger, alg="RS256", protected=json.dumps({"alg": "RS256", "jwk": public}))
    result = certificates.credential_check(token.serialize(compact=True))
    assert result.valid is False and result.certificate is None


@pytest.mark.django_db
def test_a_signed_credential_the_network_has_no_record_of_fails(certificate):
    payload = _payload(certificate.credential) | {"id": "urn:uuid:" + "0" * 32}
    result = certificates.credential_check(credentials.sign(payload))
    assert (result.valid, result.reason) == (False, "The network has no record of this credential.")


@pytest.mark.parametrize("text", ["", "not a token", "a.b.c", "a.b", "é.é.é"])
@pytest.mark.django_db
def test_garbage_is_not_a_credential(certificate, text):
    assert certificates.credential_check(text).valid is False


@pytest.mark.django_db
def test_a_revoked_certificates_credential_says_so(certificate, coordinator):
    certificates.certificate_revoke(actor=coordinator, certificate=certificate, reason="Error")
    result = certificates.credential_check(certificate.credential)
    assert (result.valid, result.reason) == (False, "This certificate has been revoked.")
    assert result.certificate == certificate


@pytest.mark.django_db
def test_revoking_needs_a_reason_and_happens_once(certificate, coordinator):
    with pytest.raises(ValidationError, match="Say why"):
        certificates.certificate_revoke(actor=coordinator, certificate=certificate, reason="  ")
    certificates.certificate_revoke(actor=coordinator, certificate=certificate, reason="Error")
    with pytest.raises(ValidationError, match="already revoked"):
        certificates.certificate_revoke(actor=coordinator, certificate=certificate, reason="x")
    assert AuditEvent.objects.filter(action="training.certificate.revoke").count() == 1


# The key ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_key_comes_from_the_environment(settings, certificate):
    settings.CREDENTIAL_SIGNING_KEY = credentials.new_key_json()
    token = credentials.sign({"type": ["OpenBadgeCredential"]})
    assert credentials.verify(token)["type"] == ["OpenBadgeCredential"]
    with pytest.raises(credentials.InvalidCredential):  # the earlier key no longer verifies
        credentials.verify(certificate.credential)


def test_a_bad_key_in_the_environment_is_refused(settings):
    settings.CREDENTIAL_SIGNING_KEY = '{"kty": "oct", "k": "c2VjcmV0"}'
    with pytest.raises(ImproperlyConfigured, match="private RSA key"):
        credentials.signing_key()
    settings.CREDENTIAL_SIGNING_KEY = "not json"
    with pytest.raises(ImproperlyConfigured, match="not a JWK"):
        credentials.signing_key()


def test_the_embedded_default_generates_a_key_file_once(settings, tmp_path):
    settings.CREDENTIAL_SIGNING_KEY = ""
    settings.CREDENTIAL_KEY_FILE = tmp_path / "keys" / "credential-key.jwk"
    first = credentials.signing_key().thumbprint()
    assert oct(os.stat(settings.CREDENTIAL_KEY_FILE).st_mode & 0o777) == "0o600"
    credentials._keys.clear()  # a new process reads the same file
    assert credentials.signing_key().thumbprint() == first


# Pages ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_anyone_with_the_link_sees_the_certified_facts(client, certificate, people):
    client.cookies["django_language"] = "en"
    page = client.get(reverse("certificates:verify", args=[certificate.public_id]))
    html = page.content.decode()
    assert page.status_code == 200
    for fact in (
        people["advisor_a"].get_full_name(),
        "Induction to the OAE network",
        "<dd>12</dd>",
        "Xarxa OAE",
        "Valid",
    ):
        assert fact in html
    assert "Download the PDF" not in html and "Revoke" not in html


@pytest.mark.django_db
def test_the_facts_read_in_the_visitors_language(client, certificate):
    client.cookies["django_language"] = "ca"
    html = client.get(reverse("certificates:verify", args=[certificate.public_id])).content
    assert "Acollida a la xarxa OAE" in html.decode()


@pytest.mark.django_db
def test_the_page_of_a_revoked_certificate_says_revoked_with_the_reason(
    client, certificate, coordinator
):
    client.cookies["django_language"] = "en"
    certificates.certificate_revoke(
        actor=coordinator, certificate=certificate, reason="Attendance recorded in error"
    )
    html = client.get(reverse("certificates:verify", args=[certificate.public_id])).content
    assert "Revoked" in html.decode() and "Attendance recorded in error" in html.decode()


@pytest.mark.django_db
def test_an_unknown_certificate_is_a_404(client, certificate):
    unknown = "00000000-0000-4000-8000-000000000000"
    assert client.get(reverse("certificates:verify", args=[unknown])).status_code == 404


@pytest.mark.django_db
def test_the_check_page_verifies_a_pasted_or_uploaded_credential(client, certificate):
    client.cookies["django_language"] = "en"
    url = reverse("certificates:check")
    assert client.get(url).status_code == 200
    pasted = client.post(url, {"credential": certificate.credential}).content.decode()
    assert "Valid" in pasted and "see the certificate" in pasted
    upload = SimpleUploadedFile("c.jwt", certificate.credential.encode(), "application/vc+jwt")
    assert "Valid: signed by the network" in client.post(url, {"file": upload}).content.decode()


@pytest.mark.django_db
def test_the_check_page_refuses_bad_input_with_a_message(client, certificate):
    client.cookies["django_language"] = "en"
    url = reverse("certificates:check")
    empty = client.post(url, {})
    assert empty.status_code == 200
    assert "Paste the credential or choose its file." in empty.content.decode()
    binary = SimpleUploadedFile("c.jwt", b"\xff\xfe\x00", "application/octet-stream")
    assert "not a credential" in client.post(url, {"file": binary}).content.decode()
    header, _body, signature = _segments(certificate.credential)
    forged = ".".join([header, _b64({"type": ["OpenBadgeCredential"]}), signature])
    html = client.post(url, {"credential": forged}).content.decode()
    assert "Not valid" in html and "see the certificate" not in html


@pytest.mark.django_db
def test_the_issuer_profile_publishes_the_key_that_verifies(client, certificate):
    profile = client.get(reverse("certificates:issuer")).json()
    assert profile["id"] == certificates.issuer_url()
    key = jwk.JWK(**profile["publicKey"]["keys"][0])
    checked = jws.JWS()
    checked.deserialize(certificate.credential)
    checked.verify(key, alg="RS256")  # raises if it does not verify
    assert "d" not in profile["publicKey"]["keys"][0]  # no private part


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("advisor_a", 200),  # the holder
        ("manager_a", 200),  # their manager
        ("coordinator", 200),
        ("readonly_a", 404),
        ("advisor_b", 404),
        ("citizen", 403),
    ],
)
def test_the_downloads_are_the_holders_their_managers_and_coordinators(
    client_for, certificate, persona, status
):
    client = client_for(persona)
    pdf = client.get(reverse("training:certificate_pdf", args=[certificate.public_id]))
    jwt = client.get(reverse("training:certificate_credential", args=[certificate.public_id]))
    assert (pdf.status_code, jwt.status_code) == (status, status)
    if status == 200:
        assert jwt.content.decode() == certificate.credential
        assert pdf["Content-Type"] == "application/pdf"


@pytest.mark.django_db
def test_the_pdf_states_the_facts_and_where_to_verify(client_for, certificate, people):
    response = client_for("advisor_a").get(
        reverse("training:certificate_pdf", args=[certificate.public_id])
    )
    reader = PdfReader(io.BytesIO(response.content))
    text = " ".join(page.extract_text() for page in reader.pages).replace("\n", " ")
    assert people["advisor_a"].get_full_name() in text
    assert "Induction to the OAE network" in text
    assert str(certificate.public_id) in text.replace(" ", "")  # the address the QR encodes
    assert len(reader.pages) == 1


@pytest.mark.django_db
def test_my_training_lists_my_certificates(client_for, certificate):
    html = client_for("advisor_a").get(reverse("training:mine")).content.decode()
    assert reverse("certificates:verify", args=[certificate.public_id]) in html
    assert reverse("training:certificate_credential", args=[certificate.public_id]) in html


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["advisor_a", "manager_a", "auditor", "advisor_b"])
def test_only_coordinators_revoke(client_for, certificate, persona):
    url = reverse("training:certificate_revoke", args=[certificate.public_id])
    assert client_for(persona).post(url, {"reason": "x"}).status_code in (403, 404)
    certificate.refresh_from_db()
    assert not certificate.revoked


@pytest.mark.django_db
def test_a_coordinator_revokes_with_a_reason_after_a_confirmation(client_for, certificate):
    client = client_for("coordinator")
    url = reverse("training:certificate_revoke", args=[certificate.public_id])
    confirm = client.get(url).content.decode()
    assert "cannot be undone" in confirm
    empty = client.post(url, {"reason": ""})
    assert empty.status_code == 200 and "This field is required." in empty.content.decode()
    done = client.post(url, {"reason": "Attendance recorded in error"})
    assert done.status_code == 302
    assert _messages(done) == ["The certificate is revoked."]
    again = client.post(url, {"reason": "Twice"})
    assert again.status_code == 200
    assert "This certificate is already revoked." in again.content.decode()
    certificate.refresh_from_db()
    assert certificate.revocation_reason == "Attendance recorded in error"


# Found walking the pages in a browser ------------------------------------------------------


@pytest.mark.django_db
def test_a_valid_credential_says_valid_once(client, certificate):
    client.cookies["django_language"] = "en"
    html = client.post(
        reverse("certificates:check"), {"credential": certificate.credential}
    ).content.decode()
    assert "<strong>Valid: signed by the network and on record.</strong>" in html
    assert html.count("Valid") == 1  # not "Valid · Valid: signed…"


@pytest.mark.django_db
def test_the_dates_read_as_catalan_writes_them(client, certificate, coordinator):
    """Django's Catalan date format writes "5 desembre de 2026"; Catalan says "5 de desembre"
    (and "1 d'abril"): the certificate's pages, its PDF and the revocation use the network's
    long date."""
    from django.utils import formats, translation

    from oae.common import catalan

    completed_on = datetime.date.fromisoformat(certificate.facts["completed_on"])
    with translation.override("ca"):
        expected = catalan.long_date(completed_on, year=True)
        django_way = formats.date_format(completed_on, "DATE_FORMAT")
    assert django_way not in expected
    client.cookies["django_language"] = "ca"
    verify = client.get(reverse("certificates:verify", args=[certificate.public_id]))
    checked = client.post(reverse("certificates:check"), {"credential": certificate.credential})
    for response in (verify, checked):
        html = response.content.decode().replace("&#x27;", "'")
        assert expected in html and django_way not in html
    client.force_login(coordinator)
    revoke = client.get(reverse("training:certificate_revoke", args=[certificate.public_id]))
    assert expected in revoke.content.decode().replace("&#x27;", "'")
    pdf = certificates.pdf_bytes(certificate, "ca")
    text = " ".join(
        " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages).split()
    )
    assert expected in text


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "word"), [("ca", "certificat"), ("es", "certificado"), ("en", "certificate")]
)
def test_the_downloads_are_named_in_the_readers_language(client_for, certificate, language, word):
    client = client_for("advisor_a", language)
    short_id = str(certificate.public_id)[:8]
    for name, extension in (("certificate_pdf", "pdf"), ("certificate_credential", "jwt")):
        response = client.get(reverse(f"training:{name}", args=[certificate.public_id]))
        assert response["Content-Disposition"] == (
            f'attachment; filename="{word}-induction-{short_id}.{extension}"'
        )
