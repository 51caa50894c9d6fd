"""Celery task for board packs: an adapter that takes a job id and calls one service."""

from __future__ import annotations

import logging

from celery import shared_task

from kernel.models import Job

from .jobs import BOARD_PACK

logger = logging.getLogger(__name__)


@shared_task(name="board.pack_build")
def board_pack_task(job_id: int) -> None:
    """Build the board pack a queued job asks for and record the outcome on the job."""
    from .pack import pack_build

    job = Job.objects.filter(pk=job_id, kind=BOARD_PACK).select_related("created_by").first()
    if job is None or job.is_finished:
        # Gone, or built by an earlier delivery of this message: nothing to do again.
        logger.info("Board pack job %s not found or already finished", job_id)
        return
    pack_build(job=job)
