"""Benchmark: the pages at national scale, under load (``make loadtest``).

1. Builds the national data set (``dataset.py``: 40,100 schools, 22,000 open, 8 alliances × 25
   clusters, people of every role, performance data and 6 runs) in a throwaway PostgreSQL
   database, ``bench_loadtest``, created and migrated here and dropped at the end.
2. Collects the static files and serves the app as the production layout does: gunicorn,
   3 sync workers, ``DJANGO_ENV=production`` (DEBUG off, WhiteNoise, Redis cache), on
   127.0.0.1 only, requests carrying ``X-Forwarded-Proto: https`` as the proxy's do.
3. Times each page alone (the unloaded pass): a warm-up, then 5 requests one after another.
4. Runs locust headless for 60 s with 20 users (board members, officers, alliance chairs and
   headteachers) pausing 1–2 s between pages; then again with no pause (throughput).

Prints a table per page (p50/p95/p99, requests a second, failures) with the goals, and writes
``bench/out/loadtest.json`` and ``bench/out/loadtest.md``. Options: ``--keep`` leaves the
database (and ``--reuse`` serves a kept one instead of building it again); ``--users``,
``--duration``.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent.parent
HERE = Path(__file__).resolve().parent
# The project first, then the benchmarks (common.py, gias.py, performance_data.py).
sys.path[:0] = [str(ROOT), str(ROOT / "bench"), str(HERE)]

from common import admin, database_urls, figures_write  # noqa: E402
from report import report_write  # noqa: E402

BENCH_DB = "bench_loadtest"
OUT = ROOT / "bench" / "out"
BIN = Path(sys.executable).parent
WORKERS = int(os.environ.get("LOADTEST_WORKERS", 3))  # as config/gunicorn.py (WEB_CONCURRENCY)
UNLOADED_REPEATS = 5
UNLOADED_SECONDS = 10  # each page is timed 5 times, or for this long if it is slow
IDLE_WAIT_SECONDS = 180


def _database_exists(base_url: str) -> bool:
    import psycopg2

    parts = urlsplit(base_url)
    conn = psycopg2.connect(
        dbname=parts.path.lstrip("/") or "postgres",
        user=parts.username,
        password=parts.password,
        host=parts.hostname,
        port=parts.port or 5432,
    )
    with conn.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [BENCH_DB])
        found = cursor.fetchone() is not None
    conn.close()
    return found


# The board pack's PDF is kept here, where the server finds it.
MEDIA = ROOT / "bench" / "out" / "loadtest_media"


def _django(bench_url: str):
    os.environ["DATABASE_URL"] = bench_url
    os.environ["MEDIA_ROOT"] = str(MEDIA)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.pop("CELERY_BROKER_URL", None)  # the data set's runs run in this process
    import django

    django.setup()


def _prepare(base_url: str, bench_url: str, reuse: bool) -> dict:
    """Build the data set (or find the kept one) and sign its users in."""
    import dataset
    from django.core.management import call_command

    if reuse and _database_exists(base_url):
        _django(bench_url)
        print(f"Serving the kept database {BENCH_DB} (--reuse), migrated")
        call_command("migrate", verbosity=0)  # the code may have moved on since it was built
        from django.contrib.sessions.models import Session

        Session.objects.all().delete()
        from brokerage.models import Provider

        # Kept before the support data joined the set (the agreed run opens cases by itself)
        if not Provider.objects.filter(name__startswith="Benchmark provider").exists():
            print("Adding support cases, engagements, the fund's year and a meeting")
            print(dataset.support_build())
            from django.db import connection

            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        contents = None
    else:
        admin(base_url, f"DROP DATABASE IF EXISTS {BENCH_DB} WITH (FORCE)")
        admin(base_url, f"CREATE DATABASE {BENCH_DB}")
        _django(bench_url)
        print("Building the national data set:", flush=True)
        started = time.perf_counter()
        call_command("migrate", verbosity=0)
        contents = dataset.build()
        contents["build_seconds"] = round(time.perf_counter() - started)
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    pack = dataset.pack_build()
    if pack["pack_seconds"] is not None:
        print(
            f"  the board's members' pack ({pack['pack_pages']} pages), its job: "
            f"{pack['pack_seconds']} s",
            flush=True,
        )
    plan = dataset.plan_build()
    if contents is None:
        from categorisation.models import MeasureValue, Result, Run
        from schools.models import School

        contents = {
            "schools": School.objects.count(),
            "open_schools": School.objects.in_partnership().count(),
            "values": MeasureValue.objects.count(),
            "runs": Run.objects.count(),
            "results": Result.objects.count(),
        }
    from django.db import connections

    connections.close_all()
    return {"contents": {**contents, **pack}, "plan": plan}


def _server_env(bench_url: str) -> dict:
    redis = os.environ.get("LOADTEST_REDIS_URL", "redis://127.0.0.1:6379/4")
    env = {
        **os.environ,
        "DJANGO_ENV": "production",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DATABASE_URL": bench_url,
        "CACHE_URL": redis,
        "CELERY_BROKER_URL": redis,
        "STATIC_ROOT": str(ROOT / "staticfiles"),
        "MEDIA_ROOT": str(MEDIA),
    }
    env.pop("DEBUG", None)
    return env


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _serve(env: dict) -> tuple[subprocess.Popen, str]:
    """collectstatic, then gunicorn as in docker-compose.yml; waits for the sign-in page."""
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--no-input", "-v", "0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    port = _free_port()
    (OUT / "loadtest_access.log").unlink(missing_ok=True)
    command = [
        str(BIN / "gunicorn"),
        "config.wsgi:application",
        "--config=config/gunicorn.py",  # as docker-compose.yml's web service
        f"--bind=127.0.0.1:{port}",
        f"--workers={WORKERS}",
        f"--access-logfile={OUT / 'loadtest_access.log'}",
        # Each request's time in microseconds and its worker, for reading the slow ones.
        '--access-logformat=%(h)s %(t)s "%(r)s" %(s)s %(b)s %(D)s %(p)s',
        f"--error-logfile={OUT / 'loadtest_gunicorn.log'}",
    ]
    server = subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True)
    host = f"http://127.0.0.1:{port}"
    import requests

    for _ in range(120):
        try:
            login = requests.get(
                f"{host}/accounts/login/", headers={"X-Forwarded-Proto": "https"}, timeout=30
            )
            if login.status_code == 200:
                return server, host
        except requests.RequestException:
            pass
        if server.poll() is not None:
            sys.exit(f"gunicorn stopped: see {OUT / 'loadtest_gunicorn.log'}")
        time.sleep(0.5)
    server.terminate()
    sys.exit("gunicorn did not answer within 60 s")


def _worker_cpu(server: subprocess.Popen) -> float:
    """CPU seconds used so far by gunicorn's workers (and its arbiter)."""
    import psutil

    parent = psutil.Process(server.pid)
    total = 0.0
    for process in [parent, *parent.children(recursive=True)]:
        try:
            times = process.cpu_times()
            total += times.user + times.system
        except psutil.NoSuchProcess:
            continue
    return total


def _wait_idle(server: subprocess.Popen) -> None:
    """Wait until the workers have finished what an earlier run left queued (locust stops its
    users, not the requests they sent), so that each measurement starts from quiet."""
    deadline = time.perf_counter() + IDLE_WAIT_SECONDS
    while time.perf_counter() < deadline:
        before = _worker_cpu(server)
        time.sleep(1)
        if _worker_cpu(server) - before < 0.05:
            return
    print(f"  (the workers were still busy after {IDLE_WAIT_SECONDS} s)")


def _unloaded(host: str, plan: dict) -> list[dict]:
    """Each page alone, as an officer (who sees the whole partnership) or a headteacher."""
    import requests
    from pages import pages_unloaded

    rows = []
    for persona in ("officer", "head"):
        account = plan["personas"][persona][0]
        session = requests.Session()
        session.headers.update(
            {"Cookie": f"sessionid={account['session']}", "X-Forwarded-Proto": "https"}
        )
        for name, paths in pages_unloaded(account, persona, plan).items():
            if persona == "head" and name != "/api/schools/":
                continue
            session.get(host + paths[0], allow_redirects=False, timeout=120)  # warm-up
            times, sizes, statuses = [], [], set()
            for n in range(UNLOADED_REPEATS):
                if sum(times) > UNLOADED_SECONDS:  # a slow page: fewer samples
                    break
                started = time.perf_counter()
                response = session.get(host + paths[n % len(paths)], allow_redirects=False)
                times.append(time.perf_counter() - started)
                sizes.append(len(response.content))
                statuses.add(response.status_code)
            rows.append(
                {
                    "page": name,
                    "as": persona,
                    "median_ms": round(statistics.median(times) * 1000),
                    "max_ms": round(max(times) * 1000),
                    "kilobytes": round(max(sizes) / 1024),
                    "samples": len(times),
                    "statuses": sorted(statuses),
                }
            )
    return rows


def _locust(host: str, plan_file: Path, *, think: str, users: int, seconds: int, label: str):
    """One headless locust run; its per-page figures from its CSV."""
    prefix = OUT / f"loadtest_{label}"
    command = [
        str(BIN / "locust"),
        f"--locustfile={HERE / 'locustfile.py'}",
        "--headless",
        f"--users={users}",
        "--spawn-rate=5",
        f"--run-time={seconds}s",
        "--stop-timeout=30",
        f"--host={host}",
        f"--csv={prefix}",
        "--only-summary",
        "--loglevel=WARNING",
    ]
    env = {**os.environ, "LOADTEST_PLAN": str(plan_file), "LOADTEST_THINK": think}
    started = time.perf_counter()
    with open(f"{prefix}.log", "w") as log:
        subprocess.run(command, env=env, check=False, stdout=log, stderr=subprocess.STDOUT)
    return _stats(prefix), round(time.perf_counter() - started, 1)


def _stats(prefix: Path) -> dict:
    import csv

    def number(value: str) -> float:
        return float(value) if value not in ("", "N/A") else 0.0

    pages = {}
    with open(f"{prefix}_stats.csv", newline="") as file:
        for row in csv.DictReader(file):
            pages[row["Name"]] = {
                "requests": int(row["Request Count"]),
                "failures": int(row["Failure Count"]),
                "p50_ms": number(row["50%"]),
                "p95_ms": number(row["95%"]),
                "p99_ms": number(row["99%"]),
                "max_ms": round(number(row["Max Response Time"])),
                "per_second": round(number(row["Requests/s"]), 2),
                "kilobytes": round(number(row["Average Content Size"]) / 1024),
            }
    failures = []
    with open(f"{prefix}_failures.csv", newline="") as file:
        for row in csv.DictReader(file):
            failures.append(
                {"page": row["Name"], "error": row["Error"], "count": int(row["Occurrences"])}
            )
    return {"pages": pages, "failures": failures}


def _measure(host: str, server: subprocess.Popen, plan: dict, args) -> dict:
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as file:
        json.dump(plan, file)
    plan_file = Path(file.name)
    try:
        print("Timing each page alone", flush=True)
        _wait_idle(server)
        unloaded = _unloaded(host, plan)
        figures = {"unloaded": unloaded}
        for label, think in (("paced", "1-2"), ("throughput", "0")):
            print(f"Locust: {args.users} users for {args.duration} s, think time {think} s")
            _wait_idle(server)
            cpu = _worker_cpu(server)
            load_cpu = os.times().children_user + os.times().children_system
            stats, wall = _locust(
                host, plan_file, think=think, users=args.users, seconds=args.duration, label=label
            )
            stats["think_seconds"] = think
            stats["wall_seconds"] = wall
            stats["web_cpu_seconds"] = round(_worker_cpu(server) - cpu, 1)
            used = os.times().children_user + os.times().children_system - load_cpu
            stats["locust_cpu_seconds"] = round(used, 1)
            stats["load_average"] = round(os.getloadavg()[0], 1)
            figures[label] = stats
    finally:
        plan_file.unlink()
    return figures


def main() -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument("--reuse", action="store_true", help="serve a kept database")
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--duration", type=int, default=60, help="seconds of each locust run")
    args = parser.parse_args()
    base_url, bench_url = database_urls(BENCH_DB)
    # One key for this process, which signs the users' sessions, and the server, which reads them.
    os.environ["SECRET_KEY"] = secrets.token_urlsafe(40)
    OUT.mkdir(parents=True, exist_ok=True)
    server = None
    try:
        prepared = _prepare(base_url, bench_url, args.reuse)
        server, host = _serve(_server_env(bench_url))
        figures = {
            "data_set": prepared["contents"],
            "users": args.users,
            "duration_seconds": args.duration,
            "workers": WORKERS,
            "cores": os.cpu_count(),
            **_measure(host, server, prepared["plan"], args),
        }
    finally:
        if server is not None:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)
        if not args.keep:
            admin(base_url, f"DROP DATABASE IF EXISTS {BENCH_DB} WITH (FORCE)")
    report_write(figures, OUT / "loadtest.md")
    figures_write(OUT / "loadtest.json", figures)
    return figures


if __name__ == "__main__":
    main()
