"""Jobs whose worker died are failed after a while, with a message saying what to do."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from django_celery_beat.models import PeriodicTask
from django_celery_beat.schedulers import DatabaseScheduler

from categorisation.jobs import PERFORMANCE_IMPORT
from categorisation.models import Run
from categorisation.tasks import categorisation_run_task, performance_import_task
from clusters.jobs import STRUCTURE_IMPORT
from clusters.tasks import structure_import_task
from config.celery import app
from kernel.job_expiry import jobs_expire_stale
from kernel.jobs import job_create, job_progress, job_start, job_succeed
from kernel.models import Job
from kernel.tasks import jobs_expire_stale_task
from schools.jobs import GIAS_IMPORT
from schools.models import School
from schools.tasks import gias_import_task
from tests.categorisation.test_runs import new_run, rules_adopt

pytestmark = pytest.mark.django_db

IMPORT_STOPPED = (
    "The import stopped because the server restarted or the job took longer than 30 minutes. "
    "Nothing was changed: upload the file again."
)
NEVER_STARTED = (
    "The import did not start within 1 hour because the server was not running background "
    "jobs. Nothing was changed: upload the file again."
)
RUN_STOPPED = (
    "The run stopped because the server restarted or the job took longer than 30 minutes. "
    "No results were saved and the agreed categorisation has not changed: start the run again."
)


def minutes_ago(minutes: int) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(minutes=minutes)


def running_job(*, silent_for: int, kind: str = GIAS_IMPORT) -> Job:
    job = job_create(kind=kind, created_by=None, data=b"URN\n", filename="register.csv")
    job_start(job=job)
    Job.objects.filter(pk=job.pk).update(heartbeat_at=minutes_ago(silent_for))
    return job


def state_of(job: Job) -> str:
    job.refresh_from_db()
    return job.state


def test_starting_and_reporting_progress_record_a_heartbeat():
    job = job_create(kind=GIAS_IMPORT, created_by=None)
    assert job.heartbeat_at is None
    job_start(job=job)
    job.refresh_from_db()
    started = job.heartbeat_at
    assert started == job.started_at

    job_progress(job=job)(40, "Checking rows")
    job.refresh_from_db()
    assert job.heartbeat_at > started
    assert (job.progress, job.stage) == (40, "Checking rows")


def test_running_job_silent_for_over_30_minutes_is_failed_with_what_to_do_next():
    dead, alive = running_job(silent_for=31), running_job(silent_for=29)
    done = running_job(silent_for=120)
    job_succeed(job=done, result={"counts": {"created": 1}})

    assert jobs_expire_stale() == 1

    dead.refresh_from_db()
    assert (dead.state, dead.error, dead.stage) == (Job.State.FAILED, IMPORT_STOPPED, "Failed")
    assert dead.finished_at is not None
    assert state_of(alive) == Job.State.RUNNING
    assert state_of(done) == Job.State.SUCCEEDED


def test_expiry_at_a_later_time_fails_the_job_that_is_still_silent():
    job = running_job(silent_for=0)
    assert jobs_expire_stale() == 0
    assert jobs_expire_stale(now=timezone.now() + datetime.timedelta(minutes=31)) == 1
    assert state_of(job) == Job.State.FAILED


def test_queued_job_no_worker_started_within_an_hour_is_failed():
    waiting = job_create(kind=STRUCTURE_IMPORT, created_by=None)
    recent = job_create(kind=STRUCTURE_IMPORT, created_by=None)
    Job.objects.filter(pk=waiting.pk).update(created_at=minutes_ago(61))

    assert jobs_expire_stale() == 1

    waiting.refresh_from_db()
    assert (waiting.state, waiting.error) == (Job.State.FAILED, NEVER_STARTED)
    assert state_of(recent) == Job.State.QUEUED


def test_the_time_limit_and_its_message_follow_the_setting(settings):
    settings.JOB_STALE_AFTER = datetime.timedelta(minutes=5)
    job = running_job(silent_for=6)

    assert jobs_expire_stale() == 1

    job.refresh_from_db()
    assert "took longer than 5 minutes." in job.error


def test_a_slow_job_that_finishes_after_it_was_expired_records_what_it_did():
    job = running_job(silent_for=45)
    jobs_expire_stale()

    job_succeed(job=job, result={"counts": {"created": 3}})

    job.refresh_from_db()
    assert (job.state, job.error) == (Job.State.SUCCEEDED, "")


def test_job_page_shows_a_job_whose_worker_died_as_failed_without_beat(as_user):
    job = running_job(silent_for=31)

    page = as_user("officer").get(f"/jobs/{job.pk}/").content.decode()

    assert "School register import failed" in page
    assert IMPORT_STOPPED in page
    assert state_of(job) == Job.State.FAILED


def test_register_import_history_shows_a_job_whose_worker_died_as_failed(as_user):
    running_job(silent_for=31)

    page = as_user("officer").get("/schools/import/").content.decode()

    assert IMPORT_STOPPED in page


@pytest.mark.parametrize(
    "kind, task",
    [
        (GIAS_IMPORT, gias_import_task),
        (STRUCTURE_IMPORT, structure_import_task),
        (PERFORMANCE_IMPORT, performance_import_task),
    ],
)
def test_a_redelivered_task_for_an_expired_job_does_nothing(world, kind, task):
    job = running_job(silent_for=31, kind=kind)
    jobs_expire_stale()
    schools = School.objects.count()

    task(job.pk)

    job.refresh_from_db()
    assert (job.state, job.error) == (Job.State.FAILED, IMPORT_STOPPED)
    assert School.objects.count() == schools


def test_a_run_whose_job_expired_is_failed_and_a_redelivered_task_leaves_it(world, as_user):
    run = new_run(rules_adopt())
    job_start(job=run.job)
    Run.objects.filter(pk=run.pk).update(state=Run.State.RUNNING)
    Job.objects.filter(pk=run.job_id).update(heartbeat_at=minutes_ago(31))

    page = as_user("officer").get(f"/categorisation/runs/{run.pk}/").content.decode()

    run.refresh_from_db()
    assert (run.state, run.error) == (Run.State.FAILED, RUN_STOPPED)
    assert RUN_STOPPED in page
    categorisation_run_task(run_id=run.pk)
    run.refresh_from_db()
    assert run.state == Run.State.FAILED
    assert not run.results.exists()


@pytest.mark.django_db(transaction=True)  # the scheduler closes the database connection
def test_beat_fails_stale_jobs_every_five_minutes():
    job = running_job(silent_for=31)
    entry = app.conf.beat_schedule["jobs: fail stale jobs every 5 minutes"]

    assert entry["schedule"] == 300.0
    assert entry["task"] == jobs_expire_stale_task.name and entry["task"] in app.tasks
    # Beat's database scheduler copies the entry into django_celery_beat's table.
    DatabaseScheduler(app=app)
    synced = PeriodicTask.objects.get(name="jobs: fail stale jobs every 5 minutes")
    assert (synced.task, synced.interval.every, synced.enabled) == (entry["task"], 300, True)
    assert jobs_expire_stale_task() == 1
    assert state_of(job) == Job.State.FAILED
