"""The default rules on real Hampshire schools, checked by hand against the real files.

The register is the real GIAS download of 20 April 2022; the data are the real KS2 performance
tables (final) for LA 850 of 2016/17, 2017/18 and 2018/19 and the Ofsted fields of that GIAS
file, all imported through ``performance_import``. England's values (the state-funded national
row, RECTYPE 5) of PTRWM_EXP are 61% (2016/17), 64% (2017/18) and 65% (2018/19), so the 3:2:1
weighted England value is (65 x 3 + 64 x 2 + 61) / 6 = 64.
"""

from __future__ import annotations

import pytest
from django.db import transaction

from categorisation.default_rules import default_rules_load
from categorisation.models import Result, RuleSet
from categorisation.performance_import import performance_import
from categorisation.runs import run_create, run_execute
from schools.gias_import import gias_import
from tests.conftest import SHARED_DATA

# Every test uses the database, so that pytest-django creates the test database for the module's
# fixture too (it sets up only the databases its tests ask for).
pytestmark = pytest.mark.django_db
GIAS_2022 = "gias/gias_20220420_hampshire850_surrey936_primaryphase.csv"
FILES = [f"ks2/{year}_850_ks2final.csv" for year in ("2016-2017", "2017-2018", "2018-2019")]


def _import(name: str) -> None:
    result = performance_import(data=(SHARED_DATA / name).read_bytes(), filename=name.split("/")[1])
    assert not result.errors, result.errors[:3]


@pytest.fixture(scope="module")
def categorised(django_db_setup, django_db_blocker) -> dict:
    """Every result of one official run, by URN, computed in a transaction rolled back after."""
    with django_db_blocker.unblock(), transaction.atomic():
        assert not gias_import(data=(SHARED_DATA / GIAS_2022).read_bytes()).errors
        for name in [*FILES, GIAS_2022]:
            _import(name)
        default_rules_load()
        run = run_create(rule_set=RuleSet.objects.get(), by=None, trigger="Test", enqueue=False)
        run = run_execute(run=run)
        assert run.state == "succeeded", run.error
        results = {
            result.school.urn: result
            for result in Result.objects.filter(run=run).select_related("school")
        }
        stats = run.stats
        transaction.set_rollback(True)
    return {"results": results, "stats": stats}


def placed(categorised, urn: int) -> tuple:
    result = categorised["results"][urn]
    return (result.computed_category, result.computed_support_band, float(result.score))


def indicators(categorised, urn: int) -> dict[str, dict]:
    items = categorised["results"][urn].explanation["indicators"]
    return {item["code"]: item for item in items}


def test_vigo_primary_is_below_the_former_floor_and_needs_intensive_support(categorised):
    # Vigo Primary School (115970), 2018/19: PTRWM_EXP 30%, READPROG -5.3, WRITPROG -5.7,
    # MATPROG -6.2, so below the former floor (under 65% and reading below -5). Weighted 3:2:1
    # with 39% (2017/18) and 16% (2016/17): 30.67%, 33.3 points below England (3 points);
    # reading (-5.3, -4.2, -6.5) -5.13 and maths (-6.2, -4.1, -7.0) -5.63 are below the floor
    # (3 points each); writing (-5.7, -4.7, -8.6) -5.85 is below the coasting level only (1);
    # GIAS: "Requires improvement" (3). 13 points: Intensive support, high band.
    assert placed(categorised, 115970) == ("4", "high", 13.0)
    assert categorised["results"][115970].trigger == "ks2_floor"
    found = indicators(categorised, 115970)
    assert found["ks2_rwm_national"]["value"] == pytest.approx(30.6667)
    assert found["ks2_rwm_national"]["comparator"] == pytest.approx(64.0)
    assert found["ks2_reading_progress"]["compared"] == pytest.approx(-5.1333)
    assert found["ks2_writing_progress"]["points"] == 1.0
    assert found["ks2_rwm_trend"]["compared"] == 14.0  # 30% now against 16% in 2016/17: better
    assert found["ofsted_grade"]["measure"] == "GIAS_OFSTED_RATING"


def test_hythe_primary_meets_the_former_coasting_definition_and_needs_focused_support(
    categorised,
):
    # Hythe Primary School (115916): under 85% each year (55%, 62%, 61%) with a progress score
    # below the coasting level each year (maths -3.5 in 2018/19, maths -2.9 in 2017/18, reading
    # -2.8 in 2016/17): the coasting trigger (at least Monitor). Points: 58.33% weighted is
    # 5.67 below England (1); maths weighted -3.1 (1); RWM fell from 61% to 55% (1); GIAS
    # "Requires improvement" (3). 6 points: Focused support, low band.
    assert placed(categorised, 115916) == ("3", "low", 6.0)
    assert categorised["results"][115916].trigger == "ks2_coasting"
    assert indicators(categorised, 115916)["ks2_rwm_trend"]["compared"] == -6.0


def test_uplands_primary_is_well_above_england_and_needs_universal_support(categorised):
    # Uplands Primary School (115890): PTRWM_EXP 91%, 93%, 95%; progress 2.3 / 1.7 / 1.6 in
    # 2018/19; GIAS "Good" (18-07-2017). No indicator scores: Universal support.
    assert placed(categorised, 115890) == ("1", "", 0.0)
    assert categorised["results"][115890].trigger == ""


def test_ashford_hill_is_in_serious_weaknesses_so_intensive_support_despite_its_results(
    categorised,
):
    # Ashford Hill Primary School (115921): 89% in 2018/19 and progress above 0, but GIAS
    # records "Serious Weaknesses" (12-11-2021): the trigger puts it in Intensive support,
    # high band, although its score is only the 3 points of the grade.
    assert placed(categorised, 115921) == ("4", "high", 3.0)
    assert categorised["results"][115921].trigger == "gias_inadequate"


def test_cheriton_primarys_small_cohort_is_not_scored_and_its_old_inspection_is(categorised):
    # Cheriton Primary School (115874): TELIG 10 in 2018/19, under the minimum cohort of 11,
    # so every KS2 indicator is "cohort too small" (its 50% is not scored). GIAS "Outstanding"
    # at 12-05-2008, about 14 years before the file: 1 point. Universal support.
    found = indicators(categorised, 115874)
    assert found["ks2_rwm_national"]["reason"] == "SMALL"
    assert found["ks2_reading_progress"]["reason_label"] == "Cohort too small"
    assert found["ofsted_inspection_age"]["points"] == 1.0
    assert placed(categorised, 115874) == ("1", "", 1.0)


def test_hyde_primarys_suppressed_results_are_shown_as_missing_not_scored(categorised):
    # Hyde Church of England Primary School (116294): TELIG 2 and PTRWM_EXP "SUPP" in 2018/19
    # (70% in 2017/18 is not used in place of the latest year). GIAS "Good" (05-07-2018).
    found = indicators(categorised, 116294)
    assert {found[code]["reason"] for code in found if code.startswith("ks2")} == {"SUPP"}
    assert placed(categorised, 116294) == ("1", "", 0.0)


def test_barton_farm_a_new_free_school_has_insufficient_data(categorised):
    # Barton Farm Primary Academy (147836), a free school opened 01-09-2020: no KS2 results in
    # any file and no Ofsted rating in GIAS. It gets no category rather than a guessed one.
    result = categorised["results"][147836]
    assert result.insufficient_data and result.computed_category == ""
    assert indicators(categorised, 147836)["ks2_rwm_national"]["reason"] == "ABSENT"


def test_the_run_notes_the_measures_it_had_no_data_for(categorised):
    notes = categorised["stats"]["notes"]
    assert "KS4_P8MEA has no data, so the rules could not use it" in notes
    assert "OFSTED_OE has no data, so the rules could not use it" in notes
    # 2015-2016 from the 2016/17 files' prior-year columns (PTRWM_EXP_16)
    years = ["2018-2019", "2017-2018", "2016-2017", "2015-2016"]
    assert categorised["stats"]["years"]["KS2_PTRWM_EXP"] == years
