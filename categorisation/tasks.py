"""Celery tasks for categorisation: adapters that take an id and call one service."""

from __future__ import annotations

import logging

from celery import shared_task

from categorisation.jobs import PERFORMANCE_IMPORT
from kernel.models import Job

logger = logging.getLogger(__name__)


@shared_task(name="categorisation.performance_import")
def performance_import_task(job_id: int) -> None:
    """Run a queued performance data import job and record its outcome on the job."""
    from .performance_import import performance_import_job_run

    job = Job.objects.filter(pk=job_id, kind=PERFORMANCE_IMPORT).first()
    if job is None or job.is_finished:
        # Gone, or already run by an earlier delivery of this message: nothing to do again.
        logger.info("Performance import job %s not found or already finished", job_id)
        return
    performance_import_job_run(job=job)


@shared_task(name="categorisation.run")
def categorisation_run_task(run_id: int) -> None:
    """Execute a queued categorisation run, recording its progress and outcome on its job."""
    from kernel.jobs import job_progress

    from .models import Run
    from .runs import run_execute

    run = Run.objects.select_related("job").filter(pk=run_id).first()
    if run is None or run.state in (Run.State.SUCCEEDED, Run.State.FAILED):
        # Gone, or finished by an earlier delivery of this message (or failed when its worker
        # died and the job expired: the officer was told to start a new run): nothing to do.
        logger.info("Categorisation run %s not found or already finished", run_id)
        return
    run_execute(run=run, progress=job_progress(job=run.job) if run.job_id else None)
