"""The structure upload run by a real Celery worker on Redis (not eagerly in-process)."""

import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from clusters.jobs import STRUCTURE_IMPORT
from clusters.models import ClusterMembership
from kernel.models import Job


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
def test_worker_applies_an_uploaded_structure_and_the_job_succeeds(
    live_celery_worker, as_user, officer, world
):
    data = b"URN,cluster\r\n100004,Andover Cluster\r\n100001,Bishops Waltham Cluster\r\n"
    response = as_user("officer").post(
        "/structure/upload/", {"file": SimpleUploadedFile("structure.csv", data)}
    )

    job = wait_for(Job.objects.get(kind=STRUCTURE_IMPORT))
    assert response["Location"] == f"/jobs/{job.pk}/"
    assert job.state == Job.State.SUCCEEDED, live_celery_worker.output()
    assert job.result["counts"]["schools moved"] == 2
    assert job.result["counts"]["removed from clusters"] == 2
    current = ClusterMembership.objects.current()
    assert current.get(school=world.school_z).cluster == world.cluster_a1
    assert current.get(school=world.school_a).cluster == world.cluster_b1
    # Three memberships ended (school A moved, A2 and B removed) and two started.
    assert ClusterMembership.history.filter(history_user=officer).count() == 5
    # The task ran in the worker process, not in this one.
    assert "clusters.structure_import[" in live_celery_worker.output()
