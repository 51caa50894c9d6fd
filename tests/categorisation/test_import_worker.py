"""An upload on the data page imported by a real Celery worker on Redis (not eagerly)."""

from __future__ import annotations

import time

import pytest

from categorisation.jobs import PERFORMANCE_IMPORT
from categorisation.models import DataRelease, MeasureValue
from kernel.models import Job
from tests.categorisation.test_data_page import KS2_850, URL, upload
from tests.categorisation.test_import_ks2 import ks2_file


def wait_for(job: Job, timeout: float = 60) -> Job:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if job.is_finished:
            return job
        time.sleep(0.2)
    return job


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_worker_imports_an_uploaded_ks2_file(
    live_celery_worker, as_user, officer, register, shared_data
):
    response = as_user("officer").post(URL, upload(ks2_file(shared_data, KS2_850)))

    job = wait_for(Job.objects.get(kind=PERFORMANCE_IMPORT))
    assert response["Location"] == f"/categorisation/data/{job.pk}/"
    assert job.state == Job.State.SUCCEEDED, live_celery_worker.output()
    assert job.result["import"]["schools_matched"] == 315
    assert MeasureValue.objects.filter(is_current=True, academic_year="2018-2019").count() == 3780
    assert DataRelease.objects.get(from_release=None).job == job
    assert job.started_at and job.finished_at
    # The task ran in the worker process, not in this one.
    assert "categorisation.performance_import[" in live_celery_worker.output()
