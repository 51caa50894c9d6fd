"""Reader for DfE's key stage 2 and key stage 4 performance tables (``ks2final.csv``,
``ks4final.csv``; any release).

``RECTYPE`` says what a row is. KS2 (``ks2_meta.csv``): 1 mainstream school, 2 special school,
3 local authority, 4 England (all schools), 5 England (state-funded schools only). KS4: 1 and 2
schools, 4 local authority, 5 England (all schools, independent ones included), 7 England
(state-funded schools only). Only rows 1 and 2 are schools; England's comparator is the
state-funded row, 5 for KS2 and 7 for KS4. Columns are read by name: their set differs by year.

Prior-year columns (``PTRWM_EXP_18``, ``P8MEA_PREV``: see ``prior_years``) become values of
their own years, for the schools and for England; a blank prior-year cell says nothing and is
not kept (a code such as SUPP or NE is kept as the reason the value is missing).
"""

from __future__ import annotations

import pandas as pd

from categorisation.measures import BY_CODE, KEY_STAGE_COLUMNS
from categorisation.models import MissingReason, Source, Unit

from .prior_years import prior_year_columns
from .rows import PerformanceRows
from .table import Table
from .values import duplicates, number_message, numbers, problems, urns, values_part

URN, RECTYPE = "URN", "RECTYPE"
REQUIRED = [URN, RECTYPE]
SCHOOL_RECTYPES = ["1", "2"]
NATIONAL_RECTYPE = {Source.KS2: "5", Source.KS4: "7"}


def key_stage_columns(kind: str, header: list[str] | None = None, year: str = "") -> list[str]:
    """The columns to read: the measures' own, and their prior-year columns in ``header``."""
    prior = prior_year_columns(header or [], KEY_STAGE_COLUMNS[kind], year)
    return [*REQUIRED, *KEY_STAGE_COLUMNS[kind], *prior]


def _columns(frame: pd.DataFrame, kind: str, year: str) -> dict[str, tuple[str, str]]:
    """Each measure column of the file (own year first), as (measure code, academic year)."""
    own = {column: (code, year) for column, code in KEY_STAGE_COLUMNS[kind].items()}
    prior = prior_year_columns(list(frame.columns), KEY_STAGE_COLUMNS[kind], year)
    return {name: found for name, found in {**own, **prior}.items() if name in frame}


def _measure_values(schools: pd.DataFrame, urn: pd.Series, kind: str, year: str):
    """Each measure column of the school rows as long values, and the malformed cells."""
    parts, errors = [], []
    rows = schools["row"]
    for column, (code, of_year) in _columns(schools, kind, year).items():
        percent = BY_CODE[code].unit == Unit.PERCENT
        raw = schools[column]
        value, reason, bad = numbers(raw, percent=percent)
        message = number_message(column, percent=percent)
        errors += problems(bad, rows, column, lambda label, r=raw, m=message: m(r[label]))
        part = values_part(rows, urn, code, of_year, value, missing=reason)
        if of_year != year:
            part = part[part["missing_reason"].ne(MissingReason.BLANK.value)]
        parts.append(part)
    return parts, errors


def _national(raw: pd.DataFrame, kind: str, year: str) -> tuple[pd.DataFrame, list[dict]]:
    """England's (state-funded) value of each measure the national row gives a number for."""
    national = raw[raw[RECTYPE].eq(NATIONAL_RECTYPE[kind])].head(1)
    found, errors = [], []
    if national.empty:
        return pd.DataFrame(found, columns=["measure", "academic_year", "value"]), errors
    for column, (code, of_year) in _columns(national, kind, year).items():
        percent = BY_CODE[code].unit == Unit.PERCENT
        cell = national[column]
        value, _, bad = numbers(cell, percent=percent)
        message = number_message(column, percent=percent)
        errors += problems(
            bad, national["row"], column, lambda label, c=cell, m=message: m(c[label])
        )
        if pd.notna(value.iloc[0]):
            found.append({"measure": code, "academic_year": of_year, "value": float(value.iloc[0])})
    return pd.DataFrame(found, columns=["measure", "academic_year", "value"]), errors


def key_stage_read(table: Table, *, kind: str, year: str) -> PerformanceRows:
    """A KS2 or KS4 file's school values and England's values (writes nothing)."""
    raw = table.frame
    rectype = raw[RECTYPE]
    errors = problems(
        ~rectype.str.fullmatch(r"\d{1,2}").fillna(False).astype(bool),
        raw["row"],
        RECTYPE,
        lambda label: f"RECTYPE must be a record type like 1 (a school), not '{rectype[label]}'",
    )
    schools = raw[rectype.isin(SCHOOL_RECTYPES)]
    urn, urn_errors = urns(schools[URN], schools["row"])
    errors += urn_errors
    errors += duplicates(
        pd.DataFrame({"urn": urn}), schools["row"], URN, lambda label: f"URN {urn[label]}"
    )
    parts, value_errors = _measure_values(schools, urn, kind, year)
    national, national_errors = _national(raw, kind, year)
    errors += value_errors + national_errors
    rows = PerformanceRows(kind=kind, year=year, total=len(raw), national=national, errors=errors)
    if parts:
        rows.values = pd.concat(parts, ignore_index=True)
    rows.prior_years = sorted(
        {of_year for _, of_year in _columns(raw, kind, year).values()} - {year}
    )
    return rows
