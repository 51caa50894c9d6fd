"""Services for background jobs: create one with its file, report progress, finish it.

A Celery task takes a job id, calls ``job_start``, does its work through one service that calls
``job_progress`` now and then (while it reads and validates, before its atomic write), and ends
with ``job_succeed`` or ``job_fail``; ``job_run`` does all of that for work on an uploaded file.
A failed job leaves the previous results in place because the work's write is atomic.

Each app registers the kinds of job it runs with ``job_kind_register`` (in its ``jobs.py``), so
the kernel names no app and a new kind needs no migration.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.utils import timezone

from .models import Job
from .uploads import UploadRefused, problems_result

logger = logging.getLogger(__name__)

ProgressCallback = Callable[[int, str], None]


@dataclass(frozen=True)
class JobKind:
    value: str
    label: str
    # Who may download the file a job of this kind was given (None: it has none to download).
    file_permission: str | None = None
    # How a user is told the job stopped (``job_expiry``): what it was, what was kept, what to do.
    noun: str = "import"
    unchanged: str = "Nothing was changed"
    again: str = "upload the file again"


JOB_KINDS: dict[str, JobKind] = {}


def job_kind_register(value: str, label: str, **details) -> str:
    """Declare a kind of job (its stored value, the label pages show, and the details of
    ``JobKind``); returns the value."""
    kind = JobKind(value, label, **details)
    known = JOB_KINDS.get(value)
    if known is not None and known != kind:
        raise ValueError(f"Job kind {value!r} is already registered as {known.label!r}")
    JOB_KINDS[value] = kind
    return value


def job_kind(value: str) -> JobKind | None:
    return JOB_KINDS.get(value)


def job_kind_label(value: str) -> str:
    """The label of a registered kind (an unknown one, from an app since removed, by its value)."""
    kind = JOB_KINDS.get(value)
    return kind.label if kind else value.replace("_", " ").capitalize()


class JobInputInvalid(Exception):
    """The job's input was refused: the message is shown, the result lists the problems (the
    first ``PROBLEMS_KEPT`` are kept, with their total in ``problem_total``)."""

    def __init__(self, message: str, *, result: dict | None = None) -> None:
        super().__init__(message)
        self.message, self.result = message, result


def file_checksum(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def job_create(
    *,
    kind: str,
    created_by,
    data: bytes | None = None,
    filename: str = "",
    options: dict | None = None,
) -> Job:
    """Record a queued job, keeping the uploaded file and its SHA-256 checksum."""
    job = Job(kind=kind, created_by=created_by, options=options or {}, original_filename=filename)
    if data is not None:
        job.checksum = file_checksum(data)
        job.file.save(filename or "upload.csv", ContentFile(data), save=False)
    job.save()
    return job


def _update(job_id: int, **fields) -> None:
    # An UPDATE of the named fields only, so progress never overwrites what the work wrote.
    Job.objects.filter(pk=job_id).update(**fields)


def job_start(*, job: Job) -> None:
    """Mark the job running."""
    job.state, job.started_at, job.progress = Job.State.RUNNING, timezone.now(), 0
    job.heartbeat_at = job.started_at
    _update(
        job.pk,
        state=job.state,
        started_at=job.started_at,
        heartbeat_at=job.heartbeat_at,
        progress=0,
        stage="Starting",
    )


def job_progress(*, job: Job) -> ProgressCallback:
    """A callback that records per-cent progress and the current stage of the job.

    Call it outside the work's atomic block (read, validate, then write atomically): inside an
    uncommitted transaction the update would not be seen by the page until the end.
    """

    def report(percent: int, stage: str) -> None:
        # The heartbeat tells jobs_expire_stale (job_expiry.py) that the worker is alive.
        percent = max(0, min(100, int(percent)))
        _update(job.pk, progress=percent, stage=stage[:200], heartbeat_at=timezone.now())

    return report


def job_succeed(*, job: Job, result: dict) -> None:
    """Mark the job done with its outcome."""
    if isinstance(result.get("counts"), dict):
        # PostgreSQL's jsonb does not keep key order: keep the order the service gave.
        result = {**result, "count_order": list(result["counts"])}
    job.state, job.result, job.progress, job.error = Job.State.SUCCEEDED, result, 100, ""
    job.finished_at = timezone.now()
    _update(
        job.pk,
        state=job.state,
        result=result,
        progress=100,
        finished_at=job.finished_at,
        stage="Done",
        error="",  # a job expired while it was only slow keeps no stale message
    )


def job_fail(*, job: Job, error: str, result: dict | None = None) -> None:
    """Mark the job failed: the message is shown to the user, the result lists the first
    problems and counts them all (a file with a problem on every row stays a small result)."""
    job.state, job.error, job.result = Job.State.FAILED, error, problems_result(result or {})
    job.finished_at = timezone.now()
    _update(
        job.pk,
        state=job.state,
        error=error,
        result=job.result,
        finished_at=job.finished_at,
        stage="Failed",
    )


def job_run(*, job: Job, work: Callable[[bytes], dict], unexpected: str) -> dict | None:
    """Run the work on the job's file and mark the job running, then succeeded or failed.

    ``work`` returns the result to record, or raises ``JobInputInvalid`` to fail the job with
    its message and problems. Anything else it raises fails the job with ``unexpected`` (the
    details go to the log, not the user). Returns the recorded result, or None if it failed.
    """
    job_start(job=job)
    try:
        with job.file.open("rb") as upload:
            data = upload.read()
        result = work(data)
    except JobInputInvalid as invalid:
        job_fail(job=job, error=invalid.message, result=invalid.result)
        return None
    except UploadRefused as refused:
        job_fail(job=job, error=refused.message)
        return None
    except Exception:
        logger.exception("%s job %s stopped", job.get_kind_display(), job.pk)
        job_fail(job=job, error=unexpected)
        return None
    job_succeed(job=job, result=result)
    return result
