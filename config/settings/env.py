"""Typed readers for configuration from environment variables; bad values fail loudly."""

import os

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


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError as error:
        raise ImproperlyConfigured(f"{name} must be an integer, got {raw!r}") from error


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_database(name: str, default: str) -> dict:
    raw = os.environ.get(name) or default
    try:
        config = environ.Env.db_url_config(raw)
    except (ImproperlyConfigured, KeyError, ValueError) as error:
        raise ImproperlyConfigured(f"{name} is not a valid database URL: {raw!r}") from error
    if not config["ENGINE"].startswith("django.db.backends."):
        raise ImproperlyConfigured(f"{name} names an unsupported database: {raw!r}")
    return config


def env_email(name: str, default: str) -> dict:
    raw = os.environ.get(name) or default
    try:
        return environ.Env.email_url_config(raw)
    except (ImproperlyConfigured, KeyError, ValueError) as error:
        raise ImproperlyConfigured(f"{name} is not a valid e-mail URL: {raw!r}") from error
