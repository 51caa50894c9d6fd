"""The explanation kept with each result: what put the school where it is.

Per school (JSON): ``score``, ``category_by_score``, ``indicators_with_data``,
``insufficient_data``, ``indicators`` and ``triggers`` (those that fired: code, label,
min_category, support_band). Each indicator gives its code, label, comparison, measure (the
fallback measure when that was used) and years, then either ``missing: false`` with ``value``,
``comparator`` (England's value for a national comparison, the oldest year's for a trend),
``compared`` (the number the bands were checked against), ``band`` (its label, or "") and
``points``; or ``missing: true`` with ``reason`` (a ``MissingReason`` code, or STALE,
NO_NATIONAL, NO_TREND, NO_DATA) and ``reason_label`` to show.
"""

from __future__ import annotations

import pandas as pd

from .definition import Definition, Indicator
from .models import MissingReason

REASONS = {
    **{reason.value: reason.label for reason in MissingReason},
    "STALE": "Not published for the latest year",
    "NO_NATIONAL": "No national value for the year",
    "NO_TREND": "Fewer than two years of data",
    "NO_DATA": "No data loaded for the measure or year",
}


def _numbers(series: pd.Series) -> list:
    """Rounded floats, None where missing (JSON has no NaN)."""
    rounded = series.astype("float64").round(4)
    return rounded.astype(object).where(rounded.notna(), None).tolist()


def _explain_indicator(indicator: Indicator, frame: pd.DataFrame) -> list[dict]:
    common = {"code": indicator.code, "label": indicator.label, "comparison": indicator.comparison}
    columns = zip(
        frame["measure"].tolist(),
        frame["years"].tolist(),
        frame["missing"].tolist(),
        frame["reason"].tolist(),
        _numbers(frame["value"]),
        _numbers(frame["comparator"]),
        _numbers(frame["compared"]),
        frame["band"].tolist(),
        frame["points"].tolist(),
        strict=True,
    )
    return [
        {
            **common,
            "measure": measure,
            "years": years,
            "missing": True,
            "reason": reason,
            "reason_label": REASONS.get(reason, reason),
        }
        if missing
        else {
            **common,
            "measure": measure,
            "years": years,
            "missing": False,
            "value": value,
            "comparator": comparator,
            "compared": compared,
            "band": band,
            "points": points,
        }
        for measure, years, missing, reason, value, comparator, compared, band, points in columns
    ]


def explanations_build(
    rules: Definition, indicators: dict, fired: pd.DataFrame, result: pd.DataFrame, by_score
) -> list[dict]:
    """Per school: score, category by score, every indicator (or why it is missing) and the
    triggers that fired."""
    explained = [_explain_indicator(i, indicators[i.code]) for i in rules.indicators]
    triggers = {t.code: t for t in rules.triggers}
    fired_codes = (
        [
            [code for code, hit in zip(fired.columns, row, strict=True) if hit]
            for row in fired.to_numpy()
        ]
        if len(fired.columns)
        else [[] for _ in range(len(result))]
    )
    return [
        {
            "score": float(score),
            "category_by_score": str(cat),
            "indicators_with_data": int(counted),
            "insufficient_data": bool(insufficient),
            "indicators": [column[n] for column in explained],
            "triggers": [
                {
                    "code": code,
                    "label": triggers[code].label,
                    "min_category": triggers[code].min_category,
                    "support_band": triggers[code].support_band,
                }
                for code in fired_codes[n]
            ],
        }
        for n, (score, cat, counted, insufficient) in enumerate(
            zip(
                result["score"],
                by_score,
                result["indicators_with_data"],
                result["insufficient_data"],
                strict=True,
            )
        )
    ]
