"""The engine on small hand-built DataFrames: every comparison, bands, missing values (never
zero), the small-cohort guard, year weighting, insufficient data, and the notes a run makes
about years and measures it could not use."""

from __future__ import annotations

import copy

import pandas as pd
import pytest

from categorisation.engine import categorise

Y19, Y18, Y17 = "2018-2019", "2017-2018", "2016-2017"
CATEGORIES = [
    {"code": "1", "label": "Universal support", "min_score": 0, "focused": False},
    {"code": "2", "label": "Monitor", "min_score": 3, "focused": False},
    {"code": "3", "label": "Focused support", "min_score": 6, "focused": True},
    {"code": "4", "label": "Intensive support", "min_score": 10, "focused": True},
]
SUPPORT_BANDS = [
    {"band": "low", "min_score": 0},
    {"band": "medium", "min_score": 8},
    {"band": "high", "min_score": 9},
]
MEASURES = pd.DataFrame(
    [
        ("KS2_PTRWM_EXP", True, "ks2", "KS2_TELIG"),
        ("KS2_READPROG", True, "ks2", "KS2_TELIG"),
        ("KS2_TELIG", True, "ks2", None),
        ("LA_ABSENCE_OVERALL", False, "template", None),
        ("OFSTED_OE", False, "ofsted", None),
        ("OFSTED_OE_PREVIOUS", False, "ofsted", None),
        ("OFSTED_CONCERN", True, "ofsted", None),
        ("GIAS_OFSTED_RATING", False, "gias", None),
    ],
    columns=["code", "higher_is_better", "source", "cohort_measure"],
)


def indicator(code="rwm", measure="KS2_PTRWM_EXP", comparison="threshold", bands=None, **extra):
    bands = bands or [
        {"below": 65, "points": 3, "label": "Below 65%"},
        {"below": 85, "points": 1, "label": "Below 85%"},
    ]
    return {
        "code": code,
        "label": code,
        "measure": measure,
        "comparison": comparison,
        "bands": bands,
        **extra,
    }


def rules(*indicators, triggers=(), **settings) -> dict:
    return {
        "categories": CATEGORIES,
        "support_bands": SUPPORT_BANDS,
        "min_cohort": 11,
        "year_weights": [1],
        "min_indicators": 1,
        "indicators": list(indicators),
        "triggers": list(triggers),
        **settings,
    }


def frames(data: dict, national: dict | None = None, cohort: int | None = 30):
    """values from {school: {measure: {year: number, text or missing reason}}}; every school
    gets KS2_TELIG ``cohort`` in each KS2 year it has unless it says otherwise."""
    rows = []
    for school, by_measure in data.items():
        for measure, by_year in by_measure.items():
            for year, cell in by_year.items():
                value = cell if isinstance(cell, int | float) else None
                reason = cell if isinstance(cell, str) and cell.isupper() else ""
                text = cell if isinstance(cell, str) and not cell.isupper() else ""
                rows.append((school, measure, year, value, text, reason))
            if measure.startswith("KS2_") and "KS2_TELIG" not in by_measure and cohort:
                rows += [(school, "KS2_TELIG", y, cohort, "", "") for y in by_year]
    values = pd.DataFrame(
        rows, columns=["school_id", "measure", "academic_year", "value", "text", "missing_reason"]
    ).drop_duplicates(["school_id", "measure", "academic_year"])
    national_rows = [(m, y, v) for (m, y), v in (national or {}).items()]
    return {
        "values": values,
        "national": pd.DataFrame(national_rows, columns=["measure", "academic_year", "value"]),
        "schools": pd.DataFrame({"school_id": sorted(data)}),
        "measures": MEASURES,
    }


def run(definition: dict, data: dict, **kwargs) -> pd.DataFrame:
    return categorise(definition=definition, **frames(data, **kwargs))


def explained(result: pd.DataFrame, school: int, code: str) -> dict:
    items = result.at[school, "explanation"]["indicators"]
    return next(item for item in items if item["code"] == code)


def test_threshold_gives_the_points_of_the_first_band_the_value_is_under():
    result = run(
        rules(indicator()),
        {
            1: {"KS2_PTRWM_EXP": {Y19: 50}},
            2: {"KS2_PTRWM_EXP": {Y19: 70}},
            3: {"KS2_PTRWM_EXP": {Y19: 90}},
        },
    )
    assert result["score"].to_dict() == {1: 3.0, 2: 1.0, 3: 0.0}
    assert explained(result, 1, "rwm") | {} == {
        "code": "rwm",
        "label": "rwm",
        "comparison": "threshold",
        "measure": "KS2_PTRWM_EXP",
        "years": Y19,
        "missing": False,
        "value": 50.0,
        "comparator": None,
        "compared": 50.0,
        "band": "Below 65%",
        "points": 3.0,
    }
    assert explained(result, 3, "rwm")["band"] == ""


def test_a_band_above_a_limit_scores_a_measure_where_higher_is_worse():
    grade = indicator(
        "ofsted",
        "OFSTED_OE",
        bands=[
            {"above": 3, "points": 5, "label": "Inadequate"},
            {"above": 2, "points": 3, "label": "Requires improvement"},
        ],
    )
    result = run(
        rules(grade),
        {n: {"OFSTED_OE": {"2025-2026": n}} for n in (1, 2, 3, 4)},
    )
    assert result["score"].to_dict() == {1: 0.0, 2: 0.0, 3: 3.0, 4: 5.0}
    assert explained(result, 3, "ofsted")["band"] == "Requires improvement"


def test_national_comparison_is_the_value_minus_englands_for_the_same_year():
    vs_england = indicator(
        "nat",
        comparison="national",
        bands=[
            {"below": -10, "points": 2, "label": "Far below"},
            {"below": 0, "points": 1, "label": "Below"},
        ],
    )
    result = run(
        rules(vs_england),
        {
            1: {"KS2_PTRWM_EXP": {Y19: 50}},
            2: {"KS2_PTRWM_EXP": {Y19: 60}},
            3: {"KS2_PTRWM_EXP": {Y19: 65}},
        },
        national={("KS2_PTRWM_EXP", Y19): 65},
    )
    assert result["score"].to_dict() == {1: 2.0, 2: 1.0, 3: 0.0}
    item = explained(result, 2, "nat")
    assert (item["value"], item["comparator"], item["compared"]) == (60.0, 65.0, -5.0)


def test_national_comparison_of_a_lower_is_better_measure_is_negative_when_worse():
    absence = indicator(
        "absence",
        "LA_ABSENCE_OVERALL",
        "national",
        bands=[{"below": 0, "points": 1, "label": "Worse"}],
    )
    result = run(
        rules(absence),
        {1: {"LA_ABSENCE_OVERALL": {Y19: 7.0}}, 2: {"LA_ABSENCE_OVERALL": {Y19: 4.0}}},
        national={("LA_ABSENCE_OVERALL", Y19): 5.0},
    )
    assert explained(result, 1, "absence")["compared"] == -2.0
    assert explained(result, 2, "absence")["compared"] == 1.0
    assert result["score"].to_dict() == {1: 1.0, 2: 0.0}


def test_trend_is_the_newest_year_minus_the_oldest_of_the_last_years_with_data():
    trend = indicator(
        "trend",
        comparison="trend",
        trend_years=3,
        bands=[{"below": -10, "points": 2, "label": "Fell"}],
    )
    result = run(
        rules(trend),
        {
            1: {"KS2_PTRWM_EXP": {Y19: 50, Y18: 70, Y17: 72}},
            2: {"KS2_PTRWM_EXP": {Y19: 80, Y18: 60, Y17: 75}},
        },
    )
    item = explained(result, 1, "trend")
    assert (item["value"], item["comparator"], item["compared"]) == (50.0, 72.0, -22.0)
    assert item["years"] == f"{Y17} to {Y19}"
    assert result["score"].to_dict() == {1: 2.0, 2: 0.0}


def test_trend_skips_years_without_published_data():
    # No performance tables for 2019/20 and 2020/21: the trend runs from 2017/18 to 2021/22.
    trend = indicator(
        "trend",
        comparison="trend",
        trend_years=3,
        bands=[{"below": 0, "points": 1, "label": "Fell"}],
    )
    result = run(rules(trend), {1: {"KS2_PTRWM_EXP": {"2021-2022": 55, Y19: 60, Y18: 70}}})
    item = explained(result, 1, "trend")
    assert item["years"] == f"{Y18} to 2021-2022"
    assert item["compared"] == -15.0


def test_a_trend_with_one_year_of_data_is_missing_and_says_why():
    trend = indicator(
        "trend",
        comparison="trend",
        trend_years=3,
        bands=[{"below": 0, "points": 1, "label": "Fell"}],
    )
    result = run(rules(trend), {1: {"KS2_PTRWM_EXP": {Y19: 60}}})
    assert explained(result, 1, "trend")["reason"] == "NO_TREND"
    assert result.at[1, "insufficient_data"]


def test_a_missing_value_scores_nothing_and_keeps_its_reason_while_zero_is_a_value():
    progress = indicator(
        "reading",
        "KS2_READPROG",
        bands=[
            {"below": -5, "points": 3, "label": "Below floor"},
            {"below": 0.5, "points": 1, "label": "Below 0.5"},
        ],
    )
    result = run(
        rules(progress, indicator()),
        {
            1: {"KS2_READPROG": {Y19: "SUPP"}, "KS2_PTRWM_EXP": {Y19: 90}},
            2: {"KS2_READPROG": {Y19: 0.0}, "KS2_PTRWM_EXP": {Y19: 90}},
            3: {"KS2_PTRWM_EXP": {Y19: 90}},
        },
    )
    missing = explained(result, 1, "reading")
    assert missing["missing"] is True
    assert (missing["reason"], missing["reason_label"]) == ("SUPP", "Suppressed")
    assert "points" not in missing and "value" not in missing
    assert explained(result, 2, "reading")["points"] == 1.0  # 0.0 is a real value
    assert explained(result, 3, "reading")["reason"] == "ABSENT"
    assert result["indicators_with_data"].to_dict() == {1: 1, 2: 2, 3: 1}
    assert result["score"].to_dict() == {1: 0.0, 2: 1.0, 3: 0.0}


def test_a_key_stage_measure_for_a_cohort_under_the_minimum_is_cohort_too_small():
    result = run(
        rules(indicator(), min_cohort=11),
        {
            1: {"KS2_PTRWM_EXP": {Y19: 40}, "KS2_TELIG": {Y19: 10}},
            2: {"KS2_PTRWM_EXP": {Y19: 40}, "KS2_TELIG": {Y19: 11}},
        },
    )
    small = explained(result, 1, "rwm")
    assert (small["reason"], small["reason_label"]) == ("SMALL", "Cohort too small")
    assert result.at[1, "insufficient_data"] and result.at[1, "category"] == ""
    assert explained(result, 2, "rwm")["points"] == 3.0


def test_year_weights_three_two_one_weigh_the_newest_year_most():
    weighted = rules(
        indicator(bands=[{"below": 60, "points": 3, "label": "Below 60"}]), year_weights=[3, 2, 1]
    )
    result = run(
        weighted,
        {
            1: {"KS2_PTRWM_EXP": {Y19: 50, Y18: 70, Y17: 80}},  # (150 + 140 + 80) / 6 = 61.67
            2: {"KS2_PTRWM_EXP": {Y19: 50, Y18: 70, Y17: "SUPP"}},  # (150 + 140) / 5 = 58
        },
    )
    assert explained(result, 1, "rwm")["value"] == pytest.approx(61.6667)
    assert explained(result, 2, "rwm")["value"] == pytest.approx(58.0)
    assert explained(result, 1, "rwm")["years"] == f"{Y17} to {Y19}"
    assert result["score"].to_dict() == {1: 0.0, 2: 3.0}


def test_a_weighted_value_needs_the_latest_year_rather_than_guessing_from_older_ones():
    result = run(
        rules(indicator(), year_weights=[3, 2, 1]),
        {1: {"KS2_PTRWM_EXP": {Y19: "SUPP", Y18: 40, Y17: 40}}, 2: {"KS2_PTRWM_EXP": {Y19: 90}}},
    )
    assert explained(result, 1, "rwm")["reason"] == "SUPP"
    assert result.at[1, "insufficient_data"]


def test_weighted_national_comparison_weighs_englands_values_the_same_way():
    vs_england = indicator(
        "nat", comparison="national", bands=[{"below": 0, "points": 1, "label": "Below"}]
    )
    result = run(
        rules(vs_england, year_weights=[3, 2, 1]),
        {1: {"KS2_PTRWM_EXP": {Y19: 60, Y18: 60, Y17: 60}}},
        national={
            ("KS2_PTRWM_EXP", Y19): 65,
            ("KS2_PTRWM_EXP", Y18): 64,
            ("KS2_PTRWM_EXP", Y17): 61,
        },
    )
    item = explained(result, 1, "nat")
    assert item["comparator"] == pytest.approx((65 * 3 + 64 * 2 + 61) / 6)
    assert item["compared"] == pytest.approx(60 - 64.0)


def test_ofsted_measures_are_snapshots_and_never_weighted():
    grade = indicator(
        "ofsted", "OFSTED_OE", bands=[{"above": 2, "points": 3, "label": "RI or worse"}]
    )
    result = run(
        rules(grade, year_weights=[3, 2, 1]),
        {1: {"OFSTED_OE": {"2025-2026": 2, "2024-2025": 4, "2023-2024": 4}}},
    )
    assert explained(result, 1, "ofsted")["value"] == 2.0
    assert result.at[1, "score"] == 0.0


def test_no_national_value_for_the_year_makes_the_comparison_missing():
    vs_england = indicator(
        "nat", comparison="national", bands=[{"below": 0, "points": 1, "label": "Below"}]
    )
    result = run(rules(vs_england), {1: {"KS2_PTRWM_EXP": {Y19: 60}}}, national={})
    assert explained(result, 1, "nat")["reason"] == "NO_NATIONAL"


def test_a_fallback_measure_is_used_only_when_the_measure_is_missing():
    grade = indicator(
        "ofsted",
        "OFSTED_OE",
        fallback_measure="GIAS_OFSTED_RATING",
        bands=[{"above": 2, "points": 3, "label": "RI or worse"}],
    )
    result = run(
        rules(grade),
        {
            1: {"OFSTED_OE": {"2025-2026": 2}, "GIAS_OFSTED_RATING": {"2021-2022": 3}},
            2: {"OFSTED_OE": {"2025-2026": "NOT_JUDGED"}, "GIAS_OFSTED_RATING": {"2021-2022": 3}},
        },
    )
    assert explained(result, 1, "ofsted")["measure"] == "OFSTED_OE"
    assert explained(result, 2, "ofsted")["measure"] == "GIAS_OFSTED_RATING"
    assert result["score"].to_dict() == {1: 0.0, 2: 3.0}


def test_categories_follow_the_score_and_only_focused_ones_get_a_support_band():
    points = indicator(
        bands=[
            {"below": 10, "points": 9, "label": "9"},
            {"below": 20, "points": 6, "label": "6"},
            {"below": 30, "points": 3, "label": "3"},
        ]
    )
    result = run(
        rules(points),
        {n: {"KS2_PTRWM_EXP": {Y19: value}} for n, value in enumerate([5, 15, 25, 35], start=1)},
    )
    assert result["category"].to_dict() == {1: "3", 2: "3", 3: "2", 4: "1"}
    assert result["support_band"].to_dict() == {1: "high", 2: "low", 3: "", 4: ""}


def test_a_school_with_too_few_indicators_has_insufficient_data_and_no_category():
    two = rules(
        indicator(),
        indicator("reading", "KS2_READPROG", bands=[{"below": 0, "points": 1, "label": "x"}]),
        min_indicators=2,
    )
    result = run(
        two,
        {
            1: {"KS2_PTRWM_EXP": {Y19: 50}, "KS2_READPROG": {Y19: "SUPP"}},
            2: {"KS2_PTRWM_EXP": {Y19: 50}, "KS2_READPROG": {Y19: -1}},
        },
    )
    assert result.loc[1, ["category", "support_band", "insufficient_data"]].tolist() == [
        "",
        "",
        True,
    ]
    assert result.loc[2, ["category", "insufficient_data"]].tolist() == ["2", False]
    assert result.at[1, "explanation"]["insufficient_data"] is True


def test_a_measure_no_longer_published_is_not_used_and_the_run_says_so():
    # KS2 progress has no 2021/22 data while attainment has: progress (2018/19) is not mixed in.
    progress = indicator(
        "reading", "KS2_READPROG", bands=[{"below": -5, "points": 3, "label": "Floor"}]
    )
    result = run(
        rules(indicator(), progress),
        {1: {"KS2_PTRWM_EXP": {"2021-2022": 60, Y19: 60}, "KS2_READPROG": {Y19: -7}}},
    )
    assert explained(result, 1, "reading")["reason"] == "STALE"
    assert result.at[1, "score"] == 3.0
    assert result.attrs["notes"] == [
        f"KS2_READPROG has no data for 2021-2022 (its latest is {Y19}), so the rules did not use it"
    ]
    assert result.attrs["years"]["KS2_PTRWM_EXP"] == ["2021-2022", Y19]


def test_a_measure_with_no_data_at_all_is_noted():
    rules_with_absence = rules(
        indicator(),
        indicator("absence", "LA_ABSENCE_OVERALL", bands=[{"below": 0, "points": 1, "label": "x"}]),
    )
    result = run(rules_with_absence, {1: {"KS2_PTRWM_EXP": {Y19: 90}}})
    assert "LA_ABSENCE_OVERALL has no data, so the rules could not use it" in result.attrs["notes"]
    assert explained(result, 1, "absence")["reason"] == "NO_DATA"


def test_a_school_with_no_data_at_all_is_insufficient_data_not_the_best_category():
    result = run(rules(indicator()), {1: {"KS2_PTRWM_EXP": {Y19: 90}}, 2: {}})
    assert result.loc[2, ["category", "insufficient_data", "score"]].tolist() == ["", True, 0.0]


def test_the_same_data_gives_the_same_results_twice():
    data = {n: {"KS2_PTRWM_EXP": {Y19: 40 + n * 7, Y18: 50 + n}} for n in range(1, 8)}
    definition = rules(indicator(), year_weights=[3, 2, 1])
    first, second = run(definition, data), run(copy.deepcopy(definition), data)
    pd.testing.assert_frame_equal(first, second)
