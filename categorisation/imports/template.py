"""Reader for the LA template: local data, one value a row, with the columns ``URN``,
``measure``, ``academic_year``, ``value`` and optionally ``note`` (names in any case).

A measure must be in the catalogue (``categorisation.measures``) or already on the register;
with ``create_measures`` an unknown code (capitals, digits and underscores) is created by the
import instead. A value is a number, a percentage or a DfE code (SUPP, NE, x...); the note is
kept as the value's text.
"""

from __future__ import annotations

import pandas as pd

from categorisation.measures import BY_CODE
from categorisation.models import Unit

from .rows import PerformanceRows, ReadOptions
from .table import Table
from .values import (
    duplicates,
    number_message,
    numbers,
    per_distinct,
    problems,
    urns,
    values_part,
)
from .years import YEAR_FORMAT, academic_year_parse

REQUIRED = ["urn", "measure", "academic_year", "value"]
NOTE = "note"
NOTE_LENGTH = 200
CODE = r"[A-Z][A-Z0-9_]{0,49}"


def template_columns(header: list[str]) -> dict[str, str]:
    """Our name of each template column the header has, by the header's own spelling."""
    return {
        name: name.strip().lower() for name in header if name.strip().lower() in [*REQUIRED, NOTE]
    }


def _codes(raw: pd.Series) -> tuple[pd.Series, pd.Series]:
    codes = raw.str.upper()
    return codes, codes.ne("") & ~codes.str.fullmatch(CODE).fillna(False).astype(bool)


def _measures(raw: pd.Series, rows: pd.Series, options: ReadOptions):
    codes, malformed = per_distinct(raw, _codes)
    known = set(BY_CODE) | set(options.measures)
    errors = problems(codes.eq(""), rows, "measure", "Enter the measure code")
    errors += problems(
        malformed,
        rows,
        "measure",
        lambda at: f"A measure code is capital letters, digits and underscores, not '{raw[at]}'",
    )
    unknown = codes.ne("") & ~malformed & ~codes.isin(known)
    new = sorted(codes[unknown].unique().tolist()) if options.create_measures else []
    if not options.create_measures:
        errors += problems(
            unknown,
            rows,
            "measure",
            lambda at: (
                f"'{raw[at]}' is not a measure in the catalogue: use a code such as "
                "LA_ABSENCE_OVERALL, or allow new measures to be created"
            ),
        )
    return codes, new, errors


def _year_cells(raw: pd.Series, default: str) -> tuple[pd.Series, pd.Series, pd.Series]:
    filled = raw.where(raw.ne(""), default or "")
    parsed = filled.map(academic_year_parse)
    return parsed, filled.eq(""), filled.ne("") & parsed.isna()


def _years(raw: pd.Series, rows: pd.Series, default: str):
    parsed, blank, bad = per_distinct(raw, lambda cells: _year_cells(cells, default))
    errors = problems(blank, rows, "academic_year", f"{YEAR_FORMAT} (the cell is blank)")
    errors += problems(bad, rows, "academic_year", lambda at: f"{YEAR_FORMAT}, not '{raw[at]}'")
    return parsed, errors


def template_read(table: Table, *, options: ReadOptions) -> PerformanceRows:
    """An LA template's values (writes nothing)."""
    raw = table.frame.rename(columns=template_columns(table.header))
    rows = raw["row"]
    urn, errors = urns(raw["urn"], rows, "URN")
    codes, new, measure_errors = _measures(raw["measure"], rows, options)
    years, year_errors = _years(raw["academic_year"], rows, options.year)
    errors += measure_errors + year_errors
    percent = codes.isin([spec.code for spec in BY_CODE.values() if spec.unit == Unit.PERCENT])
    value, reason, bad = numbers(raw["value"])
    out_of_range = percent & value.notna() & ~value.between(0, 100)
    value = value.where(~out_of_range)
    message = number_message("value")
    errors += problems(bad | out_of_range, rows, "value", lambda at: message(raw.at[at, "value"]))
    note = raw[NOTE] if NOTE in raw else pd.Series("", index=raw.index)
    (long,) = per_distinct(note, lambda notes: (notes.str.len().gt(NOTE_LENGTH),))
    errors += problems(long, rows, NOTE, f"The note must be {NOTE_LENGTH} characters or fewer")
    keys = pd.DataFrame({"urn": urn, "measure": codes.where(codes.ne("")), "year": years})
    errors += duplicates(
        keys,
        rows,
        "URN",
        lambda at: f"URN {urn[at]}, {codes[at]} in {years[at]}",
    )
    part = values_part(rows, urn, "", years, value, note, reason)
    part["measure"] = codes
    errors.sort(key=lambda error: error["row"] or 0)
    year = part["academic_year"].dropna().unique()
    return PerformanceRows(
        kind="template",
        year=year[0] if len(year) == 1 else "",
        total=len(raw),
        values=part.reset_index(drop=True),
        new_measures=new,
        errors=errors,
    )
