"""Academic years ("2018-2019"), snapshot dates and release stages from file names or options.

An academic year runs from 1 September to 31 August. Performance tables are named by the year
they report (``2018-2019_850_ks2final.csv``); Ofsted and GIAS snapshots by the date they were
taken (``..._as_at_28_Feb_2026_...``, ``gias_20220420_...``), whose academic year is the one the
date falls in.
"""

from __future__ import annotations

import re
from datetime import date

from categorisation.models import ReleaseStage

YEAR_FORMAT = "Enter the academic year like 2018-2019"
_ACADEMIC = re.compile(r"(?<!\d)(\d{4})\s*[-/_]?\s*(\d{4}|\d{2})(?!\d)")
_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for name in names
}
_DAY_MONTH_YEAR = re.compile(r"(?<!\d)(\d{1,2})[-_ ]([a-z]{3,9})[-_ ](\d{4})(?!\d)")
_ISO_DATE = re.compile(r"(?<!\d)(\d{4})-?(\d{2})-?(\d{2})(?!\d)")
_YEAR_MONTH = re.compile(r"(?<!\d)(\d{4})-(\d{2})(?!\d)")


def _plausible(year: int) -> bool:
    return 1990 <= year <= 2100


def academic_year_parse(text: str) -> str | None:
    """ "2018-2019", "2018/19", "2018-19" or "201819" as "2018-2019"; None if not a year."""
    match = _ACADEMIC.fullmatch(str(text).strip())
    if not match:
        return None
    first, second = int(match.group(1)), match.group(2)
    if not _plausible(first):
        return None
    if len(second) == 2 and int(second) != (first + 1) % 100:
        return None
    if len(second) == 4 and int(second) != first + 1:
        return None
    return f"{first}-{first + 1}"


def academic_year_of(day: date) -> str:
    start = day.year if day.month >= 9 else day.year - 1
    return f"{start}-{start + 1}"


def academic_year_end(year: str) -> date:
    return date(int(year[5:]), 8, 31)


def year_from_filename(filename: str) -> str | None:
    """The academic year a file name states, such as 2018-2019 in 2018-2019_850_ks2final.csv."""
    for match in _ACADEMIC.finditer(filename):
        found = academic_year_parse(match.group(0).replace("_", "-"))
        if found:
            return found
    return None


def _date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day) if _plausible(year) else None
    except ValueError:
        return None


def date_from_filename(filename: str) -> date | None:
    """The snapshot date a file name states: 28_Feb_2026, 20220420, 2022-04-20 or 2021-05 (the
    first of that month)."""
    name = filename.lower()
    for day, month, year in _DAY_MONTH_YEAR.findall(name):
        if month in _MONTHS and (found := _date(int(year), _MONTHS[month], int(day))):
            return found
    for year, month, day in _ISO_DATE.findall(name):
        if found := _date(int(year), int(month), int(day)):
            return found
    for year, month in _YEAR_MONTH.findall(name):
        if academic_year_parse(f"{year}-{month}") is None and (
            found := _date(int(year), int(month), 1)
        ):
            return found
    return None


def stage_from_filename(filename: str) -> str:
    """provisional, revised or final as the file name says; final if it does not say."""
    name = filename.lower()
    for stage in (ReleaseStage.PROVISIONAL, ReleaseStage.REVISED, ReleaseStage.FINAL):
        if stage.value in name:
            return stage.value
    return ReleaseStage.FINAL.value
