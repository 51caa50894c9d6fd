"""File readers for performance data: a file's bytes in (CSV or XLSX), its values as one long
validated table out, or every problem by row and column. Nothing here writes.

The kind of file is told by its columns unless the user says: KS2 or KS4 performance tables,
the performance tables' absence file, Ofsted management information, a GIAS download (for its
Ofsted fields), or the LA template.
"""

from __future__ import annotations

from datetime import date

from categorisation.models import Source
from kernel.uploads import UploadRefused, upload_check, upload_limits

from .absence import REQUIRED as ABSENCE_REQUIRED
from .absence import SIGNATURE as ABSENCE_SIGNATURE
from .absence import absence_columns, absence_read
from .gias_ofsted import SIGNATURE as GIAS_SIGNATURE
from .gias_ofsted import gias_columns, gias_ofsted_read
from .key_stage import REQUIRED as KEY_STAGE_REQUIRED
from .key_stage import key_stage_columns, key_stage_read
from .ofsted import SIGNATURE as OFSTED_SIGNATURE
from .ofsted import ofsted_columns, ofsted_read
from .rows import PerformanceRows, ProgressCallback, ReadOptions
from .table import Table, columns_read, header_read
from .template import REQUIRED as TEMPLATE_REQUIRED
from .template import template_columns, template_read
from .values import problem
from .years import (
    YEAR_FORMAT,
    academic_year_end,
    academic_year_of,
    academic_year_parse,
    date_from_filename,
    stage_from_filename,
    year_from_filename,
)

__all__ = ["PerformanceRows", "ProgressCallback", "ReadOptions", "performance_file_read"]

KINDS = [choice.value for choice in Source]
# Columns that only a file of that kind has, checked in this order.
SIGNATURES = {
    Source.TEMPLATE: ["measure", "academic_year", "value"],
    Source.KS4: ["ATT8SCR", "P8MEA", "PTL2BASICS_94", "TPUP", "EBACCAPS"],
    Source.KS2: ["PTRWM_EXP", "READPROG", "TELIG", "READ_AVERAGE"],
    Source.ABSENCE: ABSENCE_SIGNATURE,
    Source.OFSTED: OFSTED_SIGNATURE,
    Source.GIAS: GIAS_SIGNATURE,
}
REQUIRED = {
    Source.TEMPLATE: ["URN", *TEMPLATE_REQUIRED[1:]],
    Source.KS2: KEY_STAGE_REQUIRED,
    Source.KS4: KEY_STAGE_REQUIRED,
    Source.ABSENCE: ABSENCE_REQUIRED,
    Source.OFSTED: ["URN"],
    Source.GIAS: ["URN"],
}
UNKNOWN_KIND = (
    "The file's columns are not those of a KS2 or KS4 performance table, an absence file, "
    "Ofsted management information, a GIAS download or the LA template (URN, measure, "
    "academic_year, value). "
    "Choose the kind of file, or check it is the right file"
)


def _names(header: list[str], kind: str) -> set[str]:
    """The header's names, folded to lower case for the template (its names are any case)."""
    return {name.lower() for name in header} if kind == Source.TEMPLATE else set(header)


def kind_detect(header: list[str]) -> str | None:
    """The kind of file its columns say it is, or None."""
    for kind, signature in SIGNATURES.items():
        names = _names(header, kind)
        complete = kind != Source.TEMPLATE or set(signature) <= names
        if names & set(signature) and complete:
            return kind.value
    return None


def _check_columns(header: list[str], kind: str, told: bool) -> list[dict]:
    names = _names(header, kind)
    if told and not names & set(SIGNATURES[kind]):
        label = Source(kind).label
        example = SIGNATURES[kind][0]
        return [
            problem(1, "", f"The file has none of the columns of a {label} file, like {example}")
        ]
    return [
        problem(1, column, f"The file has no '{column}' column")
        for column in REQUIRED[kind]
        if (column.lower() if kind == Source.TEMPLATE else column) not in names
    ]


def _year_and_snapshot(kind: str, options: ReadOptions) -> tuple[str, date | None, list[dict]]:
    """The release's academic year (and a snapshot's date) from the options or the file name."""
    year = ""
    if options.year:
        year = academic_year_parse(options.year) or ""
        if not year:
            return "", None, [problem(None, "", f"{YEAR_FORMAT}, not '{options.year}'")]
    if kind == Source.TEMPLATE:
        return year, None, []
    snapshot = None
    if kind in (Source.OFSTED, Source.GIAS):
        snapshot = date_from_filename(options.filename)
        year = year or (academic_year_of(snapshot) if snapshot else "")
    year = year or year_from_filename(options.filename) or ""
    if not year:
        where = "a date" if snapshot is None and kind in (Source.OFSTED, Source.GIAS) else "it"
        message = (
            f"The file name does not say which academic year the data is for: {YEAR_FORMAT} "
            f"(or name the file with {where}, like 2018-2019_850_ks2final.csv)"
        )
        return "", None, [problem(None, "", message)]
    if kind in (Source.OFSTED, Source.GIAS) and snapshot is None:
        snapshot = min(academic_year_end(year), date.today())
    return year, snapshot, []


def _wanted(kind: str, header: list[str], year: str) -> list[str]:
    if kind == Source.TEMPLATE:
        return list(template_columns(header))
    if kind in (Source.KS2, Source.KS4):
        return key_stage_columns(kind, header, year)
    if kind == Source.ABSENCE:
        return absence_columns()
    return ofsted_columns() if kind == Source.OFSTED else gias_columns()


def _read(table: Table, kind: str, year: str, snapshot, options: ReadOptions) -> PerformanceRows:
    if kind in (Source.KS2, Source.KS4):
        return key_stage_read(table, kind=kind, year=year)
    if kind == Source.ABSENCE:
        return absence_read(table, year=year)
    if kind == Source.OFSTED:
        return ofsted_read(table, year=year, snapshot=snapshot)
    if kind == Source.GIAS:
        return gias_ofsted_read(table, year=year, snapshot=snapshot)
    return template_read(table, options=ReadOptions(**{**options.__dict__, "year": year}))


def _limits(kind: str):
    """The LA template is long (a row per school, year and measure): it has its own row limit."""
    return upload_limits("template" if kind == Source.TEMPLATE else "performance")


def performance_file_read(
    *, data: bytes, options: ReadOptions, progress: ProgressCallback | None = None
) -> PerformanceRows:
    """Read and check a performance data file (writes nothing): its values, or every problem."""
    report = progress or (lambda percent, stage: None)
    report(5, "Reading the file")
    try:
        return _file_read(data, options, report)
    except UploadRefused as refused:
        return PerformanceRows(kind=options.kind, errors=[problem(None, "", refused.message)])


def _file_read(data: bytes, options: ReadOptions, report: ProgressCallback) -> PerformanceRows:
    allowed = ("csv", "xlsx")
    file_type = upload_check(
        data=data, name=options.filename, limits=_limits(options.kind), allowed=allowed
    )
    table = header_read(data, file_type, _limits(options.kind))
    if table.errors:
        return PerformanceRows(errors=table.errors)
    kind = options.kind or kind_detect(table.header)
    if kind not in KINDS:
        return PerformanceRows(errors=[problem(1, "", UNKNOWN_KIND)])
    errors = _check_columns(table.header, kind, told=bool(options.kind))
    if errors and not errors[0]["column"]:  # not the kind of file chosen: nothing else matters
        return PerformanceRows(kind=kind, errors=errors)
    year, snapshot, year_errors = _year_and_snapshot(kind, options)
    errors += year_errors
    stage = options.stage or stage_from_filename(options.filename)
    if errors:
        return PerformanceRows(kind=kind, year=year, stage=stage, errors=errors)
    limits = _limits(kind)
    limits.size_check(len(data))
    table = columns_read(table, _wanted(kind, table.header, year), limits)
    if table.errors:
        return PerformanceRows(kind=kind, year=year, stage=stage, errors=table.errors)
    if table.frame.empty:
        message = "The file has a header row but no data"
        return PerformanceRows(kind=kind, year=year, stage=stage, errors=[problem(2, "", message)])
    report(20, f"Checking {len(table.frame):,} rows")
    rows = _read(table, kind, year, snapshot, options)
    rows.stage = stage
    rows.errors.sort(key=lambda error: error["row"] or 0)
    return rows
