"""Loading a run's data into pandas, and saving its results in bulk.

A few queries load everything a rule set reads for every open school in the partnership: on
PostgreSQL the rows come through COPY as CSV parsed by pandas, and the results go back through
COPY, which is several times faster than INSERTs for 22,000 explanations. SQLite (``make run``)
uses ordinary queries and bulk INSERTs.

``revised_data``: a result is marked when a value the rules read was superseded by a later
release and the school's category using the earlier release's values (the latest superseded row
of each school, measure and year) differs from its category now, found by running the engine a
second time on those schools only.
"""

from __future__ import annotations

import io
from decimal import Decimal

import msgspec
import pandas as pd
from django.db import connection

from schools.models import OPEN_STATUSES, School

from .definition import definition_measures
from .engine import DEFAULT_COHORT, categorise
from .models import Measure, MeasureValue, NationalValue, Result, Run

BATCH_SIZE = 2000
# The explanations are most of what a run writes (about 3 KB each): msgspec writes the same
# JSON as json.dumps three times faster (0.2 against 0.6 CPU s for 22,000, bench/README.md).
_JSON = msgspec.json.Encoder()
VALUE_FIELDS = ["school_id", "measure_id", "academic_year", "value", "text", "missing_reason"]
# What ``applies_to`` and England's value by phase read about each school.
SCHOOL_FIELDS = [
    "pk",
    "phase",
    "gias_phase",
    "type_group",
    "statutory_low_age",
    "statutory_high_age",
]


def measures_frame() -> pd.DataFrame:
    rows = Measure.objects.values_list("pk", "code", "higher_is_better", "source", "cohort_measure")
    frame = pd.DataFrame(list(rows), columns=["id", "code", "higher_is_better", "source", "cohort"])
    codes = dict(zip(frame["id"], frame["code"], strict=True))
    return frame.assign(cohort_measure=frame["cohort"].map(codes)).drop(columns="cohort")


def _needed_ids(definition: dict, measures: pd.DataFrame) -> dict[int, str]:
    """The measures the rules read and the pupil counts that guard them, by id."""
    codes = definition_measures(definition)
    wanted = measures[measures["code"].isin(codes)]
    codes |= set(wanted["cohort_measure"].dropna()) | set(DEFAULT_COHORT.values())
    chosen = measures[measures["code"].isin(codes)]
    return dict(zip(chosen["id"], chosen["code"], strict=True))


def _rows_frame(queryset, columns: list[str], numbers: dict[str, str]) -> pd.DataFrame:
    """A queryset's ``values_list(*columns)`` as a DataFrame. On PostgreSQL the rows come as
    CSV from COPY, parsed by pandas: no Python object per cell."""
    if connection.vendor != "postgresql":
        frame = pd.DataFrame(list(queryset.values_list(*columns)), columns=columns)
        return frame.astype(numbers)
    sql, params = queryset.values_list(*columns).query.sql_with_params()
    buffer = io.BytesIO()
    with connection.cursor() as cursor:
        query = cursor.cursor.mogrify(sql, params).decode()
        cursor.cursor.copy_expert(f"COPY ({query}) TO STDOUT WITH CSV", buffer)
    buffer.seek(0)
    texts = {name: str for name in columns if name not in numbers}
    # keep_default_na=False: "NA" is a missing reason (not applicable), not a missing cell.
    return pd.read_csv(
        buffer,
        names=columns,
        header=None,
        dtype={**numbers, **texts},
        keep_default_na=False,
        na_values={name: [""] for name in numbers},
    )


def _values_frame(queryset, ids: dict[int, str]) -> pd.DataFrame:
    numbers = {"school_id": "int64", "measure_id": "int64", "value": "float64"}
    frame = _rows_frame(queryset, VALUE_FIELDS, numbers)
    frame["measure"] = frame.pop("measure_id").map(ids)
    return frame


def _partnership_values(ids: dict[int, str], *, current: bool):
    return MeasureValue.objects.filter(
        is_current=current,
        measure_id__in=list(ids),
        school__status__in=OPEN_STATUSES,
        school__opted_out=False,
    )


def national_frame(ids: dict[int, str]) -> pd.DataFrame:
    """England's current values of the measures: measure, academic_year, value, and phase
    ("" for England's value for all schools; absence measures have one per phase)."""
    rows = NationalValue.objects.filter(is_current=True, measure_id__in=list(ids))
    fields = ["measure__code", "academic_year", "value", "phase"]
    return pd.DataFrame(
        list(rows.values_list(*fields)), columns=["measure", "academic_year", "value", "phase"]
    )


def run_data_load(definition: dict) -> dict:
    """Schools, current values, national values, measures and superseded values, as frames."""
    measures = measures_frame()
    ids = _needed_ids(definition, measures)
    schools = pd.DataFrame(
        list(School.objects.in_partnership().order_by("pk").values_list(*SCHOOL_FIELDS)),
        columns=["school_id", *SCHOOL_FIELDS[1:]],
    )
    superseded = _values_frame(
        _partnership_values(ids, current=False).order_by("release__imported_at", "release_id"),
        ids,
    )
    return {
        "schools": schools,
        "values": _values_frame(_partnership_values(ids, current=True), ids),
        "national": national_frame(ids),
        "measures": measures,
        "superseded": superseded,
    }


def results_revised(definition: dict, data: dict, results: pd.DataFrame) -> pd.Series:
    """Schools whose category differs when superseded values replace the current ones."""
    keys = ["school_id", "measure", "academic_year"]
    earlier = data["superseded"].drop_duplicates(keys, keep="last")
    revised = pd.Series(False, index=results.index)
    if earlier.empty:
        return revised
    current = data["values"].set_index(keys)
    earlier = earlier.set_index(keys)
    before = pd.concat([current.drop(earlier.index, errors="ignore"), earlier]).reset_index()
    schools = data["schools"][data["schools"]["school_id"].isin(earlier.index.get_level_values(0))]
    then = categorise(
        definition=definition,
        values=before[before["school_id"].isin(schools["school_id"])],
        national=data["national"],
        schools=schools,
        measures=data["measures"],
    )
    differs = then["category"].ne(results["category"].reindex(then.index))
    revised.loc[differs[differs].index] = True
    return revised


RESULT_FIELDS = [
    "run_id",
    "school_id",
    "computed_category",
    "computed_support_band",
    "score",
    "insufficient_data",
    "trigger",
    "explanation",
    "revised_data",
    "category",
    "support_band",
]


def result_rows(run: Run, results: pd.DataFrame) -> list[tuple]:
    """Each result's RESULT_FIELDS (the moderated category starts as the computed one)."""
    category, band = results["category"].tolist(), results["support_band"].tolist()
    return list(
        zip(
            [run.pk] * len(results),
            results.index.tolist(),
            category,
            band,
            [Decimal(f"{score:.2f}") for score in results["score"]],
            results["insufficient_data"].tolist(),
            results["trigger"].tolist(),
            results["explanation"].tolist(),
            results["revised_data"].tolist(),
            category,
            band,
            strict=True,
        )
    )


def _copy_text(value) -> str:
    """A field in PostgreSQL's COPY text format."""
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, dict):
        value = _JSON.encode(value).decode()
    text = str(value)
    if "\\" in text or "\t" in text or "\n" in text or "\r" in text:
        text = text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")
        text = text.replace("\r", "\\r")
    return text


def results_save(rows: list[tuple]) -> None:
    """Insert the results: COPY on PostgreSQL (several times faster for large explanations),
    else bulk INSERTs."""
    if connection.vendor != "postgresql":
        results = [Result(**dict(zip(RESULT_FIELDS, row, strict=True))) for row in rows]
        Result.objects.bulk_create(results, batch_size=BATCH_SIZE)
        return
    defaults = (Result.Moderation.PENDING.value, "")
    columns = ", ".join(
        connection.ops.quote_name(name)
        for name in [*RESULT_FIELDS, "moderation", "override_reason"]
    )
    text = "".join(
        "\t".join(_copy_text(value) for value in (*row, *defaults)) + "\n" for row in rows
    )
    with connection.cursor() as cursor:
        cursor.cursor.copy_expert(
            f"COPY {Result._meta.db_table} ({columns}) FROM STDIN", io.StringIO(text)
        )
