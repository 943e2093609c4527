"""Fast, isolated settings for the test suite (SQLite by default, DATABASE_URL honoured)."""

import os

os.environ.setdefault("DATABASE_URL", "sqlite://:memory:")

from config.settings.base import *  # noqa: E402, F403
from config.settings.base import DATABASES  # noqa: E402

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CELERY_TASK_ALWAYS_EAGER = True
CELERY_BROKER_URL = "memory://"
CELERY_RESULT_BACKEND = None
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MFA_DEMO_ENROLMENT_ALLOWED = False
DATABASES["default"]["TEST"] = {"NAME": None}
CREDENTIAL_KEY_FILE = None  # a key per test run, never written to disk
LOGGING = {"version": 1, "disable_existing_loggers": False}
