"""The LA template (URN, measure, academic_year, value[, note]) in CSV and XLSX, and a real KS2
file saved as XLSX."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import Workbook

from categorisation.models import DataRelease, Measure, MeasureValue
from categorisation.performance_import import performance_import
from tests.categorisation.test_import_ks2 import ks2_file

pytestmark = pytest.mark.django_db
HEADER = ["URN", "measure", "academic_year", "value", "note"]
ROWS = [
    ["115851", "LA_ABSENCE_OVERALL", "2022-2023", "4.5%", "Autumn and spring terms"],
    ["115851", "LA_ABSENCE_OVERALL", "2023/24", "5.1", ""],
    ["115852", "la_persistent_absence", "2023-24", "x", "Fewer than 10 pupils"],
    ["115853", "LA_SIP_JUDGEMENT", "2023-2024", "2", ""],
    ["999999", "LA_SIP_JUDGEMENT", "2023-2024", "3", ""],
]


def template_csv(rows: list[list[str]], header: list[str] = HEADER) -> bytes:
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows([header, *rows])
    return out.getvalue().encode("utf-8")


def stored(urn: int, code: str, year: str) -> MeasureValue:
    return MeasureValue.objects.get(school__urn=urn, measure__code=code, academic_year=year)


def test_template_rows_are_imported_per_year(register):
    result = performance_import(data=template_csv(ROWS), filename="local-data.csv")

    assert result.errors == []
    assert (result.kind, result.year, result.rows, result.schools_matched) == (
        "template",
        "",
        5,
        3,
    )
    assert result.unknown_urns == [999999]
    assert result.values_written == 4
    absence = stored(115851, "LA_ABSENCE_OVERALL", "2022-2023")
    assert (absence.value, absence.text) == (4.5, "Autumn and spring terms")
    assert stored(115851, "LA_ABSENCE_OVERALL", "2023-2024").value == 5.1
    suppressed = stored(115852, "LA_PERSISTENT_ABSENCE", "2023-2024")
    assert (suppressed.value, suppressed.missing_reason) == (None, "NP")
    assert result.missing_by_reason == {"NP": 1}
    assert DataRelease.objects.get().source == "template"


def test_unknown_measures_are_refused_unless_creating_them_is_allowed(register):
    rows = [["115851", "LA_FIRE_DRILLS", "2023-2024", "3", ""]]

    refused = performance_import(data=template_csv(rows), filename="drills.csv")
    allowed = performance_import(
        data=template_csv(rows), filename="drills.csv", create_measures=True
    )

    assert refused.errors == [
        {
            "row": 2,
            "column": "measure",
            "message": "'LA_FIRE_DRILLS' is not a measure in the catalogue: use a code such as "
            "LA_ABSENCE_OVERALL, or allow new measures to be created",
        }
    ]
    assert allowed.errors == []
    measure = Measure.objects.get(code="LA_FIRE_DRILLS")
    assert (measure.source, measure.label) == ("template", "La fire drills")
    assert stored(115851, "LA_FIRE_DRILLS", "2023-2024").value == 3.0


def test_template_problems_are_listed_by_row_and_nothing_is_written(register):
    rows = [
        ["115851", "LA_ABSENCE_OVERALL", "2023-2024", "4.5", ""],
        ["115851", "LA_ABSENCE_OVERALL", "2023-2024", "4.6", ""],
        ["115852", "LA_PERSISTENT_ABSENCE", "spring", "120%", ""],
        ["115853", "bad code!", "", "high", "n" * 201],
    ]

    result = performance_import(data=template_csv(rows), filename="local.csv")

    assert [(e["row"], e["column"]) for e in result.errors] == [
        (3, "URN"),
        (4, "academic_year"),
        (4, "value"),
        (5, "measure"),
        (5, "academic_year"),
        (5, "value"),
        (5, "note"),
    ]
    assert result.errors[0]["message"] == (
        "URN 115851, LA_ABSENCE_OVERALL in 2023-2024 is also on row 2"
    )
    assert not MeasureValue.objects.exists()


def test_a_blank_year_takes_the_year_option(register):
    rows = [["115851", "LA_SIP_JUDGEMENT", "", "1", ""]]

    refused = performance_import(data=template_csv(rows), filename="sip.csv")
    accepted = performance_import(data=template_csv(rows), filename="sip.csv", year="2024-2025")

    assert (
        refused.errors[0]["message"] == "Enter the academic year like 2018-2019 (the cell is blank)"
    )
    assert accepted.year == "2024-2025"
    assert stored(115851, "LA_SIP_JUDGEMENT", "2024-2025").value == 1.0


def test_an_xlsx_template_with_a_percentage_cell(register):
    book = Workbook()
    sheet = book.active
    sheet.append(["URN", "Measure", "Academic_Year", "Value"])
    sheet.append([115851, "LA_PERSISTENT_ABSENCE", "2023-2024", 0.181])
    sheet["D2"].number_format = "0.0%"
    sheet.append([115852, "LA_BUDGET_BALANCE", "2023-2024", -12500])
    sheet.append([None, None, None, None])
    out = io.BytesIO()
    book.save(out)

    result = performance_import(data=out.getvalue(), filename="local.xlsx")

    assert result.errors == []
    assert (result.kind, result.rows, result.values_written) == ("template", 2, 2)
    assert stored(115851, "LA_PERSISTENT_ABSENCE", "2023-2024").value == 18.1
    assert stored(115852, "LA_BUDGET_BALANCE", "2023-2024").value == -12500.0


def test_a_real_ks2_file_saved_as_xlsx_imports_like_the_csv(register, shared_data):
    name = "2018-2019_936_ks2final.csv"
    rows = list(csv.reader(io.StringIO(ks2_file(shared_data, name).decode("utf-8-sig"))))
    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)

    result = performance_import(data=out.getvalue(), filename="2018-2019_936_ks2final.xlsx")

    assert result.errors == []
    assert (result.kind, result.rows, result.schools_matched) == ("ks2", 242, 223)
    # 80 blank before GPS; its three columns are blank for 10 of the 223 schools each
    assert result.missing_by_reason == {"BLANK": 110, "NEW": 3}


def test_a_broken_xlsx_file_is_refused(db):
    result = performance_import(data=b"PK\x03\x04 not really a workbook", filename="bad.xlsx")

    assert len(result.errors) == 1
    assert result.errors[0]["message"].startswith("The file is not a valid XLSX workbook")
