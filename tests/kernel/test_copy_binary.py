"""``kernel.copy_binary``: what PostgreSQL reads from the binary COPY data is the frame, row for
row, in its order, whatever mix of NULLs and text lengths (so record layouts) the rows have."""

import io
import math

import numpy as np
import pandas as pd
import pytest
from django.db import connection
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kernel.copy_binary import copy_data, layouts

KINDS = {"id": "int8", "number": "int4", "value": "float8", "flag": "bool", "word": "text"}
WORDS = st.one_of(st.none(), st.text(alphabet=st.characters(blacklist_characters="\x00")))
ROWS = st.lists(
    st.tuples(
        st.integers(min_value=-(2**63), max_value=2**63 - 1),
        st.integers(min_value=-(2**31), max_value=2**31 - 1),
        st.one_of(st.just(math.nan), st.floats(allow_nan=False)),
        st.booleans(),
        WORDS,
    ),
    max_size=40,
)


def _copied(frame: pd.DataFrame) -> list[tuple]:
    """The frame copied into a temporary table and read back in its order."""
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TEMPORARY TABLE IF NOT EXISTS copied (n serial, id bigint, number integer, "
            "value double precision, flag boolean, word text)"
        )
        cursor.execute("TRUNCATE copied")
        cursor.cursor.copy_expert(
            f"COPY copied ({', '.join(KINDS)}) FROM STDIN WITH (FORMAT binary)",
            io.BytesIO(copy_data(frame, KINDS)),
        )
        cursor.execute(f"SELECT {', '.join(KINDS)} FROM copied ORDER BY n")
        return cursor.fetchall()


def _frame(rows: list[tuple]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=list(KINDS))
    return frame.astype({"id": "int64", "number": "int64", "value": "float64", "flag": bool})


def _expected(rows: list[tuple]) -> list[tuple]:
    return [(i, n, None if math.isnan(v) else v, f, w) for i, n, v, f, w in rows]


@pytest.mark.django_db
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ROWS)
def test_postgresql_reads_back_every_row_in_order(rows):
    assert _copied(_frame(rows)) == _expected(rows)


@pytest.mark.django_db
def test_rows_of_several_layouts_interleaved_keep_their_order():
    rows = [
        (1, 1, 1.5, True, ""),
        (2, 2, math.nan, False, "NP"),
        (3, 3, 2.5, True, ""),
        (4, 4, 0.0, False, "café ☕"),
        (5, 5, math.nan, True, None),
        (6, 6, -7.25, False, "NP"),
        (7, 7, 1e300, True, ""),
    ]
    frame = _frame(rows)
    numbers = layouts(frame, KINDS)
    # NULL value or not, and the text's length in bytes (None is NULL), make the layouts.
    assert len(set(numbers.tolist())) == 5
    assert numbers[0] == numbers[2] == numbers[6]
    assert numbers[1] != numbers[5]  # value NULL against not, same word
    assert _copied(frame) == _expected(rows)


@pytest.mark.django_db
def test_an_empty_frame_copies_nothing():
    assert _copied(_frame([])) == []


@pytest.mark.django_db
def test_rows_of_one_layout_go_together_within_each_run_of_a_key_and_keep_their_order():
    """``together_within``: each school's rows (a run of equal ids) are written layout by
    layout, in frame order within a layout; every row's values stay together."""
    rows = [
        (1, 1, 1.5, True, ""),
        (1, 2, math.nan, False, "NP"),
        (1, 3, 2.5, True, ""),
        (2, 4, math.nan, False, "NP"),
        (2, 5, 0.5, True, ""),
        (2, 6, math.nan, True, "NP"),
        (1, 7, 3.5, True, ""),  # a second run of id 1: a group of its own
    ]
    frame = _frame(rows)
    order = [0, 2, 1, 4, 3, 5, 6]  # within each run: layouts as they first appear in the frame
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TEMPORARY TABLE grouped (n serial, id bigint, number integer, "
            "value double precision, flag boolean, word text)"
        )
        cursor.cursor.copy_expert(
            f"COPY grouped ({', '.join(KINDS)}) FROM STDIN WITH (FORMAT binary)",
            io.BytesIO(copy_data(frame, KINDS, together_within="id")),
        )
        cursor.execute(f"SELECT {', '.join(KINDS)} FROM grouped ORDER BY n")
        assert cursor.fetchall() == [_expected(rows)[n] for n in order]


def test_a_large_frame_is_its_records_end_to_end():
    """660,000 rows of three layouts, grouped within each of 22,000 keys: the data is the
    header, every record's bytes and the trailer, nothing more or less."""
    rng = np.random.default_rng(7)
    size = 660_000
    frame = pd.DataFrame(
        {
            "id": np.repeat(np.arange(22_000), 30),
            "number": np.tile(np.arange(30), 22_000),
            "value": np.where(rng.random(size) < 0.05, np.nan, rng.random(size)),
            "flag": True,
            "word": np.where(rng.random(size) < 0.01, "SUPP", ""),
        }
    )
    data = copy_data(frame, KINDS, together_within="id")
    fixed = 2 + 12 + 8 + 5 + 4  # count, id, number, flag, the word's length
    words = (frame["word"].str.len()).sum()
    values = frame["value"].notna().sum() * 12 + frame["value"].isna().sum() * 4
    assert len(data) == 19 + size * fixed + words + values + 2
    assert data.endswith(b"\xff\xff") and data[19:21] == b"\x00\x05"  # five fields
