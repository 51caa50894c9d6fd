"""Celery tasks for the kernel's jobs."""

from __future__ import annotations

import logging

from celery import shared_task

from .bulk import foreign_keys_validate
from .job_expiry import jobs_expire_stale

logger = logging.getLogger(__name__)


@shared_task(name="kernel.jobs_expire_stale")
def jobs_expire_stale_task() -> int:
    """Fail the jobs whose worker stopped (no heartbeat) or that no worker picked up."""
    expired = jobs_expire_stale()
    if expired:
        logger.warning("Marked %s stale job(s) failed", expired)
    return expired


@shared_task(name="kernel.foreign_keys_validate")
def foreign_keys_validate_task() -> list[str]:
    """Validate the foreign keys a large import added back ``NOT VALID`` (``kernel.bulk``)."""
    validated = foreign_keys_validate()
    if validated:
        logger.info("Validated foreign keys %s", ", ".join(validated))
    return validated
