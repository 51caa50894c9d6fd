"""The explanation kept with each result: what put the school where it is.

Per school (JSON): ``score``, ``category_by_score``, ``indicators_with_data``,
``insufficient_data``, ``indicators`` and ``triggers`` (those that fired: code, label,
min_category, support_band). Each indicator gives its code, label, comparison, measure (the
fallback measure when that was used) and years, then either ``missing: false`` with ``value``,
``comparator`` (England's value for a national comparison, the oldest year's for a trend),
``compared`` (the number the bands were checked against), ``band`` (its label, or "") and
``points``; or ``missing: true`` with ``reason`` (a ``MissingReason`` code, or STALE,
NO_NATIONAL, NO_TREND, NO_DATA) and ``reason_label`` to show. An indicator that does not apply
to the school (its ``applies_to``) is ``missing: true`` with ``not_applicable: true``, reason
NOT_APPLICABLE and a ``reason_label`` naming the schools it applies to; one left out by its
``unless`` conditions the same with reason NOT_USED and its ``unless_label``.

``indicators_applicable`` and ``indicators_required`` count the indicators that apply and how
many of them needed data; a school with insufficient data also has ``insufficient_reason`` (a
sentence, repeated in ``notes`` so the result page shows it).
"""

from __future__ import annotations

import pandas as pd

from .applicability import NOT_APPLICABLE, NOT_USED, applies_to_text
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


def _not_applicable_label(indicator: Indicator) -> str:
    applies = indicator.applies_to
    text = applies_to_text(
        {
            "phases": list(applies.phases),
            "type_groups": list(applies.type_groups),
            "key_stage": applies.key_stage,
        }
    )
    return f"Not applicable: the rules use it only for {text}"


def _explain_indicator(indicator: Indicator, frame: pd.DataFrame) -> list[dict]:
    common = {"code": indicator.code, "label": indicator.label, "comparison": indicator.comparison}
    not_applicable = {
        **common,
        "measure": indicator.measure,
        "years": "",
        "missing": True,
        "not_applicable": True,
        "reason": NOT_APPLICABLE,
        "reason_label": _not_applicable_label(indicator),
    }
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
    not_used = {
        **not_applicable,
        "reason": NOT_USED,
        "reason_label": f"Not used for this school: {indicator.unless_label or 'the rules say so'}",
    }
    return [
        not_applicable
        if reason == NOT_APPLICABLE
        else not_used
        if reason == NOT_USED
        else {
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
        _explained(
            {
                "score": float(score),
                "category_by_score": str(cat),
                "indicators_with_data": int(counted),
                "indicators_applicable": int(applying),
                "indicators_required": int(required),
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
        )
        for n, (score, cat, counted, applying, required, insufficient) in enumerate(
            zip(
                result["score"],
                by_score,
                result["indicators_with_data"],
                result["indicators_applicable"],
                result["indicators_required"],
                result["insufficient_data"],
                strict=True,
            )
        )
    ]


def insufficient_reason(*, with_data: int, applying: int, required: int) -> str:
    """Why a school has insufficient data, in words."""
    if applying == 0:
        return "None of these rules' indicators applies to this school, and no trigger fired"
    if with_data == 0:
        which = (
            "the one indicator that applies"
            if applying == 1
            else f"any of the {applying} indicators that apply"
        )
        return f"There is no data for {which} to this school, and no trigger fired"
    return (
        f"Only {with_data} of the {applying} indicators that apply to this school "
        f"{'has' if with_data == 1 else 'have'} data: the rules need {required}, "
        "and no trigger fired"
    )


def _explained(explanation: dict) -> dict:
    if explanation["insufficient_data"]:
        reason = insufficient_reason(
            with_data=explanation["indicators_with_data"],
            applying=explanation["indicators_applicable"],
            required=explanation["indicators_required"],
        )
        explanation["insufficient_reason"] = reason
        explanation["notes"] = [f"Insufficient data: {reason}"]
    return explanation
