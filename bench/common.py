"""What the benchmarks share: a throwaway PostgreSQL database, timing, and saving the figures.

Each benchmark runs in its own process (``bench/run.py``) and imports this module by its bare
name, the benchmarks' folder being on the path.
"""

from __future__ import annotations

import csv
import io
import json
import os
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent


def bench_database(name: str) -> str:
    """The throwaway database's name: ``name``, then ``BENCH_DATABASE_SUFFIX`` if set, else this
    process's id, so that runs side by side (or another user's) never share one."""
    return f"{name}_{os.environ.get('BENCH_DATABASE_SUFFIX') or os.getpid()}"


def database_urls(name: str) -> tuple[str, str]:
    """The server's maintenance database (from DATABASE_URL) and the throwaway bench one."""
    base = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres")
    parts = urlsplit(base)
    if not parts.scheme.startswith("postgres"):
        sys.exit("The benchmark needs PostgreSQL: set DATABASE_URL=postgres://...")
    return base, urlunsplit(parts._replace(path=f"/{name}"))


def admin(base_url: str, sql: str) -> None:
    """Run one statement on the maintenance database, outside a transaction."""
    import psycopg2

    parts = urlsplit(base_url)
    conn = psycopg2.connect(
        dbname=parts.path.lstrip("/") or "postgres",
        user=parts.username,
        password=parts.password,
        host=parts.hostname,
        port=parts.port or 5432,
    )
    conn.autocommit = True
    with conn.cursor() as cursor:
        cursor.execute(sql)
    conn.close()


def in_throwaway_database(name: str, measure: Callable[[], dict]) -> dict:
    """Create the database, point Django at it, migrate, measure, and drop it whatever happens."""
    base_url, bench_url = database_urls(name)
    admin(base_url, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    admin(base_url, f"CREATE DATABASE {name}")
    try:
        os.environ["DATABASE_URL"] = bench_url
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
        # The project first: bench/categorisation.py shares its name with the app.
        sys.path.insert(0, str(ROOT))
        import django
        from django.core.management import call_command
        from django.db import connections

        django.setup()
        call_command("migrate", verbosity=0)
        figures = measure()
        connections.close_all()
    finally:
        os.environ["DATABASE_URL"] = base_url
        admin(base_url, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    return figures


def figures_write(out: Path, figures: dict) -> None:
    """Save the figures as JSON and say where."""
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(figures, indent=2) + "\n")
    print(f"Figures written to {out.relative_to(ROOT)}")


@dataclass
class Timing:
    """Wall-clock seconds, and CPU seconds of this process plus its PostgreSQL backend: the
    machine is shared, so CPU time is the steadier figure when others are busy."""

    wall: float
    cpu: float


def backend_cpu() -> float:
    """CPU seconds used so far by this connection's PostgreSQL backend (same machine only)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def timed(work):
    """What ``work()`` returns, and how long it took."""
    wall, cpu = time.perf_counter(), time.process_time() + backend_cpu()
    value = work()
    used = time.process_time() + backend_cpu() - cpu
    return value, Timing(wall=round(time.perf_counter() - wall, 2), cpu=round(used, 2))


# Floors: the same rows moved with no application logic, measured in the same run on the same
# data, so that a job's time can be given as a multiple of what this machine needs at least.


def floor_read(data: bytes) -> Timing:
    """pandas reading every field of a CSV file as text (no type inference, no missing-value
    detection): the least any import of the file does before it can look at the data."""
    import pandas as pd

    width = len(next(csv.reader(io.StringIO(data[:65536].decode("utf-8-sig", "replace")))))
    # Room for ragged rows' extra fields, as the project's reader allows.
    names = list(range(width + 5))
    _, timing = timed(
        lambda: pd.read_csv(
            io.BytesIO(data),
            header=None,
            skiprows=1,
            names=names,
            dtype=object,
            na_filter=False,
            encoding="utf-8-sig",
        )
    )
    return timing


def floor_copy_out(query: str) -> tuple[str, Timing]:
    """``COPY (query) TO STDOUT`` (text format) into memory: the rows, and what it took."""
    from django.db import connection

    buffer = io.StringIO()

    def work():
        with connection.cursor() as cursor:
            cursor.cursor.copy_expert(f"COPY ({query}) TO STDOUT", buffer)

    _, timing = timed(work)
    return buffer.getvalue(), timing


def floor_copy_in(table: str, columns: list[str], rows: str) -> Timing:
    """``COPY`` of these rows (COPY text) into a bare table like ``table``, committed: the same
    columns, defaults and storage (compression), but no indexes, constraints or triggers."""
    from django.db import connection, transaction

    bare = f"bench_floor_{table}"
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TABLE {bare} (LIKE {table} INCLUDING DEFAULTS INCLUDING IDENTITY "
            "INCLUDING STORAGE INCLUDING COMPRESSION)"
        )

    def work():
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.cursor.copy_expert(
                f"COPY {bare} ({', '.join(columns)}) FROM STDIN", io.StringIO(rows)
            )

    try:
        _, timing = timed(work)
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE {bare}")
    return timing


def floor_table(table: str, columns: list[str], where: str) -> Timing:
    """The floor of writing the rows of ``table`` that match ``where``: copied out (untimed),
    then COPY into a bare table like it."""
    rows, _ = floor_copy_out(f"SELECT {', '.join(columns)} FROM {table} WHERE {where}")
    return floor_copy_in(table, columns, rows)


def table_columns(model, *, without: tuple[str, ...] = ("id",)) -> list[str]:
    """A model's column names (quoted), but ``without`` these."""
    from django.db import connection

    fields = model._meta.concrete_fields
    return [connection.ops.quote_name(f.column) for f in fields if f.column not in without]


def multiple(seconds: float, floor: float) -> float:
    """A job's time as a multiple of its floor."""
    return round(seconds / max(floor, 0.01), 1)
