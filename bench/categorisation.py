"""Benchmark: a national categorisation run, against the naive way.

Builds a national-scale data set in a throwaway PostgreSQL database (``bench_categorisation_``
and the process id: created, migrated, dropped at the end): 22,000 open schools (about three
quarters primary), each with 10 measures in 3 academic years (660,000 current values,
bulk-inserted with COPY), England's values for the key stage measures, and the default rules
adopted. About 3% of key stage values are suppressed and about 4% of schools have fewer than 11
eligible pupils, as in the real files.

It times:

1. the run (``run_execute``): loading the data, the engine over all schools at once, and the
   results written, with the seconds of each stage;
2. the same run again (it must give the same results);
3. the naive way, one ORM query per school for its values, the engine on that school alone and
   one INSERT per result, timed on a sample and extrapolated.

Prints a table and writes the figures to ``bench/out/categorisation.json``.
"""

from __future__ import annotations

import io
import os
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = ROOT / "bench"
# This file shares its name with the categorisation app: the project comes first on the path,
# the benchmarks' folder (for common.py) last.
sys.path[:] = [str(ROOT), *(p for p in sys.path if Path(p or ".").resolve() != BENCH_DIR)]
sys.path.append(str(BENCH_DIR))

from common import (  # noqa: E402
    Timing,
    bench_database,
    figures_write,
    floor_copy_out,
    floor_table,
    in_throwaway_database,
    multiple,
    table_columns,
    timed,
)

OUT = ROOT / "bench" / "out" / "categorisation.json"
BENCH_DB = bench_database("bench_categorisation")  # its own, so concurrent runs never collide
SCHOOLS = 22_000
PRIMARY_SHARE = 0.77
YEARS = ["2016-2017", "2017-2018", "2018-2019"]
NAIVE_SAMPLE = 300
GOAL_FLOORS = 4  # the run within this multiple of its floor
SEED = 20190912
PRIMARY_MEASURES = {
    "KS2_PTRWM_EXP": (65, 15),
    "KS2_PTRWM_HIGH": (11, 7),
    "KS2_READPROG": (0, 2.5),
    "KS2_WRITPROG": (0, 2.5),
    "KS2_MATPROG": (0, 2.5),
    "KS2_READ_AVERAGE": (104, 3),
    "KS2_MAT_AVERAGE": (105, 3),
}
SECONDARY_MEASURES = {
    "KS4_ATT8SCR": (46, 8),
    "KS4_P8MEA": (0, 0.5),
    "KS4_PTL2BASICS_94": (64, 12),
    "KS4_EBACCAPS": (4, 0.8),
}
GRADES = [1, 2, 2, 2, 2, 2, 3, 3, 4]


def _schools(rng: random.Random) -> list[int]:
    from schools.models import Phase, School, Status, TypeGroup

    schools = []
    for n in range(SCHOOLS):
        primary = rng.random() < PRIMARY_SHARE
        schools.append(
            School(
                urn=100000 + n,
                name=f"Bench {'Primary' if primary else 'Secondary'} School {n}",
                la_code=str(800 + n % 150),
                la_name="Bench",
                establishment_type="Community school",
                type_group=TypeGroup.LA_MAINTAINED,
                phase=Phase.PRIMARY if primary else Phase.SECONDARY,
                status=Status.OPEN,
            )
        )
    School.objects.bulk_create(schools, batch_size=5000)
    return list(School.objects.order_by("pk").values_list("pk", "phase"))


def _cell(rng: random.Random, mean_sd) -> tuple[str, str]:
    """(value, missing reason) as COPY text: about 3% suppressed."""
    if rng.random() < 0.03:
        return "\\N", "SUPP"
    mean, sd = mean_sd
    return f"{rng.gauss(mean, sd):.2f}", ""


def _school_rows(rng, school_id: int, primary: bool, releases: dict, ids: dict) -> list[str]:
    rows = []
    cohort_code = "KS2_TELIG" if primary else "KS4_TPUP"
    measures = PRIMARY_MEASURES if primary else SECONDARY_MEASURES
    size = (
        rng.choice([8, 9, 10]) if rng.random() < 0.04 else rng.randint(15, 90 if primary else 240)
    )
    grade = rng.choice(GRADES)
    for year in YEARS:
        release = releases[("ks2" if primary else "ks4", year)]
        rows.append(f"{school_id}\t{ids[cohort_code]}\t{year}\t{release}\t{size}\t\t\tt")
        for code, mean_sd in measures.items():
            value, reason = _cell(rng, mean_sd)
            rows.append(f"{school_id}\t{ids[code]}\t{year}\t{release}\t{value}\t\t{reason}\tt")
        ofsted = releases[("ofsted", year)]
        rows.append(f"{school_id}\t{ids['OFSTED_OE']}\t{year}\t{ofsted}\t{grade}\t\t\tt")
        years_ago = f"{rng.uniform(0.2, 9):.2f}"
        rows.append(
            f"{school_id}\t{ids['OFSTED_INSPECTION_YEARS']}\t{year}\t{ofsted}\t{years_ago}\t\t\tt"
        )
        if not primary:  # 5 KS4 measures and 5 from Ofsted and GIAS: 10, as primaries have
            extra = {
                "OFSTED_OE_PREVIOUS": rng.choice(GRADES),
                "OFSTED_CONCERN": int(grade == 4 and rng.random() < 0.5),
                "GIAS_OFSTED_RATING": grade,
            }
            for code, value in extra.items():
                source = releases[("gias" if code.startswith("GIAS") else "ofsted", year)]
                rows.append(f"{school_id}\t{ids[code]}\t{year}\t{source}\t{value}\t\t\tt")
    return rows


def _seed(rng: random.Random) -> dict:
    """Schools, measures, releases, 660,000 values (COPY) and England's values; rules adopted."""
    from django.db import connection

    from categorisation.default_rules import default_rules_load
    from categorisation.measures import measures_ensure
    from categorisation.models import DataRelease, MeasureValue, NationalValue

    ids = measures_ensure()
    schools = _schools(rng)
    releases = {}
    for source in ("ks2", "ks4", "ofsted", "gias"):
        for year in YEARS:
            release = DataRelease.objects.create(
                source=source, academic_year=year, checksum=f"bench-{source}-{year}"
            )
            releases[(source, year)] = release.pk
    lines = []
    for school_id, phase in schools:
        lines += _school_rows(rng, school_id, phase == "primary", releases, ids)
    columns = (
        "school_id, measure_id, academic_year, release_id, value, text, missing_reason, is_current"
    )
    with connection.cursor() as cursor:
        cursor.cursor.copy_expert(
            f"COPY {MeasureValue._meta.db_table} ({columns}) FROM STDIN",
            io.StringIO("\n".join(lines) + "\n"),
        )
    national = [
        NationalValue(
            measure_id=ids[code],
            academic_year=year,
            release_id=releases[(code[:3].lower(), year)],
            value=mean,
        )
        for measures in (PRIMARY_MEASURES, SECONDARY_MEASURES)
        for code, (mean, _sd) in measures.items()
        for year in YEARS
    ]
    NationalValue.objects.bulk_create(national)
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {MeasureValue._meta.db_table}")
    default_rules_load()
    return {"schools": len(schools), "values": MeasureValue.objects.count()}


def _run() -> tuple[object, Timing]:
    from categorisation.models import RuleSet
    from categorisation.runs import run_create, run_execute

    def work():
        run = run_create(
            rule_set=RuleSet.objects.get(version=1), by=None, trigger="Benchmark", enqueue=False
        )
        return run_execute(run=run)

    run, timing = timed(work)
    assert run.state == "succeeded", run.error
    return run, timing


def _naive(sample: int) -> dict:
    """One query per school for its values, the engine on that school, one INSERT per result."""
    import pandas as pd

    from categorisation.engine import categorise
    from categorisation.models import MeasureValue, NationalValue, Result, RuleSet, Run
    from categorisation.run_data import measures_frame
    from schools.models import School

    rule_set = RuleSet.objects.get(version=1)
    run = Run.objects.create(rule_set=rule_set, purpose=Run.Purpose.WHAT_IF, trigger="Naive")
    measures = measures_frame()
    national = pd.DataFrame(
        list(NationalValue.objects.values_list("measure__code", "academic_year", "value")),
        columns=["measure", "academic_year", "value"],
    )
    schools = list(School.objects.in_partnership().order_by("?")[:sample])

    def work():
        for school in schools:
            rows = MeasureValue.objects.filter(school=school, is_current=True).values_list(
                "school_id", "measure__code", "academic_year", "value", "text", "missing_reason"
            )
            values = pd.DataFrame(
                list(rows),
                columns=[
                    "school_id",
                    "measure",
                    "academic_year",
                    "value",
                    "text",
                    "missing_reason",
                ],
            )
            outcome = categorise(
                definition=rule_set.definition,
                values=values.astype({"value": "float64"}),
                national=national,
                schools=pd.DataFrame({"school_id": [school.pk]}),
                measures=measures,
            ).iloc[0]
            Result.objects.create(
                run=run,
                school=school,
                computed_category=outcome["category"],
                computed_support_band=outcome["support_band"],
                score=round(outcome["score"], 2),
                insufficient_data=bool(outcome["insufficient_data"]),
                trigger=outcome["trigger"],
                explanation=outcome["explanation"],
                category=outcome["category"],
                support_band=outcome["support_band"],
            )

    _, timing = timed(work)
    run.delete()
    scale = SCHOOLS / len(schools)
    return {
        "sample_schools": len(schools),
        "sample_seconds": timing.wall,
        "seconds": round(timing.wall * scale, 1),
        "cpu_seconds": round(timing.cpu * scale, 1),
    }


def _floor(run) -> dict:
    """COPY out of the current values (what the run reads) and COPY of the run's results into
    a bare table like the results' (what it writes): the same rows, no categorising."""
    from categorisation.models import MeasureValue, Result

    values = MeasureValue._meta.db_table
    _, read = floor_copy_out(
        f"SELECT school_id, measure_id, academic_year, value, text, missing_reason "
        f"FROM {values} WHERE is_current"
    )
    write = floor_table(Result._meta.db_table, table_columns(Result), f"run_id = {int(run.pk)}")
    return {
        "copy_out_seconds": read.wall,
        "copy_in_seconds": write.wall,
        "seconds": round(read.wall + write.wall, 2),
        "cpu_seconds": round(read.cpu + write.cpu, 2),
    }


def _same_results(first, second) -> bool:
    from categorisation.models import Result

    def rows(run):
        return list(
            Result.objects.filter(run=run)
            .order_by("school_id")
            .values_list(
                "school_id", "computed_category", "computed_support_band", "score", "explanation"
            )
        )

    return rows(first) == rows(second)


def _measure() -> dict:
    rng = random.Random(SEED)
    seeded, seed_time = timed(lambda: _seed(rng))
    first, first_time = _run()
    floor = _floor(first)
    second, second_time = _run()
    naive = _naive(NAIVE_SAMPLE)
    return {
        "schools": seeded["schools"],
        "values": seeded["values"],
        "seed_seconds": seed_time.wall,
        "run": {"seconds": first_time.wall, "cpu_seconds": first_time.cpu, "stages": first.timings},
        "second_run": {
            "seconds": second_time.wall,
            "cpu_seconds": second_time.cpu,
            "stages": second.timings,
        },
        "floor": floor,
        "floors": multiple(first_time.wall, floor["seconds"]),
        "second_run_floors": multiple(second_time.wall, floor["seconds"]),
        "floors_cpu": multiple(first_time.cpu, floor["cpu_seconds"]),
        "same_results": _same_results(first, second),
        "by_category": first.stats["by_category"],
        "insufficient_data": first.stats["insufficient_data"],
        "notes": first.stats["notes"],
        "naive": naive,
        "load_average": round(os.getloadavg()[0], 1),
    }


def _report(figures: dict) -> None:
    values, run, naive = figures["values"], figures["run"], figures["naive"]
    print(
        f"\nCategorisation: {figures['schools']:,} schools, {values:,} current values; "
        f"load average {figures['load_average']} on {os.cpu_count()} cores"
    )
    floor = figures["floor"]
    print(f"{'':34}{'seconds':>10}{'values/s':>12}{'schools/s':>11}{'CPU s':>8}{'x floor':>9}")
    for label, timing, floors in (
        ("Run (load, engine, write)", run, figures["floors"]),
        ("Same run again", figures["second_run"], figures["second_run_floors"]),
        ("Naive run (extrapolated)", naive, multiple(naive["seconds"], floor["seconds"])),
        ("Floor (COPY out and in)", floor, 1.0),
    ):
        seconds = timing["seconds"]
        print(
            f"{label:34}{seconds:>10.2f}{values / seconds:>12,.0f}"
            f"{figures['schools'] / seconds:>11,.0f}{timing['cpu_seconds']:>8.2f}{floors:>8.1f}x"
        )
    print(f"Stages of the run (s): {run['stages']}")
    met = "met" if figures["floors"] <= GOAL_FLOORS else "NOT MET"
    print(
        f"Floor: COPY out of the {values:,} current values ({floor['copy_out_seconds']:.2f} s) "
        f"and COPY of the {figures['schools']:,} results into a bare table of the same columns "
        f"(no indexes, constraints or triggers), committed ({floor['copy_in_seconds']:.2f} s). "
        f"Goal: the run within {GOAL_FLOORS}x its floor: {met} ({figures['floors']:.1f}x; "
        f"{figures['floors_cpu']:.1f}x in CPU time)."
    )
    print(
        f"The run is {figures['speed_up']:.0f}x the naive way "
        f"({figures['speed_up_cpu']:.0f}x in CPU time); the same run twice gives the same "
        f"results: {figures['same_results']}. The naive time is extrapolated from "
        f"{naive['sample_schools']} schools ({naive['sample_seconds']} s)."
    )


def main() -> dict:
    """Build the data set, measure in a throwaway database, print and save the figures."""
    figures = in_throwaway_database(BENCH_DB, _measure)
    figures["speed_up"] = round(figures["naive"]["seconds"] / figures["run"]["seconds"], 1)
    figures["speed_up_cpu"] = round(
        figures["naive"]["cpu_seconds"] / figures["run"]["cpu_seconds"], 1
    )
    _report(figures)
    figures_write(OUT, figures)
    return figures


if __name__ == "__main__":
    main()
