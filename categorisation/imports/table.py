"""A file's bytes (CSV or XLSX) to its header and a table of the wanted columns as stripped
text, with the file's row number of each record (header = row 1).

CSV goes through the register import's reader (``kernel.tables``: UTF-8 with or
without BOM, else Windows-1252; short and ragged rows; pandas' C parser). XLSX is streamed from
the first worksheet (``workbook``): numbers become text as a CSV would hold them (a cell
formatted as a percentage, 0.64, becomes "64%"), dates become ISO dates (yyyy-mm-dd). Either
way the records are counted against the upload's row limit while they are read.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime

import pandas as pd

from kernel.tables import decode, first_record, read_table
from kernel.uploads import UploadLimits

from .values import problem
from .workbook import workbook_check, workbook_rows


@dataclass
class Table:
    header: list[str] = field(default_factory=list)
    frame: pd.DataFrame = field(default_factory=pd.DataFrame)
    errors: list[dict] = field(default_factory=list)
    text: str = ""  # the decoded CSV, kept to read the wanted columns once the kind is known
    workbook: bytes | None = None  # an XLSX file, read again for the wanted columns


def header_read(data: bytes, file_type: str, limits: UploadLimits) -> Table:
    """The header row: enough to tell the kind of file. Raises ``UploadRefused`` for a
    workbook that is damaged, unsafe or has no worksheets."""
    if not data.strip():
        return Table(errors=[problem(1, "", "The selected file is empty")])
    if file_type == "xlsx":
        workbook_check(data, limits)
        first = next(workbook_rows(data), None)
        if first is None:
            return Table(errors=[problem(1, "", "The selected file is empty")])
        return Table(header=[_cell_text(cell).strip() for cell in first], workbook=data)
    text = decode(data)
    if text.startswith('"\ufeff'):  # a byte order mark saved inside the first quoted name
        text = '"' + text[2:]
    try:
        header, _ = first_record(text)
    except csv.Error as exc:
        return Table(errors=[problem(1, "", f"The file is not a valid CSV: {exc}")])
    return Table(header=[name.strip() for name in header], text=text)


def columns_read(table: Table, wanted: Iterable[str], limits: UploadLimits) -> Table:
    """The wanted columns (those present) of every non-blank record, and ``row``. Raises
    ``UploadRefused`` as soon as a record past the row limit is read."""
    wanted = [name for name in dict.fromkeys(wanted) if name in table.header]
    if table.workbook is not None:
        frame = _xlsx_frame(table.header, table.workbook, wanted, limits)
        return Table(table.header, frame, table.errors)
    header, frame, errors = read_table(table.text, wanted, joined="", limits=limits)
    return Table(header, frame, table.errors + errors)


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


def _xlsx_frame(
    header: list[str], workbook: bytes, wanted: list[str], limits: UploadLimits
) -> pd.DataFrame:
    """The wanted columns of the non-blank rows after the header, as text, keeping only those
    cells: nothing holds every row of the sheet."""
    positions = [header.index(name) for name in wanted]
    data: dict[str, list] = {"row": [], **{name: [] for name in wanted}}
    rows = enumerate(workbook_rows(workbook, width=len(header)), 1)
    filled = ((number, cells) for number, cells in rows if number > 1 and _filled(cells))
    for number, cells in limits.rows_counted(filled):
        data["row"].append(number)
        for name, index in zip(wanted, positions, strict=True):
            data[name].append(_cell_text(cells[index]) if index < len(cells) else "")
    frame = pd.DataFrame(data).astype(object).astype({"row": int})
    blank = frame.drop(columns="row").eq("").all(axis=1) if wanted else frame["row"].lt(0)
    return frame.loc[~blank].reset_index(drop=True)


def _filled(cells: tuple) -> bool:
    return any(getattr(cell, "value", None) not in (None, "") for cell in cells)
