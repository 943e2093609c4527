"""Typed readers for configuration from environment variables; bad values fail loudly."""

import itertools
import math
import os
from collections import Counter

import environ
from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str) -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (true/false), got {raw!r}")


def env_int(name: str, default: int, *, minimum: int | None = None) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw)
    except ValueError as error:
        raise ImproperlyConfigured(f"{name} must be an integer, got {raw!r}") from error
    if minimum is not None and value < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}, got {raw!r}")
    return value


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


# The embedded SQLite file is written by two processes, the server and the job worker. WAL lets
# readers go on while one writes; a writer waits up to `timeout` seconds for the other's lock;
# IMMEDIATE takes the write lock when a transaction starts, so two transactions that read then
# write never deadlock halfway (SQLite would fail one of them at once, whatever the timeout).
SQLITE_SHARED_OPTIONS = {
    "init_command": "PRAGMA journal_mode=WAL",
    "timeout": 20,
    "transaction_mode": "IMMEDIATE",
}


def env_database(name: str, default: str) -> dict:
    """The database named by a URL; an SQLite one gets the options that let the server and the
    job worker write it together (a URL's own options win)."""
    raw = os.environ.get(name) or default
    try:
        config = environ.Env.db_url_config(raw)
    except (ImproperlyConfigured, KeyError, ValueError) as error:
        raise ImproperlyConfigured(f"{name} is not a valid database URL: {raw!r}") from error
    if not config["ENGINE"].startswith("django.db.backends."):
        raise ImproperlyConfigured(f"{name} names an unsupported database: {raw!r}")
    if config["ENGINE"] == "django.db.backends.sqlite3":
        config["OPTIONS"] = {**SQLITE_SHARED_OPTIONS, **config.get("OPTIONS", {})}
    return config


def env_email(name: str, default: str) -> dict:
    raw = os.environ.get(name) or default
    try:
        return environ.Env.email_url_config(raw)
    except (ImproperlyConfigured, KeyError, ValueError) as error:
        raise ImproperlyConfigured(f"{name} is not a valid e-mail URL: {raw!r}") from error


SECRET_KEY_MIN_LENGTH = 50
SECRET_KEY_MIN_BITS = 128  # of the characters' spread: repeated characters lower it
SECRET_KEY_MIN_DISTINCT_TRIGRAMS = 0.75  # a repeated chunk repeats its three-letter pieces
SECRET_KEY_MAX_STEPS = 0.6  # neighbours equal or next to each other: "aaaa", "abcd", "1234"
# How to make a good key (advice, not a key).
KEY_ADVICE = "generate one with: python -c 'import secrets; print(secrets.token_urlsafe(50))'"


def secret_key_problem(key: str) -> str | None:
    """Why `key` cannot sign sessions and tokens in production, or None. Long is not enough:
    a key must not be a development key, nor be made of a few characters, a repeated chunk
    or a run ("abcdef…", "1111…"). Keys from `secrets`, `openssl rand` or Django's
    generator pass with a wide margin (hex keys too, with their 16 characters)."""
    if len(key) < SECRET_KEY_MIN_LENGTH:
        return f"must be at least {SECRET_KEY_MIN_LENGTH} random characters"
    if "insecure" in key.lower():
        return "is a development key"
    counts = Counter(key)
    bits = -sum(n * math.log2(n / len(key)) for n in counts.values())
    if bits < SECRET_KEY_MIN_BITS:
        return "uses too few different characters, or repeats some too often, to be random"
    trigrams = [key[i : i + 3] for i in range(len(key) - 2)]
    if len(set(trigrams)) < SECRET_KEY_MIN_DISTINCT_TRIGRAMS * len(trigrams):
        return "repeats a pattern"
    steps = sum(abs(ord(a) - ord(b)) <= 1 for a, b in itertools.pairwise(key))
    if steps > SECRET_KEY_MAX_STEPS * (len(key) - 1):
        return "runs through sequences such as 'abcd', '1234' or 'aaaa'"
    return None


def env_secret_key(name: str) -> str:
    """The secret key from the environment, refused (ImproperlyConfigured) when missing or
    guessable; the message says why and how to make a good one."""
    key = os.environ.get(name, "")
    problem = secret_key_problem(key)
    if problem:
        raise ImproperlyConfigured(f"{name} {problem}: {KEY_ADVICE}")
    return key
