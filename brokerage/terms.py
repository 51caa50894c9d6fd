"""School terms, for a provider's capacity in days per term."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Term:
    name: str
    starts_on: date
    ends_on: date  # inclusive

    def __str__(self) -> str:
        return f"{self.name} term {self.starts_on.year}"


def term_of(day: date) -> Term:
    """The school term a day falls in, by fixed dates every year.

    Autumn runs from 1 September to 31 December, spring from 1 January to Easter and summer
    from after Easter to 31 August. Easter moves (late March to late April), so spring is taken
    to end on 31 March and summer to start on 1 April: capacity is planned a term ahead, and a
    week's error at Easter moves little. Holidays count in the term they follow.
    """
    year = day.year
    if day.month >= 9:
        return Term("Autumn", date(year, 9, 1), date(year, 12, 31))
    if day.month <= 3:
        return Term("Spring", date(year, 1, 1), date(year, 3, 31))
    return Term("Summer", date(year, 4, 1), date(year, 8, 31))
