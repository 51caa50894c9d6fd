"""What every reader returns: the file's values in one long table, and every problem."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

import pandas as pd

from .values import empty_values

ProgressCallback = Callable[[int, str], None]


@dataclass
class ReadOptions:
    """What the user said about the file; anything left empty is worked out from it."""

    filename: str = ""
    kind: str = ""
    year: str = ""
    stage: str = ""
    measures: frozenset[str] = frozenset()  # codes known to the register (template import)
    create_measures: bool = False


@dataclass
class PerformanceRows:
    """A file's values per school row (``values``: row, urn, measure, academic_year, value,
    text, missing_reason), England's values from its national row, and every problem."""

    kind: str = ""
    year: str = ""
    stage: str = ""
    total: int = 0
    values: pd.DataFrame = field(default_factory=empty_values)
    national: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame(columns=["measure", "academic_year", "value"])
    )
    new_measures: list[str] = field(default_factory=list)
    # Years whose values come from the file's prior-year columns (``prior_years``), not its own
    prior_years: list[str] = field(default_factory=list)
    snapshot: date | None = None
    errors: list[dict] = field(default_factory=list)

    @property
    def years(self) -> list[str]:
        return sorted(self.values["academic_year"].unique().tolist())
