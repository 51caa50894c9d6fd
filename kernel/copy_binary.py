"""PostgreSQL's binary ``COPY`` format, made from a DataFrame by numpy, in the frame's row order.

A record is the number of fields, then each field's length in bytes (-1 for NULL) and its
big-endian bytes. Rows whose records have the same shape (the same fields NULL, each text of the
same length in bytes) make one ``layout``: each layout's records are one fixed-width numpy array,
filled a column at a time, and the data is those arrays' slices in the frame's order. Rows of
one layout next to each other make fewer, longer slices (``together_within``); ``layouts``
gives each row's layout number.

Kinds: ``int8``, ``int4``, ``float8`` (NaN is NULL), ``bool`` and ``text`` (None or NaN is NULL;
encoded as UTF-8, the connection's encoding).
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

import numpy as np
import pandas as pd

HEADER = b"PGCOPY\n\xff\r\n\x00" + struct.pack(">ii", 0, 0)
TRAILER = struct.pack(">h", -1)
FIXED = {"int8": ">i8", "int4": ">i4", "float8": ">f8", "bool": "u1"}


@dataclass
class _Column:
    name: str
    kind: str
    sizes: np.ndarray | int  # each row's field length in bytes (-1 for NULL), or all rows'
    values: np.ndarray  # the values (fixed kinds) or the rows' word numbers (text)
    words: np.ndarray | None = None  # text: the distinct words' bytes


def _column(frame: pd.DataFrame, name: str, kind: str) -> _Column:
    column = frame[name]
    if kind == "text":
        numbers, distinct = pd.factorize(column, use_na_sentinel=True)
        encoded = [str(word).encode() for word in distinct]
        lengths = np.array([len(word) for word in encoded] + [-1], dtype=np.int64)
        width = max((len(word) for word in encoded), default=0)
        words = np.array(encoded, dtype=f"S{max(width, 1)}")
        sizes = lengths[numbers]
        if len(encoded) == 1 and (numbers == 0).all():
            sizes = int(lengths[0])  # one word, never NULL: one size
        return _Column(name, kind, sizes, numbers, words)
    size = np.dtype(FIXED[kind]).itemsize
    null = column.isna().to_numpy()
    if not null.any():
        return _Column(name, kind, size, column.to_numpy().astype(FIXED[kind], copy=False))
    values = np.where(null, 0, column.to_numpy()).astype(FIXED[kind])
    return _Column(name, kind, np.where(null, -1, size), values)


def _layout_numbers(columns: list[_Column], rows: int) -> tuple[np.ndarray, int]:
    key = np.zeros(rows, dtype=np.int64)
    varying = [column.sizes for column in columns if isinstance(column.sizes, np.ndarray)]
    if not varying:
        return key, 1 if rows else 0
    for sizes in varying:
        numbers, distinct = pd.factorize(sizes)
        key = key * (len(distinct) + 1) + numbers
    numbers, distinct = pd.factorize(key)
    return numbers, len(distinct)


def layouts(frame: pd.DataFrame, kinds: dict[str, str]) -> np.ndarray:
    """Each row's layout number (equal numbers: records of the same shape)."""
    columns = [_column(frame, name, kind) for name, kind in kinds.items()]
    return _layout_numbers(columns, len(frame))[0]


def _size(column: _Column, row: int) -> int:
    return column.sizes if isinstance(column.sizes, int) else int(column.sizes[row])


def _records(columns: list[_Column], rows: np.ndarray | None) -> np.ndarray:
    """The records of ``rows`` (all when None), which share a layout, as one array."""
    first = 0 if rows is None else int(rows[0])
    count = len(columns[0].values) if rows is None else len(rows)
    every = slice(None) if rows is None else rows
    fields = [("fields", ">i2")]
    for number, column in enumerate(columns):
        fields.append((f"size{number}", ">i4"))
        size = _size(column, first)
        if size > 0:
            kind = f"S{size}" if column.kind == "text" else FIXED[column.kind]
            fields.append((f"value{number}", kind))
    records = np.empty(count, dtype=fields)
    records["fields"] = len(columns)
    for number, column in enumerate(columns):
        size = _size(column, first)
        records[f"size{number}"] = size
        if size <= 0:
            continue
        if column.kind == "text":  # every word here is ``size`` bytes long: nothing is cut
            records[f"value{number}"] = column.words[column.values[every]].astype(f"S{size}")
        else:
            records[f"value{number}"] = column.values[every]
    return records


def copy_data(
    frame: pd.DataFrame, kinds: dict[str, str], *, together_within: str | None = None
) -> bytes:
    """The frame's ``kinds`` columns (in that order) as binary COPY data, rows in frame order;
    with ``together_within``, rows of one layout are put together within each run of rows of
    equal ``together_within`` (each school's values, say), otherwise in frame order: fewer,
    longer slices to join."""
    columns = [_column(frame, name, kind) for name, kind in kinds.items()]
    if frame.empty:
        return HEADER + TRAILER
    layout, count = _layout_numbers(columns, len(frame))
    if count == 1:  # one layout: the records are the data
        return HEADER + _records(columns, None).tobytes() + TRAILER
    sequence = np.arange(len(frame))  # the rows, in the order they are written
    if together_within is not None:
        key = frame[together_within].to_numpy()
        runs = np.cumsum(np.concatenate([[False], key[1:] != key[:-1]]))
        sequence = np.lexsort((layout, runs))  # stable: frame order within a layout
    laid = layout[sequence]
    by_layout = np.argsort(laid, kind="stable")  # each layout's places, in order
    bounds = np.cumsum(np.bincount(laid, minlength=count))[:-1]
    rank = np.empty(len(laid), dtype=np.int64)
    views = []
    for places in np.split(by_layout, bounds):
        rank[places] = np.arange(len(places))
        records = _records(columns, sequence[places])
        views.append((memoryview(records.tobytes()), records.dtype.itemsize))
    # Runs of consecutive rows of one layout: each is one slice of that layout's records.
    starts = np.flatnonzero(np.diff(laid, prepend=-1))
    ends = np.append(starts[1:], len(laid))
    parts = [HEADER]
    for start, end in zip(starts.tolist(), ends.tolist(), strict=True):
        view, width = views[laid[start]]
        first = int(rank[start])
        parts.append(view[first * width : (first + end - start) * width])
    parts.append(TRAILER)
    return b"".join(parts)
