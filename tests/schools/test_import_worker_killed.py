"""A real Celery worker killed by its PID in the middle of an import's write.

The worker is held inside its write transaction (after it has updated the schools, while it
waits to write their audit trail) by a table lock this test holds, then killed with SIGKILL.
"""

from __future__ import annotations

import datetime
import os
import signal
import time

import psycopg2
import pytest
from django.db import connection
from django.utils import timezone
from kombu import Connection

from kernel.job_expiry import jobs_expire_stale
from kernel.models import Job
from schools.gias_import import HISTORY, gias_import
from schools.models import School
from tests.schools.test_import_gias import SURREY_2021, edit, gias_file
from tests.schools.test_import_page import URL, upload
from tests.schools.test_import_worker import wait_for
from tests.workers import worker_process

EXPIRED = (
    "The import stopped because the server restarted or the job took longer than 30 minutes. "
    "Nothing was changed: upload the file again."
)


def renamed(data: bytes) -> bytes:
    """The file with every school renamed, so a second import updates all of them."""

    def change(rows):
        name = rows[0].index("EstablishmentName")
        for row in rows[1:]:
            if row:
                row[name] += " (renamed)"

    return edit(data, change)


def register() -> dict[int, str]:
    return dict(School.objects.values_list("urn", "name"))


def lock_the_audit_trail():
    """Another session's lock that makes every INSERT into the schools' history wait."""
    held = psycopg2.connect(
        dbname=connection.settings_dict["NAME"], user="postgres", host="127.0.0.1"
    )
    with held.cursor() as cursor:
        cursor.execute(f'LOCK TABLE "{HISTORY._meta.db_table}" IN EXCLUSIVE MODE')
    return held


def worker_backend_waiting_inside_its_write(timeout: float = 60) -> int:
    """The PostgreSQL backend of the worker once it has written schools and waits on the lock."""
    sql = """
        SELECT activity.pid FROM pg_stat_activity AS activity
        JOIN pg_locks AS held ON held.pid = activity.pid AND held.granted
            AND held.relation = %s::regclass AND held.mode = 'RowExclusiveLock'
        WHERE activity.datname = current_database() AND activity.pid <> pg_backend_pid()
            AND activity.wait_event_type = 'Lock'
    """
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with connection.cursor() as cursor:
            cursor.execute(sql, [School._meta.db_table])
            row = cursor.fetchone()
        if row:
            return row[0]
        time.sleep(0.1)
    pytest.fail("The worker never reached its write")


def wait_until_gone(backend_pid: int, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_stat_activity WHERE pid = %s", [backend_pid])
            if cursor.fetchone() is None:
                return
        time.sleep(0.1)
    pytest.fail("The killed worker's database session did not end")


def redeliver_unacknowledged(broker_url: str) -> None:
    """What Redis does for a dead worker's task once its visibility timeout has passed."""
    with Connection(broker_url, transport_options={"visibility_timeout": 0}) as broker:
        broker.default_channel.qos.restore_visible(num=100)


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_killed_import_changes_nothing_expires_and_the_same_file_then_imports(
    live_celery_worker, as_user, officer, shared_data, settings, tmp_path
):
    from config.celery import app

    officer_client = as_user("officer")
    officer_client.post(URL, upload(gias_file(shared_data, SURREY_2021)))
    assert wait_for(Job.objects.get()).state == Job.State.SUCCEEDED
    before, history_before = register(), HISTORY.objects.count()
    new_file = renamed(gias_file(shared_data, SURREY_2021))
    expected = gias_import(data=new_file, dry_run=True).counts
    assert expected == {"created": 0, "updated": 397, "unchanged": 0, "skipped": 193}

    held = lock_the_audit_trail()
    try:
        officer_client.post(URL, upload(new_file))
        killed_job = Job.objects.latest("pk")
        backend = worker_backend_waiting_inside_its_write()
        os.kill(live_celery_worker.pid, signal.SIGKILL)
    finally:
        held.rollback()
        held.close()
    wait_until_gone(backend)

    killed_job.refresh_from_db()
    assert killed_job.state == Job.State.RUNNING
    assert killed_job.stage == "Saving 397 schools"
    assert register() == before
    assert HISTORY.objects.count() == history_before
    # Within the time limit the job page still shows it running.
    page = officer_client.get(f"{URL}{killed_job.pk}/").content.decode()
    assert "Saving 397 schools" in page

    later = timezone.now() + datetime.timedelta(minutes=31)
    assert jobs_expire_stale(now=later) == 1
    killed_job.refresh_from_db()
    assert killed_job.state == Job.State.FAILED
    assert killed_job.error == EXPIRED
    assert (
        EXPIRED.replace("'", "&#x27;")
        in officer_client.get(f"{URL}{killed_job.pk}/").content.decode()
    )

    log = tmp_path / "second-worker.log"
    with worker_process(app, media_root=settings.MEDIA_ROOT, log=log) as second:
        # The killed delivery comes back; its job has failed, so the task leaves it alone.
        redeliver_unacknowledged(second.broker_url)
        deadline = time.monotonic() + 30
        while "already finished" not in second.output() and time.monotonic() < deadline:
            time.sleep(0.2)
        assert f"GIAS import job {killed_job.pk} not found or already finished" in second.output()
        killed_job.refresh_from_db()
        assert killed_job.state == Job.State.FAILED
        assert register() == before

        officer_client.post(URL, upload(new_file))
        again = wait_for(Job.objects.latest("pk"))

    assert again.state == Job.State.SUCCEEDED, second.output()
    assert again.result["counts"] == expected
    surrey = set(School.objects.filter(la_code="936").values_list("urn", flat=True))
    assert len(surrey) == 397
    assert register() == {
        urn: f"{name} (renamed)" if urn in surrey else name for urn, name in before.items()
    }
    assert HISTORY.objects.count() == history_before + 397
