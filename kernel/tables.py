"""Bytes to a table of named text columns, with the line in the file where each record starts.

Decoding: UTF-8 with or without a byte order mark, else Windows-1252; bytes that are neither
(such as 0x81) are marked so that the row and column holding them can be reported. Ragged rows
(extra unnamed trailing fields, as GIAS writes for extra linked establishments) are kept.

pandas' C parser reads the columns we use when it can give exact line numbers (no line breaks
inside quoted fields, no marked bytes); otherwise Python's csv module reads the file record by
record, which is slower but exact.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Iterable

import pandas as pd

from kernel.uploads import UploadLimits, problems_capped

# Undecodable bytes become private-use characters so that the cell holding them can be found.
_MARK = 0xF700
_MARKED = re.compile(f"[{chr(_MARK)}-{chr(_MARK + 255)}]")
# The parser's first try allows this many extra trailing fields; it then learns the real width.
_MARGIN = 16


def _mark_bytes(error: UnicodeDecodeError) -> tuple[str, int]:
    bad = error.object[error.start : error.end]
    return "".join(chr(_MARK + b) for b in bad), error.end


codecs.register_error("gias_mark", _mark_bytes)


def decode(data: bytes) -> str:
    """UTF-8 (with or without a byte order mark), else Windows-1252; bad bytes are marked."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="gias_mark")


def problem(row: int | None, column: str, message: str) -> dict:
    return {"row": row, "column": column, "message": message}


def read_table(
    text: str,
    wanted: Iterable[str],
    joined: str,
    *,
    exact: bool = False,
    limits: UploadLimits | None = None,
) -> tuple[list[str], pd.DataFrame, list]:
    """The header, then the ``wanted`` columns present (stripped text) and ``row`` (the line a
    record starts on); a ragged row's extra fields are appended to column ``joined`` after a
    ``|``. Blank lines are left out. Problems: bad CSV, undecodable bytes. ``exact`` skips
    pandas' parser (the two readers must agree). Raises ``UploadRefused`` past ``limits``."""
    try:
        first, lines = first_record(text)
    except csv.Error as exc:
        return [], pd.DataFrame(), [problem(1, "", f"The file is not a valid CSV: {exc}")]
    header = [name.strip() for name in first]
    if limits is not None:
        rows_check(text, limits)
    columns = {name: header.index(name) for name in dict.fromkeys(wanted) if name in header}
    marked = _marked(text)
    if not exact and lines == 1 and not marked:
        table = _read_fast(text, len(header), columns)
        if table is not None:
            return header, _finish(table, columns, len(header), joined), []
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        next(reader, None)  # the header
        records, lines = _records(reader)
    except csv.Error as exc:
        return (
            header,
            pd.DataFrame(),
            [problem(reader.line_num, "", f"The file is not a valid CSV: {exc}")],
        )
    table = _table(records, lines, columns, len(header))
    errors = _undecodable(header, records, lines) if marked else []
    return header, _finish(table, columns, len(header), joined), errors


def _line_breaks(text: str) -> int:
    breaks = text.count("\n")
    return breaks if "\r" not in text else breaks + text.count("\r") - text.count("\r\n")


def first_record(text: str) -> tuple[list[str], int]:
    """The first CSV record of ``text`` and how many lines it spans, read from the start of the
    text alone: a reader over the whole text first copies all of it (0.1 s for 60 MB)."""
    size = 1 << 16
    while True:
        chunk = text[:size]
        whole = size >= len(text)
        reader = csv.reader(io.StringIO(chunk, newline=""))
        try:
            record = next(reader, [])
        except csv.Error:
            if whole:
                raise
        else:  # complete when the chunk goes on past it
            if whole or _line_breaks(chunk) > reader.line_num:
                return record, reader.line_num
        size *= 4


def _marked(text: str) -> bool:
    """Whether ``decode`` marked an undecodable byte (never in ASCII text: no search needed)."""
    return not text.isascii() and _MARKED.search(text) is not None


def rows_check(text: str, limits: UploadLimits) -> None:
    """Refuse text of more non-blank records after its header than ``limits`` allow, counting
    them (only when it has more lines than that) and stopping at the first one too many."""
    if _line_breaks(text) <= limits.max_rows:  # no more records than line breaks
        return
    records = csv.reader(io.StringIO(text, newline=""))
    try:
        next(records, None)
        for _ in limits.rows_counted(record for record in records if any(record)):
            pass
    except csv.Error:
        return  # reading the table reports where the file stops being CSV


def _read_fast(text: str, width: int, columns: dict[str, int]) -> pd.DataFrame | None:
    """The used columns by pandas' C parser, or None when it cannot be sure of line numbers."""
    keep = {*columns.values(), *range(width, width + _MARGIN)}
    try:
        table = _parse(text, width + _MARGIN, keep)
    except pd.errors.ParserError as exc:
        # With fewer fields than names the parser says how many it found: use exactly that.
        found = re.search(r"found (\d+)", str(exc))
        if not found or int(found.group(1)) < width:
            return None
        try:
            table = _parse(text, int(found.group(1)), keep)
        except pd.errors.ParserError:
            return None
    physical_lines = text.count("\n") + (0 if text.endswith("\n") else 1)
    if len(table) != physical_lines - 1:
        return None  # a quoted field spans lines: only the csv module knows where records start
    table.insert(0, "row", table.index + 2)
    return table


def _parse(text: str, width: int, keep: set[int]) -> pd.DataFrame:
    return pd.read_csv(
        io.BytesIO(text.encode("utf-8")),
        header=None,
        skiprows=1,
        names=list(range(width)),
        usecols=lambda index: index in keep,
        dtype=object,
        keep_default_na=False,
        na_filter=False,
        skip_blank_lines=False,
        low_memory=False,
    )


def _records(reader) -> tuple[list[list[str]], list[int]]:
    """Every non-blank record and the line it starts on (a quoted field may span lines)."""
    records, lines = [], []
    previous = reader.line_num
    for record in reader:
        if any(record):
            records.append(record)
            lines.append(previous + 1)
        previous = reader.line_num
    return records, lines


def _table(records: list[list[str]], lines: list[int], columns: dict, width: int) -> pd.DataFrame:
    most = max((len(r) for r in records), default=width)
    data = {"row": lines}
    for index in {*columns.values(), *range(width, most)}:
        data[index] = [r[index] if index < len(r) else "" for r in records]
    return pd.DataFrame(data, dtype=object).astype({"row": int})


def _stripped(column: pd.Series) -> pd.Series:
    """Text without surrounding spaces; only distinct values are looked at (GIAS repeats many)."""
    column = column.fillna("")
    changed = {value: value.strip() for value in column.unique() if value != value.strip()}
    return column.replace(changed) if changed else column


def _finish(table: pd.DataFrame, columns: dict[str, int], width: int, joined: str) -> pd.DataFrame:
    """Named, stripped columns without blank records; extra trailing fields joined on."""
    extras = [index for index in table.columns if index != "row" and index >= width]
    frame = pd.DataFrame({"row": table["row"]})
    for name, index in columns.items():
        frame[name] = _stripped(table[index])
    if joined in frame:
        for index in extras:
            extra = _stripped(table[index])
            frame[joined] = frame[joined] + ("|" + extra).where(extra.ne(""), "")
    blank = frame.drop(columns="row").eq("").all(axis=1)
    if extras:
        blank &= table[extras].fillna("").eq("").all(axis=1)
    return frame.loc[~blank].astype(object).astype({"row": int}).reset_index(drop=True)


def _undecodable(header: list[str], records: list[list[str]], lines: list[int]) -> list[dict]:
    """The cells holding a byte that is neither UTF-8 nor Windows-1252 (such as 0x81): the
    first ones, and how many more (``problems_capped``)."""

    def found():
        for line, record in zip([1, *lines], [header, *records], strict=True):
            for index, cell in enumerate(record):
                match = _MARKED.search(cell)
                if match:
                    name = _MARKED.sub("?", header[index]) if index < len(header) else ""
                    byte = ord(match.group()) - _MARK
                    text = f"Contains a byte (0x{byte:02X}) that is not UTF-8 or Windows-1252 text"
                    yield problem(line, name, text)

    return problems_capped(found())
