"""Bad input of each kind stops the import with nothing written, every problem listed by row and
column; and the management command's output."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import CommandError, call_command

from categorisation.imports.years import academic_year_parse, date_from_filename
from categorisation.jobs import PERFORMANCE_IMPORT
from categorisation.performance_import import performance_import
from kernel.models import Job
from tests.categorisation.conftest import GIAS_2022, OFSTED_LEEDS
from tests.categorisation.test_import_ks2 import ks2_file, values_snapshot
from tests.schools.test_import_gias import edit, set_cell

pytestmark = pytest.mark.django_db
KS2_850 = "2018-2019_850_ks2final.csv"
JSON_KEYS = {
    "kind",
    "year",
    "stage",
    "rows",
    "schools_matched",
    "unknown_urns",
    "unknown_urn_total",
    "values_written",
    "prior_years",
    "prior_year_values_written",
    "missing_by_reason",
    "errors",
    "problem_total",
    "dry_run",
    "message",
}


@pytest.fixture
def imported(register, shared_data):
    """A register with one KS2 file already imported, to prove nothing else gets written."""
    assert performance_import(data=ks2_file(shared_data, KS2_850), filename=KS2_850).errors == []
    return values_snapshot()


def assert_rejected(data: bytes, filename: str, before, errors: list[dict], **options) -> None:
    result = performance_import(data=data, filename=filename, **options)
    assert result.errors == errors
    assert result.values_written == 0 or result.errors
    assert result.message.endswith("Nothing was changed.")
    assert values_snapshot() == before


def test_malformed_percentages_are_fatal_and_listed_by_row_and_column(imported, shared_data):
    data = ks2_file(shared_data, "2018-2019_936_ks2final.csv")
    data = edit(data, set_cell(145543, "PTRWM_EXP", "abc"))
    data = edit(data, set_cell(145543, "READPROG", "1..2"))
    data = edit(data, set_cell(138226, "PTRWM_HIGH", "164%"))

    percent = "must be a number between 0% and 100% like 64%, or a code such as SUPP, NE or x"
    assert_rejected(
        data,
        "2018-2019_936_ks2final.csv",
        imported,
        [
            {"row": 2, "column": "PTRWM_EXP", "message": f"PTRWM_EXP {percent}, not 'abc'"},
            {
                "row": 2,
                "column": "READPROG",
                "message": "READPROG must be a number like 64% or -1.5, or a code such as SUPP, "
                "NE or x, not '1..2'",
            },
            {"row": 3, "column": "PTRWM_HIGH", "message": f"PTRWM_HIGH {percent}, not '164%'"},
        ],
    )


@pytest.mark.parametrize("bad_date", ["31/02/2024", "2024-13-01x", "last spring"])
def test_a_bad_ofsted_date_is_fatal(leeds_register, shared_data, bad_date):
    column = "Inspection start date of latest OEIF graded inspection"
    data = (shared_data / "ofsted" / OFSTED_LEEDS).read_bytes()
    data = edit(data, set_cell(107817, column, bad_date))
    message = f"{column} must be a real date in the format dd/mm/yyyy, like 06/01/2026"

    assert_rejected(
        data, OFSTED_LEEDS, values_snapshot(), [{"row": 5, "column": column, "message": message}]
    )


def test_a_bad_gias_date_and_an_unknown_rating_are_fatal(imported, shared_data):
    data = (shared_data / "gias" / GIAS_2022).read_bytes()
    data = edit(data, set_cell(115850, "OfstedLastInsp", "23/01/2019"))
    data = edit(data, set_cell(115851, "OfstedRating (name)", "Brilliant"))

    result = performance_import(data=data, filename=GIAS_2022)

    assert [(e["row"], e["column"]) for e in result.errors] == [
        (2, "OfstedLastInsp"),
        (3, "OfstedRating (name)"),
    ]
    assert "must be Outstanding, Good, Requires improvement" in result.errors[1]["message"]
    assert values_snapshot() == imported


def test_a_file_of_an_unknown_kind_is_refused(imported):
    data = b"URN,Name,Colour\r\n115851,Anstey Junior School,Blue\r\n"

    result = performance_import(data=data, filename="schools.csv")

    assert len(result.errors) == 1
    assert result.errors[0]["row"] == 1
    assert result.errors[0]["message"].startswith("The file's columns are not those of a KS2")
    assert values_snapshot() == imported


def test_a_file_of_another_kind_than_the_one_chosen_is_refused(imported, shared_data):
    data = (shared_data / "ofsted" / OFSTED_LEEDS).read_bytes()

    result = performance_import(data=data, filename=OFSTED_LEEDS, kind="ks2")

    assert result.errors == [
        {
            "row": 1,
            "column": "",
            "message": "The file has none of the columns of a Key stage 2 performance tables "
            "file, like PTRWM_EXP",
        }
    ]


def test_a_file_without_a_urn_column_is_refused(imported, shared_data):
    def rename_urn(rows):
        rows[0][rows[0].index("URN")] = "SCHOOL_URN"

    data = edit(ks2_file(shared_data, KS2_850), rename_urn)

    assert_rejected(
        data,
        "2018-2019_936_ks2final.csv",
        imported,
        [{"row": 1, "column": "URN", "message": "The file has no 'URN' column"}],
    )


def test_blank_and_repeated_urns_on_school_rows_are_fatal(imported, shared_data):
    data = edit(ks2_file(shared_data, KS2_850), set_cell(115852, "URN", "115851"))
    data = edit(data, set_cell(115853, "URN", ""))

    result = performance_import(data=data, filename="2018-2019_850_revised.csv")

    assert result.errors == [
        {"row": 3, "column": "URN", "message": "URN 115851 is also on row 2"},
        {"row": 4, "column": "URN", "message": "Enter the URN"},
    ]
    assert values_snapshot() == imported


def test_without_a_year_in_the_file_name_the_year_must_be_given(imported, shared_data):
    data = edit(ks2_file(shared_data, KS2_850), set_cell(115851, "PTRWM_EXP", "66%"))

    refused = performance_import(data=data, filename="ks2_hampshire.csv")
    accepted = performance_import(data=data, filename="ks2_hampshire.csv", year="2018/19")

    assert [e["message"] for e in refused.errors] == [
        "The file name does not say which academic year the data is for: Enter the academic "
        "year like 2018-2019 (or name the file with it, like 2018-2019_850_ks2final.csv)"
    ]
    assert (accepted.errors, accepted.year, accepted.superseded) == ([], "2018-2019", 3780)


def test_a_malformed_year_option_is_refused(imported, shared_data):
    result = performance_import(
        data=edit(ks2_file(shared_data, KS2_850), set_cell(115851, "TELIG", "61")),
        filename=KS2_850,
        year="2018",
    )

    assert result.errors == [
        {"row": None, "column": "", "message": "Enter the academic year like 2018-2019, not '2018'"}
    ]


def test_an_empty_file_is_refused(db):
    assert performance_import(data=b"", filename="empty.csv").errors == [
        {"row": 1, "column": "", "message": "The selected file is empty"}
    ]


@pytest.mark.parametrize(
    ("text", "year"),
    [("2018-2019", "2018-2019"), ("2018/19", "2018-2019"), ("201819", "2018-2019"), ("2018", None)],
)
def test_academic_years_are_read_in_dfes_spellings(text, year):
    assert academic_year_parse(text) == year


def test_snapshot_dates_are_read_from_file_names():
    assert str(date_from_filename(OFSTED_LEEDS)) == "2026-02-28"
    assert str(date_from_filename(GIAS_2022)) == "2022-04-20"
    assert str(date_from_filename("gias_2021-05_surrey936_allestablishments.csv")) == "2021-05-01"
    assert date_from_filename(KS2_850) is None


def test_command_prints_exactly_one_json_object(register, shared_data):
    out = io.StringIO()

    call_command("import_performance", str(shared_data / "ks2" / KS2_850), "--json", stdout=out)

    printed = json.loads(out.getvalue())
    assert set(printed) == JSON_KEYS
    assert printed["kind"] == "ks2"
    assert (printed["year"], printed["rows"], printed["schools_matched"]) == ("2018-2019", 334, 315)
    assert printed["values_written"] == 3780
    # The three GPS columns add 5 blank and 1 SUPP each among the 315 schools on the register
    assert printed["missing_by_reason"] == {"BLANK": 55, "NEW": 3, "SUPP": 10}
    assert len(printed["unknown_urns"]) == 16 and 116609 in printed["unknown_urns"]
    assert printed["errors"] == []
    # The file is kept, with its checksum, as the upload page keeps it
    job = Job.objects.get(kind=PERFORMANCE_IMPORT)
    assert (job.state, job.created_by, job.release.checksum) == ("succeeded", None, job.checksum)


def test_command_says_when_the_file_was_already_imported(register, shared_data):
    path = str(shared_data / "ks2" / KS2_850)
    call_command("import_performance", path, stdout=io.StringIO())
    out = io.StringIO()

    call_command("import_performance", path, "--json", stdout=out)

    printed = json.loads(out.getvalue())
    assert printed["values_written"] == 0
    assert "already imported" in printed["message"]


def test_command_prints_errors_as_json_and_exits_non_zero(imported, shared_data, tmp_path):
    bad = tmp_path / "2017-2018_850_ks2final.csv"
    bad.write_bytes(edit(ks2_file(shared_data, KS2_850), set_cell(115851, "TELIG", "sixty")))
    out = io.StringIO()

    with pytest.raises(CommandError) as raised:
        call_command("import_performance", str(bad), "--json", stdout=out, stderr=io.StringIO())

    assert raised.value.returncode == 1
    printed = json.loads(out.getvalue())
    assert printed["values_written"] == 0
    assert [(e["row"], e["column"]) for e in printed["errors"]] == [(2, "TELIG")]
    assert values_snapshot() == imported


def test_command_refuses_an_unknown_kind(db, shared_data):
    with pytest.raises(CommandError, match="invalid choice: 'ks3'"):
        call_command("import_performance", str(shared_data / "ks2" / KS2_850), "--kind", "ks3")


def test_command_dry_run_keeps_no_file_and_writes_nothing(register, shared_data):
    out = io.StringIO()

    call_command("import_performance", str(shared_data / "ks2" / KS2_850), "--dry-run", stdout=out)

    assert "Dry run, nothing was changed" in out.getvalue()
    assert values_snapshot() == [0] and not Job.objects.exists()
