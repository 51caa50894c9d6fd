"""Phase-aware rules: an indicator or trigger applies to some schools only ("applies_to"); for
the others it is not applicable (not missing) and left out of the minimum count; England's
value by the school's own phase; a measure read at its latest published year only."""

from __future__ import annotations

import pandas as pd
import pytest

from categorisation.engine import categorise
from categorisation.models import Result
from tests.categorisation.factories import run_with_results
from tests.categorisation.test_engine import MEASURES, Y18, Y19, explained, frames, indicator, rules

Y24, Y25 = "2023-2024", "2024-2025"
OE = "2025-2026"
MAINSTREAM = ["la_maintained", "academy", "free_school"]
KS2_ONLY = {"type_groups": MAINSTREAM, "key_stage": "ks2"}
KS4_ONLY = {"type_groups": MAINSTREAM, "key_stage": "ks4"}
ALL_MEASURES = pd.concat(
    [
        MEASURES,
        pd.DataFrame(
            [
                ("ABS_PERCTOT", False, "absence", None),
                ("KS4_ATT8SCR", True, "ks4", "KS4_TPUP"),
                ("KS4_P8MEA", True, "ks4", "KS4_TPUP"),
                ("KS4_TPUP", True, "ks4", None),
            ],
            columns=MEASURES.columns,
        ),
    ],
    ignore_index=True,
)
# Register fields as GIAS gives them: (phase, type group, statutory low age, high age).
SCHOOLS = {
    1: ("primary", "la_maintained", 4, 11),  # a primary school
    2: ("primary", "la_maintained", 4, 7),  # an infant school: GIAS phase "Primary"
    3: ("secondary", "academy", 11, 16),
    4: ("not_applicable", "special", 4, 19),
    5: ("first", "la_maintained", 4, 9),
    6: ("primary", "la_maintained", None, None),  # ages not in the register
    7: ("nursery", "nursery", 2, 5),
    8: ("not_applicable", "alternative_provision", 11, 16),
    9: ("primary", "academy", 4, 11),
}


def with_register(data: dict, national: dict | None = None, **kwargs) -> dict:
    found = frames(data, national, **kwargs)
    rows = [(school, *SCHOOLS[school]) for school in sorted(data)]
    columns = ["school_id", "phase", "type_group", "statutory_low_age", "statutory_high_age"]
    found["schools"] = pd.DataFrame(rows, columns=columns)
    found["measures"] = ALL_MEASURES
    return found


def ks2(**extra) -> dict:
    return indicator("rwm", applies_to=KS2_ONLY, **extra)


def ofsted() -> dict:
    return indicator(
        "ofsted", "OFSTED_OE", bands=[{"above": 2, "points": 3, "label": "RI or worse"}]
    )


def absence(comparison="threshold", bands=None) -> dict:
    bands = bands or [{"above": 6, "points": 2, "label": "Over 6%"}]
    return indicator("absence", "ABS_PERCTOT", comparison=comparison, bands=bands)


def test_an_infant_school_with_no_ks2_results_is_categorised_on_ofsted_and_absence():
    # Both schools have Ofsted and absence data and no KS2 row at all. KS2 cannot apply to the
    # infant school (ages 4 to 7 never reach Year 6): not applicable, and its two indicators
    # that apply both have data. The primary school's KS2 result is missing (absent from the
    # file), and still counts: 2 of 3 indicators with data meets the minimum of 2 too.
    data = {school: {"OFSTED_OE": {OE: 3}, "ABS_PERCTOT": {Y24: 7.0}} for school in (1, 2)}
    data[9] = {"KS2_PTRWM_EXP": {Y19: 80}}  # so KS2 has data in the run
    result = categorise(
        definition=rules(ks2(), ofsted(), absence(), min_indicators=2), **with_register(data)
    )
    infant = explained(result, 2, "rwm")
    assert infant["not_applicable"] is True and infant["missing"] is True
    assert infant["reason"] == "NOT_APPLICABLE"
    assert infant["reason_label"] == (
        "Not applicable: the rules use it only for schools whose age range reaches the end of "
        "key stage 2 (Year 6), of type LA maintained, Academy or Free school"
    )
    assert result.loc[2, ["category", "insufficient_data", "score"]].tolist() == ["2", False, 5.0]
    assert result.at[2, "explanation"]["indicators_applicable"] == 2
    assert explained(result, 1, "rwm")["reason"] == "ABSENT"
    assert "not_applicable" not in explained(result, 1, "rwm")
    assert result.at[1, "explanation"]["indicators_applicable"] == 3


def test_a_secondary_school_is_not_penalised_for_having_no_ks2_results():
    # The secondary school has Attainment 8 and an Ofsted grade; KS2 does not apply to it, so
    # with a minimum of 3 indicators it needs its 2 that apply, and it is categorised.
    att8 = indicator("att8", "KS4_ATT8SCR", bands=[{"below": 40, "points": 3, "label": "Under 40"}])
    att8["applies_to"] = KS4_ONLY
    data = {
        1: {"KS2_PTRWM_EXP": {Y19: 50}, "OFSTED_OE": {OE: 2}},
        3: {"KS4_ATT8SCR": {Y19: 35.0}, "KS4_TPUP": {Y19: 150}, "OFSTED_OE": {OE: 2}},
    }
    result = categorise(
        definition=rules(ks2(), att8, ofsted(), min_indicators=3), **with_register(data)
    )
    assert result.loc[3, ["category", "insufficient_data", "score"]].tolist() == ["2", False, 3.0]
    assert explained(result, 3, "rwm")["not_applicable"] is True
    assert explained(result, 1, "att8")["not_applicable"] is True
    assert result.loc[3, "indicators_required"] == 2
    # The primary school has all that apply to it too (KS2 and Ofsted): 2 of a minimum of 3.
    assert result.loc[1, ["category", "insufficient_data"]].tolist() == ["2", False]


def test_only_indicators_that_apply_count_towards_the_minimum():
    # Three KS2 indicators and Ofsted, minimum 2. The first school (ages 4 to 9) has only its
    # Ofsted grade, the one indicator that applies to it: enough. The primary school has only
    # its Ofsted grade too, but all four apply to it: 1 of the 2 needed.
    definition = rules(
        ks2(),
        indicator("rwm_trend", comparison="trend", trend_years=2, applies_to=KS2_ONLY),
        indicator("rwm_national", comparison="national", applies_to=KS2_ONLY),
        ofsted(),
        min_indicators=2,
    )
    data = {1: {"OFSTED_OE": {OE: 2}}, 5: {"OFSTED_OE": {OE: 2}}}
    data[9] = {"KS2_PTRWM_EXP": {Y19: 80, Y18: 70}}
    result = categorise(definition=definition, **with_register(data, {("KS2_PTRWM_EXP", Y19): 65}))
    assert result.loc[5, ["category", "insufficient_data"]].tolist() == ["1", False]
    assert result.loc[5, ["indicators_applicable", "indicators_required"]].tolist() == [1, 1]
    assert result.loc[1, ["category", "insufficient_data"]].tolist() == ["", True]
    assert result.at[1, "explanation"]["insufficient_reason"] == (
        "Only 1 of the 4 indicators that apply to this school has data: the rules need 2, and "
        "no trigger fired"
    )
    assert result.at[1, "explanation"]["notes"] == [
        "Insufficient data: Only 1 of the 4 indicators that apply to this school has data: the "
        "rules need 2, and no trigger fired"
    ]


def test_a_school_with_no_applicable_data_still_has_insufficient_data_with_its_reason():
    # The infant school has neither an Ofsted grade nor absence: not a category of 0 points.
    data = {2: {"ABS_PERCTOT": {Y24: "SUPP"}}, 1: {"OFSTED_OE": {OE: 2}, "ABS_PERCTOT": {Y24: 4}}}
    result = categorise(
        definition=rules(ks2(), ofsted(), absence(), min_indicators=2), **with_register(data)
    )
    assert result.loc[2, ["category", "insufficient_data"]].tolist() == ["", True]
    assert result.at[2, "explanation"]["insufficient_reason"] == (
        "There is no data for any of the 2 indicators that apply to this school, and no "
        "trigger fired"
    )
    assert explained(result, 2, "absence")["reason"] == "SUPP"


def test_a_nursery_school_to_which_no_indicator_applies_has_insufficient_data_saying_so():
    result = categorise(
        definition=rules(ks2(), min_indicators=1),
        **with_register({7: {}, 1: {"KS2_PTRWM_EXP": {Y19: 90}}}),
    )
    assert result.loc[7, "insufficient_data"]
    assert result.at[7, "explanation"]["insufficient_reason"] == (
        "None of these rules' indicators applies to this school, and no trigger fired"
    )


def test_a_special_school_is_not_scored_on_ks2_results_when_the_rules_say_so():
    # The special school (ages 4 to 19) reaches Year 6, and has a KS2 result of 10%, but the
    # indicator is for mainstream type groups only: not applicable, no points.
    data = {4: {"KS2_PTRWM_EXP": {Y19: 10}, "OFSTED_OE": {OE: 2}}}
    result = categorise(definition=rules(ks2(), ofsted()), **with_register(data))
    assert explained(result, 4, "rwm")["not_applicable"] is True
    assert result.loc[4, ["category", "score"]].tolist() == ["1", 0.0]


def test_a_school_whose_ages_are_unknown_keeps_the_key_stage_indicator():
    # The register gives no age range: we cannot tell it has no Year 6, so KS2 missing is
    # missing (and scores nothing), not not applicable.
    data = {6: {"OFSTED_OE": {OE: 2}}, 1: {"KS2_PTRWM_EXP": {Y19: 90}}}
    result = categorise(definition=rules(ks2(), ofsted()), **with_register(data))
    assert explained(result, 6, "rwm")["reason"] == "ABSENT"


def test_a_trigger_fires_only_for_the_schools_it_applies_to():
    trigger = {
        "code": "low_ks2",
        "label": "Under 50% at KS2",
        "all_of": [[{"measure": "KS2_PTRWM_EXP", "op": "lt", "value": 50}]],
        "min_category": "3",
        "applies_to": {"type_groups": ["la_maintained"]},
    }
    data = {1: {"KS2_PTRWM_EXP": {Y19: 40}}, 9: {"KS2_PTRWM_EXP": {Y19: 40}}}
    result = categorise(definition=rules(ks2(), triggers=[trigger]), **with_register(data))
    assert result["trigger"].to_dict() == {1: "low_ks2", 9: ""}


def test_absence_is_compared_with_england_for_the_schools_own_phase():
    # England 2023/24 (DfE's absence file, national rows PRI, SEC, SPE): 5.5%, 8.9%, 13%.
    # Each school has 7.5% absence: 2 points above primary England (the first band), 1.4 below
    # secondary England, 5.5 below special England. The infant school is a primary.
    national = pd.DataFrame(
        [
            ("ABS_PERCTOT", Y24, 5.5, "primary"),
            ("ABS_PERCTOT", Y24, 8.9, "SEC"),
            ("ABS_PERCTOT", Y24, 13.0, "special"),
        ],
        columns=["measure", "academic_year", "value", "phase"],
    )
    bands = [{"below": -1.5, "points": 2, "label": "1.5 points or more above England"}]
    data = {school: {"ABS_PERCTOT": {Y24: 7.5}} for school in (1, 2, 3, 4)}
    found = with_register(data)
    result = categorise(
        definition=rules(absence("national", bands)), **(found | {"national": national})
    )
    assert result["score"].to_dict() == {1: 2.0, 2: 2.0, 3: 0.0, 4: 0.0}
    assert explained(result, 1, "absence")["comparator"] == 5.5
    assert explained(result, 1, "absence")["compared"] == -2.0
    assert explained(result, 3, "absence")["comparator"] == 8.9
    assert explained(result, 4, "absence")["comparator"] == 13.0


def test_england_without_phases_is_the_same_value_for_every_school():
    data = {school: {"ABS_PERCTOT": {Y24: 7.5}} for school in (1, 3)}
    bands = [{"below": -1.5, "points": 2, "label": "1.5 points or more above England"}]
    result = categorise(
        definition=rules(absence("national", bands)),
        **with_register(data, {("ABS_PERCTOT", Y24): 6.0}),
    )
    assert [explained(result, s, "absence")["comparator"] for s in (1, 3)] == [6.0, 6.0]


def test_england_for_one_phase_only_is_used_for_that_phase_and_missing_for_the_others():
    national = pd.DataFrame(
        [("ABS_PERCTOT", Y24, 5.5, "primary")],
        columns=["measure", "academic_year", "value", "phase"],
    )
    data = {1: {"ABS_PERCTOT": {Y24: 7.5}}, 3: {"ABS_PERCTOT": {Y24: 7.5}}}
    result = categorise(
        definition=rules(absence("national")), **(with_register(data) | {"national": national})
    )
    assert explained(result, 1, "absence")["comparator"] == 5.5
    assert explained(result, 3, "absence")["reason"] == "NO_NATIONAL"


def test_a_school_of_a_phase_with_no_england_row_uses_the_all_phase_value_or_is_missing():
    # A nursery school counts as primary; a school with no phase for England's rows (phase
    # "not applicable", not special) has no comparator where England's value is per phase only.
    national = pd.DataFrame(
        [("ABS_PERCTOT", Y24, 5.5, "primary"), ("ABS_PERCTOT", Y24, 8.9, "secondary")],
        columns=["measure", "academic_year", "value", "phase"],
    )
    data = {7: {"ABS_PERCTOT": {Y24: 7.5}}, 8: {"ABS_PERCTOT": {Y24: 20.0}}}
    result = categorise(
        definition=rules(absence("national")), **(with_register(data) | {"national": national})
    )
    assert explained(result, 7, "absence")["comparator"] == 5.5
    assert explained(result, 8, "absence")["reason"] == "NO_NATIONAL"


def test_an_indicator_is_not_used_for_a_school_where_its_unless_condition_holds():
    # A graded judgement (RI, 2023) older than the school's report card (latest type 3) is not
    # its latest outcome: not used, not counted, and the explanation says why. Where the type
    # is not known (no Ofsted file) the judgement stands.
    grade = ofsted() | {
        "unless": [{"measure": "OFSTED_LATEST_TYPE", "op": "eq", "value": 3}],
        "unless_label": "a later report card inspection replaced the graded judgement",
    }
    data = {
        1: {"OFSTED_OE": {OE: 3}, "OFSTED_LATEST_TYPE": {OE: 3}, "ABS_PERCTOT": {Y24: 4}},
        9: {"OFSTED_OE": {OE: 3}, "ABS_PERCTOT": {Y24: 4}},
    }
    result = categorise(definition=rules(grade, absence()), **with_register(data))
    assert explained(result, 1, "ofsted")["reason_label"] == (
        "Not used for this school: a later report card inspection replaced the graded judgement"
    )
    assert result.loc[1, ["score", "indicators_applicable", "insufficient_data"]].tolist() == [
        0.0,
        1,
        False,
    ]
    assert result.loc[9, "score"] == 3.0


@pytest.mark.parametrize(
    ("latest_published", "used"), [(False, False), (True, True)], ids=["stale", "latest"]
)
def test_progress_8_is_used_in_its_latest_published_year_only_when_the_rules_say_so(
    latest_published, used
):
    # KS4 2024/25 has Attainment 8 but no Progress 8; the file's prior-year columns gave
    # Progress 8 for 2023/24 and 2022/23. Without latest_published it is stale (not mixed with
    # 2024/25); with it, the 2023/24 value alone is used and its year shown.
    p8 = indicator("p8", "KS4_P8MEA", bands=[{"below": -0.5, "points": 4, "label": "Floor"}])
    p8 |= {"latest_published": True} if latest_published else {}
    att8 = indicator("att8", "KS4_ATT8SCR", bands=[{"below": 40, "points": 3, "label": "x"}])
    data = {
        3: {
            "KS4_ATT8SCR": {Y25: 45.0},
            "KS4_P8MEA": {Y24: -0.6, "2022-2023": 0.4},
            "KS4_TPUP": {Y25: 150, Y24: 150, "2022-2023": 150},
        }
    }
    result = categorise(definition=rules(p8, att8, year_weights=[3, 2, 1]), **with_register(data))
    found = explained(result, 3, "p8")
    if used:
        assert (found["years"], found["value"], found["points"]) == (Y24, -0.6, 4.0)
    else:
        assert found["reason"] == "STALE"
        assert (
            "KS4_P8MEA has no data for 2024-2025 (its latest is 2023-2024), so the rules did "
            "not use it" in result.attrs["notes"]
        )


def test_the_result_page_shows_not_applicable_apart_from_missing_and_why_data_is_insufficient(
    as_user, world, officer
):
    # The engine's explanation of an infant school with a suppressed absence figure and no
    # Ofsted grade, shown on its result page.
    data = {2: {"ABS_PERCTOT": {Y24: "SUPP"}}, 1: {"OFSTED_OE": {OE: 2}, "ABS_PERCTOT": {Y24: 4}}}
    result = categorise(
        definition=rules(ks2(), ofsted(), absence(), min_indicators=2), **with_register(data)
    )
    run = run_with_results({world.school_a: "1"}, by=officer)
    Result.objects.filter(run=run).update(explanation=result.at[2, "explanation"])
    url = f"/categorisation/runs/{run.pk}/results/{run.results.get().pk}/"
    page = as_user("officer").get(url).content.decode()
    assert (
        "Not applicable: the rules use it only for schools whose age range reaches the end of "
        "key stage 2 (Year 6), of type LA maintained, Academy or Free school" in page
    )
    assert "Missing: Not applicable" not in page
    assert "Missing: Suppressed" in page
    assert (
        "Insufficient data: There is no data for any of the 2 indicators that apply to this "
        "school, and no trigger fired" in page
    )
