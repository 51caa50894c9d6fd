"""The KS2 performance tables import on the real files in ../shared/data/ks2 (Hampshire 850 and
Surrey 936, 2016/17 to 2018/19): counts, suppression codes, England's values, idempotence and
releases that supersede one another."""

from __future__ import annotations

import pytest

from categorisation.models import DataRelease, Measure, MeasureValue, NationalValue
from categorisation.performance_import import performance_import
from schools.models import School
from tests.categorisation.conftest import schools_create
from tests.schools.test_import_gias import edit, set_cell

pytestmark = pytest.mark.django_db
KS2_FILES = [
    # file, rows, schools on the register, URNs not on it
    ("2016-2017_850_ks2final.csv", 331, 313, 15),
    ("2017-2018_850_ks2final.csv", 331, 312, 16),
    ("2018-2019_850_ks2final.csv", 334, 315, 16),
    ("2016-2017_936_ks2final.csv", 235, 219, 13),
    ("2017-2018_936_ks2final.csv", 238, 222, 13),
    ("2018-2019_936_ks2final.csv", 242, 223, 16),
]
# Every real KS2 file here has all 12 catalogue columns: PTRWM_EXP, PTRWM_HIGH, the three
# progress scores, READ_AVERAGE, MAT_AVERAGE, PTGPS_EXP, PTGPS_HIGH, GPS_AVERAGE, TOTPUPS, TELIG
KS2_MEASURES = 12
YEAR = "2018-2019"


def ks2_file(shared_data, name: str) -> bytes:
    return (shared_data / "ks2" / name).read_bytes()


def ks2_import(shared_data, name: str, **options):
    return performance_import(data=ks2_file(shared_data, name), filename=name, **options)


def stored(urn: int, code: str, year: str, *, current: bool = True) -> MeasureValue:
    return MeasureValue.objects.get(
        school__urn=urn, measure__code=code, academic_year=year, is_current=current
    )


def values_snapshot() -> list[tuple]:
    return [
        *MeasureValue.objects.order_by("pk").values_list(),
        *NationalValue.objects.order_by("pk").values_list(),
        DataRelease.objects.count(),
    ]


@pytest.mark.parametrize(("name", "rows", "matched", "unknown"), KS2_FILES)
def test_each_real_ks2_file_imports_its_schools(
    register, shared_data, name, rows, matched, unknown
):
    result = ks2_import(shared_data, name)

    assert result.errors == []
    assert (result.kind, result.year, result.stage) == ("ks2", name[:9], "final")
    assert (result.rows, result.schools_matched, len(result.unknown_urns)) == (
        rows,
        matched,
        unknown,
    )
    assert result.values_written == matched * KS2_MEASURES
    own_year = MeasureValue.objects.filter(is_current=True, academic_year=name[:9])
    assert own_year.count() == matched * KS2_MEASURES
    assert not School.objects.filter(urn__in=result.unknown_urns).exists()
    release = DataRelease.objects.get(from_release=None)
    assert (release.source, release.academic_year, release.original_filename) == (
        "ks2",
        name[:9],
        name,
    )


def test_values_are_numbers_and_percentages_are_per_cent(register, shared_data):
    ks2_import(shared_data, "2018-2019_850_ks2final.csv")

    # Anstey Junior School, row 2: 63%, reading progress -1.9, 60 eligible pupils
    assert stored(115851, "KS2_PTRWM_EXP", "2018-2019").value == 63.0
    assert stored(115851, "KS2_READPROG", "2018-2019").value == -1.9
    assert stored(115851, "KS2_TELIG", "2018-2019").value == 60.0
    assert stored(115851, "KS2_PTRWM_EXP", "2018-2019").missing_reason == ""
    # 2018/19 still has progress scores (they are absent only for later years)
    assert MeasureValue.objects.filter(measure__code="KS2_READPROG", value__isnull=False).count()
    rwm = Measure.objects.get(code="KS2_PTRWM_EXP")
    assert (rwm.unit, rwm.cohort_measure.code) == ("percent", "KS2_TELIG")


def test_suppressed_and_short_rows_are_missing_with_their_reason_never_zero(register, shared_data):
    ks2_import(shared_data, "2016-2017_850_ks2final.csv")

    # Ampfield CE Primary (row 188) and West Meon CE Primary (row 142): SUPP
    ampfield = stored(116268, "KS2_PTRWM_EXP", "2016-2017")
    assert (ampfield.value, ampfield.missing_reason) == (None, "SUPP")
    assert stored(116322, "KS2_READPROG", "2016-2017").missing_reason == "SUPP"
    # Sun Hill Junior (row 276) is a new school with a short row of 23 fields: TOTPUPS is NEW
    # and the omitted fields are blank
    assert stored(144882, "KS2_TOTPUPS", "2016-2017").missing_reason == "NEW"
    sun_hill = stored(144882, "KS2_PTRWM_EXP", "2016-2017")
    assert (sun_hill.value, sun_hill.missing_reason) == (None, "BLANK")
    assert not MeasureValue.objects.filter(school__urn__in=[116268, 144882], value=0).exists()


def test_grammar_punctuation_and_spelling_is_read_and_codes_never_become_numbers(
    register, shared_data
):
    ks2_import(shared_data, "2018-2019_850_ks2final.csv")

    # Anstey Junior School, row 2: PTGPS_EXP 70%, PTGPS_HIGH 5%, GPS_AVERAGE 101
    assert stored(115851, "KS2_PTGPS_EXP", YEAR).value == 70.0
    assert stored(115851, "KS2_PTGPS_HIGH", YEAR).value == 5.0
    assert stored(115851, "KS2_GPS_AVERAGE", YEAR).value == 101.0
    gps = MeasureValue.objects.filter(measure__code__contains="GPS", academic_year=YEAR)
    assert gps.count() == 315 * 3
    assert not gps.exclude(missing_reason="").filter(value__isnull=False).exists()
    assert not gps.filter(missing_reason="", value__isnull=True).exists()
    # Of the 315 schools on the register, each GPS column has 1 SUPP and 5 blank (short rows)
    for code in ("KS2_PTGPS_EXP", "KS2_PTGPS_HIGH", "KS2_GPS_AVERAGE"):
        missing = gps.filter(measure__code=code).exclude(missing_reason="")
        reasons = sorted(missing.values_list("missing_reason", flat=True))
        assert reasons == ["BLANK"] * 5 + ["SUPP"], code
    assert not gps.filter(value__lt=0).exists()
    assert not gps.filter(measure__code="KS2_PTGPS_EXP", value__gt=100).exists()
    gps_rule = Measure.objects.get(code="KS2_PTGPS_EXP")
    assert (gps_rule.unit, gps_rule.cohort_measure.code) == ("percent", "KS2_TELIG")


def test_low_coverage_and_not_applicable_keep_their_reasons(register, shared_data):
    # The Waterloo School and Icknield School (special schools) are not in the primary GIAS file
    schools_create([116633, 116609], "850", "Hampshire")

    result = ks2_import(shared_data, "2017-2018_850_ks2final.csv")

    assert stored(116633, "KS2_READPROG", "2017-2018").missing_reason == "LOWCOV"
    assert stored(116609, "KS2_READPROG", "2017-2018").missing_reason == "NA"
    # GPS adds 12 SUPP and 10 BLANK (10 schools publish no GPS average) to the 2017/18 file's
    assert result.missing_by_reason == {"BLANK": 36, "LOWCOV": 1, "NA": 3, "NEW": 1, "SUPP": 44}


@pytest.mark.parametrize(
    ("cell", "reason"),
    [("x", "NP"), ("c", "SUPP"), ("z", "NA"), ("u", "LOWCOV"), ("NE", "NE"), ("NP", "NP")],
)
def test_newer_dfe_codes_are_missing_values(register, shared_data, cell, reason):
    name = "2018-2019_850_ks2final.csv"
    data = edit(ks2_file(shared_data, name), set_cell(115851, "PTRWM_EXP", cell))

    performance_import(data=data, filename=name)

    value = stored(115851, "KS2_PTRWM_EXP", "2018-2019")
    assert (value.value, value.missing_reason) == (None, reason)


def test_englands_values_come_from_the_state_funded_national_row(register, shared_data):
    result = ks2_import(shared_data, "2018-2019_850_ks2final.csv")

    national = dict(
        NationalValue.objects.filter(academic_year="2018-2019").values_list(
            "measure__code", "value"
        )
    )
    assert national["KS2_PTRWM_EXP"] == 65.0
    # RECTYPE 5 (state-funded) has 4,602,440 pupils; RECTYPE 4 (all schools) 4,658,339
    assert national["KS2_TOTPUPS"] == 4602440.0
    assert national["KS2_TELIG"] == 644967.0
    # GPS: 78% expected standard, 36% high score, average scaled score 106
    assert national["KS2_PTGPS_EXP"] == 78.0
    assert national["KS2_PTGPS_HIGH"] == 36.0
    assert national["KS2_GPS_AVERAGE"] == 106.0
    # Progress is relative to England (0): the national row leaves it blank, so none is kept
    assert "KS2_READPROG" not in national
    assert result.national_values_written == len(national) == 9


def test_the_same_file_twice_changes_nothing_and_says_so(register, shared_data):
    first = ks2_import(shared_data, "2018-2019_936_ks2final.csv")
    before = values_snapshot()

    again = ks2_import(shared_data, "2018-2019_936_ks2final.csv")

    assert first.values_written == 223 * 12 == 2676
    assert again.values_written == 0
    assert again.errors == []
    assert again.message.startswith("This file was already imported on ")
    assert again.message.endswith("Nothing was changed.")
    assert values_snapshot() == before


def test_a_revised_release_supersedes_the_provisional_one_without_losing_it(register, shared_data):
    name = "2018-2019_850_ks2final.csv"
    ks2_import(shared_data, name, stage="provisional")
    revised = edit(ks2_file(shared_data, name), set_cell(115851, "PTRWM_EXP", "70%"))

    result = performance_import(data=revised, filename=name, stage="revised")

    assert result.superseded == 315 * KS2_MEASURES
    assert stored(115851, "KS2_PTRWM_EXP", "2018-2019").value == 70.0
    assert stored(115851, "KS2_PTRWM_EXP", "2018-2019", current=False).value == 63.0
    provisional, later = DataRelease.objects.filter(from_release=None).order_by("pk")
    assert (provisional.stage, later.stage) == ("provisional", "revised")
    assert not provisional.values.filter(is_current=True).exists()
    assert later.values.filter(is_current=True).count() == 315 * KS2_MEASURES
    england = NationalValue.objects.filter(measure__code="KS2_PTRWM_EXP", academic_year=YEAR)
    assert england.get(is_current=True).release == later
    assert england.count() == 2


def test_an_earlier_release_imported_late_is_kept_but_not_current(register, shared_data):
    name = "2018-2019_850_ks2final.csv"
    ks2_import(shared_data, name, stage="final")
    provisional = edit(ks2_file(shared_data, name), set_cell(115851, "PTRWM_EXP", "40%"))

    result = performance_import(data=provisional, filename=name, stage="provisional")

    assert result.superseded == 0
    assert stored(115851, "KS2_PTRWM_EXP", "2018-2019").value == 63.0
    assert stored(115851, "KS2_PTRWM_EXP", "2018-2019", current=False).value == 40.0
    superseded = MeasureValue.objects.filter(is_current=False, academic_year=YEAR)
    assert superseded.count() == 315 * KS2_MEASURES


def test_two_las_of_the_same_year_do_not_supersede_each_other(register, shared_data):
    ks2_import(shared_data, "2018-2019_850_ks2final.csv")
    second = ks2_import(shared_data, "2018-2019_936_ks2final.csv")

    assert second.superseded == 0
    current = MeasureValue.objects.filter(is_current=True, academic_year=YEAR)
    assert current.count() == (315 + 223) * KS2_MEASURES


def test_three_years_of_both_las_import_with_bulk_queries(
    register, shared_data, django_assert_max_num_queries
):
    for name, *_ in KS2_FILES:
        with django_assert_max_num_queries(30):
            assert ks2_import(shared_data, name).errors == []

    years = MeasureValue.objects.values_list("academic_year", flat=True).distinct()
    # 2015-2016 from the 2016/17 files' prior-year columns (PTRWM_EXP_16 and the like)
    assert sorted(years) == ["2015-2016", "2016-2017", "2017-2018", "2018-2019"]
    assert DataRelease.objects.filter(from_release=None).count() == 6


def test_a_dry_run_counts_but_writes_nothing(register, shared_data):
    result = ks2_import(shared_data, "2018-2019_850_ks2final.csv", dry_run=True)

    assert (result.schools_matched, result.values_written) == (315, 315 * KS2_MEASURES)
    assert result.message.startswith("Dry run, nothing was changed")
    assert not MeasureValue.objects.exists()
    assert not DataRelease.objects.exists()
