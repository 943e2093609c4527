"""The Celery app. Jobs run on workers: brokered by an SQLite file in var/ by default (`make run`
starts one worker with the scheduler in it), by Redis when REDIS_URL is set."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")

app = Celery("oae")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
