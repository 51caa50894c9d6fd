"""Reader for the performance tables' absence file (``2023-2024_england_abs.csv``, any LA's or
England's): one row per school with ``PERCTOT`` (overall absence, per cent of sessions) and
``PPERSABS10`` (persistent absence: per cent of pupils missing 10% or more of sessions).

The national rows have ``LA`` = ``NAT``, no URN and ``ESTAB`` = ``PRI``, ``SEC`` or ``SPE``:
England's value differs by phase, so each is kept as the national value of its phase
(``NationalValue.phase``). Codes (SUPP, NE, x, c, z, u, blank) are missing reasons, never zero.
"""

from __future__ import annotations

import pandas as pd

from categorisation.measures import ABSENCE_COLUMNS
from categorisation.models import NationalPhase

from .rows import PerformanceRows
from .table import Table
from .values import duplicates, number_message, numbers, problems, urns, values_part

URN, LA, ESTAB = "URN", "LA", "ESTAB"
REQUIRED = [URN, LA, ESTAB]
SIGNATURE = list(ABSENCE_COLUMNS)
NATIONAL_LA = "NAT"
NATIONAL_PHASES = {
    "PRI": NationalPhase.PRIMARY.value,
    "SEC": NationalPhase.SECONDARY.value,
    "SPE": NationalPhase.SPECIAL.value,
}
NATIONAL_COLUMNS = ["measure", "academic_year", "value", "phase"]


def absence_columns() -> list[str]:
    return [*REQUIRED, *ABSENCE_COLUMNS]


def _values(frame: pd.DataFrame, urn: pd.Series, year: str) -> tuple[list, list[dict]]:
    parts, errors = [], []
    rows = frame["row"]
    for column, code in ABSENCE_COLUMNS.items():
        if column not in frame:
            continue
        raw = frame[column]
        value, reason, bad = numbers(raw, percent=True)
        message = number_message(column, percent=True)
        errors += problems(bad, rows, column, lambda label, r=raw, m=message: m(r[label]))
        parts.append(values_part(rows, urn, code, year, value, missing=reason))
    return parts, errors


def _national(frame: pd.DataFrame, year: str) -> tuple[pd.DataFrame, list[dict]]:
    """England's value of each measure for each phase a national row gives a number for."""
    found, errors = [], []
    estab = frame[ESTAB].str.upper()
    errors += problems(
        ~estab.isin(list(NATIONAL_PHASES)),
        frame["row"],
        ESTAB,
        lambda label: (
            f"ESTAB of a national (NAT) row must be PRI, SEC or SPE, not '{frame[ESTAB][label]}'"
        ),
    )
    for column, code in ABSENCE_COLUMNS.items():
        if column not in frame:
            continue
        value, _, bad = numbers(frame[column], percent=True)
        message = number_message(column, percent=True)
        errors += problems(
            bad, frame["row"], column, lambda label, c=frame[column], m=message: m(c[label])
        )
        for label in value.index[value.notna() & estab.isin(list(NATIONAL_PHASES))]:
            phase = NATIONAL_PHASES[estab[label]]
            found.append([code, year, float(value[label]), phase])
    national = pd.DataFrame(found, columns=NATIONAL_COLUMNS)
    return national.drop_duplicates(["measure", "academic_year", "phase"]), errors


def absence_read(table: Table, *, year: str) -> PerformanceRows:
    """An absence file's school values and England's values per phase (writes nothing)."""
    raw = table.frame
    national_rows = raw[LA].str.upper().eq(NATIONAL_LA)
    schools = raw[~national_rows]
    urn, errors = urns(schools[URN], schools["row"])
    errors += duplicates(
        pd.DataFrame({"urn": urn}), schools["row"], URN, lambda label: f"URN {urn[label]}"
    )
    parts, value_errors = _values(schools, urn, year)
    national, national_errors = _national(raw[national_rows], year)
    errors += value_errors + national_errors
    rows = PerformanceRows(kind="absence", year=year, total=len(raw), national=national)
    rows.errors = errors
    if parts:
        rows.values = pd.concat(parts, ignore_index=True)
    return rows
