"""Reader for Ofsted's management information on state-funded schools ("latest inspections as
at <date>"), one row per school.

Since September 2024 graded inspections give no overall effectiveness ("Not judged"): the last
graded judgement is ``Latest OEIF overall effectiveness`` (older files: ``Overall
effectiveness``). Report-card inspections (from November 2025) add one column per evaluation
area. Ofsted writes missing values as ``NULL`` and dates as dd/mm/yyyy.
"""

from __future__ import annotations

from datetime import date

import pandas as pd

from categorisation.measures import REPORT_CARD_AREAS
from categorisation.models import MissingReason

from .judgements import CONCERNS, GRADES, REPORT_CARD, SAFEGUARDING, judgements
from .rows import PerformanceRows
from .table import Table
from .values import dates, duplicates, problems, urns, values_part

URN = "URN"
OE = ["Latest OEIF overall effectiveness", "Overall effectiveness"]
PREVIOUS = [
    "Previous graded inspection overall effectiveness",
    "Previous full inspection overall effectiveness",
    "Previous inspection overall effectiveness",
]
# Start dates of graded inspections: the latest OEIF one, and a report-card (full) inspection.
INSPECTION_DATES = [
    "Inspection start date of latest OEIF graded inspection",
    "Inspection start date",
]
CONCERN = [
    "Most recent category of concern",
    "Latest OEIF category of concern",
    "Category of concern",
]
UNGRADED = "Ungraded inspection overall outcome"
SAFEGUARDING_COLUMN = "Safeguarding standards"
SIGNATURE = [*OE, UNGRADED, INSPECTION_DATES[0], SAFEGUARDING_COLUMN]
DAYS_A_YEAR = 365.25


def ofsted_columns() -> list[str]:
    return [
        URN,
        *OE,
        *PREVIOUS,
        *INSPECTION_DATES,
        *CONCERN,
        UNGRADED,
        SAFEGUARDING_COLUMN,
        *REPORT_CARD_AREAS.values(),
    ]


def _first(raw: pd.DataFrame, names: list[str]) -> str | None:
    return next((name for name in names if name in raw), None)


class _Reader:
    def __init__(self, raw: pd.DataFrame, year: str, snapshot: date):
        self.raw, self.year, self.snapshot = raw, year, snapshot
        self.rows = raw["row"]
        self.urn, self.errors = urns(raw[URN], self.rows)
        self.errors += duplicates(
            pd.DataFrame({"urn": self.urn}), self.rows, URN, lambda label: f"URN {self.urn[label]}"
        )
        self.parts: list[pd.DataFrame] = []

    def add(self, code: str, **columns) -> None:
        self.parts.append(values_part(self.rows, self.urn, code, self.year, **columns))

    def judged(self, code: str, column: str | None, table: dict, allowed: str, **kw) -> None:
        if column is None:
            return  # a measure the file does not have is not written
        raw = self.raw[column]
        value, text, reason, bad = judgements(raw, table, **kw)
        message = f"{column} must be {allowed}"
        self.errors += problems(
            bad, self.rows, column, lambda label: f"{message}, not '{raw[label]}'"
        )
        self.add(code, value=value, text=text, missing=reason)

    def inspection_years(self) -> None:
        """Years from the latest graded inspection to the snapshot; the text is its date."""
        columns = [name for name in INSPECTION_DATES if name in self.raw]
        if not columns:
            return
        latest = pd.Series(pd.NaT, index=self.raw.index, dtype="datetime64[ns]")
        for column in columns:
            parsed, bad = dates(self.raw[column], "%d/%m/%Y")
            message = f"{column} must be a real date in the format dd/mm/yyyy, like 06/01/2026"
            self.errors += problems(bad, self.rows, column, message)
            latest = latest.where(latest.ge(parsed) | parsed.isna(), parsed)
        days = (pd.Timestamp(self.snapshot) - latest).dt.days
        years = (days / DAYS_A_YEAR).round(2)
        text = latest.dt.strftime("%Y-%m-%d").fillna("")
        self.add("OFSTED_INSPECTION_YEARS", value=years, text=text)

    def concern(self) -> None:
        columns = [name for name in CONCERN if name in self.raw]
        if not columns:
            return
        # The first column that says anything but NULL.
        merged = self.raw[columns[0]]
        for column in columns[1:]:
            merged = merged.where(merged.str.upper().ne("NULL"), self.raw[column])
        value, text, reason, bad = judgements(merged, CONCERNS, {"null": MissingReason.BLANK})
        message = f"{columns[0]} must be SWK, SM, blank or NULL"
        self.errors += problems(
            bad, self.rows, columns[0], lambda at: f"{message}, not '{merged[at]}'"
        )
        self.add("OFSTED_CONCERN", value=value, text=text, missing=reason)

    def ungraded(self) -> None:
        if UNGRADED in self.raw:
            outcome = self.raw[UNGRADED]
            self.add("OFSTED_UNGRADED", text=outcome.where(outcome.str.upper().ne("NULL"), ""))


def ofsted_read(table: Table, *, year: str, snapshot: date) -> PerformanceRows:
    """An Ofsted management information file's values per school (writes nothing)."""
    reader = _Reader(table.frame, year, snapshot)
    grades = "1, 2, 3, 4 or Not judged"
    reader.judged("OFSTED_OE", _first(reader.raw, OE), GRADES, grades)
    reader.judged("OFSTED_OE_PREVIOUS", _first(reader.raw, PREVIOUS), GRADES, grades)
    reader.inspection_years()
    reader.concern()
    reader.ungraded()
    column = SAFEGUARDING_COLUMN if SAFEGUARDING_COLUMN in reader.raw else None
    reader.judged("OFSTED_RC_SAFEGUARDING", column, SAFEGUARDING, "Met, Not met or NULL")
    scale = "Exceptional, Strong standard, Expected standard, Needs attention, Urgent improvement"
    for code, area in REPORT_CARD_AREAS.items():
        column = area if area in reader.raw else None
        reader.judged(f"OFSTED_RC_{code}", column, REPORT_CARD, f"{scale}, Not applicable or NULL")
    rows = PerformanceRows(
        kind="ofsted", year=year, total=len(reader.raw), snapshot=snapshot, errors=reader.errors
    )
    if reader.parts:
        rows.values = pd.concat(reader.parts, ignore_index=True)
    return rows
