"""Celery tasks for the structure: ids in, one service, progress recorded on the job."""

from __future__ import annotations

import logging

from celery import shared_task
from django.core.exceptions import ValidationError

from partnership.jobs import job_fail, job_progress, job_start, job_succeed
from partnership.models import Job

from .services import StructureFileInvalid, structure_import

logger = logging.getLogger(__name__)


@shared_task(name="clusters.structure_import")
def structure_import_task(job_id: int) -> None:
    """Apply an uploaded structure file and record the outcome (or every problem) on its job."""
    job = Job.objects.select_related("created_by").get(pk=job_id)
    if job.is_finished:  # a redelivered task must not apply the file twice
        return
    job_start(job=job)
    try:
        with job.file.open("rb") as upload:
            data = upload.read()
        result = structure_import(
            data=data,
            by=job.created_by,
            create_missing=job.options.get("create_missing", True),
            progress=job_progress(job=job),
        )
    except StructureFileInvalid as invalid:
        job_fail(job=job, error=invalid.message, result={"counts": {}, "errors": invalid.problems})
    except ValidationError as refused:
        job_fail(job=job, error=" ".join(refused.messages))
    except Exception:
        logger.exception("Structure import %s failed", job_id)
        job_fail(
            job=job,
            error="The structure could not be applied. Nothing was changed. Try again later.",
        )
    else:
        job_succeed(job=job, result=result)
