"""How the performance import saves values, on both ways of writing on PostgreSQL (set-based
COPY and SQL, and the ``bulk_create`` used on SQLite): every value, text and missing reason as
read; which values are current and which they supersede; the same file twice writes nothing;
a failure while saving writes nothing; and both ways store exactly the same rows."""

from __future__ import annotations

import csv
import io
import math

import pytest

from categorisation import performance_import as performance_import_module
from categorisation import value_writes
from categorisation.imports import ReadOptions, performance_file_read
from categorisation.models import DataRelease, Measure, MeasureValue, NationalValue
from categorisation.performance_import import performance_import
from tests.categorisation.test_import_ks2 import KS2_MEASURES, ks2_file, values_snapshot
from tests.schools.test_import_gias import edit, set_cell

pytestmark = pytest.mark.django_db
KS2_936 = "2018-2019_936_ks2final.csv"
HEADER = ["URN", "measure", "academic_year", "value", "note"]
# Hampshire junior schools on the register (the real GIAS 2022 file).
ANSTEY, BALKSBURY, PORTWAY = 115851, 115852, 115853


@pytest.fixture(params=["set-based", "orm"])
def write_path(request, monkeypatch):
    """Run a test on both ways of writing (the ORM one is what SQLite uses)."""
    if request.param == "orm":
        monkeypatch.setattr(value_writes, "set_based", lambda: False)
    return request.param


def template(rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows([HEADER, *rows])
    return out.getvalue().encode("utf-8")


def template_import(rows: list[list[str]], stage: str = "final", **options):
    result = performance_import(
        data=template(rows), filename=f"local-{stage}.csv", stage=stage, **options
    )
    assert result.errors == []
    return result


def saved(*, current: bool | None = None) -> dict[tuple, tuple]:
    """Stored values by school URN, measure code, year and release stage."""
    values = MeasureValue.objects.all()
    if current is not None:
        values = values.filter(is_current=current)
    rows = values.values_list(
        "school__urn",
        "measure__code",
        "academic_year",
        "release__stage",
        "value",
        "text",
        "missing_reason",
        "is_current",
    )
    return {tuple(row[:4]): tuple(row[4:]) for row in rows}


def current_value(urn: int, code: str, year: str):
    return MeasureValue.objects.get(
        school__urn=urn, measure__code=code, academic_year=year, is_current=True
    ).value


@pytest.mark.usefixtures("write_path")
def test_every_value_of_a_real_ks2_file_is_saved_as_the_reader_read_it(register, shared_data):
    data = ks2_file(shared_data, KS2_936)
    measures = frozenset(Measure.objects.values_list("code", flat=True))
    read = performance_file_read(
        data=data, options=ReadOptions(filename=KS2_936, measures=measures)
    )

    result = performance_import(data=data, filename=KS2_936)

    on_register = read.values[~read.values["urn"].isin(result.unknown_urns)]
    # The file's prior-year columns (PTRWM_EXP_18, _17) are saved as releases of their years
    stage = {"2018-2019": "final", "2017-2018": "prior_year", "2016-2017": "prior_year"}
    expected = {
        (int(row.urn), row.measure, row.academic_year, stage[row.academic_year]): (
            None if math.isnan(row.value) else row.value,
            row.text,
            row.missing_reason,
            True,
        )
        for row in on_register.itertuples()
    }
    assert result.values_written == 223 * KS2_MEASURES
    assert len(expected) == result.values_written + result.prior_year_values_written
    assert saved() == expected


@pytest.mark.usefixtures("write_path")
def test_notes_with_commas_quotes_and_line_breaks_and_exact_numbers_are_saved_as_written(
    register,
):
    notes = [
        'Autumn, spring and "summer" terms',
        "First line\nsecond line",
        "Back\\slash\tand tab, café – naïve",
        "",
    ]
    years = ["2020-2021", "2021-2022", "2022-2023", "2023-2024"]
    numbers = ["0.1", "-12500", "1234567.891", "3.141592653589793"]
    rows = [
        [str(ANSTEY), "LA_BUDGET_BALANCE", year, number, note]
        for year, number, note in zip(years, numbers, notes, strict=True)
    ]

    template_import(rows)

    stored = {
        year: (value, text)
        for year, value, text in MeasureValue.objects.values_list("academic_year", "value", "text")
    }
    assert stored == {
        year: (float(number), note)
        for year, number, note in zip(years, numbers, notes, strict=True)
    }


@pytest.mark.usefixtures("write_path")
def test_a_later_release_supersedes_only_the_values_it_covers_and_keeps_them(register):
    template_import(
        [
            [str(ANSTEY), "LA_SIP_JUDGEMENT", "2023-2024", "1", ""],
            [str(BALKSBURY), "LA_SIP_JUDGEMENT", "2023-2024", "2", ""],
            [str(ANSTEY), "LA_SIP_JUDGEMENT", "2022-2023", "3", ""],
            [str(ANSTEY), "LA_ABSENCE_OVERALL", "2023-2024", "5.5", ""],
        ],
        stage="provisional",
    )

    final = template_import([[str(ANSTEY), "LA_SIP_JUDGEMENT", "2023-2024", "4", ""]])

    assert (final.superseded, final.message) == (
        1,
        "Written: 1 values for 1 schools; 1 earlier values superseded",
    )
    assert current_value(ANSTEY, "LA_SIP_JUDGEMENT", "2023-2024") == 4.0
    assert saved(current=False) == {
        (ANSTEY, "LA_SIP_JUDGEMENT", "2023-2024", "provisional"): (1.0, "", "", False)
    }
    # Another school, another year and another measure are not covered by the final release.
    assert current_value(BALKSBURY, "LA_SIP_JUDGEMENT", "2023-2024") == 2.0
    assert current_value(ANSTEY, "LA_SIP_JUDGEMENT", "2022-2023") == 3.0
    assert current_value(ANSTEY, "LA_ABSENCE_OVERALL", "2023-2024") == 5.5


@pytest.mark.usefixtures("write_path")
def test_a_corrected_file_of_the_same_stage_supersedes_the_earlier_one(register):
    template_import([[str(ANSTEY), "LA_SIP_JUDGEMENT", "2023-2024", "2", ""]])

    corrected = template_import([[str(ANSTEY), "LA_SIP_JUDGEMENT", "2023-2024", "3", "Revisit"]])

    assert corrected.superseded == 1
    assert saved() == {
        (ANSTEY, "LA_SIP_JUDGEMENT", "2023-2024", "final"): (3.0, "Revisit", "", True)
    }
    assert MeasureValue.objects.filter(is_current=False).get().value == 2.0


@pytest.mark.usefixtures("write_path")
def test_a_release_imported_late_is_current_only_where_no_later_release_has_a_value(register):
    template_import(
        [[str(BALKSBURY), "LA_SIP_JUDGEMENT", "2023-2024", "2", ""]], stage="provisional"
    )
    template_import([[str(ANSTEY), "LA_SIP_JUDGEMENT", "2023-2024", "4", ""]], stage="final")

    revised = template_import(
        [
            [str(ANSTEY), "LA_SIP_JUDGEMENT", "2023-2024", "3", ""],
            [str(BALKSBURY), "LA_SIP_JUDGEMENT", "2023-2024", "1", ""],
            [str(PORTWAY), "LA_SIP_JUDGEMENT", "2023-2024", "2", ""],
        ],
        stage="revised",
    )

    # The final value stays current; the revised one replaces the provisional one; a school
    # with no earlier value gets the revised one as current.
    assert revised.superseded == 1
    current = {urn: stage for urn, _, _, stage in saved(current=True)}
    assert current == {ANSTEY: "final", BALKSBURY: "revised", PORTWAY: "revised"}
    assert {(urn, stage) for urn, _, _, stage in saved(current=False)} == {
        (ANSTEY, "revised"),
        (BALKSBURY, "provisional"),
    }


@pytest.mark.usefixtures("write_path")
def test_a_final_ks2_release_supersedes_every_value_of_the_revised_one(register, shared_data):
    data = ks2_file(shared_data, KS2_936)
    revised = edit(data, set_cell(145543, "PTRWM_EXP", "12%"))
    performance_import(data=revised, filename=KS2_936, stage="revised")

    final = performance_import(data=data, filename=KS2_936)

    assert final.superseded == final.values_written == 223 * KS2_MEASURES
    revised_release, final_release = DataRelease.objects.filter(from_release=None).order_by("pk")
    assert not revised_release.values.filter(is_current=True).exists()
    assert final_release.values.filter(is_current=True).count() == 223 * KS2_MEASURES
    stored = MeasureValue.objects.filter(
        school__urn=145543, measure__code="KS2_PTRWM_EXP", academic_year="2018-2019"
    )
    assert sorted(stored.values_list("value", "is_current")) == [(12.0, False), (78.0, True)]


@pytest.mark.usefixtures("write_path")
def test_the_same_file_twice_writes_nothing_the_second_time(register, shared_data):
    first = performance_import(data=ks2_file(shared_data, KS2_936), filename=KS2_936)
    before = values_snapshot()

    again = performance_import(data=ks2_file(shared_data, KS2_936), filename=KS2_936)

    assert (first.values_written, again.values_written, again.superseded) == (2676, 0, 0)
    assert again.already_imported is not None
    assert values_snapshot() == before


@pytest.mark.usefixtures("write_path")
def test_a_failure_after_the_values_are_written_leaves_nothing_and_the_next_import_works(
    register, shared_data, monkeypatch
):
    data = ks2_file(shared_data, KS2_936)

    def fail(*args, **kwargs):
        raise RuntimeError("England's values could not be saved")

    with monkeypatch.context() as patched:
        patched.setattr(performance_import_module, "national_values_write", fail)
        with pytest.raises(RuntimeError):
            performance_import(data=data, filename=KS2_936)

    assert not MeasureValue.objects.exists()
    assert not DataRelease.objects.exists()
    assert not NationalValue.objects.exists()
    result = performance_import(data=data, filename=KS2_936)
    current = MeasureValue.objects.filter(is_current=True, academic_year="2018-2019")
    assert current.count() == result.values_written == 2676


def test_both_ways_of_writing_store_exactly_the_same_rows(register, shared_data, monkeypatch):
    data = ks2_file(shared_data, KS2_936)
    imports = [
        (edit(data, set_cell(145543, "PTRWM_EXP", "12%")), {"stage": "revised"}),
        (data, {"stage": "final"}),
        (edit(data, set_cell(138226, "READPROG", "SUPP")), {"stage": "provisional"}),
    ]
    notes = [[str(ANSTEY), "LA_FIRE_DRILLS", "2018-2019", "x", 'A "note", with commas']]

    def run_all() -> tuple[dict, list[int]]:
        results = [performance_import(data=d, filename=KS2_936, **o) for d, o in imports]
        results.append(template_import(notes, create_measures=True))
        rows = saved()
        MeasureValue.objects.all().delete()
        NationalValue.objects.all().delete()
        DataRelease.objects.all().delete()
        return rows, [result.superseded for result in results]

    set_based = run_all()
    monkeypatch.setattr(value_writes, "set_based", lambda: False)
    orm = run_all()

    assert set_based == orm
    assert set_based[1] == [0, 2676, 0, 0]
    assert len([key for key in set_based[0] if key[3] != "prior_year"]) == 3 * 2676 + 1
