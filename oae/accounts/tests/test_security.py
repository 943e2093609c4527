"""Sign-in security: password rules, throttling and lock-out, MFA where required, CSRF,
production-mode deploy checks."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from oae.accounts.models import NetworkRole
from oae.privacy.models import AuditEvent
from oae.testing.factories import TEST_PASSWORD, UserFactory
from oae.testing.mfa import current_code, enrol_totp
from oae.training.credentials import new_key_json

LOGIN = "/accounts/login/"
ROOT = Path(__file__).resolve().parents[3]


def _login(client, email, password):
    return client.post(LOGIN, {"login": email, "password": password})


@pytest.mark.parametrize("password", ["short-pw-1", "password1234", "123456789012"])
def test_weak_passwords_are_refused(password):
    with pytest.raises(ValidationError):
        validate_password(password)


def test_a_long_uncommon_password_is_accepted():
    validate_password("tramvia-blau-a-montjuic-27")


@pytest.mark.django_db
def test_signup_with_an_eleven_character_password_shows_the_rule():
    response = Client().post(
        "/accounts/signup/",
        {"email": "new@example.org", "password1": "Abcdefgh-1!", "password2": "Abcdefgh-1!"},
    )
    assert response.status_code == 200
    assert "12" in response.content.decode()
    assert not AuditEvent.objects.filter(action="auth.login").exists()


@pytest.mark.django_db
def test_successful_login_is_audited_and_lands_on_profile_for_citizens():
    user = UserFactory()
    response = _login(Client(), user.email, TEST_PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:after_login")
    assert AuditEvent.objects.filter(action="auth.login", actor=user).count() == 1


@pytest.mark.django_db
def test_failed_logins_are_audited_and_lock_the_account_out():
    user = UserFactory()
    client = Client()
    for _attempt in range(5):
        response = _login(client, user.email, "wrong-password-123")
        assert response.status_code == 200
    assert (
        AuditEvent.objects.filter(action="auth.login_failed", actor_label=user.email).count() == 5
    )
    # Locked out: even the right password is refused now, and the lock-out is audited.
    response = _login(client, user.email, TEST_PASSWORD)
    assert response.status_code in (200, 429)
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(action="auth.lockout", actor_label=user.email).exists()


@pytest.mark.django_db
def test_lock_out_of_one_account_does_not_block_another():
    victim, other = UserFactory(), UserFactory()
    client = Client()
    for _attempt in range(6):
        _login(client, victim.email, "wrong-password-123")
    _login(client, other.email, TEST_PASSWORD)
    assert client.session["_auth_user_id"] == str(other.pk)


@pytest.mark.django_db
def test_coordinator_without_mfa_is_sent_to_enrol_before_any_staff_page():
    coordinator = UserFactory(network_role=NetworkRole.COORDINATOR)
    client = Client()
    client.force_login(coordinator)
    response = client.get(reverse("network:overview"))
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")


@pytest.mark.django_db
def test_demo_enrolment_mark_is_ignored_unless_allowed(settings):
    coordinator = UserFactory(network_role=NetworkRole.COORDINATOR, demo_mfa_enrolled=True)
    client = Client()
    client.force_login(coordinator)
    settings.MFA_DEMO_ENROLMENT_ALLOWED = False
    assert client.get(reverse("network:overview")).status_code == 302
    settings.MFA_DEMO_ENROLMENT_ALLOWED = True
    assert client.get(reverse("network:overview")).status_code == 200


@pytest.mark.django_db
def test_advisor_may_work_without_mfa(people, client_for):
    assert client_for("advisor_a").get(reverse("network:overview")).status_code == 200


@pytest.mark.django_db
def test_enrolled_coordinator_must_enter_a_totp_code_to_sign_in():
    coordinator = UserFactory(network_role=NetworkRole.COORDINATOR)
    secret = enrol_totp(coordinator)
    client = Client()
    response = _login(client, coordinator.email, TEST_PASSWORD)
    assert response["Location"] == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session
    response = client.post(reverse("mfa_authenticate"), {"code": "000000"})
    assert "_auth_user_id" not in client.session
    response = client.post(reverse("mfa_authenticate"), {"code": current_code(secret)})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(coordinator.pk)
    assert client.get(reverse("network:overview")).status_code == 200


@pytest.mark.django_db
def test_admin_site_requires_mfa_even_for_superusers():
    admin_user = UserFactory(is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(admin_user)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")
    enrol_totp(admin_user)
    assert client.get("/admin/").status_code == 200


@pytest.mark.django_db
def test_admin_login_goes_through_the_allauth_sign_in():
    response = Client().get("/admin/login/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.django_db
def test_post_without_csrf_token_is_refused(people):
    client = Client(enforce_csrf_checks=True)
    client.force_login(people["manager_a"])
    response = client.post(
        reverse("accounts:profile"), {"first_name": "X", "last_name": "Y", "language": "es"}
    )
    assert response.status_code == 403
    people["manager_a"].refresh_from_db()
    assert people["manager_a"].language == "ca"


@pytest.mark.django_db
def test_login_post_without_csrf_token_is_refused():
    user = UserFactory()
    response = _login(Client(enforce_csrf_checks=True), user.email, TEST_PASSWORD)
    assert response.status_code == 403


def _production_env() -> dict:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE")
    }
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings.production",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "oae.example.org",
            "REDIS_URL": "redis://127.0.0.1:6379/15",
            "CREDENTIAL_SIGNING_KEY": new_key_json(),
            "DATABASE_URL": "sqlite:////tmp/oae-deploy-check.sqlite3",
        }
    )
    return env


def test_production_settings_pass_check_deploy_with_zero_warnings():
    result = subprocess.run(  # noqa: S603 - fixed arguments
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=_production_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues (0 silenced)" in result.stdout


def test_production_settings_refuse_to_start_without_a_secret_key():
    env = _production_env()
    env["SECRET_KEY"] = ""
    result = subprocess.run(  # noqa: S603 - fixed arguments
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def _link_in(message) -> str:
    return next(word for word in message.body.split() if "/accounts/password/reset/key/" in word)


def _set_password_through(client, link: str, password: str):
    path = link.split("://", 1)[1].split("/", 1)[1]
    response = client.get("/" + path, follow=True)  # allauth moves the key into the session
    form_url = response.redirect_chain[-1][0] if response.redirect_chain else "/" + path
    return client.post(form_url, {"password1": password, "password2": password})


@pytest.mark.django_db
def test_password_reset_by_email_lets_the_person_choose_a_new_password(mailoutbox):
    user = UserFactory()
    client = Client()
    client.post(reverse("account_reset_password"), {"email": user.email})
    assert len(mailoutbox) == 1
    _set_password_through(client, _link_in(mailoutbox[0]), "nova-contrasenya-segura-9")
    assert _login(Client(), user.email, "nova-contrasenya-segura-9").status_code == 302
    assert AuditEvent.objects.filter(action="auth.password_reset", actor=user).exists()


@pytest.mark.django_db
def test_invited_person_sets_a_password_from_the_invitation_and_signs_in(
    mailoutbox, django_capture_on_commit_callbacks, office_a
):
    from oae.network.models import OfficeRole
    from oae.network.services import membership_invite

    with django_capture_on_commit_callbacks(execute=True):
        membership_invite(
            actor=None, office=office_a, email="nova@example.org", role=OfficeRole.ADVISOR
        )
    client = Client()
    _set_password_through(client, _link_in(mailoutbox[0]), "tramvia-blau-27-montjuic")
    response = _login(Client(), "nova@example.org", "tramvia-blau-27-montjuic")
    assert response.status_code == 302


@pytest.mark.django_db
def test_responses_carry_security_headers_and_a_strict_csp(client):
    response = client.get("/")
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_production_mode_sets_secure_cookies_and_hsts():
    code = (
        "from django.conf import settings as s;"
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT,"
        " s.SECURE_HSTS_SECONDS > 0, s.MFA_DEMO_ENROLMENT_ALLOWED, s.DEBUG)"
    )
    result = subprocess.run(  # noqa: S603 - fixed arguments
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", code],
        cwd=ROOT,
        env=_production_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.stdout.split() == ["True", "True", "True", "True", "False", "False"], (
        result.stderr
    )
