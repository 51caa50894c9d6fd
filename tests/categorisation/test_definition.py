"""validate_definition: every problem as a message a user can act on."""

from __future__ import annotations

import copy

import pytest

from categorisation.default_rules import DEFAULT_DEFINITION
from categorisation.definition import definition_parse, validate_definition
from categorisation.measures import BY_CODE, measures_ensure

CODES = set(BY_CODE)


def changed(change) -> dict:
    definition = copy.deepcopy(DEFAULT_DEFINITION)
    change(definition)
    return definition


def problems(definition) -> list[str]:
    return validate_definition(definition, measure_codes=CODES)


def test_the_default_rules_are_valid():
    assert problems(DEFAULT_DEFINITION) == []


def test_measures_are_checked_against_the_catalogue_by_default(db):
    measures_ensure()
    assert validate_definition(DEFAULT_DEFINITION) == []
    unknown = changed(lambda d: d["indicators"][0].update(measure="KS2_NOPE"))
    assert validate_definition(unknown) == [
        "Indicator 'ks2_rwm_national': the measure 'KS2_NOPE' is not in the measure catalogue"
    ]


def _set(path: str, value):
    def change(definition):
        *parents, last = path.split(".")
        target = definition
        for part in parents:
            target = target[int(part)] if part.isdigit() else target[part]
        target[int(last) if last.isdigit() else last] = value

    return change


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (_set("categories", []), "Add at least one category"),
        (
            _set("categories.2.code", "2"),
            "Category codes must be unique: '2' is used twice",
        ),
        (
            _set("categories.1.min_score", 7),
            "Categories overlap or are out of order: list them best first, each with a higher "
            "minimum score than the one before",
        ),
        (
            _set("categories.0.min_score", 1),
            "The first category must start at a score of 0, so every school has one",
        ),
        (_set("categories.1.min_score", "3"), "Category '2': enter a minimum score as a number"),
        (
            _set("support_bands", []),
            "Add support bands (low, medium, high) for the focused support categories",
        ),
        (_set("support_bands.0.band", "urgent"), "Support band 1: choose low, medium or high"),
        (
            _set("support_bands.1.min_score", 20),
            "Support bands overlap or are out of order: list low, medium, high with rising "
            "minimum scores",
        ),
        (
            _set("indicators.0.measure", "KS2_NOPE"),
            "Indicator 'ks2_rwm_national': the measure 'KS2_NOPE' is not in the measure catalogue",
        ),
        (
            _set("indicators.0.comparison", "ranking"),
            "Indicator 'ks2_rwm_national': the comparison must be threshold, national or trend",
        ),
        (
            _set("indicators.0.bands", [{"below": -10, "points": 2}, {"below": -20, "points": 3}]),
            "Indicator 'ks2_rwm_national': bands overlap or are out of order: list the worst "
            "band first (lowest limit first, no repeats)",
        ),
        (
            _set("indicators.0.bands", [{"below": -10, "points": 2}, {"below": -10, "points": 1}]),
            "Indicator 'ks2_rwm_national': bands overlap or are out of order: list the worst "
            "band first (lowest limit first, no repeats)",
        ),
        (
            _set("indicators.0.bands", [{"below": -10, "points": 2}, {"above": 5, "points": 1}]),
            "Indicator 'ks2_rwm_national': use 'below' for every band or 'above' for every "
            "band, not both",
        ),
        (
            _set("indicators.0.bands", [{"points": 2}]),
            "Indicator 'ks2_rwm_national', band 1: enter either 'below' or 'above' as a number",
        ),
        (_set("indicators.0.bands", []), "Indicator 'ks2_rwm_national': add at least one band"),
        (
            _set("indicators.4.trend_years", 1),
            "Indicator 'ks2_rwm_trend': a trend needs at least 2 years (trend_years)",
        ),
        (
            _set("indicators.1.code", "ks2_rwm_national"),
            "Indicator and trigger codes must be unique: 'ks2_rwm_national' is used twice",
        ),
        (
            _set("triggers.0.min_category", "5"),
            "Trigger 'ofsted_inadequate': the minimum category '5' is not one of the categories",
        ),
        (
            _set("triggers.6.support_band", "high"),
            "Trigger 'ks2_coasting': a support band needs a focused support category, and '2' "
            "is not one",
        ),
        (
            _set("triggers.0.all_of", []),
            "Trigger 'ofsted_inadequate': add at least one condition (all_of is a list of lists)",
        ),
        (
            _set("triggers.0.all_of", [[{"measure": "OFSTED_OE", "op": "about", "value": 4}]]),
            "Trigger 'ofsted_inadequate': the operator must be one of lt, lte, gt, gte, eq, ne, "
            "in, missing",
        ),
        (
            _set("triggers.0.all_of", [[{"measure": "OFSTED_OE", "op": "eq"}]]),
            "Trigger 'ofsted_inadequate': 'eq' on OFSTED_OE needs a number to compare with",
        ),
        (
            _set("triggers.0.all_of", [[{"measure": "OFSTED_CONCERN", "op": "in", "texts": []}]]),
            "Trigger 'ofsted_inadequate': 'is one of' on OFSTED_CONCERN needs a list of texts",
        ),
        (
            _set("triggers.0.all_of", [[{"measure": "OFSTED_NOPE", "op": "missing"}]]),
            "Trigger 'ofsted_inadequate': the measure 'OFSTED_NOPE' is not in the measure "
            "catalogue",
        ),
        (_set("min_cohort", -1), "The minimum cohort must be a whole number of pupils, 0 or more"),
        (
            _set("year_weights", [3, 0]),
            "Year weights must be a list of positive numbers, newest year first",
        ),
    ],
)
def test_each_problem_has_a_message_a_user_can_act_on(change, message):
    assert problems(changed(change)) == [message]


def test_an_empty_rule_set_lists_what_is_needed():
    assert problems({}) == ["Add at least one category", "Add at least one indicator or trigger"]


def test_a_definition_that_is_not_an_object_is_rejected():
    assert problems([]) == [
        "The definition must be an object with categories, indicators and triggers"
    ]


def test_several_problems_are_all_listed():
    definition = changed(
        lambda d: (
            d["indicators"][0].update(measure="KS2_NOPE"),
            d["triggers"][0].update(min_category="9"),
        )
    )
    assert len(problems(definition)) == 2


def test_parsing_gives_typed_rules_and_refuses_an_invalid_definition():
    rules = definition_parse(DEFAULT_DEFINITION)
    assert [c.code for c in rules.categories] == ["1", "2", "3", "4"]
    assert rules.year_weights == (3, 2, 1) and rules.min_cohort == 11
    assert rules.indicators[0].bands[0].below == -20
    with pytest.raises(ValueError, match="Add at least one category"):
        definition_parse({"indicators": []})
