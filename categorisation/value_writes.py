"""Writing a release's school values: the new values, and the current ones they supersede.

A new value is current unless the current value of its school, measure and year comes from a
later stage (a provisional file imported after the final one); a current value of the same or
an earlier stage stops being current. Nothing is deleted. Values from a later file's prior-year
columns rank below every stage of the year's own file: the own file supersedes them whichever
is imported first, and they never supersede it. Those of several years are written together,
each year's to its own release (``release_id`` in the values).

On PostgreSQL this is set-based, because building a ``MeasureValue`` per value was most of the
time of a national import: the new values' keys go by binary COPY into a temporary table, one
UPDATE joined to it marks the values they supersede, and the values go by binary COPY straight
into the table (``kernel.copy_binary``: numpy builds PostgreSQL's binary format, so PostgreSQL
parses nothing). COPY rather than ``INSERT ... SELECT`` from a temporary table of the whole
values: PostgreSQL writes a COPY's rows to the table a page at a time; measured on 660,000
values into 2.5 million, 1.8-2.1 s against 2.4-3.0 s. SQLite (``make run``) compares in pandas
and uses ``bulk_create``.

What remains of a national import is PostgreSQL's own work: maintaining the table's indexes
(``MeasureValue``'s: the key, the per-release unique index, which a new release appends to, and
the current values' unique index; the superseded values' partial index takes no new value) and
checking the three foreign keys, in one query over the new rows for a large write
(``foreign_keys_checked_together``: 0.06-0.2 s, the keys added back ``NOT VALID``) or row by
row at commit (about 3 µs a check).
"""

from __future__ import annotations

import io
from itertools import repeat

import numpy as np
import pandas as pd
from django.db import connection
from django.db.models.expressions import RawSQL

from kernel.bulk import foreign_keys_checked_together, set_based
from kernel.copy_binary import copy_data

from .models import DataRelease, MeasureValue, NationalValue, ReleaseStage

STAGE_RANK = {
    ReleaseStage.PRIOR_YEAR: -1,
    ReleaseStage.PROVISIONAL: 0,
    ReleaseStage.REVISED: 1,
    ReleaseStage.FINAL: 2,
}
BATCH_SIZE = 5000
KEYS = ["school_id", "measure_id", "academic_year"]
VALUE_DEFAULTS = {f.attname: f.get_default() for f in MeasureValue._meta.concrete_fields}
# Dropped with the transaction in any case; dropped at once so that a second import in the
# same transaction (a test, or a savepoint) can make it again.
NEW_VALUES = "categorisation_new_values"


def release_values_write(*, release: DataRelease, values: pd.DataFrame, ids: dict[str, int]) -> int:
    """Save a release's values, superseding the current ones they replace; how many superseded.
    ``values`` may name each value's release (``release_id``, all of ``release``'s stage)."""
    release_ids = values.get("release_id", release.pk)
    frame = pd.DataFrame(
        {
            "school_id": values["school_id"].astype("int64"),
            "measure_id": values["measure"].map(ids).astype("int64"),
            "academic_year": values["academic_year"],
            "value": values["value"].astype("float64"),
            "text": values["text"],
            "missing_reason": values["missing_reason"],
            "release_id": pd.Series(release_ids, index=values.index).astype("int64"),
        }
    )
    # In index order (school first), which keeps the unique indexes' inserts close together.
    frame = frame.sort_values(KEYS, kind="stable", ignore_index=True)
    if set_based():
        return _write_set_based(frame, release)
    return _write_orm(frame, release)


def _earlier_stages(stage: str) -> list[str]:
    """The stages a release of ``stage`` supersedes: its own and the earlier ones."""
    return [str(s) for s, rank in STAGE_RANK.items() if rank <= STAGE_RANK[stage]]


def _write_set_based(frame: pd.DataFrame, release: DataRelease) -> int:
    table = connection.ops.quote_name(MeasureValue._meta.db_table)
    with connection.cursor() as cursor:
        # Compiling these few big statements (JIT) costs more than it saves: 0.25 CPU s of a
        # 660,000-value insert. For this transaction only.
        cursor.execute("SET LOCAL jit = off")
        years = _keys_copy(cursor, frame)
        superseded, later = _supersede_set_based(cursor, table, frame, release.stage, years)
        current = np.ones(len(frame), dtype=bool)
        if later:  # rare (a provisional file after the final one): find those values only then
            current[_kept_later(cursor, table, years)] = False
        # Within a school, values of one record layout together: fewer slices to join.
        data = copy_data(
            frame.assign(is_current=current),
            {**VALUE_KINDS, "is_current": "bool"},
            together_within="school_id",
        )
        columns = ", ".join([*VALUE_KINDS, "is_current"])
        with foreign_keys_checked_together(MeasureValue, rows=len(frame)):
            cursor.cursor.copy_expert(
                f"COPY {table} ({columns}) FROM STDIN WITH (FORMAT binary)",
                io.BytesIO(data),
                size=COPY_CHUNK,
            )
        cursor.execute(f"DROP TABLE {NEW_VALUES}")
    return superseded


# The new values' columns as the binary COPY writes them (``kernel.copy_binary``): the value
# NULL where the file has none (NaN), the words as text.
VALUE_KINDS = {
    "school_id": "int8",
    "measure_id": "int8",
    "release_id": "int8",
    "value": "float8",
    "academic_year": "text",
    "text": "text",
    "missing_reason": "text",
}
# The new values' keys, for finding the stored values they supersede: the year as its number in
# the list of the file's years, and each value's row in the frame.
KEY_KINDS = {"school_id": "int8", "measure_id": "int8", "academic_year": "int4", "row": "int4"}
COPY_CHUNK = 1 << 20


def _word(name: str) -> str:
    """The new value's word ``name`` (once joined with ``_words``)."""
    return f"w_{name}.word"


def _words(*names: str) -> str:
    """Joins of the new values' keys to the lists of their words (the statement's
    parameters), by number: a hash join, not a walk along the list for each value."""
    return " ".join(
        f"JOIN unnest(%({name})s::text[]) WITH ORDINALITY AS w_{name} (word, number) "
        f"ON w_{name}.number = n.{name}"
        for name in names
    )


def _keys_copy(cursor, frame: pd.DataFrame) -> dict[str, list[str]]:
    """The new values' keys into a temporary table, by binary COPY; the file's years, which
    the keys number."""
    cursor.execute(
        f"CREATE TEMPORARY TABLE {NEW_VALUES} (school_id bigint NOT NULL, "
        "measure_id bigint NOT NULL, academic_year integer NOT NULL, row integer NOT NULL) "
        "ON COMMIT DROP"
    )
    numbers, years = pd.factorize(frame["academic_year"])
    keys = pd.DataFrame(
        {
            "school_id": frame["school_id"],
            "measure_id": frame["measure_id"],
            "academic_year": numbers + 1,  # PostgreSQL's arrays count from 1
            "row": np.arange(len(frame)),
        }
    )
    cursor.cursor.copy_expert(
        f"COPY {NEW_VALUES} ({', '.join(KEY_KINDS)}) FROM STDIN WITH (FORMAT binary)",
        io.BytesIO(copy_data(keys, KEY_KINDS)),
        size=COPY_CHUNK,
    )
    # Statistics (0.1 s) for the planner, which joins this table to the stored values next.
    cursor.execute(f"ANALYZE {NEW_VALUES}")
    return {"academic_year": [str(year) for year in years]}


def _supersede_set_based(
    cursor, table: str, frame: pd.DataFrame, stage: str, years: dict
) -> tuple[int, int]:
    """Mark current values of the same or an earlier stage as superseded, in one statement;
    the number superseded, and the number kept current because a later stage's."""
    earlier = _earlier_stages(stage)
    releases = connection.ops.quote_name(DataRelease._meta.db_table)
    # The measures and years narrow the stored values first: without them the planner probes
    # the stored values once per new value (a second for 660,000 values).
    cursor.execute(
        f"WITH stored AS (SELECT v.id, r.stage FROM {table} AS v "
        f"JOIN ({NEW_VALUES} AS n {_words('academic_year')}) ON n.school_id = v.school_id "
        f"AND n.measure_id = v.measure_id AND {_word('academic_year')} = v.academic_year "
        f"JOIN {releases} AS r ON r.id = v.release_id "
        "WHERE v.is_current AND v.measure_id = ANY(%(measures)s) "
        "AND v.academic_year = ANY(%(academic_year)s)), "
        f"superseded AS (UPDATE {table} AS v SET is_current = false FROM stored "
        "WHERE v.id = stored.id AND stored.stage = ANY(%(earlier)s) RETURNING 1) "
        "SELECT (SELECT count(*) FROM superseded), "
        "(SELECT count(*) FROM stored WHERE stored.stage <> ALL(%(earlier)s))",
        {
            "measures": sorted(int(pk) for pk in frame["measure_id"].unique()),
            "academic_year": years["academic_year"],
            "earlier": earlier,
        },
    )
    superseded, later = cursor.fetchone()
    return superseded, later


def _kept_later(cursor, table: str, years: dict) -> list[int]:
    """The rows of the new values whose key has a current value of a later stage (after
    superseding, the only current values left for these keys): they are stored not current."""
    cursor.execute(
        f"SELECT n.row FROM {NEW_VALUES} AS n {_words('academic_year')} "
        f"JOIN {table} AS v ON v.is_current AND v.school_id = n.school_id "
        f"AND v.measure_id = n.measure_id AND v.academic_year = {_word('academic_year')}",
        years,
    )
    return [row for (row,) in cursor.fetchall()]


def _currency(frame: pd.DataFrame, stage: str) -> tuple[pd.Series, list[int]]:
    """Whether each new value becomes current, and the ids of the current values it
    supersedes, compared in pandas."""
    stored = MeasureValue.objects.filter(
        is_current=True,
        measure_id__in=frame["measure_id"].unique().tolist(),
        academic_year__in=frame["academic_year"].unique().tolist(),
    )
    if set_based():
        schools = sorted(frame["school_id"].unique().tolist())
        stored = stored.filter(school_id__in=RawSQL("SELECT unnest(%s::integer[])", [schools]))
    rows = list(stored.values_list("pk", *KEYS, "release__stage"))
    current = pd.DataFrame(rows, columns=["pk", *KEYS, "stage"])
    if current.empty:
        return pd.Series(True, index=frame.index), []
    current = current.astype({"school_id": "int64", "measure_id": "int64"})
    merged = frame[KEYS].merge(current, on=KEYS, how="left")
    older = merged["stage"].map(STAGE_RANK).fillna(float("-inf")) <= STAGE_RANK[stage]
    superseded = merged.loc[merged["pk"].notna() & older, "pk"].astype(int).tolist()
    return pd.Series(older.to_numpy(), index=frame.index), superseded


def _write_orm(frame: pd.DataFrame, release: DataRelease) -> int:
    current, superseded = _currency(frame, release.stage)
    for start in range(0, len(superseded), BATCH_SIZE * 4):
        chunk = superseded[start : start + BATCH_SIZE * 4]
        MeasureValue.objects.filter(pk__in=chunk).update(is_current=False)
    numbers = frame["value"].astype(object).where(frame["value"].notna(), None)
    given = {
        **{name: frame[name].tolist() for name in KEYS + ["text", "missing_reason", "release_id"]},
        "value": numbers.tolist(),
        "is_current": current.astype(bool).tolist(),
    }
    # Positional arguments in the model's field order: much cheaper than keywords at this scale.
    columns = [given.get(name, repeat(default)) for name, default in VALUE_DEFAULTS.items()]
    rows = zip(*columns, strict=False)  # the repeated defaults never run out
    MeasureValue.objects.bulk_create((MeasureValue(*row) for row in rows), batch_size=BATCH_SIZE)
    return len(superseded)


def national_values_write(
    *, national: pd.DataFrame, release: DataRelease, ids: dict, stages: dict | None = None
) -> None:
    """England's values (measure, academic_year, value; optionally ``phase`` and
    ``release_id``, whose stages ``stages`` gives); each supersedes the current one of its
    measure, year and phase of the same or an earlier stage.

    Set-based: one query reads the current values of the file's measures and years, one marks
    those superseded and one inserts the new values, however many measures and years.
    """
    if national.empty:
        return
    national = national.assign(
        measure_id=national["measure"].map(ids),
        phase=national.get("phase", ""),
        release_id=national.get("release_id", release.pk),
    )
    stages = {release.pk: release.stage, **(stages or {})}
    rank = {
        (row.measure_id, row.academic_year, row.phase): STAGE_RANK[stages[row.release_id]]
        for row in national.itertuples(index=False)
    }
    current = NationalValue.objects.filter(
        measure_id__in={measure for measure, _, _ in rank},
        academic_year__in={year for _, year, _ in rank},
        is_current=True,
    ).values_list("pk", "measure_id", "academic_year", "phase", "release__stage")
    stored: dict[tuple, list[int]] = {}
    kept = set()  # a current value from a later stage stays current; the new one is not
    for pk, measure_id, year, phase, stage in current:
        key = (measure_id, year, phase)
        if key in rank:
            stored.setdefault(key, []).append(pk)
            if STAGE_RANK[stage] > rank[key]:
                kept.add(key)
    superseded = [pk for key, pks in stored.items() if key not in kept for pk in pks]
    if superseded:
        NationalValue.objects.filter(pk__in=superseded).update(is_current=False)
    NationalValue.objects.bulk_create(
        NationalValue(
            measure_id=int(row.measure_id),
            academic_year=row.academic_year,
            phase=row.phase,
            release_id=int(row.release_id),
            value=row.value,
            is_current=(row.measure_id, row.academic_year, row.phase) not in kept,
        )
        for row in national.itertuples(index=False)
    )
