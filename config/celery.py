"""Celery application: tasks run eagerly unless CELERY_BROKER_URL names a broker."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("partnership")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# Periodic tasks. The DatabaseScheduler (CELERY_BEAT_SCHEDULER) copies these into
# django_celery_beat's tables when beat starts, where the admin can see them.
app.conf.beat_schedule = {
    "jobs: fail stale jobs every 5 minutes": {
        "task": "kernel.jobs_expire_stale",
        "schedule": 300.0,
    },
}
