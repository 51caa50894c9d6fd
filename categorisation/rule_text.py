"""A rule set's definition in plain English, for the rule set page.

"KS2 reading, writing and maths at the expected standard (KS2_PTRWM_EXP) compared with a fixed
threshold: below 65% 3 points; below 85% 1 point" rather than the JSON the engine reads. Written
to cope with a definition that does not validate, so a broken draft can still be read and fixed.
"""

from __future__ import annotations

from .applicability import applies_to_text
from .definition import definition_measures
from .models import Measure, Unit
from .rule_forms.rows import OPERATORS, SUPPORT_BANDS

OPERATOR_TEXT = dict(OPERATORS)
BAND_TEXT = dict(SUPPORT_BANDS)


def number(value) -> str:
    """65 rather than 65.0; -2.5 as it is."""
    if isinstance(value, int | float):
        return f"{value:g}"
    return str(value) if value not in (None, "") else "(not set)"


def _measure_name(code: str, measures: dict[str, Measure]) -> str:
    measure = measures.get(code)
    if measure is None:
        return f"{code} (not in the measure catalogue)"
    return f"{measure.label} ({code})"


def _comparison_text(indicator: dict) -> str:
    comparison = indicator.get("comparison")
    if comparison == "national":
        return "compared with England's value for the same year"
    if comparison == "trend":
        return f"compared with its own trend over {number(indicator.get('trend_years'))} years"
    return "compared with a fixed threshold"


def _band_text(band: dict, unit: str) -> str:
    side = "above" if "above" in band else "below"
    points = band.get("points")
    return (
        f"{side} {number(band.get(side))}{unit} {number(points)} point{'' if points == 1 else 's'}"
    )


def indicator_text(indicator: dict, measures: dict[str, Measure]) -> str:
    measure = measures.get(indicator.get("measure", ""))
    percent = (
        measure is not None
        and measure.unit == Unit.PERCENT
        and indicator.get("comparison", "threshold") == "threshold"
    )
    unit = "%" if percent else ""
    bands = [_band_text(band, unit) for band in indicator.get("bands", [])]
    codes = indicator.get("measure", "")
    if indicator.get("fallback_measure"):
        codes += f", or {indicator['fallback_measure']} when it is missing"
    name = f"{indicator.get('label', '')} ({codes})"
    if indicator.get("latest_published"):
        name += " in its latest published year only"
    text = f"{name} {_comparison_text(indicator)}: {'; '.join(bands) or 'no bands, so no points'}"
    unless = [condition_text(c, measures) for c in indicator.get("unless") or []]
    if unless:
        text += f". Not used for a school where {' or '.join(unless)}"
    return text + _applies_text(indicator)


def _applies_text(item: dict) -> str:
    """ ". Applies only to schools ..." (not applicable to the others), or "" for every school."""
    if not item.get("applies_to"):
        return ""
    return f". Applies only to {applies_to_text(item['applies_to'])}; not applicable to others"


def condition_text(condition: dict, measures: dict[str, Measure]) -> str:
    op = condition.get("op")
    name = _measure_name(condition.get("measure", ""), measures)
    years_back = condition.get("years_back") or 0
    if years_back:
        name += f" {years_back} year{'s' if years_back > 1 else ''} before the latest"
    value = condition.get("value")
    if op == "missing":
        return f"{name} is missing"
    if op == "in":
        texts = value if isinstance(value, list) else [value]
        return f"{name} is {' or '.join(f'“{text}”' for text in texts)}"
    return f"{name} {OPERATOR_TEXT.get(op, op)} {number(value)}"


def trigger_text(trigger: dict, categories: dict[str, dict], measures: dict[str, Measure]) -> str:
    groups = [
        [condition_text(condition, measures) for condition in group]
        for group in trigger.get("all_of", [])
    ]
    several = len(groups) > 1
    parts = [
        f"({' or '.join(group)})" if several and len(group) > 1 else " or ".join(group)
        for group in groups
        if group
    ]
    code = trigger.get("min_category", "")
    category = categories.get(code)
    outcome = f"at least category {code}"
    details = [category["label"]] if category and category.get("label") else []
    if trigger.get("support_band"):
        band = BAND_TEXT.get(trigger["support_band"], trigger["support_band"])
        details.append(f"{band.lower()} support")
    if details:
        outcome += f" ({', '.join(details)})"
    applies = _applies_text(trigger)
    return f"If {' and '.join(parts) or 'nothing (no conditions)'}, {outcome}{applies}"


def _score_ranges(rows: list[dict]) -> list[str]:
    ranges = []
    for position, row in enumerate(rows):
        low = number(row.get("min_score"))
        later = rows[position + 1] if position + 1 < len(rows) else None
        ranges.append(
            f"score {low} to under {number(later.get('min_score'))}"
            if later
            else f"score {low} or more"
        )
    return ranges


def _measures_named(definition: dict) -> dict[str, Measure]:
    return {m.code: m for m in Measure.objects.filter(code__in=definition_measures(definition))}


def definition_described(*, definition: dict) -> dict:
    """Everything the rule set page shows, in words, with one query for measure names."""
    measures = _measures_named(definition)
    categories = list(definition.get("categories", []))
    bands = list(definition.get("support_bands", []))
    by_code = {category.get("code"): category for category in categories}
    return {
        "categories": list(zip(categories, _score_ranges(categories), strict=True)),
        "support_bands": [
            (BAND_TEXT.get(band.get("band"), band.get("band")), text)
            for band, text in zip(bands, _score_ranges(bands), strict=True)
        ],
        "min_cohort": definition.get("min_cohort"),
        "year_weights": ", ".join(number(w) for w in definition.get("year_weights") or []),
        "min_indicators": definition.get("min_indicators"),
        "indicators": [
            indicator_text(indicator, measures) for indicator in definition.get("indicators", [])
        ],
        "triggers": [
            (trigger.get("label", ""), trigger_text(trigger, by_code, measures))
            for trigger in definition.get("triggers", [])
        ],
    }
