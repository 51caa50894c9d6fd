"""Benchmark: moderating and reading a national categorisation (22,000 results per run).

Builds the national data set of ``bench/categorisation.py`` in a throwaway PostgreSQL database
(``bench_moderation_`` and the process id), runs the default rules once (22,000 results with
the engine's real explanations), copies that run into five more (6 runs, 132,000 results, as
the issue measured), and puts every school in one of 8 alliances × 25 clusters.

It times:

1. "Confirm all pending" on 22,000 results (``run_confirm_pending``: one UPDATE, one INSERT of
   history records), then the board's agreement of the run;
2. the way that landed before, ``bulk_update_with_history`` over the pending results, on a
   tenth of them in a run of its own, extrapolated (the output says so), and checks that both
   leave the same results and history;
3. the pages an officer and an alliance chair open (the summary, the runs list, a run's second
   page of results), through Django's test client with DEBUG off, median of 5.

Prints a table and writes the figures to ``bench/out/moderation.json``.
"""

from __future__ import annotations

import importlib.util
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = ROOT / "bench"
sys.path[:] = [str(ROOT), *(p for p in sys.path if Path(p or ".").resolve() != BENCH_DIR)]
sys.path.append(str(BENCH_DIR))

from common import figures_write, in_throwaway_database, timed  # noqa: E402

OUT = ROOT / "bench" / "out" / "moderation.json"
BENCH_DB = f"bench_moderation_{os.getpid()}"
ALLIANCES, CLUSTERS_PER_ALLIANCE, COPIES = 8, 25, 5
OLD_WAY_SHARE = 10  # the old way is timed on one result in ten
PAGE_REPEATS = 5
COMPARED = (
    "school_id",
    "moderation",
    "category",
    "support_band",
    "override_reason",
    "moderated_by_id",
    "computed_category",
    "explanation",
)


def _national():
    """bench/categorisation.py, loaded under another name (it shares the app's)."""
    spec = importlib.util.spec_from_file_location(
        "bench_categorisation", BENCH_DIR / "categorisation.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _copy_run(run, *, every: int = 1):
    """A new pending run holding the same results as ``run`` (every n-th school), by SQL."""
    from django.db import connection

    from categorisation.counts import run_counts_store
    from categorisation.models import Result, Run

    copy = Run.objects.create(
        rule_set=run.rule_set,
        purpose=run.purpose,
        state=Run.State.SUCCEEDED,
        trigger="Benchmark copy",
        stats=run.stats,
    )
    columns = [
        f.column
        for f in Result._meta.concrete_fields
        if f.column not in ("id", "run_id", "moderated_at", "moderated_by_id")
    ]
    names = ", ".join(columns)
    chosen = {
        column: (
            "'pending'"
            if column == "moderation"
            else "''"
            if column == "override_reason"
            else column
        )
        for column in columns
    }
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {Result._meta.db_table} (run_id, {names}) "
            f"SELECT %s, {', '.join(chosen.values())} FROM {Result._meta.db_table} "
            f"WHERE run_id = %s AND school_id %% %s = 0",
            [copy.pk, run.pk, every],
        )
    run_counts_store(run=copy)
    return copy


def _tiers() -> dict:
    """8 alliances × 25 clusters holding every school; an officer and an alliance chair."""
    from clusters.models import Cluster, ClusterMembership
    from partnership.models import Alliance, Partnership, Role, RoleAssignment, User
    from schools.models import School

    partnership = Partnership.objects.create(name="Bench partnership")
    alliances = Alliance.objects.bulk_create(
        Alliance(partnership=partnership, name=f"Alliance {n}") for n in range(ALLIANCES)
    )
    clusters = Cluster.objects.bulk_create(
        Cluster(alliance=alliance, name=f"Cluster {a}.{n}")
        for a, alliance in enumerate(alliances)
        for n in range(CLUSTERS_PER_ALLIANCE)
    )
    schools = list(School.objects.order_by("pk").values_list("pk", flat=True))
    ClusterMembership.objects.bulk_create(
        (
            ClusterMembership(school_id=school, cluster=clusters[i % len(clusters)])
            for i, school in enumerate(schools)
        ),
        batch_size=5000,
    )
    officer = User.objects.create(email="officer@bench.example", first_name="Dev")
    chair = User.objects.create(email="chair@bench.example", first_name="Amira")
    RoleAssignment.objects.create(user=officer, role=Role.OFFICER)
    RoleAssignment.objects.create(user=chair, role=Role.ALLIANCE_CHAIR, alliance=alliances[0])
    return {"officer": officer, "alliance_chair": chair}


def _old_way(run, by) -> int:
    """Confirm every pending result as the code did before: read, set, bulk update with history."""
    from django.db import transaction
    from django.utils import timezone
    from simple_history.utils import bulk_update_with_history

    from categorisation.models import Result
    from categorisation.moderation import CONFIRMED_WITH_EVERY_PENDING, MODERATED_FIELDS

    with transaction.atomic():
        pending = list(
            Result.objects.select_for_update().filter(run=run, moderation=Result.Moderation.PENDING)
        )
        now = timezone.now()
        for result in pending:
            result.moderation = Result.Moderation.CONFIRMED
            result.category, result.support_band = (
                result.computed_category,
                result.computed_support_band,
            )
            result.override_reason, result.moderated_at, result.moderated_by = "", now, by
        bulk_update_with_history(
            pending,
            Result,
            MODERATED_FIELDS,
            batch_size=500,
            default_user=by,
            default_change_reason=CONFIRMED_WITH_EVERY_PENDING,
        )
    return len(pending)


def _same(run, sample) -> bool:
    """The sample's results and history equal those of the same schools in the run."""
    from categorisation.models import Result

    wanted = list(Result.objects.filter(run=sample).values_list("school_id", flat=True))
    recorded = ("history_user_id", "history_change_reason", "history_type")

    def rows(of) -> list:
        found = Result.objects.filter(run=of, school_id__in=wanted)
        return sorted(found.values_list(*COMPARED))

    def history(of) -> list:
        found = Result.history.filter(run_id=of.pk, school_id__in=wanted)
        return sorted(found.values_list(*COMPARED, *recorded))

    return rows(run) == rows(sample) and history(run) == history(sample)


def _pages(users: dict, run) -> dict:
    """Median seconds of each page for each persona, DEBUG off."""
    from django.conf import settings
    from django.test import Client

    settings.DEBUG = False
    figures = {}
    paths = {
        "summary": "/categorisation/",
        "runs list": "/categorisation/runs/",
        "run page 2": f"/categorisation/runs/{run.pk}/?page=2",
    }
    for persona, user in users.items():
        client = Client()
        client.force_login(user)
        for name, path in paths.items():
            times = []
            for _ in range(PAGE_REPEATS):
                started = time.perf_counter()
                response = client.get(path, secure=True)
                times.append(time.perf_counter() - started)
                assert response.status_code == 200, (path, response.status_code)
            figures[f"{name} ({persona.replace('_', ' ')})"] = round(statistics.median(times), 3)
    return figures


def _vacuum() -> None:
    """Statistics and visibility maps as autovacuum keeps them on a live database."""
    from django.db import connection

    from categorisation.models import Result

    with connection.cursor() as cursor:
        cursor.execute(f"VACUUM ANALYZE {Result._meta.db_table}")


def _measure() -> dict:
    from categorisation.models import Result
    from categorisation.moderation import run_agree, run_confirm_pending

    national = _national()
    national._seed(random.Random(national.SEED))
    run, run_timing = national._run()
    copies = [_copy_run(run) for _ in range(COPIES)]
    users = _tiers()
    officer = users["officer"]
    sample = _copy_run(run, every=OLD_WAY_SHARE)
    _vacuum()
    confirmed, confirm_time = timed(lambda: run_confirm_pending(run=run, by=officer))
    history = Result.history.filter(run_id=run.pk).count()
    _, agree_time = timed(lambda: run_agree(run=run, by=officer, note="Benchmark"))
    old_count, old_time = timed(lambda: _old_way(sample, officer))
    scale = confirmed / old_count
    # A newer agreed run, so that the summary shows the movement since the first.
    run_confirm_pending(run=copies[0], by=officer)
    run_agree(run=copies[0], by=officer)
    _vacuum()
    pages = _pages(users, copies[1])
    return {
        "results": confirmed,
        "runs": 2 + COPIES,
        "run_seconds": run_timing.wall,
        "confirm_all": {"seconds": confirm_time.wall, "cpu_seconds": confirm_time.cpu},
        "history_records": history,
        "agree": {"seconds": agree_time.wall, "cpu_seconds": agree_time.cpu},
        "old_way": {
            "sample_results": old_count,
            "sample_seconds": old_time.wall,
            "seconds": round(old_time.wall * scale, 1),
            "cpu_seconds": round(old_time.cpu * scale, 1),
        },
        "same_as_old_way": _same(run, sample),
        "pages": pages,
        "load_average": round(os.getloadavg()[0], 1),
    }


def _report(figures: dict) -> None:
    old = figures["old_way"]
    print(
        f"\nModeration: {figures['results']:,} results per run, {figures['runs']} runs; "
        f"load average {figures['load_average']} on {os.cpu_count()} cores"
    )
    print(f"{'':44}{'seconds':>10}{'CPU s':>8}")
    for label, timing in (
        ("Confirm all pending (set-based)", figures["confirm_all"]),
        ("Agree the run", figures["agree"]),
        ("Confirm all, the old way (extrapolated)", old),
    ):
        print(f"{label:44}{timing['seconds']:>10.2f}{timing['cpu_seconds']:>8.2f}")
    print(
        f"{figures['history_records']:,} history records written; the old way, timed on "
        f"{old['sample_results']:,} results ({old['sample_seconds']} s), leaves the same results "
        f"and history: {figures['same_as_old_way']}"
    )
    print("Pages (median seconds, DEBUG off, one at a time):")
    for name, seconds in figures["pages"].items():
        print(f"  {name:40}{seconds:>8.3f}")


def main() -> dict:
    figures = in_throwaway_database(BENCH_DB, _measure)
    _report(figures)
    figures_write(OUT, figures)
    return figures


if __name__ == "__main__":
    main()
