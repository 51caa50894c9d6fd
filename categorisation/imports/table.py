"""A file's bytes (CSV or XLSX) to its header and a table of the wanted columns as stripped
text, with the file's row number of each record (header = row 1).

CSV goes through the register import's reader (``kernel.tables``: UTF-8 with or
without BOM, else Windows-1252; short and ragged rows; pandas' C parser). XLSX is read with
openpyxl from the first worksheet: numbers become text as a CSV would hold them (a cell
formatted as a percentage, 0.64, becomes "64%"), dates become ISO dates (yyyy-mm-dd).
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime

import pandas as pd

from kernel.tables import decode, read_table

from .values import problem

XLSX_MAGIC = b"PK\x03\x04"


@dataclass
class Table:
    header: list[str] = field(default_factory=list)
    frame: pd.DataFrame = field(default_factory=pd.DataFrame)
    errors: list[dict] = field(default_factory=list)
    text: str = ""  # the decoded CSV, kept to read the wanted columns once the kind is known
    xlsx_rows: list[list[str]] | None = None


def is_xlsx(data: bytes, filename: str) -> bool:
    return data.startswith(XLSX_MAGIC) or filename.lower().endswith(".xlsx")


def header_read(data: bytes, filename: str) -> Table:
    """The header row (and, for XLSX, every row as text): enough to tell the kind of file."""
    if not data.strip():
        return Table(errors=[problem(1, "", "The selected file is empty")])
    if is_xlsx(data, filename):
        return _xlsx(data)
    text = decode(data)
    if text.startswith('"\ufeff'):  # a byte order mark saved inside the first quoted name
        text = '"' + text[2:]
    try:
        header = next(csv.reader(io.StringIO(text, newline="")), [])
    except csv.Error as exc:
        return Table(errors=[problem(1, "", f"The file is not a valid CSV: {exc}")])
    return Table(header=[name.strip() for name in header], text=text)


def columns_read(table: Table, wanted: Iterable[str]) -> Table:
    """The wanted columns (those present) of every non-blank record, and ``row``."""
    wanted = [name for name in dict.fromkeys(wanted) if name in table.header]
    if table.xlsx_rows is not None:
        frame = _xlsx_frame(table.header, table.xlsx_rows, wanted)
        return Table(table.header, frame, table.errors)
    header, frame, errors = read_table(table.text, wanted, joined="")
    return Table(header, frame, table.errors + errors)


def _xlsx(data: bytes) -> Table:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        message = f"The file is not a valid XLSX workbook ({exc.__class__.__name__})"
        return Table(errors=[problem(None, "", message)])
    try:
        rows = [[_cell_text(cell) for cell in row] for row in book.worksheets[0].iter_rows()]
    finally:
        book.close()
    if not rows:
        return Table(errors=[problem(1, "", "The selected file is empty")])
    return Table(header=[name.strip() for name in rows[0]], xlsx_rows=rows[1:])


def _number_text(value: float, fmt: str) -> str:
    if "%" in (fmt or ""):
        return f"{round(value * 100, 10):g}%"
    if float(value).is_integer():
        return str(int(value))
    return repr(float(value))


_CONVERT: dict[type, Callable] = {
    bool: lambda value, fmt: "TRUE" if value else "FALSE",
    datetime: lambda value, fmt: value.date().isoformat(),
    date: lambda value, fmt: value.isoformat(),
    int: _number_text,
    float: _number_text,
}


def _cell_text(cell) -> str:
    value = getattr(cell, "value", None)
    if value is None:
        return ""
    convert = _CONVERT.get(type(value))
    if convert is None:
        return str(value).strip()
    return convert(value, getattr(cell, "number_format", ""))


def _xlsx_frame(header: list[str], rows: list[list[str]], wanted: list[str]) -> pd.DataFrame:
    positions = {name: header.index(name) for name in wanted}
    data: dict[str, list] = {"row": list(range(2, len(rows) + 2))}
    for name, index in positions.items():
        data[name] = [row[index] if index < len(row) else "" for row in rows]
    frame = pd.DataFrame(data).astype(object).astype({"row": int})
    blank = frame.drop(columns="row").eq("").all(axis=1) if wanted else frame["row"].lt(0)
    return frame.loc[~blank].reset_index(drop=True)
