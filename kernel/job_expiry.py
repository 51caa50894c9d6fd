"""Jobs whose worker died: marked failed after a while, so no page shows "Running" for ever.

A worker killed mid-job (a restart, an out-of-memory kill) never calls ``job_fail``. Its job
keeps the state it had, so ``jobs_expire_stale`` fails running jobs whose heartbeat
(``job_start`` and every ``job_progress`` call record one) is older than ``JOB_STALE_AFTER``, and
queued jobs no worker picked up within ``JOB_QUEUED_STALE_AFTER``. Celery beat runs it every
few minutes, and the job pages run it when they are viewed, so eager mode (no broker, no beat)
recovers too. Nothing needs undoing: each job's write is atomic, so a killed worker's
transaction was rolled back by the database.

Redelivery: tasks are acknowledged late (CELERY_TASK_ACKS_LATE), so the task of a worker that
died is handed out again by Redis after the broker's visibility timeout, which settings keep
longer than both limits here. By then its job has expired, and every task does nothing for a
finished job: a file the user was told to upload again is never applied behind their back. A
task that does run again (its job not yet expired) starts from scratch, which is safe because the
dead attempt's write was rolled back. CELERY_TASK_REJECT_ON_WORKER_LOST stays off: a task whose
pool process was killed (out of memory, say) is not requeued to kill the next one; its job expires.

A job that was only slow, not dead, may still finish after it was expired: its own
``job_succeed`` then replaces the failure, because the work's outcome is the truth.

How the message names the job and what to do comes from its kind's registration
(``kernel.jobs.job_kind_register``). Apps that track the job on their own records (a
categorisation run) connect to ``job_expired``, sent once per batch with the job ids and the
message.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.dispatch import Signal
from django.utils import timezone

from .jobs import JobKind, job_kind
from .models import Job

job_expired = Signal()  # sender=Job, job_ids=list[int], error=str, now=datetime

STALLED = (
    "The {what} stopped because the server restarted or the job took longer than {limit}. "
    "{nothing}: {again}."
)
NEVER_STARTED = (
    "The {what} did not start within {limit} because the server was not running "
    "background jobs. {nothing}: {again}."
)


def _duration(delta: datetime.timedelta) -> str:
    minutes = round(delta.total_seconds() / 60)
    if minutes and minutes % 60 == 0:
        hours = minutes // 60
        return f"{hours} hour{'s' if hours != 1 else ''}"
    return f"{minutes} minute{'s' if minutes != 1 else ''}"


def job_expiry_message(*, kind: str, state: str) -> str:
    """The message a user sees on a job that was expired in the given state."""
    details = job_kind(kind) or JobKind(kind, kind)
    words = {"what": details.noun, "nothing": details.unchanged, "again": details.again}
    if state == Job.State.QUEUED:
        return NEVER_STARTED.format(limit=_duration(settings.JOB_QUEUED_STALE_AFTER), **words)
    return STALLED.format(limit=_duration(settings.JOB_STALE_AFTER), **words)


def _stale(now: datetime.datetime) -> dict[str, Q]:
    running_cutoff = now - settings.JOB_STALE_AFTER
    # Jobs started before heartbeats were recorded fall back to their start time.
    silent = Q(heartbeat_at__lt=running_cutoff) | Q(
        heartbeat_at__isnull=True, started_at__lt=running_cutoff
    )
    return {
        Job.State.RUNNING: Q(state=Job.State.RUNNING) & silent,
        Job.State.QUEUED: Q(
            state=Job.State.QUEUED, created_at__lt=now - settings.JOB_QUEUED_STALE_AFTER
        ),
    }


def jobs_expire_stale(*, now: datetime.datetime | None = None) -> int:
    """Mark failed the running jobs with no heartbeat lately and the queued ones never started.

    Returns how many jobs it failed. One query when there is nothing to do.
    """
    now = now or timezone.now()
    stale = _stale(now)
    found = Job.objects.filter(stale[Job.State.RUNNING] | stale[Job.State.QUEUED])
    groups = set(found.values_list("state", "kind"))
    expired = 0
    for state, kind in sorted(groups):
        error = job_expiry_message(kind=kind, state=state)
        with transaction.atomic():
            # Locked rows belong to a worker writing its progress this instant: alive, skip.
            locked = Job.objects.select_for_update(skip_locked=True).filter(stale[state], kind=kind)
            job_ids = list(locked.values_list("pk", flat=True))
            Job.objects.filter(pk__in=job_ids).update(
                state=Job.State.FAILED, error=error, finished_at=now, stage="Failed"
            )
            job_expired.send(sender=Job, job_ids=job_ids, error=error, now=now)
        expired += len(job_ids)
    return expired
