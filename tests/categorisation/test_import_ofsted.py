"""The Ofsted imports: the real management information file for Leeds as at 28 February 2026
(graded judgements to 2024, "Not judged", ungraded outcomes, report cards from November 2025,
NULL strings, dd/mm/yyyy dates), and the Ofsted fields of the real GIAS downloads."""

from __future__ import annotations

import pytest
from django.db.models import Count

from categorisation.models import DataRelease, MeasureValue
from categorisation.performance_import import performance_import
from tests.categorisation.conftest import GIAS_2022, OFSTED_LEEDS

pytestmark = pytest.mark.django_db
YEAR = "2025-2026"


def ofsted_import(shared_data, **options):
    data = (shared_data / "ofsted" / OFSTED_LEEDS).read_bytes()
    return performance_import(data=data, filename=OFSTED_LEEDS, **options)


def stored(urn: int, code: str, year: str = YEAR) -> MeasureValue:
    return MeasureValue.objects.get(
        school__urn=urn, measure__code=code, academic_year=year, is_current=True
    )


def test_the_leeds_file_imports_every_school_for_the_snapshots_year(leeds_register, shared_data):
    result = ofsted_import(shared_data)

    assert result.errors == []
    assert (result.kind, result.year, result.rows, result.schools_matched) == (
        "ofsted",
        YEAR,
        279,
        279,
    )
    # 6 general measures and 9 report-card areas, no previous-inspection column in this file
    assert result.values_written == 279 * 14
    assert not MeasureValue.objects.filter(measure__code="OFSTED_OE_PREVIOUS").exists()
    assert DataRelease.objects.get().academic_year == YEAR


def test_graded_judgements_not_judged_and_null(leeds_register, shared_data):
    result = ofsted_import(shared_data)

    outstanding = stored(107817, "OFSTED_OE")  # Horsforth Featherbank, row 5
    assert (outstanding.value, outstanding.text) == (1.0, "Outstanding")
    assert stored(151719, "OFSTED_OE").value == 4.0  # Cockburn Ingram Road, row 277
    # Queensway Primary (row 24): a graded inspection in December 2024 gives no overall grade
    not_judged = stored(107858, "OFSTED_OE")
    assert (not_judged.value, not_judged.missing_reason) == (None, "NOT_JUDGED")
    # Guiseley Primary (row 2): NULL, no graded inspection under the current framework
    assert stored(107809, "OFSTED_OE").missing_reason == "BLANK"
    oe = MeasureValue.objects.filter(measure__code="OFSTED_OE")
    assert oe.filter(missing_reason="NOT_JUDGED").count() == 40
    assert oe.filter(value__isnull=False).count() == 130
    assert result.missing_by_reason["NOT_JUDGED"] == 40


def test_categories_of_concern_and_ungraded_outcomes(leeds_register, shared_data):
    ofsted_import(shared_data)

    cobden = stored(107963, "OFSTED_CONCERN")
    assert (cobden.value, cobden.text) == (1.0, "Serious weaknesses")
    assert stored(151719, "OFSTED_CONCERN").text == "Special measures"
    assert stored(107817, "OFSTED_CONCERN").value == 0.0
    assert stored(107809, "OFSTED_CONCERN").missing_reason == "BLANK"
    assert MeasureValue.objects.filter(measure__code="OFSTED_CONCERN", value=1).count() == 2
    ungraded = stored(107963, "OFSTED_UNGRADED")
    assert (ungraded.value, ungraded.text) == (None, "School remains Good (Concerns) - S5 Next")
    assert stored(107869, "OFSTED_UNGRADED").missing_reason == "BLANK"


def test_report_card_areas_are_graded_one_to_five(leeds_register, shared_data):
    ofsted_import(shared_data)

    # Gildersome Primary (row 19), report card from 6 January 2026
    inclusion = stored(107848, "OFSTED_RC_INCLUSION")
    assert (inclusion.value, inclusion.text) == (4.0, "Needs attention")
    assert stored(107848, "OFSTED_RC_ACHIEVEMENT").value == 3.0
    assert stored(107848, "OFSTED_RC_SAFEGUARDING").text == "Met"
    assert stored(107848, "OFSTED_RC_POST16").missing_reason == "NA"
    assert stored(141883, "OFSTED_RC_ACHIEVEMENT").value == 4.0
    report_cards = MeasureValue.objects.filter(
        measure__code="OFSTED_RC_INCLUSION", value__isnull=False
    )
    assert sorted(report_cards.values_list("school__urn", flat=True)) == [107848, 141883]


def test_years_since_the_latest_inspection_of_any_type_at_the_snapshot(leeds_register, shared_data):
    ofsted_import(shared_data)

    # The report card of 6 January 2026 is later than the graded inspection of January 2022
    gildersome = stored(107848, "OFSTED_INSPECTION_YEARS")
    assert (gildersome.value, gildersome.text) == (0.15, "2026-01-06")
    featherbank = stored(107817, "OFSTED_INSPECTION_YEARS")  # 12 March 2024
    assert (featherbank.value, featherbank.text) == (1.97, "2024-03-12")
    # Guiseley Primary (row 2): no graded inspection since 2019, an ungraded one in June 2023
    guiseley = stored(107809, "OFSTED_INSPECTION_YEARS")
    assert (guiseley.value, guiseley.text) == (2.71, "2023-06-14")
    # Bardsey Primary Academy opened in March 2023 and has had no inspection of any type
    assert stored(149546, "OFSTED_INSPECTION_YEARS").missing_reason == "BLANK"
    never = MeasureValue.objects.filter(measure__code="OFSTED_INSPECTION_YEARS", value=None)
    assert never.count() == 5


def test_the_latest_inspection_type_says_which_outcome_is_the_latest(leeds_register, shared_data):
    ofsted_import(shared_data)

    # Gildersome's report card (January 2026) replaces its graded "Good" of January 2022
    gildersome = stored(107848, "OFSTED_LATEST_TYPE")
    assert (gildersome.value, gildersome.text) == (3.0, "Report card, 2026-01-06")
    assert stored(107848, "OFSTED_OE").value == 2.0
    assert stored(141883, "OFSTED_LATEST_TYPE").text == "Report card, 2025-11-25"
    featherbank = stored(107817, "OFSTED_LATEST_TYPE")
    assert (featherbank.value, featherbank.text) == (1.0, "Graded inspection, 2024-03-12")
    guiseley = stored(107809, "OFSTED_LATEST_TYPE")
    assert (guiseley.value, guiseley.text) == (2.0, "Ungraded inspection, 2023-06-14")
    assert stored(149546, "OFSTED_LATEST_TYPE").missing_reason == "BLANK"
    latest = MeasureValue.objects.filter(measure__code="OFSTED_LATEST_TYPE")
    counts = dict(latest.values_list("value").annotate(n=Count("pk")).values_list("value", "n"))
    assert counts == {1.0: 158, 2.0: 114, 3.0: 2, None: 5}


def test_year_option_overrides_the_snapshot_date(leeds_register, shared_data):
    result = ofsted_import(shared_data, year="2024-2025", dry_run=True)

    assert (result.errors, result.year) == ([], "2024-2025")


def test_gias_ofsted_rating_and_date(register, shared_data):
    data = (shared_data / "gias" / GIAS_2022).read_bytes()

    result = performance_import(data=data, filename=GIAS_2022)

    assert result.errors == []
    assert (result.kind, result.year, result.schools_matched) == ("gias", "2021-2022", 1096)
    ratings = MeasureValue.objects.filter(measure__code="GIAS_OFSTED_RATING")
    assert ratings.filter(value=2, text="Good").count() == 536
    assert ratings.filter(value=4, text="Special Measures").count() == 6
    assert ratings.filter(value=4, text="Serious Weaknesses").count() == 11
    assert ratings.filter(missing_reason="BLANK").count() == 334
    # row 2: Alton Infant School, last inspected 23 January 2019, file of 20 April 2022
    inspected = stored(115850, "GIAS_OFSTED_INSPECTION_YEARS", "2021-2022")
    assert (inspected.value, inspected.text) == (3.24, "2019-01-23")


def test_gias_file_of_another_la_lists_the_urns_not_on_the_register(register, shared_data):
    name = "gias_2021-05_surrey936_allestablishments.csv"

    result = performance_import(data=(shared_data / "gias" / name).read_bytes(), filename=name)

    assert result.errors == []
    assert result.year == "2020-2021"
    assert result.schools_matched + len(result.unknown_urns) == 590
    assert result.schools_matched == 302
