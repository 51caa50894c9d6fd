"""The upload page's import run by a real Celery worker on Redis (not eagerly in-process)."""

from __future__ import annotations

import time

import pytest

from kernel.models import Job
from schools.models import School
from tests.schools.test_import_gias import SURREY_2021, gias_file
from tests.schools.test_import_page import URL, upload


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
def test_worker_runs_an_uploaded_import_and_the_job_succeeds(
    live_celery_worker, as_user, officer, shared_data
):
    response = as_user("officer").post(URL, upload(gias_file(shared_data, SURREY_2021)))

    job = wait_for(Job.objects.get())
    assert response["Location"] == f"/schools/import/{job.pk}/"
    assert job.state == Job.State.SUCCEEDED, live_celery_worker.output()
    assert job.result["counts"] == {"created": 397, "updated": 0, "unchanged": 0, "skipped": 193}
    assert School.objects.filter(la_code="936").count() == 397
    assert School.history.filter(la_code="936", history_user=officer).count() == 397
    # The task ran in the worker process, not in this one.
    assert "schools.gias_import[" in live_celery_worker.output()
    assert job.started_at and job.finished_at
