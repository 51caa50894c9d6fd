"""A real Celery worker for tests: ``celery -A config worker --pool=solo -Q celery`` started as a
subprocess on Redis, using the pytest test database, and stopped by its PID afterwards.

Use the ``live_celery_worker`` fixture in a test marked ``@pytest.mark.worker``. It needs
committed rows (``transactional_db``), so the worker sees what the test writes, and switches the
in-process Celery app from eager mode to the broker for the test only. The broker is
``redis://127.0.0.1:6379/<db>`` with the database number from ``TEST_BROKER_URL`` (a URL or a
bare number), else 15: give each concurrent test run its own number.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlsplit

import kombu.pools
import pytest
from django.db import connection

BASE_DIR = Path(__file__).resolve().parent.parent
START_TIMEOUT = 30


@dataclass
class LiveWorker:
    pid: int
    name: str
    broker_url: str
    log: Path

    def output(self) -> str:
        return self.log.read_text(errors="replace")


def worker_broker_url() -> str:
    """Redis on 127.0.0.1:6379, database number from TEST_BROKER_URL, else 15."""
    value = os.environ.get("TEST_BROKER_URL", "").strip()
    db = value if value.isdigit() else (urlsplit(value).path.strip("/") or "15")
    return f"redis://127.0.0.1:6379/{db}"


def _database_url() -> str:
    """The test database (pytest-django's, e.g. test_<name>) as a DATABASE_URL."""
    db = connection.settings_dict
    user = quote(db.get("USER") or "")
    password = f":{quote(db['PASSWORD'])}" if db.get("PASSWORD") else ""
    host = f"{db.get('HOST') or '127.0.0.1'}:{db.get('PORT') or 5432}"
    return f"postgres://{user}{password}@{host}/{db['NAME']}"


def _reset_broker_connections(app) -> None:
    # The app caches its connection and producer pools, and kombu keeps them in a registry
    # (eager mode uses a memory:// producer too): clear both so the next send uses the broker
    # now configured, with fresh pools.
    kombu.pools.reset()
    app._pool = None
    amqp = app.__dict__.get("amqp")
    if amqp is not None:
        amqp._producer_pool = None


def _wait_until_ready(app, process: subprocess.Popen, name: str, log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"The Celery worker exited early:\n{log.read_text(errors='replace')}")
        replies = app.control.ping(timeout=0.5) or []
        if any(name in reply for reply in replies):
            return
    pytest.fail(f"The Celery worker did not answer ping:\n{log.read_text(errors='replace')}")


def _stop(process: subprocess.Popen) -> None:
    """Warm shutdown by PID (SIGTERM), then SIGKILL if it hangs."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


@contextlib.contextmanager
def worker_process(app, *, media_root: Path, log: Path) -> Iterator[LiveWorker]:
    """One worker subprocess on the test broker and database, stopped by its PID on exit.

    The in-process app must already send to the broker (``live_celery_worker`` does that); a
    test that kills its worker starts another one with this.
    """
    broker = worker_broker_url()
    name = f"pytest-{uuid.uuid4().hex[:8]}@{os.uname().nodename}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": _database_url(),
        "CONN_MAX_AGE": "0",
        "CELERY_BROKER_URL": broker,
        "MEDIA_ROOT": str(media_root),
    }
    command = [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=solo"]
    command += ["-Q", "celery", "-n", name, "--loglevel=INFO"]
    command += ["--without-gossip", "--without-mingle", "--without-heartbeat"]
    with log.open("wb") as out:
        process = subprocess.Popen(command, cwd=BASE_DIR, env=env, stdout=out, stderr=out)
    try:
        _wait_until_ready(app, process, name, log)
        yield LiveWorker(pid=process.pid, name=name, broker_url=broker, log=log)
    finally:
        _stop(process)


@pytest.fixture
def live_celery_worker(transactional_db, settings, tmp_path):
    """A Celery worker subprocess on Redis that runs tasks against the test database."""
    from config.celery import app

    settings.MEDIA_ROOT = tmp_path / "media"
    saved = {key: app.conf[key] for key in ("task_always_eager", "broker_url")}
    try:
        app.conf.update(task_always_eager=False, broker_url=worker_broker_url())
        _reset_broker_connections(app)
        log = tmp_path / "celery-worker.log"
        with worker_process(app, media_root=settings.MEDIA_ROOT, log=log) as worker:
            yield worker
    finally:
        app.conf.update(saved)
        _reset_broker_connections(app)
