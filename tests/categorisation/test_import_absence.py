"""The absence file of the performance tables on DfE's real England-wide file for 2023/24
(21,321 rows: 21,318 schools and 3 national rows; UTF-8 with a byte order mark, CRLF): an LA
keeps the schools on its register and counts the rest as outside it; England's values come from
the national rows, one per phase; suppression codes are missing reasons, never numbers."""

from __future__ import annotations

import io

import openpyxl
import pandas as pd
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from categorisation.measures import BY_CODE, national_phase
from categorisation.models import DataRelease, MeasureValue, NationalValue
from categorisation.performance_import import performance_import
from schools.models import School
from tests.schools.test_import_gias import edit, set_cell

pytestmark = pytest.mark.django_db
ABSENCE = "2023-2024_england_abs.csv"
YEAR = "2023-2024"
SCHOOLS = 21318
# Schools of the real file on the Hampshire and Surrey register (the GIAS 2022 primary file)
ANSTEY, BALKSBURY = 115851, 115852


def absence_file(shared_data) -> bytes:
    return (shared_data / "abs" / ABSENCE).read_bytes()


def stored(urn: int, code: str) -> MeasureValue:
    return MeasureValue.objects.get(
        school__urn=urn, measure__code=code, academic_year=YEAR, is_current=True
    )


def test_the_england_file_keeps_the_registers_schools_and_counts_the_rest(register, shared_data):
    result = performance_import(data=absence_file(shared_data), filename=ABSENCE)

    assert result.errors == []
    assert (result.kind, result.year, result.stage) == ("absence", YEAR, "final")
    assert result.rows == SCHOOLS + 3  # three national rows
    on_register = MeasureValue.objects.values("school").distinct().count()
    in_file = pd.read_csv(io.BytesIO(absence_file(shared_data)), dtype=str, encoding="utf-8-sig")
    registered = set(School.objects.values_list("urn", flat=True))
    assert (
        result.schools_matched
        == on_register
        == len(registered & set(in_file["URN"].dropna().astype(int)))
    )
    # 708 of the register's 1,096 Hampshire and Surrey primary schools (2022) are in the file
    assert on_register == 708
    assert len(result.unknown_urns) == SCHOOLS - on_register
    assert result.values_written == on_register * 2
    assert result.message.startswith(
        f"Written: {on_register * 2:,} values for {on_register:,} schools; "
        f"{SCHOOLS - on_register:,} URNs are not on the register"
    )
    # What the job keeps is bounded: the first URNs and how many there are
    summary = DataRelease.objects.get().summary
    assert len(summary["unknown_urns"]) == 200
    assert summary["unknown_urn_total"] == SCHOOLS - on_register


def test_absence_values_are_per_cent_and_lower_is_better(register, shared_data):
    performance_import(data=absence_file(shared_data), filename=ABSENCE)

    # Anstey Junior School: 850,2001,115851,6,17.4
    assert stored(ANSTEY, "ABS_PERCTOT").value == 6.0
    assert stored(ANSTEY, "ABS_PPERSABS10").value == 17.4
    assert stored(BALKSBURY, "ABS_PERCTOT").value == 4.8
    for code in ("ABS_PERCTOT", "ABS_PPERSABS10"):
        spec = BY_CODE[code]
        assert (spec.unit, spec.source, spec.higher_is_better) == ("percent", "absence", False)


def test_englands_values_are_per_phase_from_the_nat_rows(register, shared_data):
    result = performance_import(data=absence_file(shared_data), filename=ABSENCE)

    national = {
        (code, phase): value
        for code, phase, value in NationalValue.objects.filter(
            academic_year=YEAR, is_current=True
        ).values_list("measure__code", "phase", "value")
    }
    assert national == {
        ("ABS_PERCTOT", "primary"): 5.5,
        ("ABS_PPERSABS10", "primary"): 14.6,
        ("ABS_PERCTOT", "secondary"): 8.9,
        ("ABS_PPERSABS10", "secondary"): 25.6,
        ("ABS_PERCTOT", "special"): 13.0,
        ("ABS_PPERSABS10", "special"): 37.2,
    }
    assert result.national_values_written == 6
    # The NAT rows are not schools: no URN is asked of them
    assert not MeasureValue.objects.filter(school__urn=0).exists()


@pytest.mark.parametrize(
    ("school", "phase"),
    [
        ({"phase": "primary", "type_group": "la_maintained"}, "primary"),
        ({"phase": "first", "type_group": "academy"}, "primary"),
        ({"phase": "middle", "gias_phase": "Middle deemed secondary"}, "secondary"),
        ({"phase": "all_through", "type_group": "academy"}, "secondary"),
        ({"phase": "not_applicable", "type_group": "special"}, "special"),
        ({"phase": "not_applicable", "type_group": "alternative_provision"}, ""),
    ],
)
def test_a_school_is_compared_with_its_own_phases_england_value(school, phase):
    assert national_phase(**school) == phase


@pytest.mark.parametrize(
    ("cell", "reason"),
    [
        ("SUPP", "SUPP"),
        ("NE", "NE"),
        ("x", "NP"),
        ("c", "SUPP"),
        ("z", "NA"),
        ("u", "LOWCOV"),
        ("", "BLANK"),
    ],
)
def test_codes_are_missing_reasons_never_zero(register, shared_data, cell, reason):
    data = edit(absence_file(shared_data), set_cell(ANSTEY, "PERCTOT", cell), "utf-8-sig")

    result = performance_import(data=data, filename=ABSENCE)

    value = stored(ANSTEY, "ABS_PERCTOT")
    assert (value.value, value.missing_reason) == (None, reason)
    assert stored(ANSTEY, "ABS_PPERSABS10").value == 17.4
    assert result.missing_by_reason[reason] >= 1


def test_a_malformed_absence_figure_is_a_problem_and_nothing_is_written(register, shared_data):
    data = edit(absence_file(shared_data), set_cell(ANSTEY, "PERCTOT", "six"), "utf-8-sig")

    result = performance_import(data=data, filename=ABSENCE)

    assert [(e["column"], e["message"]) for e in result.errors] == [
        (
            "PERCTOT",
            "PERCTOT must be a number between 0% and 100% like 64%, or a code such as SUPP, NE "
            "or x, not 'six'",
        )
    ]
    assert not MeasureValue.objects.exists()


def test_an_xlsx_absence_file_for_one_la_imports_the_same(register):
    book = openpyxl.Workbook()
    sheet = book.active
    for row in [
        ["LA", "ESTAB", "URN", "PERCTOT", "PPERSABS10"],
        ["850", "2001", ANSTEY, 6, 17.4],
        ["850", "2002", BALKSBURY, "SUPP", 8.4],
        ["NAT", "PRI", None, 5.5, 14.6],
    ]:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)

    result = performance_import(data=out.getvalue(), filename="2023-2024_850_abs.xlsx")

    assert (result.errors, result.kind, result.schools_matched) == ([], "absence", 2)
    assert stored(ANSTEY, "ABS_PPERSABS10").value == 17.4
    assert stored(BALKSBURY, "ABS_PERCTOT").missing_reason == "SUPP"
    assert NationalValue.objects.get(measure__code="ABS_PERCTOT").phase == "primary"


def test_the_command_tells_an_absence_file_by_its_columns(register, shared_data):
    out = io.StringIO()

    call_command("import_performance", str(shared_data / "abs" / ABSENCE), stdout=out)

    printed = out.getvalue()
    outside = SCHOOLS - 708
    assert "Written: 1,416 values for 708 schools; " in printed
    assert "URNs not on the register: 100000, " in printed
    assert f" and {outside - 200:,} more (outside the register)" in printed
    assert DataRelease.objects.get().source == "absence"


def test_an_officer_uploads_the_england_absence_file_on_the_data_page(
    as_user, register, shared_data, django_capture_on_commit_callbacks
):
    client = as_user("officer")
    form = {"file": SimpleUploadedFile(ABSENCE, absence_file(shared_data), "text/csv")}

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/categorisation/data/", form)

    page = client.get(response["Location"]).content.decode()
    assert "Absence (performance tables)" in page
    assert f"{SCHOOLS - 708} URNs not on the register" in page
    assert "these schools are outside the register" in page
    assert "The first 200: 100000, " in page
