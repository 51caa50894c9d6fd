"""The KS4 performance tables import on the real North Yorkshire (815) files: 2016/17 (416
columns, no EBacc average point score) and 2017/18 (496 columns, short rows)."""

from __future__ import annotations

import pytest

from categorisation.models import MeasureValue, NationalValue
from categorisation.performance_import import performance_import

pytestmark = pytest.mark.django_db


def ks4_import(shared_data, name: str, **options):
    data = (shared_data / "ks4" / name).read_bytes()
    return performance_import(data=data, filename=name, **options)


def stored(urn: int, code: str, year: str) -> MeasureValue:
    return MeasureValue.objects.get(
        school__urn=urn, measure__code=code, academic_year=year, is_current=True
    )


@pytest.mark.parametrize(
    ("name", "rows", "schools", "measures"),
    # ATT8SCR, P8MEA, PTL2BASICS_94, PTL2BASICS_95 and TPUP; EBACCAPS only from 2017/18
    [("2016-2017_815_ks4final.csv", 72, 69, 5), ("2017-2018_815_ks4final.csv", 73, 70, 6)],
)
def test_each_real_ks4_file_imports_its_schools(
    north_yorkshire_register, shared_data, name, rows, schools, measures
):
    result = ks4_import(shared_data, name)

    assert result.errors == []
    assert (result.kind, result.year) == ("ks4", name[:9])
    assert (result.rows, result.schools_matched, result.unknown_urns) == (rows, schools, [])
    assert result.values_written == schools * measures
    codes = set(MeasureValue.objects.values_list("measure__code", flat=True))
    assert len(codes) == measures


def test_a_measure_the_years_file_does_not_have_is_not_written(
    north_yorkshire_register, shared_data
):
    ks4_import(shared_data, "2016-2017_815_ks4final.csv")

    # EBACCAPS is not a column of the 2016/17 file: no value at all, not a missing one
    assert not MeasureValue.objects.filter(measure__code="KS4_EBACCAPS").exists()


def test_ks4_codes_become_missing_values_with_their_reasons(north_yorkshire_register, shared_data):
    ks4_import(shared_data, "2017-2018_815_ks4final.csv")

    year = "2017-2018"
    # row 34: SUPP attainment and NP progress; row 45: no eligible pupils
    assert stored(142911, "KS4_ATT8SCR", year).missing_reason == "SUPP"
    assert stored(142911, "KS4_P8MEA", year).missing_reason == "NP"
    assert stored(121766, "KS4_ATT8SCR", year).missing_reason == "NE"
    # row 58: a short row of 26 fields
    short = stored(144976, "KS4_ATT8SCR", year)
    assert (short.value, short.missing_reason) == (None, "BLANK")
    # row 35: a real 0% is a value, not a missing one
    zero = stored(112456, "KS4_PTL2BASICS_94", year)
    assert (zero.value, zero.missing_reason) == (0.0, "")
    assert stored(141179, "KS4_P8MEA", year).value == -0.26
    assert stored(141179, "KS4_PTL2BASICS_94", year).value == 38.0


def test_englands_ks4_values_come_from_rectype_7(north_yorkshire_register, shared_data):
    ks4_import(shared_data, "2016-2017_815_ks4final.csv")
    ks4_import(shared_data, "2017-2018_815_ks4final.csv")

    national = {
        (code, year): value
        for code, year, value in NationalValue.objects.filter(is_current=True).values_list(
            "measure__code", "academic_year", "value"
        )
    }
    # RECTYPE 7 (state-funded) rather than 5 (all schools: 44.6, no Progress 8) or 4 (the LA)
    assert national[("KS4_ATT8SCR", "2016-2017")] == 46.3
    assert national[("KS4_P8MEA", "2016-2017")] == -0.03
    assert national[("KS4_PTL2BASICS_94", "2016-2017")] == 63.9
    assert national[("KS4_PTL2BASICS_94", "2017-2018")] == 64.2
    # The 2016/17 file's own 42.7, not the 2017/18 file's rounded prior-year 43% behind it
    assert national[("KS4_PTL2BASICS_95", "2016-2017")] == 42.7
    assert national[("KS4_PTL2BASICS_95", "2017-2018")] == 43.3
    # The 2016/17 file's own 42.7, not the 2017/18 file's rounded prior-year 43% behind it
    assert national[("KS4_PTL2BASICS_95", "2016-2017")] == 42.7
    assert national[("KS4_PTL2BASICS_95", "2017-2018")] == 43.3
    assert national[("KS4_EBACCAPS", "2017-2018")] == 4.04
    assert ("KS4_EBACCAPS", "2016-2017") not in national


def test_grade_5_english_and_maths_is_read_beside_grade_4_and_codes_stay_missing(
    north_yorkshire_register, shared_data
):
    ks4_import(shared_data, "2017-2018_815_ks4final.csv")

    year = "2017-2018"
    # Row 2, URN 141179: PTL2BASICS_94 38%, PTL2BASICS_95 18%
    assert stored(141179, "KS4_PTL2BASICS_95", year).value == 18.0
    suppressed = stored(121771, "KS4_PTL2BASICS_95", year)
    assert (suppressed.value, suppressed.missing_reason) == (None, "SUPP")
    assert stored(121766, "KS4_PTL2BASICS_95", year).missing_reason == "NE"
    short = stored(144976, "KS4_PTL2BASICS_95", year)
    assert (short.value, short.missing_reason) == (None, "BLANK")
    grade_5 = MeasureValue.objects.filter(measure__code="KS4_PTL2BASICS_95", academic_year=year)
    # Every value with a missing reason has no number; every number has no missing reason
    assert not grade_5.exclude(missing_reason="").filter(value__isnull=False).exists()
    assert not grade_5.filter(missing_reason="", value__isnull=True).exists()
    assert set(grade_5.exclude(missing_reason="").values_list("missing_reason", flat=True)) == {
        "SUPP",
        "NE",
        "BLANK",
    }
    england = NationalValue.objects.get(measure__code="KS4_PTL2BASICS_95", academic_year=year)
    assert england.value == 43.3  # RECTYPE 7; RECTYPE 5 (all schools) has 40.2%
