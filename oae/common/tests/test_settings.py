"""Configuration read from the environment: the production secret key must be random, not
only long; the proxy count is a number; production refuses to start without shared counters
or a key to sign credentials."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management.utils import get_random_secret_key

from config.settings.env import env_int, secret_key_problem
from oae.training.credentials import new_key_json

ROOT = Path(__file__).resolve().parents[3]

GUESSABLE_KEYS = {
    "short": "x7Q!9z@Lm3#Pq",
    "the development key": "dev-insecure-secret-key-change-me-in-production-0123456789",
    "Django's insecure prefix": "django-insecure-" + secrets.token_urlsafe(40),
    "one character": "k" * 64,
    "mostly one character": "a" * 44 + "x7Q!9z@Lm3#Pq",
    "two characters": "ab" * 30,
    "a repeated word": "password1234" * 5,
    "a repeated passphrase": "correct-horse-battery-staple-" * 2,
    "a run of characters then words": "k" * 20 + "production-test-secret-0123456789-abcdefghij",
    "the alphabet": "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOP",
}


@pytest.mark.parametrize("name", GUESSABLE_KEYS)
def test_a_guessable_key_is_refused_even_when_long(name):
    assert secret_key_problem(GUESSABLE_KEYS[name]) is not None


@pytest.mark.parametrize(
    "generate",
    [
        get_random_secret_key,
        lambda: secrets.token_urlsafe(50),
        lambda: secrets.token_hex(32),  # 64 characters of 16 kinds: `openssl rand -hex 32`
        lambda: "".join(secrets.choice("0123456789") for _ in range(60)),
    ],
)
def test_keys_from_a_random_generator_are_accepted(generate):
    problems = [secret_key_problem(key) for key in (generate() for _ in range(2000))]
    assert problems == [None] * 2000


def _production(**changes) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env |= {
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "oae.example.org",
        "DATABASE_URL": "sqlite:////tmp/oae-deploy-check.sqlite3",
        "REDIS_URL": "redis://127.0.0.1:6379/15",
        "CREDENTIAL_SIGNING_KEY": new_key_json(),
    }
    env |= changes
    return subprocess.run(  # noqa: S603 - fixed arguments
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_refuses_a_long_but_patterned_key_and_says_why():
    result = _production(SECRET_KEY="password1234" * 5)
    assert result.returncode != 0
    assert "SECRET_KEY repeats a pattern" in result.stderr
    assert "secrets.token_urlsafe" in result.stderr  # and how to make a good one


def test_production_refuses_to_start_without_shared_counters():
    result = _production(REDIS_URL="")
    assert result.returncode != 0
    assert "REDIS_URL must be set in production" in result.stderr


def test_production_refuses_to_start_without_a_credential_key():
    result = _production(CREDENTIAL_SIGNING_KEY="")
    assert result.returncode != 0
    assert "CREDENTIAL_SIGNING_KEY must be set in production" in result.stderr
    assert "manage.py credential_key" in result.stderr


def test_production_starts_with_a_random_key_and_redis():
    result = _production()
    assert result.returncode == 0, result.stderr


def test_a_negative_proxy_count_is_refused(monkeypatch):
    monkeypatch.setenv("TRUSTED_PROXY_COUNT", "-1")
    with pytest.raises(ImproperlyConfigured, match="at least 0"):
        env_int("TRUSTED_PROXY_COUNT", 0, minimum=0)
