"""Production: PostgreSQL, HTTPS behind a reverse proxy, every secret from the environment."""

from django.core.exceptions import ImproperlyConfigured

from config.settings.base import *  # noqa: F403
from config.settings.env import env_bool, env_int, env_list, env_secret_key

DEBUG = env_bool("DEBUG", False)
if DEBUG:
    raise ImproperlyConfigured("DEBUG must be off in production mode")

SECRET_KEY = env_secret_key("SECRET_KEY")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [])
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must list the host names that serve the app")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [f"https://{h}" for h in ALLOWED_HOSTS])

MFA_DEMO_ENROLMENT_ALLOWED = False

# Every process must count sign-in attempts and public-tool uses together, and jobs need a
# broker: without Redis the cache (and so each rate limit) would be per process.
if not REDIS_URL:  # noqa: F405
    raise ImproperlyConfigured(
        "REDIS_URL must be set in production: rate-limit counters, the cache and the jobs' "
        "queue live there, shared by every process"
    )

# Certificates signed with a key only this process knows would stop verifying on restart.
if not CREDENTIAL_SIGNING_KEY:  # noqa: F405
    raise ImproperlyConfigured(
        "CREDENTIAL_SIGNING_KEY must be set in production: the private key (a JWK) that signs "
        "training credentials; make one with `python manage.py credential_key`"
    )

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 60 * 60 * 10)
MFA_TRUST_COOKIE_SECURE = True
LANGUAGE_COOKIE_SECURE = True
