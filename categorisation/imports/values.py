"""Vectorised cell parsing shared by the readers: URNs, numbers with DfE's suppression codes,
dates, and the long table of values every reader returns.

Every suppression or not-applicable code becomes a missing value with its reason, never zero.
Codes (DfE performance tables and their newer statistics files; Ofsted writes ``NULL``):
``SUPP``/``c`` suppressed, ``NP``/``x`` not published, ``NE`` no eligible pupils,
``LOWCOV``/``u`` low coverage, ``NA``/``z`` not applicable, ``NEW`` new school, a blank cell or
``NULL`` blank.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from categorisation.models import MissingReason
from kernel.uploads import PROBLEMS_KEPT, problems_capped

CODES = {
    "SUPP": MissingReason.SUPPRESSED,
    "C": MissingReason.SUPPRESSED,
    "NP": MissingReason.NOT_PUBLISHED,
    "X": MissingReason.NOT_PUBLISHED,
    "NE": MissingReason.NO_ELIGIBLE_PUPILS,
    "LOWCOV": MissingReason.LOW_COVERAGE,
    "U": MissingReason.LOW_COVERAGE,
    "NA": MissingReason.NOT_APPLICABLE,
    "Z": MissingReason.NOT_APPLICABLE,
    "NEW": MissingReason.NEW_SCHOOL,
    "": MissingReason.BLANK,
    "NULL": MissingReason.BLANK,
}
CODES = {code: reason.value for code, reason in CODES.items()}
# A number as DfE writes one: optional sign, thousands commas, decimals, a trailing per cent.
NUMBER = r"[-+]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?%?|[-+]?\.\d+%?"
COLUMNS = ["row", "urn", "measure", "academic_year", "value", "text", "missing_reason"]


def problem(row: int | None, column: str, message: str) -> dict:
    return {"row": row, "column": column, "message": message}


def problems(mask: pd.Series, rows: pd.Series, column: str, message) -> list[dict]:
    """One problem for each row where ``mask`` holds, the first ``PROBLEMS_KEPT`` kept and the
    rest counted; ``message`` is text, or a function of the row's index label called for the
    kept rows only."""
    mask = mask.fillna(False).astype(bool)
    if not mask.any():
        return []
    labels = mask.index[mask.to_numpy()]
    count, labels = len(labels), labels[:PROBLEMS_KEPT]
    texts = [message(label) for label in labels] if callable(message) else [message] * len(labels)
    found = [problem(int(r), column, m) for r, m in zip(rows[labels], texts, strict=True)]
    return problems_capped(found, count)


def per_distinct(raw: pd.Series, work: Callable[[pd.Series], tuple]) -> tuple:
    """``work(raw)`` (a tuple of Series like ``raw``), worked out once per distinct cell and
    spread back over the rows: a file repeats most of its cells (an LA template's 660,000 rows
    have 10 measure codes, 3 years and a few hundred values), and parsing text is the cost."""
    codes, distinct = pd.factorize(raw, use_na_sentinel=False)
    if len(distinct) * 2 > len(raw):
        return work(raw)
    found = work(pd.Series(np.asarray(distinct, dtype=object), dtype=object))
    return tuple(
        pd.Series(part.array.take(codes), index=raw.index, name=raw.name) for part in found
    )


def missing_reasons(raw: pd.Series) -> pd.Series:
    """The missing reason of each cell that is a DfE code, blank or NULL; NaN otherwise."""
    return raw.str.upper().map(CODES)


def numbers(raw: pd.Series, *, percent: bool = False) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Each cell's number ("64%" and "59.40%" are 64.0 and 59.4), or the reason it is missing,
    and whether it is neither (malformed). A per cent outside 0 to 100 is malformed."""
    return per_distinct(raw, lambda cells: _numbers(cells, percent=percent))


def _numbers(raw: pd.Series, *, percent: bool) -> tuple[pd.Series, pd.Series, pd.Series]:
    reason = missing_reasons(raw)
    looks_numeric = raw.str.fullmatch(NUMBER).fillna(False).astype(bool)
    digits = raw.where(looks_numeric).str.replace(",", "", regex=False).str.rstrip("%")
    value = pd.to_numeric(digits, errors="coerce").astype("float64")
    if percent:
        value = value.where(value.between(0, 100))
    bad = reason.isna() & value.isna()
    return value, reason.fillna(""), bad


def number_message(column: str, *, percent: bool = False) -> Callable[[str], str]:
    example = "64%" if percent else "64% or -1.5"
    between = " between 0% and 100%" if percent else ""

    def message(value: str) -> str:
        return (
            f"{column} must be a number{between} like {example}, or a code such as SUPP, NE or "
            f"x, not '{value}'"
        )

    return message


def _urns(raw: pd.Series) -> tuple[pd.Series, pd.Series]:
    good = raw.str.fullmatch(r"\d{1,9}").fillna(False).astype(bool)
    return good, pd.to_numeric(raw.where(good), errors="coerce").astype("Int64")


def urns(raw: pd.Series, rows: pd.Series, column: str = "URN") -> tuple[pd.Series, list[dict]]:
    """URNs as nullable whole numbers, with a problem for each blank or malformed one."""
    good, values = per_distinct(raw, _urns)
    errors = problems(raw.eq(""), rows, column, "Enter the URN")
    bad = raw.ne("") & (~good | values.eq(0).fillna(False))
    errors += problems(
        bad,
        rows,
        column,
        lambda label: f"URN must be a whole number, like 100001, not '{raw[label]}'",
    )
    return values, errors


def _key_numbers(keys: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """One whole number per row standing for its ``keys`` (equal keys, equal numbers), and
    whether the row has every key: comparing numbers is much cheaper than comparing text."""
    combined = np.zeros(len(keys), dtype="int64")
    complete = np.ones(len(keys), dtype=bool)
    for column in keys.columns:
        codes, distinct = pd.factorize(keys[column])
        complete &= codes >= 0
        combined = combined * (len(distinct) + 1) + codes + 1
        # Renumbered whenever the product could outgrow 64 bits: still equal for equal keys
        if len(distinct) and combined.max() > 2**40:
            combined = pd.factorize(combined)[0].astype("int64")
    return combined, complete


def duplicates(keys: pd.DataFrame, rows: pd.Series, column: str, describe) -> list[dict]:
    """A problem on each row repeating an earlier row's ``keys``."""
    numbers, complete = _key_numbers(keys)
    numbered = pd.Series(numbers, index=keys.index)
    repeated = numbered.duplicated(keep="first") & complete
    if not repeated.any():
        return []
    first = rows.groupby(numbered.where(complete)).transform("min")
    return problems(
        repeated,
        rows,
        column,
        lambda label: f"{describe(label)} is also on row {int(first[label])}",
    )


def dates(raw: pd.Series, fmt: str) -> tuple[pd.Series, pd.Series]:
    """Dates in ``fmt`` (or ISO yyyy-mm-dd, as XLSX cells are read); blank and NULL are NaT.
    Also whether each cell is a malformed date."""
    parsed = pd.to_datetime(raw, format=fmt, errors="coerce")
    iso = raw.str.fullmatch(r"\d{4}-\d{2}-\d{2}").fillna(False).astype(bool)
    if iso.any():
        parsed = parsed.fillna(pd.to_datetime(raw.where(iso), format="%Y-%m-%d", errors="coerce"))
    blank = raw.str.upper().isin(["", "NULL"])
    return parsed, parsed.isna() & ~blank


def values_part(
    rows: pd.Series,
    urn: pd.Series,
    measure: str,
    academic_year,
    value: pd.Series | None = None,
    text: pd.Series | None = None,
    missing: pd.Series | None = None,
) -> pd.DataFrame:
    """One measure's values in the long shape every reader returns (``COLUMNS``)."""
    index = rows.index
    part = pd.DataFrame(
        {
            "row": rows,
            "urn": urn,
            "measure": measure,
            "academic_year": academic_year,
            "value": pd.Series(float("nan"), index=index) if value is None else value,
            "text": pd.Series("", index=index) if text is None else text,
            "missing_reason": pd.Series("", index=index) if missing is None else missing,
        },
        index=index,
    )
    # A number wins over a reason; a value with neither is blank.
    part["value"] = part["value"].astype("float64")
    has_value = part["value"].notna()
    part["missing_reason"] = part["missing_reason"].fillna("").where(~has_value, "")
    part["text"] = part["text"].fillna("").astype(str)
    empty = ~has_value & part["missing_reason"].eq("") & part["text"].eq("")
    part.loc[empty, "missing_reason"] = MissingReason.BLANK.value
    return part


def empty_values() -> pd.DataFrame:
    return pd.DataFrame({name: pd.Series(dtype=object) for name in COLUMNS})
