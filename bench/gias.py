"""Benchmark: the GIAS register import at national scale, against the naive way.

Builds a GIAS-format establishment file of 50,000 rows (the national download's size and its
111 columns, taken from the real 2022 file), 22,000 of them open state-funded schools, plus
closed schools, independent schools, children's centres, colleges and other skipped types, and
ragged rows with extra linked establishments. It runs in a throwaway PostgreSQL database
(``bench_partnership``: created, migrated, dropped at the end) and times:

1. the first import into an empty register (bulk, with history);
2. the re-import of the unchanged file (nothing written);
3. the re-import of next year's file, where every open school's pupil number has changed (as
   after the January census): 22,000 updates, each with its history;
4. the same first import done naively, one ``update_or_create`` per school (with its history,
   as the model's signals write it), timed on a sample and extrapolated;
5. the peak memory (resident set) of a first import by ``manage.py import_gias`` in a process of
   its own, into the emptied register.

Prints a table with the goals and writes the figures to ``bench/out/gias.json``. Run with
``make bench``.
"""

from __future__ import annotations

import csv
import io
import os
import random
import resource
import subprocess
import sys
import tempfile

from common import (
    ROOT,
    bench_database,
    figures_write,
    floor_read,
    floor_table,
    in_throwaway_database,
    multiple,
    table_columns,
    timed,
)

SHARED_GIAS = ROOT.parent / "shared" / "data" / "gias"
OUT = ROOT / "bench" / "out" / "gias.json"
BENCH_DB = bench_database("bench_partnership")
TOTAL_ROWS = 50_000
OPEN_STATE_FUNDED = 22_000
NAIVE_SAMPLE = 2_000
SEED = 20220420
# The goals (seconds, and how many times faster than the naive way the first import must be).
GOAL_FIRST_IMPORT = 10.0
GOAL_UNCHANGED_REIMPORT = 5.0
GOAL_SPEED_UP = 20.0
GOAL_PEAK_MEGABYTES = 1024
GOAL_FLOORS = 5  # the first import within this multiple of its floor

# Open state-funded schools by type, roughly in national proportions (GIAS, 2022).
OPEN_TYPES = {
    "Community school": 6770,
    "Voluntary aided school": 2900,
    "Voluntary controlled school": 1900,
    "Foundation school": 800,
    "Local authority nursery school": 380,
    "Pupil referral unit": 150,
    "Community special school": 470,
    "Foundation special school": 40,
    "Academy converter": 6000,
    "Academy sponsor led": 1500,
    "Academy special converter": 200,
    "Academy special sponsor led": 100,
    "Academy alternative provision converter": 40,
    "Academy alternative provision sponsor led": 60,
    "Academy 16-19 converter": 40,
    "Free schools": 450,
    "Free schools special": 60,
    "Free schools alternative provision": 40,
    "Free schools 16 to 19": 30,
    "University technical college": 50,
    "Studio schools": 20,
}
# Everything else in the national file: skipped types (open and closed) and closed schools.
OTHER_ROWS = {
    ("Other independent school", "Open"): 2400,
    ("Other independent special school", "Open"): 500,
    ("Non-maintained special school", "Open"): 60,
    ("Further education", "Open"): 220,
    ("Sixth form centres", "Open"): 20,
    ("Higher education institutions", "Open"): 120,
    ("Special post 16 institution", "Open"): 90,
    ("Children's centre", "Closed"): 2500,
    ("Children's centre linked site", "Closed"): 500,
    ("Other independent school", "Closed"): 3000,
    ("Miscellaneous", "Closed"): 200,
    ("Welsh establishment", "Closed"): 150,
    ("Secure units", "Open"): 14,
    ("Offshore schools", "Closed"): 26,
    ("British schools overseas", "Open"): 100,
}
CLOSED_TYPES = [
    "Community school",
    "Voluntary aided school",
    "Academy converter",
    "Foundation school",
]
PHASE_BY_AGE = {(4, 11): "Primary", (11, 16): "Secondary", (11, 18): "Secondary", (3, 7): "Primary"}
RATINGS = ["Good", "Good", "Good", "Outstanding", "Requires improvement", "Inadequate", ""]
FLAGS = ["Supported by a multi-academy trust"] * 8 + ["Supported by a single-academy trust"] * 2


def _real_rows() -> tuple[list[str], list[list[str]], list[tuple[str, str]]]:
    """The 2022 header, real rows to copy other columns from, and England's LA codes/names."""

    def read(name, encoding="utf-8"):
        text = (SHARED_GIAS / name).read_bytes().decode(encoding)
        return list(csv.reader(io.StringIO(text, newline="")))

    primary = read("gias_20220420_hampshire850_surrey936_primaryphase.csv")
    surrey = read("gias_2021-05_surrey936_allestablishments.csv")
    edubase = read("edubasealldata20150407_free_schools_extract_england.csv", "cp1252")
    header = primary[0]
    width = len(header)
    templates = [row[:width] for row in primary[1:]]
    surrey_header = surrey[0]
    templates += [
        [r[surrey_header.index(c)] if c in surrey_header else "" for c in header]
        for r in surrey[1:]
    ]
    code, name = edubase[0].index("LA (code)"), edubase[0].index("LA (name)")
    las = sorted(
        {(r[code], r[name]) for r in edubase[1:]} | {("850", "Hampshire"), ("936", "Surrey")}
    )
    return header, templates, las


def _plan_rows(rng: random.Random) -> list[tuple[str, str]]:
    """(type, status) for every row of the file, shuffled."""
    plan = [(kind, "Open") for kind, n in OPEN_TYPES.items() for _ in range(n)]
    assert len(plan) == OPEN_STATE_FUNDED
    plan += [(kind, status) for (kind, status), n in OTHER_ROWS.items() for _ in range(n)]
    closed = TOTAL_ROWS - len(plan)
    plan += [(rng.choice(CLOSED_TYPES), "Closed") for _ in range(closed)]
    rng.shuffle(plan)
    return plan


def _date(rng: random.Random, first_year: int, last_year: int) -> str:
    day, month = rng.randint(1, 28), rng.randint(1, 12)
    return f"{day:02d}-{month:02d}-{rng.randint(first_year, last_year)}"


def _phase(kind: str, low: int, high: int) -> str:
    if kind == "Local authority nursery school":
        return "Nursery"
    if kind not in OPEN_TYPES or "special" in kind or "alternative" in kind or "unit" in kind:
        return "Not applicable"
    return PHASE_BY_AGE[(low, high)]


def _row(rng, header, template, urn, kind, status, la, trusts) -> list[str]:
    cells = dict(zip(header, template, strict=True))
    low, high = rng.choice(list(PHASE_BY_AGE))
    academy = kind.startswith(("Academy", "Free", "University", "Studio"))
    cells.update(
        {
            "URN": str(urn),
            "LA (code)": la[0],
            "LA (name)": la[1],
            "EstablishmentNumber": str(rng.randint(1000, 7999)),
            "EstablishmentName": f"{cells['Town'] or 'Bench'} {kind} {urn}",
            "TypeOfEstablishment (name)": kind,
            "EstablishmentStatus (name)": status,
            "PhaseOfEducation (name)": _phase(kind, low, high),
            "StatutoryLowAge": str(low),
            "StatutoryHighAge": str(high),
            "NumberOfPupils": str(rng.randint(20, 1800)) if rng.random() > 0.1 else "",
            "OpenDate": f"01-09-{rng.randint(1950, 2021)}" if rng.random() > 0.5 else "",
            "CloseDate": f"31-08-{rng.randint(2000, 2021)}" if status == "Closed" else "",
            "OfstedRating (name)": rng.choice(RATINGS),
            "OfstedLastInsp": _date(rng, 2008, 2022),
            "Trusts (name)": rng.choice(trusts) if academy else "",
            "TrustSchoolFlag (name)": rng.choice(FLAGS) if academy else "Not applicable",
            "Linked establishments": "Does not have links",
        }
    )
    row = [cells[name] for name in header]
    if rng.random() < 0.3:
        row[-1] = f"{urn - 1} Predecessor"
        if rng.random() < 0.1:  # ragged: more links in unnamed trailing fields
            row += [f"{urn + 1} Successor", f"{urn - 2} Predecessor"][: rng.randint(1, 2)]
    return row


def build_file(seed: int = SEED) -> bytes:
    """A national-scale GIAS download (UTF-8, CRLF, every field quoted, some ragged rows)."""
    rng = random.Random(seed)
    header, templates, las = _real_rows()
    trusts = [f"BENCH {n} ACADEMY TRUST" for n in range(1, 1201)]
    out = io.StringIO()
    writer = csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    writer.writerow(header)
    for number, (kind, status) in enumerate(_plan_rows(rng)):
        urn = 100000 + number * 3
        writer.writerow(
            _row(rng, header, rng.choice(templates), urn, kind, status, rng.choice(las), trusts)
        )
    return out.getvalue().encode("utf-8")


def census_file(data: bytes) -> bytes:
    """The same file a year on: every open establishment's pupil number is one higher."""
    rows = list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))
    pupils = rows[0].index("NumberOfPupils")
    status = rows[0].index("EstablishmentStatus (name)")
    for row in rows[1:]:
        if row[status] == "Open":
            row[pupils] = str(int(row[pupils] or 0) + 1)
    out = io.StringIO()
    csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\r\n").writerows(rows)
    return out.getvalue().encode("utf-8")


def _naive_run(sample: list[dict]) -> None:
    """The naive import: a get_or_create per trust and an update_or_create per school (each
    saving its own history through the model's signals)."""
    from schools.models import School, Trust

    for row in sample:
        row = dict(row)
        row.pop("row")
        name, kind = row.pop("trust_name"), row.pop("trust_type")
        if name:
            row["trust"], _ = Trust.objects.get_or_create(name=name, defaults={"trust_type": kind})
        School.objects.update_or_create(urn=row.pop("urn"), defaults=row)


def _naive_sample(data: bytes) -> dict:
    """Time the naive way on a sample and extrapolate to the whole file, then clear up."""
    from schools.imports import gias_file_read
    from schools.models import School, Trust

    rows, read = timed(lambda: gias_file_read(data=data))
    sample = rows.frame.head(NAIVE_SAMPLE).to_dict("records")
    _, run = timed(lambda: _naive_run(sample))
    School.objects.all().delete()
    School.history.all().delete()  # after the schools, whose deletion it records
    Trust.objects.all().delete()
    scale = len(rows.frame) / len(sample)
    return {
        "sample_rows": len(sample),
        "sample_seconds": run.wall,
        "read_seconds": read.wall,
        "schools": len(rows.frame),
        "seconds": round(read.wall + run.wall * scale, 1),
        "cpu_seconds": round(read.cpu + run.cpu * scale, 1),
    }


def _peak_memory(data: bytes) -> dict:
    """Empty the register, then import the file by the command in a child process: its peak
    resident memory (Python, Django, pandas and the file), as the kernel counted it."""
    from django.db import connection

    from schools.models import School, Trust

    tables = [model._meta.db_table for model in (School, School.history.model, Trust)]
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {', '.join(tables)} CASCADE")
    with tempfile.NamedTemporaryFile(suffix=".csv") as file:
        file.write(data)
        file.flush()
        command = [sys.executable, str(ROOT / "manage.py"), "import_gias", file.name]
        _, run = timed(lambda: subprocess.run(command, check=True, stdout=subprocess.DEVNULL))
    # ru_maxrss is in kilobytes on Linux: the largest child that has ended, here the only one.
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {"peak_megabytes": round(peak), "seconds": run.wall, "schools": School.objects.count()}


def _floor(read, history_type: str | None) -> dict:
    """Reading the file (``read``), plus COPY of the schools, trusts and audit records the
    import wrote (those of ``history_type``; None: nothing written) into bare tables."""
    from schools.models import School, Trust

    copies = []
    if history_type is not None:
        history = School.history.model
        changed = (
            f"urn IN (SELECT urn FROM {history._meta.db_table} "
            f"WHERE history_type = '{history_type}')"
        )
        copies = [
            floor_table(School._meta.db_table, table_columns(School), changed),
            floor_table(
                history._meta.db_table,
                table_columns(history, without=("history_id",)),
                f"history_type = '{history_type}'",
            ),
        ]
        if history_type == "+":
            copies.append(floor_table(Trust._meta.db_table, table_columns(Trust), "true"))
    return {
        "read_seconds": read.wall,
        "copy_seconds": round(sum(copy.wall for copy in copies), 2),
        "seconds": round(read.wall + sum(copy.wall for copy in copies), 2),
        "cpu_seconds": round(read.cpu + sum(copy.cpu for copy in copies), 2),
    }


def _measure(data: bytes) -> dict:
    from schools.gias_import import gias_import
    from schools.models import School

    naive = _naive_sample(data)
    census = census_file(data)
    first, first_time = timed(lambda: gias_import(data=data))
    read = floor_read(data)
    first_floor = _floor(read, "+")
    again, again_time = timed(lambda: gias_import(data=data))
    history = School.history.count()
    changed, changed_time = timed(lambda: gias_import(data=census))
    census_floor = _floor(floor_read(census), "~")
    results = (first, again, changed)
    assert not any(r.errors for r in results), [r.errors[:5] for r in results]
    assert again.created == again.updated == 0, again.counts
    assert School.history.count() == history + changed.updated == history + OPEN_STATE_FUNDED
    return {
        "rows": TOTAL_ROWS,
        "file_megabytes": round(len(data) / 1e6, 1),
        "open_state_funded": OPEN_STATE_FUNDED,
        "first_import": {"seconds": first_time.wall, "cpu_seconds": first_time.cpu},
        "floors": {
            "first_import": first_floor,
            "unchanged_reimport": _floor(read, None),
            "census_reimport": census_floor,
        },
        "first_import_counts": first.counts,
        "unchanged_reimport": {"seconds": again_time.wall, "cpu_seconds": again_time.cpu},
        "unchanged_reimport_counts": again.counts,
        "census_reimport": {"seconds": changed_time.wall, "cpu_seconds": changed_time.cpu},
        "census_reimport_counts": changed.counts,
        "naive_first_import": naive,
        "schools_in_register": School.objects.count(),
        "history_records": School.history.count(),
        "load_average": round(os.getloadavg()[0], 1),
        "command_first_import": _peak_memory(data),
    }


def _goals(figures: dict) -> dict[str, dict]:
    """Each goal, and whether it was met."""
    first, again = (figures[key]["seconds"] for key in ("first_import", "unchanged_reimport"))
    floors = multiple(first, figures["floors"]["first_import"]["seconds"])
    goals = {
        "first_import": (f"under {GOAL_FIRST_IMPORT:.0f} s", first < GOAL_FIRST_IMPORT),
        "first_import_floors": (f"within {GOAL_FLOORS}x its floor", floors <= GOAL_FLOORS),
        "unchanged_reimport": (
            f"under {GOAL_UNCHANGED_REIMPORT:.0f} s",
            again < GOAL_UNCHANGED_REIMPORT,
        ),
        "speed_up": (f"at least {GOAL_SPEED_UP:.0f}x", figures["speed_up"] >= GOAL_SPEED_UP),
        "peak_memory": (
            f"under {GOAL_PEAK_MEGABYTES:,} MB",
            figures["command_first_import"]["peak_megabytes"] < GOAL_PEAK_MEGABYTES,
        ),
    }
    return {key: {"goal": goal, "met": met} for key, (goal, met) in goals.items()}


def _report(figures: dict) -> None:
    rows, naive, goals = figures["rows"], figures["naive_first_import"], figures["goals"]
    floors = figures["floors"]
    lines = [
        ("First import (bulk)", figures["first_import"], goals["first_import"]),
        ("Re-import, unchanged", figures["unchanged_reimport"], goals["unchanged_reimport"]),
        ("Re-import, 22,000 pupil numbers changed", figures["census_reimport"], None),
        ("Naive first import (extrapolated)", naive, None),
        ("Floor of the first import", floors["first_import"], None),
        ("Floor of the unchanged re-import", floors["unchanged_reimport"], None),
        ("Floor of the census re-import", floors["census_reimport"], None),
    ]
    print(
        f"\nGIAS import: {rows:,} rows ({figures['file_megabytes']} MB), "
        f"{figures['first_import_counts']['created']:,} state-funded schools (open and closed); "
        f"load average {figures['load_average']} on {os.cpu_count()} cores"
    )
    print(f"{'':42}{'seconds':>9}{'rows/s':>9}{'CPU s':>8}  goal")
    for label, timing, goal in lines:
        seconds = timing["seconds"]
        met = f"{goal['goal']}: {'met' if goal['met'] else 'NOT MET'}" if goal else ""
        print(
            f"{label:42}{seconds:>9.2f}{rows / seconds:>9,.0f}{timing['cpu_seconds']:>8.2f}  {met}"
        )
    print(
        "Floor: pandas reading the file (every field as text), plus COPY of the schools, "
        "trusts and audit records written into bare tables of the same columns (no indexes, "
        "constraints or triggers), committed. As multiples of their floors: "
        + ", ".join(
            f"{label} {multiple(figures[key]['seconds'], floors[key]['seconds']):.1f}x "
            f"({multiple(figures[key]['cpu_seconds'], floors[key]['cpu_seconds']):.1f}x CPU)"
            for label, key in (
                ("first import", "first_import"),
                ("unchanged re-import", "unchanged_reimport"),
                ("census re-import", "census_reimport"),
            )
        )
        + f"; goal: first import {goals['first_import_floors']['goal']}: "
        f"{'met' if goals['first_import_floors']['met'] else 'NOT MET'}."
    )
    speed_up = goals["speed_up"]
    print(
        f"Bulk first import is {figures['speed_up']:.0f}x the naive way "
        f"({figures['speed_up_cpu']:.0f}x in CPU time); goal {speed_up['goal']}: "
        f"{'met' if speed_up['met'] else 'NOT MET'}. The naive time is extrapolated: "
        f"{naive['sample_rows']:,} update_or_create calls took {naive['sample_seconds']} s, "
        f"scaled to {naive['schools']:,} schools, plus reading the file "
        f"({naive['read_seconds']} s)."
    )
    memory, goal = figures["command_first_import"], goals["peak_memory"]
    print(
        f"Peak memory of a first import by manage.py import_gias (its own process, "
        f"{memory['seconds']:.1f} s with start-up): {memory['peak_megabytes']:,} MB resident; "
        f"goal {goal['goal']}: {'met' if goal['met'] else 'NOT MET'}"
    )


def main() -> dict:
    """Build the file, measure in a throwaway database, print and save the figures."""
    data = build_file()
    figures = in_throwaway_database(BENCH_DB, lambda: _measure(data))
    naive, first = figures["naive_first_import"], figures["first_import"]
    figures["speed_up"] = round(naive["seconds"] / first["seconds"], 1)
    figures["speed_up_cpu"] = round(naive["cpu_seconds"] / first["cpu_seconds"], 1)
    figures["goals"] = _goals(figures)
    _report(figures)
    figures_write(OUT, figures)
    return figures


if __name__ == "__main__":
    main()
