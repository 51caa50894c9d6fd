"""A malformed GIAS file writes nothing and lists every problem by row (line in the file,
header = row 1) and column; the command exits non-zero."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import CommandError, call_command

from schools.gias_import import gias_import
from schools.models import School
from tests.schools.test_import_gias import (
    EDUBASE_2015,
    PRIMARY_2022,
    SURREY_2021,
    edit,
    gias_file,
    register_snapshot,
    set_cell,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def imported(shared_data):
    """The register after a good import of the 2022 file, to prove a bad file changes nothing."""
    gias_import(data=gias_file(shared_data, PRIMARY_2022))
    return register_snapshot()


def drop_column(name: str):
    def change(rows):
        index = rows[0].index(name)
        for row in rows:
            del row[index]

    return change


def assert_rejected(data: bytes, before: list, errors: list[dict]) -> None:
    result = gias_import(data=data)
    assert result.errors == errors
    assert result.counts == {"created": 0, "updated": 0, "unchanged": 0, "skipped": 0}
    assert register_snapshot() == before


def test_missing_required_column_is_reported_on_the_header_row(shared_data, imported):
    data = edit(gias_file(shared_data, PRIMARY_2022), drop_column("PhaseOfEducation (name)"))

    assert_rejected(
        data,
        imported,
        [
            {
                "row": 1,
                "column": "PhaseOfEducation (name)",
                "message": "The file has no 'PhaseOfEducation (name)' column",
            }
        ],
    )


def test_every_missing_required_column_is_listed(shared_data, imported):
    data = gias_file(shared_data, PRIMARY_2022)
    data = edit(edit(data, drop_column("URN")), drop_column("LA (code)"))

    result = gias_import(data=data)

    assert [(e["row"], e["column"]) for e in result.errors] == [(1, "URN"), (1, "LA (code)")]
    assert register_snapshot() == imported


def test_undecodable_byte_is_reported_by_row_and_column(shared_data, imported):
    # 0x81 is neither UTF-8 nor Windows-1252; it replaces the 0x92 apostrophe on line 226.
    data = gias_file(shared_data, EDUBASE_2015).replace(b"King\x92s", b"King\x81s")

    assert_rejected(
        data,
        imported,
        [
            {
                "row": 226,
                "column": "EstablishmentName",
                "message": "Contains a byte (0x81) that is not UTF-8 or Windows-1252 text",
            }
        ],
    )


def test_duplicate_urn_points_at_the_first_row(shared_data, imported):
    data = edit(gias_file(shared_data, PRIMARY_2022), set_cell(115852, "URN", "115850"))

    assert_rejected(
        data,
        imported,
        [{"row": 4, "column": "URN", "message": "URN 115850 is also on row 2"}],
    )


def test_non_numeric_urn_is_reported(shared_data, imported):
    data = edit(gias_file(shared_data, PRIMARY_2022), set_cell(115851, "URN", "11585I"))

    assert_rejected(
        data,
        imported,
        [{"row": 3, "column": "URN", "message": "URN must be a whole number, like 100001"}],
    )


def test_non_numeric_pupil_number_is_reported(shared_data, imported):
    data = edit(
        gias_file(shared_data, PRIMARY_2022), set_cell(115853, "NumberOfPupils", "four hundred")
    )

    assert_rejected(
        data,
        imported,
        [
            {
                "row": 5,
                "column": "NumberOfPupils",
                "message": "NumberOfPupils must be a whole number, like 210",
            }
        ],
    )


@pytest.mark.parametrize("bad_date", ["31-02-2021", "2021-09-01", "1st September 2021"])
def test_bad_date_is_reported(shared_data, imported, bad_date):
    data = edit(gias_file(shared_data, PRIMARY_2022), set_cell(115851, "OpenDate", bad_date))

    assert_rejected(
        data,
        imported,
        [
            {
                "row": 3,
                "column": "OpenDate",
                "message": "OpenDate must be a real date in the format dd-mm-yyyy, like 01-09-2021",
            }
        ],
    )


def test_unknown_establishment_type_is_an_error_not_a_skip(shared_data, imported):
    data = edit(
        gias_file(shared_data, SURREY_2021),
        set_cell(124911, "TypeOfEstablishment (name)", "Space academy"),
    )

    result = gias_import(data=data)

    assert result.errors == [
        {
            "row": 73,
            "column": "TypeOfEstablishment (name)",
            "message": "'Space academy' is not a GIAS establishment type",
        }
    ]
    assert register_snapshot() == imported


def test_unknown_status_is_reported(shared_data, imported):
    data = edit(
        gias_file(shared_data, PRIMARY_2022),
        set_cell(115854, "EstablishmentStatus (name)", "Mothballed"),
    )

    assert_rejected(
        data,
        imported,
        [
            {
                "row": 6,
                "column": "EstablishmentStatus (name)",
                "message": "'Mothballed' is not a GIAS establishment status",
            }
        ],
    )


def test_every_problem_in_the_file_is_listed_in_row_order(shared_data, imported):
    data = gias_file(shared_data, PRIMARY_2022)
    for change in (
        set_cell(115854, "OpenDate", "tomorrow"),
        set_cell(115851, "NumberOfPupils", "lots"),
        set_cell(115852, "TypeOfEstablishment (name)", "Moon base"),
        set_cell(115853, "URN", "115851"),
    ):
        data = edit(data, change)

    result = gias_import(data=data)

    assert [(e["row"], e["column"]) for e in result.errors] == [
        (3, "NumberOfPupils"),
        (4, "TypeOfEstablishment (name)"),
        (5, "URN"),
        (6, "OpenDate"),
    ]
    assert register_snapshot() == imported


def test_a_row_with_bad_data_stops_a_dry_run_too(shared_data):
    data = edit(gias_file(shared_data, PRIMARY_2022), set_cell(115851, "OpenDate", "soon"))

    result = gias_import(data=data, dry_run=True)

    assert [e["row"] for e in result.errors] == [3]
    assert School.objects.count() == 0


def test_an_empty_file_is_reported():
    assert gias_import(data=b"").errors == [
        {"row": 1, "column": "", "message": "The selected file is empty"}
    ]


def test_command_prints_errors_as_json_and_exits_non_zero(shared_data, tmp_path, imported):
    bad = tmp_path / "bad.csv"
    bad.write_bytes(
        edit(gias_file(shared_data, PRIMARY_2022), set_cell(115853, "NumberOfPupils", "x1"))
    )
    out = io.StringIO()

    with pytest.raises(CommandError) as raised:
        call_command("import_gias", str(bad), "--json", stdout=out, stderr=io.StringIO())

    assert raised.value.returncode == 1
    assert json.loads(out.getvalue()) == {
        "created": 0,
        "updated": 0,
        "unchanged": 0,
        "skipped": 0,
        "errors": [
            {
                "row": 5,
                "column": "NumberOfPupils",
                "message": "NumberOfPupils must be a whole number, like 210",
            }
        ],
        "problem_total": 1,
    }
    assert register_snapshot() == imported


def test_command_prints_readable_problems(shared_data, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_bytes(edit(gias_file(shared_data, PRIMARY_2022), set_cell(115851, "URN", "")))
    out = io.StringIO()

    with pytest.raises(CommandError, match="The file has 1 problem. Nothing was changed."):
        call_command("import_gias", str(bad), stdout=out)

    assert "Row 3, URN: Enter the URN" in out.getvalue()


def test_row_numbers_are_file_lines_when_a_quoted_field_spans_two_lines(shared_data):
    data = gias_file(shared_data, PRIMARY_2022)
    data = edit(data, set_cell(115850, "Street", "Wilson Road\r\n(rear entrance)"))
    data = edit(data, set_cell(115852, "NumberOfPupils", "many"))

    result = gias_import(data=data)

    # Balksbury Junior School is the third school but starts on line 5, not 4.
    assert [(e["row"], e["column"]) for e in result.errors] == [(5, "NumberOfPupils")]


def test_blank_lines_are_ignored_but_still_counted_as_lines(shared_data):
    lines = gias_file(shared_data, PRIMARY_2022).split(b"\r\n")
    lines.insert(2, b"")  # line 3 is blank, so Anstey Junior School moves to line 4
    data = b"\r\n".join(lines)
    good = gias_import(data=data, dry_run=True)
    bad = gias_import(data=edit(data, set_cell(115851, "OpenDate", "soon")), dry_run=True)

    assert (good.errors, good.created) == ([], 1096)
    assert [e["row"] for e in bad.errors] == [4]
