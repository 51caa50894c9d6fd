"""Reader for Ofsted's management information on state-funded schools ("latest inspections as
at <date>"), one row per school.

Since September 2024 graded inspections give no overall effectiveness ("Not judged"): the last
graded judgement is ``Latest OEIF overall effectiveness`` (older files: ``Overall
effectiveness``). Report-card inspections (from November 2025) add one column per evaluation
area. Ofsted writes missing values as ``NULL`` and dates as dd/mm/yyyy.

The latest outcome may come from any type of inspection: a graded one (``OFSTED_OE``), an
ungraded one (``OFSTED_UNGRADED``) or a report card (``OFSTED_RC_*``). ``OFSTED_LATEST_TYPE``
says which is the latest, and ``OFSTED_INSPECTION_YEARS`` counts from the latest of them all.
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
# Start dates: the latest OEIF graded inspection, the latest full inspection (a report card
# when it has report-card judgements, else graded), and the latest ungraded inspection.
GRADED_DATE = "Inspection start date of latest OEIF graded inspection"
FULL_DATE = "Inspection start date"
UNGRADED_DATE = "Date of latest ungraded inspection"
INSPECTION_DATES = [GRADED_DATE, FULL_DATE, UNGRADED_DATE]
# OFSTED_LATEST_TYPE's values, in the order a tie on the date is settled
LATEST_TYPES = {3: "Report card", 1: "Graded inspection", 2: "Ungraded inspection"}
CONCERN = [
    "Most recent category of concern",
    "Latest OEIF category of concern",
    "Category of concern",
]
UNGRADED = "Ungraded inspection overall outcome"
SAFEGUARDING_COLUMN = "Safeguarding standards"
SIGNATURE = [*OE, UNGRADED, GRADED_DATE, SAFEGUARDING_COLUMN]
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

    def _dates(self, column: str) -> pd.Series:
        empty = pd.Series(pd.NaT, index=self.raw.index, dtype="datetime64[ns]")
        if column not in self.raw:
            return empty
        parsed, bad = dates(self.raw[column], "%d/%m/%Y")
        message = f"{column} must be a real date in the format dd/mm/yyyy, like 06/01/2026"
        self.errors += problems(bad, self.rows, column, message)
        return parsed.astype("datetime64[ns]")

    def _report_card(self) -> pd.Series:
        """Whether the latest full inspection is a report card: it has report-card judgements."""
        if SAFEGUARDING_COLUMN not in self.raw:
            return pd.Series(False, index=self.raw.index)
        return ~self.raw[SAFEGUARDING_COLUMN].str.upper().isin(["", "NULL"])

    def latest_inspection(self) -> None:
        """Years from the latest inspection of any type to the snapshot (the text is its
        date), and which type it was."""
        if not any(name in self.raw for name in INSPECTION_DATES):
            return
        full, report_card = self._dates(FULL_DATE), self._report_card()
        graded = self._dates(GRADED_DATE)
        graded = graded.where(graded.ge(full) | full.isna() | report_card, full)
        by_type = {
            3: full.where(report_card),
            1: graded,
            2: self._dates(UNGRADED_DATE),
        }
        latest = pd.Series(pd.NaT, index=self.raw.index, dtype="datetime64[ns]")
        kind = pd.Series(float("nan"), index=self.raw.index)
        for code in LATEST_TYPES:  # a later date wins; on the same day, the earlier type here
            later = by_type[code].notna() & (latest.isna() | by_type[code].gt(latest))
            latest, kind = latest.where(~later, by_type[code]), kind.where(~later, float(code))
        days = (pd.Timestamp(self.snapshot) - latest).dt.days
        text = latest.dt.strftime("%Y-%m-%d").fillna("")
        self.add("OFSTED_INSPECTION_YEARS", value=(days / DAYS_A_YEAR).round(2), text=text)
        named = kind.map(LATEST_TYPES).fillna("")
        self.add(
            "OFSTED_LATEST_TYPE",
            value=kind,
            text=(named + ", " + text).where(named.ne(""), ""),
        )

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
    reader.latest_inspection()
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
