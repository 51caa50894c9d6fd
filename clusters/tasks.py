"""Celery tasks for the structure: ids in, one service, progress recorded on the job."""

from __future__ import annotations

from celery import shared_task
from django.core.exceptions import ValidationError

from kernel.jobs import JobInputInvalid, job_progress, job_run
from kernel.models import Job

from .services import StructureFileInvalid, structure_import


@shared_task(name="clusters.structure_import")
def structure_import_task(job_id: int) -> None:
    """Apply an uploaded structure file and record the outcome (or every problem) on its job."""
    job = Job.objects.select_related("created_by").get(pk=job_id)
    if job.is_finished:  # a redelivered task must not apply the file twice
        return

    def work(data: bytes) -> dict:
        try:
            return structure_import(
                data=data,
                by=job.created_by,
                create_missing=job.options.get("create_missing", True),
                progress=job_progress(job=job),
            )
        except StructureFileInvalid as invalid:
            result = {"counts": {}, "errors": invalid.problems}
            raise JobInputInvalid(invalid.message, result=result) from invalid
        except ValidationError as refused:
            raise JobInputInvalid(" ".join(refused.messages)) from refused

    job_run(
        job=job,
        work=work,
        unexpected="The structure could not be applied. Nothing was changed. Try again later.",
    )
