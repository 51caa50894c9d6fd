"""Categorisation's answers to signals from the kernel."""

from __future__ import annotations

from django.dispatch import receiver

from kernel.job_expiry import job_expired

from .models import Run


@receiver(job_expired, dispatch_uid="categorisation.run_job_expired")
def run_fail_with_expired_job(*, job_ids: list[int], error: str, now, **kwargs) -> None:
    """A run whose job was expired (its worker died) is failed with the job's message."""
    Run.objects.filter(job_id__in=job_ids, state__in=[Run.State.QUEUED, Run.State.RUNNING]).update(
        state=Run.State.FAILED, error=error, finished_at=now
    )
