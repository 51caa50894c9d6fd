"""Ofsted's words and grades as values: one vectorised lookup for every judgement column."""

from __future__ import annotations

import pandas as pd

from categorisation.models import MissingReason

GRADES = {
    "1": (1.0, "Outstanding"),
    "2": (2.0, "Good"),
    "3": (3.0, "Requires improvement"),
    "4": (4.0, "Inadequate"),
    "outstanding": (1.0, "Outstanding"),
    "good": (2.0, "Good"),
    "requires improvement": (3.0, "Requires improvement"),
    "inadequate": (4.0, "Inadequate"),
}
# GIAS's OfstedRating (name): the two categories of concern are inadequate judgements.
GIAS_RATINGS = {
    **{word: grade for word, grade in GRADES.items() if not word.isdigit()},
    "serious weaknesses": (4.0, "Serious Weaknesses"),
    "special measures": (4.0, "Special Measures"),
}
REPORT_CARD = {
    "exceptional": (1.0, "Exceptional"),
    "strong standard": (2.0, "Strong standard"),
    "expected standard": (3.0, "Expected standard"),
    "needs attention": (4.0, "Needs attention"),
    "urgent improvement": (5.0, "Urgent improvement"),
}
SAFEGUARDING = {"met": (1.0, "Met"), "not met": (2.0, "Not met")}
CONCERNS = {
    "": (0.0, ""),
    "swk": (1.0, "Serious weaknesses"),
    "serious weaknesses": (1.0, "Serious weaknesses"),
    "sm": (1.0, "Special measures"),
    "special measures": (1.0, "Special measures"),
}
_BLANK = MissingReason.BLANK.value
NOT_JUDGED = {
    "not judged": MissingReason.NOT_JUDGED.value,
    "insufficient evidence": MissingReason.NOT_JUDGED.value,
    "not applicable": MissingReason.NOT_APPLICABLE.value,
    "9": MissingReason.NOT_APPLICABLE.value,  # Ofsted's code for a judgement that does not apply
    "null": _BLANK,
    "": _BLANK,
}


def judgements(
    raw: pd.Series, table: dict, missing: dict | None = None
) -> tuple[pd.Series, pd.Series, pd.Series, pd.Series]:
    """Value, text and missing reason of each cell by ``table`` (keys folded to lower case);
    cells in ``missing`` (default: Not judged, NULL, blank) are missing; others are malformed."""
    missing = NOT_JUDGED if missing is None else missing
    folded = raw.str.strip().str.lower()
    found = {key: table[key] for key in folded.unique() if key in table}
    value = folded.map({key: entry[0] for key, entry in found.items()}).astype("float64")
    text = folded.map({key: entry[1] for key, entry in found.items()}).astype(object)
    reason = folded.map(missing).where(value.isna())
    bad = value.isna() & reason.isna()
    return value, text.where(text.notna(), ""), reason.astype(object).where(reason.notna(), ""), bad
