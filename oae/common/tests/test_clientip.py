"""Rate limits count the real client behind the reverse proxy, by one rule for the sign-in
(django-allauth), the public tools (django-ratelimit) and the audit trail: two clients behind
the proxy are counted apart, and a client cannot pass for another by writing the header."""

import time
from types import SimpleNamespace

import django_ratelimit.core
import pytest
from django.test import Client, RequestFactory
from django.urls import reverse

from oae.common.clientip import client_ip
from oae.privacy.models import AuditEvent
from oae.testing.factories import TEST_PASSWORD, UserFactory

PROXY = "10.0.0.2"
TOO_MANY = "Too many answers in a minute; wait a moment."


@pytest.fixture(autouse=True)
def _one_minute(monkeypatch):
    """django-ratelimit counts in windows of a minute: keep every request of a test in one."""
    now = time.time()
    monkeypatch.setattr(django_ratelimit.core, "time", SimpleNamespace(time=lambda: now))


def _request(forwarded: str | None = None, remote: str = PROXY):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


@pytest.mark.parametrize(
    ("count", "forwarded", "expected"),
    [
        (0, None, PROXY),
        (0, "203.0.113.7", PROXY),  # no proxy trusted: whatever the client wrote is ignored
        (1, None, PROXY),  # reached directly
        (1, "203.0.113.7", "203.0.113.7"),
        (1, "198.51.100.9, 203.0.113.7", "203.0.113.7"),  # the left entry is the client's own
        (2, "198.51.100.9, 203.0.113.7, 10.0.0.1", "203.0.113.7"),
        (2, "203.0.113.7", "203.0.113.7"),  # through one proxy only: what it saw
        (1, "203.0.113.7:5123", "203.0.113.7"),
        (1, "[2001:db8::1]:443", "2001:db8::1"),
        (1, "2001:db8::1", "2001:db8::1"),
        (1, "unknown", PROXY),  # not an address: the connection's
        (1, " , ", PROXY),
    ],
)
def test_the_client_is_the_entry_the_outermost_trusted_proxy_wrote(
    settings, count, forwarded, expected
):
    settings.TRUSTED_PROXY_COUNT = count
    assert client_ip(_request(forwarded)) == expected


def test_an_unknown_address_is_none():
    assert client_ip(_request(remote="")) is None


def _calculate(client: Client, **headers) -> bool:
    """Fill in the public business-model canvas once (30 a minute per client); whether the
    page said there were too many."""
    client.cookies["django_language"] = "en"
    response = client.post(reverse("tools:canvas"), {}, **headers)
    return TOO_MANY in response.content.decode().replace("&#x27;", "'")


@pytest.mark.django_db
def test_two_clients_behind_the_proxy_are_counted_apart(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    first = {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": "203.0.113.7"}
    second = {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": "203.0.113.8"}
    client = Client()
    assert not any(_calculate(client, **first) for _ in range(30))
    assert _calculate(client, **first)  # the 31st in a minute
    assert not _calculate(client, **second)


@pytest.mark.django_db
def test_a_client_cannot_escape_its_limit_by_writing_the_header_without_a_trusted_proxy(
    settings,
):
    settings.TRUSTED_PROXY_COUNT = 0
    client = Client()
    for number in range(30):
        _calculate(client, REMOTE_ADDR="203.0.113.7", HTTP_X_FORWARDED_FOR=f"198.51.100.{number}")
    assert _calculate(client, REMOTE_ADDR="203.0.113.7", HTTP_X_FORWARDED_FOR="198.51.100.99")


@pytest.mark.django_db
def test_a_client_behind_the_proxy_cannot_pass_for_another_by_writing_the_header(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    client = Client()
    for number in range(30):  # the proxy appends the real address after what the client wrote
        _calculate(
            client, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=f"198.51.100.{number}, 203.0.113.7"
        )
    assert _calculate(client, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.99, 203.0.113.7")


def _login(client, email, password, address):
    return client.post(
        "/accounts/login/",
        {"login": email, "password": password},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=address,
    )


@pytest.mark.django_db
def test_one_client_failing_sign_ins_behind_the_proxy_does_not_lock_out_the_others(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    attacker, colleague = Client(), Client()
    for number in range(21):  # beyond 20 failed sign-ins a minute from one address
        _login(attacker, f"nobody{number}@example.org", "wrong-password-123", "203.0.113.66")
    user = UserFactory()
    refused = _login(attacker, user.email, TEST_PASSWORD, "203.0.113.66")
    assert "_auth_user_id" not in attacker.session, refused.status_code

    _login(colleague, user.email, TEST_PASSWORD, "203.0.113.7")

    assert colleague.session["_auth_user_id"] == str(user.pk)


@pytest.mark.django_db
def test_the_audit_trail_records_the_client_behind_the_proxy(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    _login(Client(), "nobody@example.org", "wrong-password-123", "198.51.100.1, 203.0.113.7")
    assert AuditEvent.objects.get(action="auth.login_failed").ip_address == "203.0.113.7"
