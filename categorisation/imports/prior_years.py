"""Prior-year columns: the earlier years' headline figures a performance table repeats beside
its own year's, read as values of their own years.

KS2 files name them by the academic year's end, ``<COLUMN>_NN`` (the 2018/19 file has
``PTRWM_EXP_18`` and ``PTRWM_EXP_17``, for 2017/18 and 2016/17); KS4 files did too until 2019
(``P8MEA_16``), and since 2023/24 carry ``P8MEA_PREV`` and ``P8MEA_PREV2`` (the two previous
years' Progress 8, published when the file's own year has none). The 2017/18 KS4 file names its
grade 4 and grade 5 English and maths columns of 2016/17 ``PTL2BASICS_94_17_PTQ_EE`` and
``PTL2BASICS_95_17_PTQ_EE`` ("PTQ_EE": counted under the first-entry rules, as the headline
measure itself is): the same figures the 2016/17 file gives as ``PTL2BASICS_94`` and ``_95`` for
every school that has them in both. So one current file gives a three-year trend. Such values
are written as releases of stage ``prior_year`` that the year's own file, whenever it is
imported, supersedes (``performance_import``).
"""

from __future__ import annotations

import re

# How far back a suffix may point: DfE repeats two or three years; a suffix like _94 of
# PTL2BASICS_94 (grade 4) must never be read as a year.
OLDEST = 5
# What a KS4 file may add after a prior year's suffix (``PTL2BASICS_95_17_PTQ_EE``).
QUALIFIER = "_PTQ_EE"


def shifted(year: str, back: int) -> str:
    """The academic year ``back`` years before ``year`` ("2018-2019", 1: "2017-2018")."""
    start = int(year[:4]) - back
    return f"{start}-{start + 1}"


def _years_back(suffix: str, year: str) -> int | None:
    if suffix == "PREV":
        return 1
    if re.fullmatch(r"PREV\d", suffix):
        return int(suffix[4:])
    if re.fullmatch(r"\d{2}", suffix):
        back = int(year[5:]) - (2000 + int(suffix))
        return back if 1 <= back <= OLDEST else None
    return None


def prior_year_columns(header: list[str], columns: dict[str, str], year: str) -> dict:
    """The file's prior-year columns: each one's (measure code, academic year), for the
    measure ``columns`` (file column to code) of a file of ``year``."""
    found = {}
    for name in header:
        base, _, suffix = name.removesuffix(QUALIFIER).rpartition("_")
        if base not in columns:
            continue
        back = _years_back(suffix, year) if year else None
        if back is not None and 1 <= back <= OLDEST:
            found[name] = (columns[base], shifted(year, back))
    return found
