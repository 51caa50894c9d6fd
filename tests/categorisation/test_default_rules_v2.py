"""Default rules version 2: valid, added as a draft beside version 1 (once), and its report-card
triggers and phase applicability on hand-built schools."""

from __future__ import annotations

import pandas as pd
import pytest
from django.core.management import call_command

from categorisation.default_rules import DEFAULT_NAME_V2, default_rules_load, default_rules_v2_load
from categorisation.default_rules_v2 import DEFAULT_DEFINITION_V2
from categorisation.definition import validate_definition
from categorisation.engine import categorise
from categorisation.measures import BY_CODE
from categorisation.models import RuleSet
from tests.categorisation.test_engine import frames
from tests.categorisation.test_engine_applicability import ALL_MEASURES, SCHOOLS

ABSENCE = {"ABS_PERCTOT", "ABS_PPERSABS10"}
RC, ABS_YEAR = "2025-2026", "2023-2024"


def test_version_2_is_valid_with_the_absence_measures_in_the_catalogue():
    assert validate_definition(DEFAULT_DEFINITION_V2, measure_codes=set(BY_CODE) | ABSENCE) == []


@pytest.mark.django_db
def test_version_2_is_added_as_a_draft_beside_the_adopted_version_1_once():
    default_rules_load()
    draft = default_rules_v2_load()
    assert (draft.version, draft.status, draft.name) == (2, "draft", DEFAULT_NAME_V2)
    assert draft.definition == DEFAULT_DEFINITION_V2
    assert default_rules_v2_load() is None
    assert list(RuleSet.objects.order_by("version").values_list("version", "status")) == [
        (1, "adopted"),
        (2, "draft"),
    ]


@pytest.mark.django_db
def test_the_command_adopts_version_1_and_adds_version_2_as_a_draft(capsys):
    call_command("load_default_rules")
    out = capsys.readouterr().out
    assert "Adopted Partnership default rules (version 1, adopted)." in out
    assert (
        f"Added {DEFAULT_NAME_V2} (version 2, draft) as a draft: try it as a what-if run, "
        "then adopt it." in out
    )
    call_command("load_default_rules")
    out = capsys.readouterr().out
    assert "Rules already exist: the adopted rules were not changed." in out
    assert "Version 2 of the default rules is already there." in out


def run_v2(data: dict) -> pd.DataFrame:
    # England 2023/24, all phases here (the phase comparison is in test_engine_applicability).
    found = frames(data, {("ABS_PERCTOT", ABS_YEAR): 5.5, ("ABS_PPERSABS10", ABS_YEAR): 14.6})
    rows = [(school, *SCHOOLS[school]) for school in sorted(data)]
    columns = ["school_id", "phase", "type_group", "statutory_low_age", "statutory_high_age"]
    found |= {"schools": pd.DataFrame(rows, columns=columns), "measures": ALL_MEASURES}
    return categorise(definition=DEFAULT_DEFINITION_V2, **found)


@pytest.mark.parametrize(
    ("report_card", "placed", "trigger"),
    [
        ({"OFSTED_RC_ACHIEVEMENT": 5}, ("4", "high"), "rc_urgent_improvement"),
        ({"OFSTED_RC_EARLY_YEARS": 5}, ("4", "high"), "rc_urgent_improvement"),
        ({"OFSTED_RC_SAFEGUARDING": 2}, ("4", "high"), "rc_urgent_improvement"),
        # Requires significant improvement (leadership alone) and special measures (leadership
        # and another area): both categories of concern
        ({"OFSTED_RC_LEADERSHIP": 5}, ("4", "high"), "rc_urgent_improvement"),
        (
            {"OFSTED_RC_LEADERSHIP": 5, "OFSTED_RC_INCLUSION": 5},
            ("4", "high"),
            "rc_urgent_improvement",
        ),
        ({"OFSTED_RC_LEADERSHIP": 4}, ("3", "medium"), "rc_leadership_needs_attention"),
        ({"OFSTED_RC_INCLUSION": 4}, ("2", ""), "rc_key_area_needs_attention"),
        ({"OFSTED_RC_CURRICULUM_TEACHING": 4}, ("2", ""), "rc_key_area_needs_attention"),
        ({"OFSTED_RC_PERSONAL_DEVELOPMENT": 4}, ("1", ""), ""),
        ({"OFSTED_RC_LEADERSHIP": 3, "OFSTED_RC_SAFEGUARDING": 1}, ("1", ""), ""),
    ],
    ids=lambda value: "-".join(map(str, value)) if isinstance(value, tuple) else str(value),
)
def test_report_card_grades_in_key_areas_trigger_a_category(report_card, placed, trigger):
    # A primary school otherwise doing well (absence under England's), inspected under a report
    # card in 2025/26, so its graded judgement is "not judged" (missing) and its last
    # inspection recent.
    school = {
        "OFSTED_OE": {RC: "NOT_JUDGED"},
        "OFSTED_INSPECTION_YEARS": {RC: 0.3},
        "ABS_PERCTOT": {ABS_YEAR: 5.0},
        "ABS_PPERSABS10": {ABS_YEAR: 12.0},
        **{measure: {RC: grade} for measure, grade in report_card.items()},
    }
    result = run_v2({1: school})
    assert tuple(result.loc[1, ["category", "support_band"]]) == placed
    assert result.loc[1, "trigger"] == trigger
    assert not result.loc[1, "insufficient_data"]


def test_an_older_graded_judgement_is_not_used_once_a_report_card_is_the_latest():
    # Both schools were requires improvement at their last two graded inspections. The first
    # has since had a report card (expected standard in leadership), its latest outcome: the
    # old grade scores nothing and neither the "stuck" nor the "RI twice" trigger fires. The
    # second's latest inspection is still the graded one: 3 points, and the "stuck" trigger
    # (RI after below good) puts it in at least Focused support, medium band.
    graded = {
        "OFSTED_OE": {RC: 3},
        "OFSTED_OE_PREVIOUS": {RC: 3},
        "OFSTED_INSPECTION_YEARS": {RC: 2},
    }
    absence = {"ABS_PERCTOT": {ABS_YEAR: 5.0}, "ABS_PPERSABS10": {ABS_YEAR: 12.0}}
    result = run_v2(
        {
            1: {
                **graded,
                **absence,
                "OFSTED_LATEST_TYPE": {RC: 3},
                "OFSTED_RC_LEADERSHIP": {RC: 3},
            },
            9: {**graded, **absence, "OFSTED_LATEST_TYPE": {RC: 1}},
        }
    )
    assert result.loc[1, ["category", "score", "trigger"]].tolist() == ["1", 0.0, ""]
    grade = next(
        i for i in result.at[1, "explanation"]["indicators"] if i["code"] == "ofsted_grade"
    )
    assert grade["reason"] == "NOT_USED"
    assert result.loc[9, ["category", "support_band", "trigger"]].tolist() == [
        "3",
        "medium",
        "ofsted_stuck",
    ]
