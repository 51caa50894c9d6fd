"""Celery application: tasks run eagerly unless CELERY_BROKER_URL names a broker."""

import os

from celery import Celery
from celery.schedules import crontab

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
    "database: validate the keys a large import added back NOT VALID, every 5 minutes": {
        "task": "kernel.foreign_keys_validate",
        "schedule": 300.0,
    },
    "brokerage: remind reviewers of progress reviews due, daily at 7am": {
        "task": "brokerage.review_reminders",
        "schedule": crontab(hour=7, minute=0),
    },
    "brokerage: weekly digest of what waits for each person, Mondays at 7am": {
        "task": "brokerage.weekly_digest",
        "schedule": crontab(hour=7, minute=15, day_of_week="mon"),
    },
}
