"""Triggers: a minimum category (and support band) on their own, whatever the score."""

from __future__ import annotations

import pytest

from tests.categorisation.test_engine import Y17, Y18, Y19, explained, indicator, rules, run

OE = "2025-2026"


def trigger(code, all_of, min_category="4", support_band="", label=None):
    found = {"code": code, "label": label or code, "all_of": all_of, "min_category": min_category}
    return found | ({"support_band": support_band} if support_band else {})


INADEQUATE = trigger(
    "inadequate",
    [[{"measure": "OFSTED_OE", "op": "eq", "value": 4}]],
    support_band="high",
    label="Inadequate",
)


def test_a_trigger_sets_the_minimum_category_and_band_whatever_the_score():
    result = run(
        rules(indicator(), triggers=[INADEQUATE]),
        {
            1: {"KS2_PTRWM_EXP": {Y19: 95}, "OFSTED_OE": {OE: 4}},
            2: {"KS2_PTRWM_EXP": {Y19: 95}, "OFSTED_OE": {OE: 2}},
        },
    )
    assert result.loc[1, ["category", "support_band", "trigger", "score"]].tolist() == [
        "4",
        "high",
        "inadequate",
        0.0,
    ]
    assert result.at[1, "explanation"]["triggers"] == [
        {"code": "inadequate", "label": "Inadequate", "min_category": "4", "support_band": "high"}
    ]
    assert result.at[1, "explanation"]["category_by_score"] == "1"
    assert result.loc[2, ["category", "trigger"]].tolist() == ["1", ""]


def test_a_trigger_never_lowers_a_category_or_band_the_score_gives():
    points = indicator(bands=[{"below": 20, "points": 12, "label": "Very low"}])
    monitor = trigger("ri", [[{"measure": "OFSTED_OE", "op": "eq", "value": 3}]], min_category="3")
    result = run(
        rules(points, triggers=[monitor]), {1: {"KS2_PTRWM_EXP": {Y19: 10}, "OFSTED_OE": {OE: 3}}}
    )
    assert result.loc[1, ["category", "support_band"]].tolist() == ["4", "high"]


def test_the_worst_fired_trigger_decides_and_bands_only_rise():
    medium = trigger("stuck", [[{"measure": "OFSTED_OE", "op": "eq", "value": 3}]], "3", "medium")
    plain = trigger("ri", [[{"measure": "OFSTED_OE", "op": "gte", "value": 3}]], "3")
    result = run(
        rules(indicator(), triggers=[plain, medium]),
        {1: {"KS2_PTRWM_EXP": {Y19: 90}, "OFSTED_OE": {OE: 3}}},
    )
    assert result.loc[1, ["category", "support_band", "trigger"]].tolist() == [
        "3",
        "medium",
        "stuck",
    ]
    assert [t["code"] for t in result.at[1, "explanation"]["triggers"]] == ["ri", "stuck"]


def test_a_trigger_fires_only_when_every_group_has_a_condition_that_holds():
    floor = trigger(
        "floor",
        [
            [{"measure": "KS2_PTRWM_EXP", "op": "lt", "value": 65}],
            [
                {"measure": "KS2_READPROG", "op": "lt", "value": -5},
                {"measure": "OFSTED_OE", "op": "gte", "value": 3},
            ],
        ],
        "3",
    )
    result = run(
        rules(indicator(), triggers=[floor]),
        {
            1: {"KS2_PTRWM_EXP": {Y19: 50}, "KS2_READPROG": {Y19: -6}},
            2: {"KS2_PTRWM_EXP": {Y19: 50}, "KS2_READPROG": {Y19: -1}, "OFSTED_OE": {OE: 3}},
            3: {"KS2_PTRWM_EXP": {Y19: 50}, "KS2_READPROG": {Y19: -1}, "OFSTED_OE": {OE: 2}},
            4: {"KS2_PTRWM_EXP": {Y19: 70}, "KS2_READPROG": {Y19: -9}},
        },
    )
    assert result["trigger"].to_dict() == {1: "floor", 2: "floor", 3: "", 4: ""}


@pytest.mark.parametrize(
    ("op", "value", "fires_for"),
    [
        ("lt", 3, [1, 2]),
        ("lte", 3, [1, 2, 3]),
        ("gt", 3, [4]),
        ("gte", 3, [3, 4]),
        ("eq", 3, [3]),
        ("ne", 3, [1, 2, 4]),  # never for a missing value (school 5)
    ],
)
def test_number_operators_compare_the_latest_value_and_never_fire_on_a_missing_one(
    op, value, fires_for
):
    rule = trigger("t", [[{"measure": "OFSTED_OE", "op": op, "value": value}]], "2")
    data = {n: {"OFSTED_OE": {OE: n}} for n in (1, 2, 3, 4)} | {
        5: {"OFSTED_OE": {OE: "NOT_JUDGED"}}
    }
    result = run(rules(indicator(), triggers=[rule]), data)
    assert sorted(result.index[result["trigger"].eq("t")]) == fires_for


def test_is_one_of_matches_texts_whatever_their_case():
    concern = trigger(
        "concern",
        [
            [
                {
                    "measure": "OFSTED_CONCERN",
                    "op": "in",
                    "texts": ["Serious weaknesses", "Special measures"],
                }
            ]
        ],
    )
    data = {
        1: {"OFSTED_CONCERN": {OE: "Serious Weaknesses"}},
        2: {"OFSTED_CONCERN": {OE: "Special measures"}},
        3: {"OFSTED_CONCERN": {OE: "NA"}},
    }
    result = run(rules(indicator(), triggers=[concern]), data)
    assert result["trigger"].to_dict() == {1: "concern", 2: "concern", 3: ""}


def test_missing_fires_when_the_measure_has_no_value_for_the_school():
    fallback = trigger(
        "gias",
        [
            [{"measure": "OFSTED_OE", "op": "missing"}],
            [{"measure": "GIAS_OFSTED_RATING", "op": "eq", "value": 4}],
        ],
    )
    data = {
        1: {"GIAS_OFSTED_RATING": {"2021-2022": 4}},
        2: {"GIAS_OFSTED_RATING": {"2021-2022": 4}, "OFSTED_OE": {OE: 2}},
    }
    result = run(rules(indicator(), triggers=[fallback]), data)
    assert result["trigger"].to_dict() == {1: "gias", 2: ""}


def test_years_back_tests_each_of_several_years():
    coasting = trigger(
        "coasting",
        [
            [{"measure": "KS2_PTRWM_EXP", "op": "lt", "value": 85, "years_back": back}]
            for back in range(3)
        ],
        "2",
    )
    data = {
        1: {"KS2_PTRWM_EXP": {Y19: 80, Y18: 80, Y17: 80}},
        2: {"KS2_PTRWM_EXP": {Y19: 80, Y18: 90, Y17: 80}},
        3: {"KS2_PTRWM_EXP": {Y19: 80, Y18: 80}},
    }
    result = run(rules(indicator(), triggers=[coasting]), data)
    assert result["trigger"].to_dict() == {1: "coasting", 2: "", 3: ""}


def test_a_fired_trigger_gives_a_category_even_with_too_few_indicators():
    result = run(
        rules(indicator(), triggers=[INADEQUATE], min_indicators=2),
        {1: {"OFSTED_OE": {OE: 4}}, 2: {"OFSTED_OE": {OE: 2}}},
    )
    assert result.loc[1, ["category", "insufficient_data"]].tolist() == ["4", False]
    assert result.loc[2, ["category", "insufficient_data"]].tolist() == ["", True]


def test_a_trigger_on_a_measure_with_no_data_is_noted():
    result = run(rules(indicator(), triggers=[INADEQUATE]), {1: {"KS2_PTRWM_EXP": {Y19: 90}}})
    assert "Trigger 'inadequate' could not use OFSTED_OE" in result.attrs["notes"]
    assert explained(result, 1, "rwm")["points"] == 0.0
