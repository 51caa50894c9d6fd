"""Reader for the Ofsted fields of a GIAS establishment download: ``OfstedRating (name)`` and
``OfstedLastInsp`` (dd-mm-yyyy). Every row with a URN is read; the service keeps those on the
register. The EduBase files before 2017 have the date but no rating column.
"""

from __future__ import annotations

from datetime import date

import pandas as pd

from .judgements import GIAS_RATINGS, judgements
from .ofsted import DAYS_A_YEAR
from .rows import PerformanceRows
from .table import Table
from .values import dates, duplicates, problems, urns, values_part

URN, RATING, LAST_INSPECTION = "URN", "OfstedRating (name)", "OfstedLastInsp"
SIGNATURE = [RATING, LAST_INSPECTION]
RATINGS = (
    "Outstanding, Good, Requires improvement, Inadequate, Serious Weaknesses or Special Measures"
)


def gias_columns() -> list[str]:
    return [URN, RATING, LAST_INSPECTION]


def gias_ofsted_read(table: Table, *, year: str, snapshot: date) -> PerformanceRows:
    """GIAS's Ofsted rating and inspection date of each establishment (writes nothing)."""
    raw, rows = table.frame, table.frame["row"]
    urn, errors = urns(raw[URN], rows)
    errors += duplicates(pd.DataFrame({"urn": urn}), rows, URN, lambda label: f"URN {urn[label]}")
    parts = []
    if RATING in raw:
        rating = raw[RATING]
        value, text, reason, bad = judgements(rating, GIAS_RATINGS)
        errors += problems(
            bad, rows, RATING, lambda label: f"{RATING} must be {RATINGS}, not '{rating[label]}'"
        )
        parts.append(values_part(rows, urn, "GIAS_OFSTED_RATING", year, value, text, reason))
    if LAST_INSPECTION in raw:
        parsed, bad = dates(raw[LAST_INSPECTION], "%d-%m-%Y")
        message = f"{LAST_INSPECTION} must be a real date in the format dd-mm-yyyy, like 23-01-2019"
        errors += problems(bad, rows, LAST_INSPECTION, message)
        years = ((pd.Timestamp(snapshot) - parsed).dt.days / DAYS_A_YEAR).round(2)
        text = parsed.dt.strftime("%Y-%m-%d").fillna("")
        parts.append(values_part(rows, urn, "GIAS_OFSTED_INSPECTION_YEARS", year, years, text))
    result = PerformanceRows(
        kind="gias", year=year, total=len(raw), snapshot=snapshot, errors=errors
    )
    if parts:
        result.values = pd.concat(parts, ignore_index=True)
    return result
