"""The Celery app: in-process (eager) by default, Redis-brokered workers when REDIS_URL is set."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")

app = Celery("oae")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
