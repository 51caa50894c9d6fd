"""Prior-year columns on the real files: KS2 2018/19 carries PTRWM_EXP_18 and _17 (2017/18 and
2016/17), KS4 2017/18 carries P8MEA_17 and _16 (and PTL2BASICS_94_17_PTQ_EE, _95_17_PTQ_EE),
and a 2024/25 KS4 file P8MEA_PREV and P8MEA_PREV2. Each becomes a value of its own year,
marked as taken from the later file, and yields to the year's own file whichever is imported
first."""

from __future__ import annotations

import pytest

from categorisation.models import DataRelease, MeasureValue, NationalValue
from categorisation.performance_import import performance_import
from tests.categorisation.test_import_ks2 import ks2_file
from tests.categorisation.test_import_saving import write_path  # noqa: F401 (a fixture)
from tests.schools.test_import_gias import edit, set_cell

pytestmark = pytest.mark.django_db
KS2_2019, KS2_2018 = "2018-2019_850_ks2final.csv", "2017-2018_850_ks2final.csv"
KS4_2018 = "2017-2018_815_ks4final.csv"
ANSTEY = 115851  # Anstey Junior School: PTRWM_EXP_18 57%, PTRWM_EXP_17 68%


def ks2_import(shared_data, name: str, data: bytes | None = None):
    result = performance_import(data=data or ks2_file(shared_data, name), filename=name)
    assert result.errors == []
    return result


def current(urn: int, code: str, year: str) -> MeasureValue:
    return MeasureValue.objects.select_related("release").get(
        school__urn=urn, measure__code=code, academic_year=year, is_current=True
    )


def test_a_ks2_files_prior_year_columns_become_values_of_their_years(register, shared_data):
    result = ks2_import(shared_data, KS2_2019)

    assert result.prior_years == ["2016-2017", "2017-2018"]
    earlier = current(ANSTEY, "KS2_PTRWM_EXP", "2017-2018")
    assert earlier.value == 57.0
    assert earlier.release.stage == "prior_year"
    assert earlier.release.get_stage_display() == "From a later file's prior-year columns"
    assert earlier.release.from_release == DataRelease.objects.get(academic_year="2018-2019")
    assert current(ANSTEY, "KS2_PTRWM_EXP", "2016-2017").value == 68.0
    assert current(ANSTEY, "KS2_READPROG", "2017-2018").value == -2.0  # READPROG_18
    assert current(ANSTEY, "KS2_READPROG", "2016-2017").value == -1.8  # READPROG_17
    assert current(ANSTEY, "KS2_TELIG", "2017-2018").value == 63.0
    assert current(ANSTEY, "KS2_PTRWM_EXP", "2018-2019").release.stage == "final"
    written = MeasureValue.objects.exclude(academic_year="2018-2019").count()
    assert result.prior_year_values_written == written > 0
    assert result.message.endswith(
        f"; also {written:,} values for 2016-2017 and 2017-2018 from the file's prior-year "
        "columns, until those years' own files are imported"
    )


def test_englands_prior_year_values_come_from_the_state_funded_national_row(register, shared_data):
    ks2_import(shared_data, KS2_2019)

    england = {
        (code, year): value
        for code, year, value in NationalValue.objects.filter(is_current=True).values_list(
            "measure__code", "academic_year", "value"
        )
    }
    # RECTYPE 5: PTRWM_EXP_18 64%, TELIG_18 619,703, READ_AVERAGE_17 104
    assert england[("KS2_PTRWM_EXP", "2017-2018")] == 64.0
    assert england[("KS2_TELIG", "2017-2018")] == 619703.0
    assert england[("KS2_PTRWM_EXP", "2016-2017")] == 61.0
    assert england[("KS2_READ_AVERAGE", "2016-2017")] == 104.0
    assert ("KS2_READPROG", "2017-2018") not in england  # progress: blank nationally


@pytest.mark.usefixtures("write_path")
def test_the_years_own_file_imported_later_supersedes_prior_year_values(register, shared_data):
    ks2_import(shared_data, KS2_2019)

    own = ks2_import(shared_data, KS2_2018)

    value = current(ANSTEY, "KS2_PTRWM_EXP", "2017-2018")
    assert (value.release.stage, value.release.from_release) == ("final", None)
    assert value.release.original_filename == KS2_2018
    earlier = MeasureValue.objects.get(
        school__urn=ANSTEY,
        measure__code="KS2_PTRWM_EXP",
        academic_year="2017-2018",
        is_current=False,
    )
    assert earlier.release.stage == "prior_year"
    assert own.superseded > 0
    # Every school and measure the 2017/18 file gives is now the 2017/18 file's own
    own_release = DataRelease.objects.get(original_filename=KS2_2018, from_release=None)
    given = set(own_release.values.values_list("school_id", "measure_id"))
    now = MeasureValue.objects.filter(academic_year="2017-2018", is_current=True)
    stages = {
        (school, measure): stage
        for school, measure, stage in now.values_list("school_id", "measure_id", "release__stage")
    }
    assert {stages[key] for key in given} == {"final"}
    national = NationalValue.objects.get(
        measure__code="KS2_PTRWM_EXP", academic_year="2017-2018", is_current=True
    )
    assert national.release.original_filename == KS2_2018


@pytest.mark.usefixtures("write_path")
def test_prior_year_values_imported_after_the_years_own_file_stay_behind_it(register, shared_data):
    ks2_import(shared_data, KS2_2018)
    own = current(ANSTEY, "KS2_PTRWM_EXP", "2017-2018")
    changed = edit(ks2_file(shared_data, KS2_2019), set_cell(ANSTEY, "PTRWM_EXP_18", "12%"))

    later = ks2_import(shared_data, KS2_2019, changed)

    assert later.superseded == 0
    assert current(ANSTEY, "KS2_PTRWM_EXP", "2017-2018").pk == own.pk
    kept = MeasureValue.objects.get(
        school__urn=ANSTEY,
        measure__code="KS2_PTRWM_EXP",
        academic_year="2017-2018",
        is_current=False,
    )
    assert (kept.value, kept.release.stage) == (12.0, "prior_year")
    # 2016/17 has no own file here: prior-year values of the same rank, the later import's win
    latest = current(ANSTEY, "KS2_PTRWM_EXP", "2016-2017").release
    assert (latest.stage, latest.from_release.original_filename) == ("prior_year", KS2_2019)
    assert later.prior_year_superseded > 0


def test_blank_prior_year_cells_say_nothing_and_codes_stay_missing_reasons(register, shared_data):
    data = edit(ks2_file(shared_data, KS2_2019), set_cell(ANSTEY, "PTRWM_EXP_18", ""))
    data = edit(data, set_cell(ANSTEY, "PTRWM_HIGH_18", "SUPP"))

    ks2_import(shared_data, KS2_2019, data)

    values = MeasureValue.objects.filter(school__urn=ANSTEY, academic_year="2017-2018")
    assert not values.filter(measure__code="KS2_PTRWM_EXP").exists()
    suppressed = values.get(measure__code="KS2_PTRWM_HIGH")
    assert (suppressed.value, suppressed.missing_reason) == (None, "SUPP")


def test_ks4_prior_year_progress_8_lands_in_its_years(north_yorkshire_register, shared_data):
    data = (shared_data / "ks4" / KS4_2018).read_bytes()

    result = performance_import(data=data, filename=KS4_2018)

    assert result.errors == []
    assert result.prior_years == ["2015-2016", "2016-2017"]
    # Row 2, URN 141179: P8MEA_17 -0.15, P8MEA_16 -0.25, ATT8SCR_17 42.9
    assert current(141179, "KS4_P8MEA", "2016-2017").value == -0.15
    assert current(141179, "KS4_P8MEA", "2015-2016").value == -0.25
    assert current(141179, "KS4_ATT8SCR", "2016-2017").value == 42.9
    # PTL2BASICS_94_17_PTQ_EE 62%, PTL2BASICS_95_17_PTQ_EE 32%: the 2016/17 file's own figures
    assert current(141179, "KS4_PTL2BASICS_94", "2016-2017").value == 62.0
    assert current(141179, "KS4_PTL2BASICS_95", "2016-2017").value == 32.0
    assert current(141179, "KS4_PTL2BASICS_95", "2016-2017").release.stage == "prior_year"
    suppressed = current(121771, "KS4_PTL2BASICS_95", "2016-2017")
    assert (suppressed.value, suppressed.missing_reason) == (None, "SUPP")
    # England (state-funded, RECTYPE 7): ATT8SCR_17 46.3; RECTYPE 5 (all schools) has 44.6
    national = NationalValue.objects.get(
        measure__code="KS4_ATT8SCR", academic_year="2016-2017", is_current=True
    )
    assert national.value == 46.3
    # PTL2BASICS_94 is grade 4, not a year: nothing lands in 2093/94
    years = set(MeasureValue.objects.values_list("academic_year", flat=True))
    assert years == {"2015-2016", "2016-2017", "2017-2018"}


def test_a_2024_25_ks4_file_gives_the_latest_published_progress_8_with_its_year(
    north_yorkshire_register, shared_data
):
    """A 2024/25 file has no Progress 8 of its own: P8MEA_PREV is 2023/24's, P8MEA_PREV2
    2022/23's (made here from the real 2017/18 file's P8MEA_17 and P8MEA_16)."""
    renamed = {"P8MEA": "P8MEA_DROPPED", "P8MEA_17": "P8MEA_PREV", "P8MEA_16": "P8MEA_PREV2"}

    def change(rows):
        rows[0] = [renamed.get(name, name) for name in rows[0]]

    name = "2024-2025_815_ks4final.csv"
    data = edit((shared_data / "ks4" / KS4_2018).read_bytes(), change, "utf-8-sig")

    result = performance_import(data=data, filename=name)

    assert (result.errors, result.prior_years) == ([], ["2022-2023", "2023-2024"])
    assert current(141179, "KS4_P8MEA", "2023-2024").value == -0.15
    assert current(141179, "KS4_P8MEA", "2022-2023").value == -0.25
    assert not MeasureValue.objects.filter(measure__code="KS4_P8MEA", academic_year="2024-2025")
    latest = MeasureValue.objects.filter(measure__code="KS4_P8MEA", is_current=True)
    assert max(latest.values_list("academic_year", flat=True)) == "2023-2024"
    assert (
        NationalValue.objects.get(measure__code="KS4_P8MEA", academic_year="2023-2024").value
        == -0.03
    )


def test_ks4_grade_5_from_the_later_file_yields_to_the_years_own_file(
    north_yorkshire_register, shared_data
):
    later = (shared_data / "ks4" / KS4_2018).read_bytes()
    performance_import(data=later, filename=KS4_2018)
    own_name = "2016-2017_815_ks4final.csv"

    performance_import(data=(shared_data / "ks4" / own_name).read_bytes(), filename=own_name)

    # URN 121690: PTL2BASICS_95 60% in both; the 2016/17 file's own value is current
    value = current(121690, "KS4_PTL2BASICS_95", "2016-2017")
    assert (value.value, value.release.original_filename) == (60.0, own_name)
    assert value.release.stage == "final"
    # URN 121668: blank in the 2016/17 file, 0% in the 2017/18 file's prior-year column: the
    # own file's blank supersedes it (a missing value, not a zero)
    blank = current(121668, "KS4_PTL2BASICS_95", "2016-2017")
    assert (blank.value, blank.missing_reason) == (None, "BLANK")
