"""Default rules version 2's report-card triggers on the real Ofsted management information for
Leeds (28 February 2026): of its 279 schools, two have had a report-card inspection, and both
were graded "needs attention" in leadership and governance (none "urgent improvement", every
safeguarding standard met). Ofsted (from November 2025): "urgent improvement" in any area, or
safeguarding not met, puts a school in a category of concern; an area that "needs attention"
brings monitoring inspections. Version 2 raises the first to Intensive support, high band, and
"needs attention" in leadership and governance to Focused support, medium band (local)."""

from __future__ import annotations

import pytest

from categorisation.default_rules import default_rules_load, default_rules_v2_load
from categorisation.models import Result
from categorisation.performance_import import performance_import
from categorisation.runs import run_create, run_execute
from tests.categorisation.conftest import OFSTED_LEEDS

pytestmark = pytest.mark.django_db
GILDERSOME, TEMPLE = 107848, 141883  # report cards of 6 January 2026 and 25 November 2025
FEATHERBANK = 107817  # Horsforth Featherbank: graded Outstanding, no report card
REPORT_CARD_TRIGGERS = {
    "rc_urgent_improvement",
    "rc_leadership_needs_attention",
    "rc_key_area_needs_attention",
}


@pytest.fixture
def results(leeds_register, shared_data) -> dict[int, Result]:
    data = (shared_data / "ofsted" / OFSTED_LEEDS).read_bytes()
    assert performance_import(data=data, filename=OFSTED_LEEDS).errors == []
    default_rules_load()
    rules = default_rules_v2_load()
    run = run_create(rule_set=rules, purpose="what_if", by=None, trigger="Test", enqueue=False)
    run = run_execute(run=run)
    assert run.state == "succeeded", run.error
    return {r.school.urn: r for r in Result.objects.filter(run=run).select_related("school")}


def fired(result: Result) -> set[str]:
    return {trigger["code"] for trigger in result.explanation.get("triggers", [])}


def test_needs_attention_in_leadership_at_a_real_report_card_means_focused_support(results):
    # Gildersome Primary: needs attention in leadership, curriculum and teaching, inclusion,
    # attendance and behaviour, personal development; expected standard in achievement and
    # early years. Leadership needs attention: at least Focused support, medium band (and the
    # key-area trigger, at least Monitor, fires too). Temple Learning Academy: needs attention
    # in leadership, curriculum and teaching, achievement and inclusion: the same.
    for urn in (GILDERSOME, TEMPLE):
        result = results[urn]
        assert (result.computed_category, result.computed_support_band) == ("3", "medium"), urn
        assert result.trigger == "rc_leadership_needs_attention"
        assert fired(result) == {"rc_leadership_needs_attention", "rc_key_area_needs_attention"}
        assert "rc_urgent_improvement" not in fired(result)


def test_a_real_school_without_a_report_card_fires_no_report_card_trigger(results):
    # Horsforth Featherbank: graded Outstanding, no report-card inspection (its area columns
    # are NULL): no report-card trigger, Universal support.
    featherbank = results[FEATHERBANK]
    assert not fired(featherbank) & REPORT_CARD_TRIGGERS
    assert featherbank.computed_category == "1"
    # Only the two schools with report cards fire one, of the 279
    with_report_card = {urn for urn, r in results.items() if fired(r) & REPORT_CARD_TRIGGERS}
    assert with_report_card == {GILDERSOME, TEMPLE}
