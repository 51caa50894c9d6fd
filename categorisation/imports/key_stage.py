"""Reader for DfE's key stage 2 and key stage 4 performance tables (``ks2final.csv``,
``ks4final.csv``; any release).

``RECTYPE`` says what a row is. KS2 (``ks2_meta.csv``): 1 mainstream school, 2 special school,
3 local authority, 4 England (all schools), 5 England (state-funded schools only). KS4: 1 and 2
schools, 4 local authority, 5 England (all schools, independent ones included), 7 England
(state-funded schools only). Only rows 1 and 2 are schools; England's comparator is the
state-funded row, 5 for KS2 and 7 for KS4. Columns are read by name: their set differs by year.
"""

from __future__ import annotations

import pandas as pd

from categorisation.measures import BY_CODE, KEY_STAGE_COLUMNS
from categorisation.models import Source, Unit

from .rows import PerformanceRows
from .table import Table
from .values import duplicates, number_message, numbers, problems, urns, values_part

URN, RECTYPE = "URN", "RECTYPE"
REQUIRED = [URN, RECTYPE]
SCHOOL_RECTYPES = ["1", "2"]
NATIONAL_RECTYPE = {Source.KS2: "5", Source.KS4: "7"}


def key_stage_columns(kind: str) -> list[str]:
    return [*REQUIRED, *KEY_STAGE_COLUMNS[kind]]


def _measure_values(schools: pd.DataFrame, urn: pd.Series, kind: str, year: str):
    """Each measure column of the school rows as long values, and the malformed cells."""
    parts, errors = [], []
    rows = schools["row"]
    for column, code in KEY_STAGE_COLUMNS[kind].items():
        if column not in schools:
            continue  # a measure this year's file does not have is not written at all
        percent = BY_CODE[code].unit == Unit.PERCENT
        raw = schools[column]
        value, reason, bad = numbers(raw, percent=percent)
        message = number_message(column, percent=percent)
        errors += problems(bad, rows, column, lambda label, r=raw, m=message: m(r[label]))
        parts.append(values_part(rows, urn, code, year, value, missing=reason))
    return parts, errors


def _national(raw: pd.DataFrame, kind: str, year: str) -> tuple[pd.DataFrame, list[dict]]:
    """England's (state-funded) value of each measure the national row gives a number for."""
    national = raw[raw[RECTYPE].eq(NATIONAL_RECTYPE[kind])].head(1)
    found, errors = [], []
    for column, code in KEY_STAGE_COLUMNS[kind].items():
        if column not in national or national.empty:
            continue
        percent = BY_CODE[code].unit == Unit.PERCENT
        cell = national[column]
        value, _, bad = numbers(cell, percent=percent)
        message = number_message(column, percent=percent)
        errors += problems(
            bad, national["row"], column, lambda label, c=cell, m=message: m(c[label])
        )
        if pd.notna(value.iloc[0]):
            found.append({"measure": code, "academic_year": year, "value": float(value.iloc[0])})
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
    return rows
