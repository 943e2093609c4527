"""Settings shared by every mode; the embedded default (SQLite, an SQLite job broker, console
e-mail)."""

from pathlib import Path

from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

from config.settings.env import env_bool, env_database, env_email, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent.parent
# Where the embedded default keeps its files (databases, uploads, the scheduler's state).
VAR_DIR = Path(env_str("VAR_DIR", str(BASE_DIR / "var"))).resolve()

DEBUG = env_bool("DEBUG", True)
# Development-only fallback; production.py refuses to start without a real SECRET_KEY.
SECRET_KEY = env_str("SECRET_KEY", "dev-insecure-secret-key-change-me-in-production-0123456789")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])

INSTALLED_APPS = [
    "oae.accounts.apps.OaeAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "django_htmx",
    "csp",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "oae.common",
    "oae.accounts",
    "oae.network",
    "oae.reference",
    "oae.privacy",
    "oae.catalogue",
    "oae.crm",
    "oae.cases",
    "oae.tools",
    "oae.reports",
    "oae.training",
    "oae.opening",
    "oae.devdata",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "oae.common.nostore.NoStoreMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "oae.scoping.ActingOfficeMiddleware",
    "oae.accounts.middleware.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Input that cannot be read (a view's `BadInput`, a NUL in the address) is a 400 page.
    "oae.common.input.BadInputMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "oae.accounts.middleware.MfaEnrolmentMiddleware",
    "oae.privacy.middleware.AuditMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "oae" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "oae.accounts.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {"default": env_database("DATABASE_URL", f"sqlite:///{VAR_DIR / 'oae.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env_int("DATABASE_CONN_MAX_AGE", 0)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env_str("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "accounts:after_login"
LOGOUT_REDIRECT_URL = "home"

# django-allauth: e-mail is the login; throttled failed logins lock the account out for a while.
ACCOUNT_ADAPTER = "oae.accounts.adapters.AccountAdapter"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_RATE_LIMITS = {
    # Lock-out: 5 failed attempts for one e-mail lock it for 15 minutes; 20 per minute per IP.
    "login_failed": "20/m/ip,5/15m/key",
    "reset_password": "20/m/ip,5/m/key",
}
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Xarxa OAE] "

# How many reverse proxies in front of the app append the client's address to X-Forwarded-For
# (0: none, the header is ignored). Every rate limit and the audit trail read the client's
# address by this one rule (oae/common/clientip.py); counters live in the cache (Redis when
# REDIS_URL is set, so every process counts together). ALLAUTH_TRUSTED_PROXY_COUNT is the
# name the README gave first.
TRUSTED_PROXY_COUNT = env_int(
    "TRUSTED_PROXY_COUNT", env_int("ALLAUTH_TRUSTED_PROXY_COUNT", 0, minimum=0), minimum=0
)
ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXY_COUNT
RATELIMIT_IP_META_KEY = "oae.common.clientip.rate_limit_key"
RATELIMIT_USE_CACHE = "default"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Xarxa OAE"
# Demo users may be marked as enrolled so the demo is usable without an authenticator app;
# production.py turns this off, so the mark is ignored there.
MFA_DEMO_ENROLMENT_ALLOWED = env_bool("MFA_DEMO_ENROLMENT_ALLOWED", True)

LANGUAGE_CODE = "ca"
LANGUAGES = [("ca", _("Catalan")), ("es", _("Spanish")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "oae" / "locale"]
TIME_ZONE = "Europe/Madrid"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
MEDIA_ROOT = VAR_DIR / "media"
MEDIA_URL = "media/"

_email = env_email("EMAIL_URL", "consolemail://")
EMAIL_BACKEND = _email["EMAIL_BACKEND"]
EMAIL_HOST = _email.get("EMAIL_HOST") or "localhost"
EMAIL_PORT = _email.get("EMAIL_PORT") or 25
EMAIL_HOST_USER = _email.get("EMAIL_HOST_USER") or ""
EMAIL_HOST_PASSWORD = _email.get("EMAIL_HOST_PASSWORD") or ""
EMAIL_USE_TLS = bool(_email.get("EMAIL_USE_TLS", False))
EMAIL_USE_SSL = bool(_email.get("EMAIL_USE_SSL", False))
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Xarxa OAE <no-reply@xarxa-oae.local>")

# Background jobs run on a worker, never inside a request. Without REDIS_URL the broker is an
# SQLite file of its own beside the app's database (kombu's SQLAlchemy transport) and `make run`
# starts the worker and the scheduler with the server (`manage.py serve`). Results are kept only
# on Redis: nothing waits for a job's return value. CELERY_TASK_ALWAYS_EAGER=true runs jobs
# in-process instead, for a bare `runserver` with no worker.
CELERY_BROKER_URL = REDIS_URL or f"sqla+sqlite:///{VAR_DIR / 'jobs.sqlite3'}"
# Two processes write the broker's file (the server queues, the worker takes): wait for the
# other's lock rather than fail.
CELERY_BROKER_TRANSPORT_OPTIONS = {} if REDIS_URL else {"connect_args": {"timeout": 20}}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_RESULT_BACKEND = REDIS_URL or None
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
# Beat remembers when each job last ran across restarts, in var/ rather than the repository.
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# What a job prints (the console e-mail backend's messages) is no warning.
CELERY_WORKER_REDIRECT_STDOUTS_LEVEL = "INFO"
CELERY_TIMEZONE = TIME_ZONE

# Security defaults that hold in every mode; production.py adds the HTTPS-only ones.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    # WeasyPrint reports each step of every PDF (and of its own stylesheets as it is imported).
    "loggers": {"weasyprint.progress": {"level": "WARNING"}},
}

# The address people reach the app at, used for links in e-mails.
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000")

# The network's key that signs the training credentials (Open Badges 3.0): a private JWK, as
# `manage.py credential_key` prints. Unset (development), one is generated on first use and
# kept in CREDENTIAL_KEY_FILE; production refuses to start without it.
CREDENTIAL_SIGNING_KEY = env_str("CREDENTIAL_SIGNING_KEY", "")
CREDENTIAL_KEY_FILE = VAR_DIR / "credential-key.jwk"
# Who issues the certificates, as they say it.
CREDENTIAL_ISSUER_NAME = env_str("CREDENTIAL_ISSUER_NAME", "Xarxa OAE")

# Retention, per category of a person's activity (oae/privacy/activity.py): a person is
# anonymised (a daily job, or `manage.py apply_retention`) once no activity of any category
# falls within that category's years. "contact": their registration, consents, appointments;
# "advice": cases, sessions, referrals, survey answers, kept tool results. The last edit of
# the record does not count. CRM_RETENTION_YEARS sets both at once.
CRM_RETENTION_YEARS = env_int("CRM_RETENTION_YEARS", 5, minimum=1)
RETENTION_YEARS = {
    "contact": env_int("RETENTION_YEARS_CONTACT", CRM_RETENTION_YEARS, minimum=1),
    "advice": env_int("RETENTION_YEARS_ADVICE", CRM_RETENTION_YEARS, minimum=1),
}
# An uploaded spreadsheet is removed when its import ends or fails; one left untouched this
# many hours (never run, or not run for real after its dry run) is removed by an hourly job.
IMPORT_FILE_HOURS = env_int("IMPORT_FILE_HOURS", 24, minimum=1)
# A dashboard reads a period's rollup as it stands for this many minutes after a write touched
# the period (saying "as of" when); older, it reads the raw figures until the job catches up.
REPORTS_ROLLUP_MAX_AGE = env_int("REPORTS_ROLLUP_MAX_AGE", 15, minimum=0)
# Off: every dashboard aggregates the raw tables (the benchmarks' baseline; a way out).
REPORTS_ROLLUPS = env_bool("REPORTS_ROLLUPS", True)
CELERY_BEAT_SCHEDULE = {
    "crm-retention": {"task": "oae.crm.tasks.apply_retention", "schedule": 24 * 60 * 60},
    "crm-import-files": {"task": "oae.crm.tasks.remove_import_files", "schedule": 60 * 60},
    # Each run sends only what has not been sent: running more often never sends twice.
    "appointment-reminders": {
        "task": "oae.cases.tasks.send_appointment_reminders",
        "schedule": 15 * 60,
    },
    "task-reminders": {"task": "oae.cases.tasks.send_task_reminders", "schedule": 60 * 60},
    # The dashboards' rollups: periods touched since the last run are computed again.
    "reports-rollups": {"task": "oae.reports.tasks.refresh_rollups", "schedule": 5 * 60},
    # The month before's reports, on the 1st at 6:00 (TIME_ZONE); run again, it replaces them.
    "reports-monthly": {
        "task": "oae.reports.tasks.generate_monthly_reports",
        "schedule": crontab(day_of_month="1", hour="6", minute="0"),
    },
    # Items completed (or opened again) by facts that change elsewhere: staff, cases, surveys.
    "opening-paths": {"task": "oae.opening.tasks.refresh_paths", "schedule": 15 * 60},
    # Each owner's overdue items and the stalled paths, on Mondays at 7:00.
    "opening-digest": {
        "task": "oae.opening.tasks.send_weekly_digests",
        "schedule": crontab(day_of_week="1", hour="7", minute="0"),
    },
}
