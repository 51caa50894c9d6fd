"""Default rules version 2 on real schools of each phase, checked by hand against the real files.

The register is two real GIAS downloads: Hampshire's open schools of 20 April 2022 (the demo's
file: infant, junior, primary and all-through schools) and every Surrey establishment of May
2021 (for secondary, special, pupil referral unit and nursery schools). The data are the real
KS2 performance tables (final) for LA 850 of 2016/17 to 2018/19, the Ofsted fields of both GIAS
files (loaded as the 2021/22 snapshot), and DfE's real England-wide absence file for 2023/24,
all imported through ``performance_import``. England's values: KS2 PTRWM_EXP 61%, 64%, 65%
(3:2:1 weighted: 64); absence by phase (the file's national rows): overall primary 5.5,
secondary 8.9, special 13.0; persistent primary 14.6, secondary 25.6, special 37.2. No KS4 file
is loaded, so KS4 measures are missing ("no data") wherever they apply.
"""

from __future__ import annotations

import pytest
from django.db import transaction

from board.demo_data import GIAS_FILE
from categorisation.default_rules import default_rules_load, default_rules_v2_load
from categorisation.models import Result
from categorisation.performance_import import performance_import
from categorisation.runs import run_create, run_execute
from schools.gias_import import gias_import
from tests.conftest import SHARED_DATA

pytestmark = pytest.mark.django_db
GIAS = ["gias_20220420_hampshire850_open.csv", "gias/gias_2021-05_surrey936_allestablishments.csv"]
KS2 = [f"ks2/{year}_850_ks2final.csv" for year in ("2016-2017", "2017-2018", "2018-2019")]
ABSENCE = "abs/2023-2024_england_abs.csv"


def _bytes(name: str) -> bytes:
    """A real file: the demo's Hampshire GIAS download, or one of ``../shared/data``."""
    if name == GIAS_FILE.name:
        return GIAS_FILE.read_bytes()
    return (SHARED_DATA / name).read_bytes()


def _import(name: str, **options) -> None:
    result = performance_import(data=_bytes(name), filename=name.split("/")[-1], **options)
    assert not result.errors, result.errors[:3]


@pytest.fixture(scope="module")
def categorised(django_db_setup, django_db_blocker) -> dict:
    """Every result of one what-if run of version 2, by URN, in a transaction rolled back."""
    with django_db_blocker.unblock(), transaction.atomic():
        for name in GIAS:
            assert not gias_import(data=_bytes(name)).errors
        for name in KS2:
            _import(name)
        for name in GIAS:
            _import(name, kind="gias", year="2021-2022")
        _import(ABSENCE)
        default_rules_load()
        rules = default_rules_v2_load()
        run = run_create(rule_set=rules, purpose="what_if", by=None, trigger="Test", enqueue=False)
        run = run_execute(run=run)
        assert run.state == "succeeded", run.error
        results = {
            result.school.urn: result
            for result in Result.objects.filter(run=run).select_related("school")
        }
        results["stats"] = run.stats
        transaction.set_rollback(True)
    return results


def placed(categorised, urn: int) -> tuple:
    result = categorised[urn]
    return (result.computed_category, result.computed_support_band, float(result.score))


def indicators(categorised, urn: int) -> dict[str, dict]:
    return {item["code"]: item for item in categorised[urn].explanation["indicators"]}


def not_applicable(categorised, urn: int) -> set[str]:
    return {
        code for code, item in indicators(categorised, urn).items() if item.get("not_applicable")
    }


KS2_CODES = {"ks2_rwm_national", "ks2_rwm_trend"}
KS4_CODES = {"ks4_attainment8_national", "ks4_basics_national", "ks4_progress8"}
ABSENCE_CODES = {"absence_overall", "absence_persistent"}


def test_alton_infant_school_is_categorised_on_absence_and_ofsted_not_on_ks2(categorised):
    # Alton Infant School (115850), ages 4 to 7: no KS2 results to expect, so KS2 and KS4 are
    # not applicable, not missing. Absence 6.8% is 1.3 points above primary England (5.5: 1
    # point); persistent absence 17.3% is 2.7 above 14.6 (under 5: none). GIAS "Good"
    # (23-01-2019), about 3 years before the snapshot: nothing. 1 point: Universal support.
    assert not_applicable(categorised, 115850) == KS2_CODES | KS4_CODES
    found = indicators(categorised, 115850)
    assert found["absence_overall"]["comparator"] == 5.5
    assert found["absence_overall"]["points"] == 1
    assert placed(categorised, 115850) == ("1", "", 1.0)
    assert not categorised[115850].insufficient_data


def test_vigo_primary_is_far_below_england_and_requires_improvement_so_focused_support(
    categorised,
):
    # Vigo Primary School (115970): PTRWM_EXP 30% (2018/19), 39%, 16%: weighted 30.67%, 33.3
    # points below England's 64 (3 points); up 14 points on 2016/17 (no trend points).
    # Version 1's floor trigger is gone (no progress scores now). Absence 5.4% and 11.8% are
    # under primary England's. GIAS "Requires improvement" (3 points). 6: Focused support, low.
    found = indicators(categorised, 115970)
    assert found["ks2_rwm_national"]["compared"] == pytest.approx(-33.3333)
    assert found["absence_persistent"]["compared"] == pytest.approx(2.8)
    assert placed(categorised, 115970) == ("3", "low", 6.0)
    assert categorised[115970].trigger == ""


def test_hythe_primary_below_england_and_falling_with_requires_improvement_is_monitored(
    categorised,
):
    # Hythe Primary School (115916): weighted 58.33%, 5.67 below England (1 point); fell from
    # 61% (2016/17) to 55% (2018/19), 6 points (1); absence 5.1% and 14.5% under primary
    # England's; GIAS "Requires improvement" (3). 5 points: Monitor.
    assert placed(categorised, 115916) == ("2", "", 5.0)


def test_ashford_hill_in_serious_weaknesses_needs_intensive_support(categorised):
    # Ashford Hill Primary School (115921): GIAS "Serious Weaknesses" (12-11-2021) fires the
    # inadequate trigger whatever else; it has no row in the 2023/24 absence file (missing).
    assert placed(categorised, 115921)[:2] == ("4", "high")
    assert categorised[115921].trigger == "gias_inadequate"
    assert indicators(categorised, 115921)["absence_overall"]["reason"] == "ABSENT"


def test_barton_farm_a_new_free_school_is_categorised_on_its_absence(categorised):
    # Barton Farm Primary Academy (147836), opened 2020: no KS2 results and no Ofsted rating,
    # which under version 1 was insufficient data. Its 2023/24 absence (4.7% and 9.6%, under
    # primary England's) gives two indicators with data: Universal support.
    assert placed(categorised, 147836) == ("1", "", 0.0)
    assert indicators(categorised, 147836)["ks2_rwm_national"]["reason"] == "ABSENT"


def test_alderwood_an_all_through_school_is_compared_with_secondary_england(categorised):
    # Alderwood School (116234), all-through, ages 5 to 16: both KS2 and KS4 apply. KS2 85%
    # (2018/19) and 87% (2017/18), nothing for 2016/17: well above England; its trend has no
    # oldest year (missing); KS4 has no data. Absence 7.4% and 18.6% against secondary England
    # (8.9, 25.6): under. GIAS "Good" (09-01-2020). 0 points: Universal support.
    found = indicators(categorised, 116234)
    assert not_applicable(categorised, 116234) == set()
    assert found["absence_overall"]["comparator"] == 8.9
    assert found["ks4_attainment8_national"]["reason"] == "NO_DATA"
    assert placed(categorised, 116234) == ("1", "", 0.0)


def test_sunbury_manor_a_secondary_with_high_absence_is_monitored_not_penalised_for_ks2(
    categorised,
):
    # Sunbury Manor School (136529), secondary academy, 11 to 16: KS2 not applicable. Absence
    # 13.8% is 4.9 points above secondary England (8.9: 2 points), persistent 42.7% is 17.1
    # above 25.6 (2). GIAS "Good" (03-10-2019). 4 points: Monitor.
    assert not_applicable(categorised, 136529) == KS2_CODES
    assert placed(categorised, 136529) == ("2", "", 4.0)


def test_wishmore_cross_a_special_school_is_compared_with_special_england(categorised):
    # Wishmore Cross Academy (138766), special, 9 to 16: no key stage indicator applies to a
    # special school. Absence 36.8% against special England's 13.0 (2 points), persistent
    # 75.3% against 37.2 (2); GIAS "Requires improvement" (3). 7: Focused support, low band.
    assert not_applicable(categorised, 138766) == KS2_CODES | KS4_CODES
    assert indicators(categorised, 138766)["absence_overall"]["comparator"] == 13.0
    assert placed(categorised, 138766) == ("3", "low", 7.0)


def test_the_hope_service_a_pupil_referral_unit_is_categorised_on_ofsted(categorised):
    # The Hope Service (134870), a pupil referral unit (alternative provision): no key stage or
    # absence indicator applies. GIAS "Outstanding" (02-05-2018) and the inspection's age give
    # the 2 indicators with data it needs: Universal support.
    assert not_applicable(categorised, 134870) == KS2_CODES | KS4_CODES | ABSENCE_CODES
    assert placed(categorised, 134870) == ("1", "", 0.0)
    assert categorised[134870].explanation["indicators_applicable"] == 3


def test_chertsey_nursery_school_is_categorised_on_ofsted(categorised):
    # Chertsey Nursery School (124911): only Ofsted applies; GIAS "Good" (21-11-2018).
    assert not_applicable(categorised, 124911) == KS2_CODES | KS4_CODES | ABSENCE_CODES
    assert placed(categorised, 124911) == ("1", "", 0.0)


def test_every_open_school_gets_a_category_on_what_applies_to_it(categorised):
    # 824 open state schools in the two registers. Version 1 on the same files leaves 91 with
    # insufficient data (special schools, and academies and free schools with no KS2 results
    # loaded and no Ofsted rating in GIAS yet); with absence and phase applicability, none.
    stats = categorised["stats"]
    assert stats["schools"] == 824
    assert stats["insufficient_data"] == 0
    assert stats["by_category"] == {"1": 724, "2": 75, "3": 19, "4": 6}
