"""Celery tasks for the register: adapters that take a job id and call one service."""

from __future__ import annotations

import logging

from celery import shared_task

from kernel.jobs import JobInputInvalid, job_progress, job_run
from kernel.models import Job
from schools.jobs import GIAS_IMPORT

from .gias_import import gias_import

logger = logging.getLogger(__name__)


@shared_task(name="schools.gias_import")
def gias_import_task(job_id: int) -> None:
    """Run a queued GIAS import job and record its outcome (counts, or every problem) on it."""
    job = Job.objects.filter(pk=job_id, kind=GIAS_IMPORT).first()
    if job is None or job.is_finished:
        # Gone, or already run by an earlier delivery of this message: nothing to do again.
        logger.info("GIAS import job %s not found or already finished", job_id)
        return

    def work(data: bytes) -> dict:
        result = gias_import(
            data=data,
            la_codes=job.options.get("la_codes") or None,
            by=job.created_by,
            progress=job_progress(job=job),
        )
        if result.errors:
            errors, total = result.problems
            raise JobInputInvalid(result.summary, result={"errors": errors, "problem_total": total})
        return {"summary": result.summary, "counts": result.counts, "errors": []}

    job_run(job=job, work=work, unexpected="The import stopped unexpectedly. Nothing was changed.")
