"""A categorisation run executed by a real Celery worker on Redis (not eagerly in-process)."""

from __future__ import annotations

import time

import pytest

from categorisation.models import Result, Run
from categorisation.runs import run_create
from kernel.models import Job
from tests.categorisation.test_runs import Y19, release_add, rules_adopt, value_add


def wait_for(run: Run, timeout: float = 60) -> Run:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        run.refresh_from_db()
        if run.state in (Run.State.SUCCEEDED, Run.State.FAILED):
            return run
        time.sleep(0.2)
    return run


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_worker_executes_a_queued_run_and_records_it_on_the_job(
    live_celery_worker, world, officer
):
    adopted = rules_adopt()
    value_add(world.school_a, "KS2_PTRWM_EXP", Y19, 50, release=release_add())

    run = run_create(rule_set=adopted, by=officer, trigger="Started by an officer")

    run = wait_for(run)
    assert run.state == Run.State.SUCCEEDED, live_celery_worker.output()
    assert Result.objects.get(run=run, school=world.school_a).category == "3"
    assert Result.objects.filter(run=run).count() == 4
    job = Job.objects.get(pk=run.job_id)
    assert (job.state, job.progress, job.result["run"]) == (Job.State.SUCCEEDED, 100, run.pk)
    # The task ran in the worker process, not in this one.
    assert "categorisation.run[" in live_celery_worker.output()
