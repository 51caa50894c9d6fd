"""Performance data files that could exhaust the server are refused early, with a reason: too
big, too many rows (CSV and XLSX, read as a stream), not what the name says, or a workbook that
is damaged or declares XML entities."""

from __future__ import annotations

import io
import tracemalloc

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from categorisation.imports import table
from categorisation.performance_import import performance_import
from kernel.models import Job
from tests.categorisation.workbooks import long_sheet, row, sheet, workbook

KS2_NAME = "2018-2019_850_ks2final"
KS2_HEADER = ("URN", "RECTYPE", "PTRWM_EXP", "TELIG")
KS2_ROW = ("100001", "1", "50%", "30")
NOT_CSV = "The selected file is not a CSV file: save it as CSV (UTF-8) and upload it again"
NOT_XLSX = (
    "The selected file is not an XLSX workbook: save it as an Excel workbook (.xlsx), or as "
    "CSV, and upload it again"
)
ENTITIES = (
    "The workbook contains XML entity declarations, which are not allowed: save it again from "
    "Excel, or as CSV, and upload it again"
)
LAUGHS = (
    '<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;">'
    '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
)


def messages(result) -> list[str]:
    return [error["message"] for error in result.errors]


def ks2_csv(rows: int) -> bytes:
    lines = [",".join(KS2_HEADER)] + [f"{100000 + n},1,50%,30" for n in range(1, rows + 1)]
    return ("\r\n".join(lines) + "\r\n").encode()


@pytest.fixture
def small_limits(settings):
    settings.UPLOAD_LIMITS = {
        **settings.UPLOAD_LIMITS,
        "performance": {"max_bytes": 1024 * 1024, "max_rows": 5},
        "template": {"max_bytes": 1024 * 1024, "max_rows": 50},
    }


def test_a_csv_over_the_row_limit_is_refused(db, small_limits):
    result = performance_import(data=ks2_csv(6), filename=f"{KS2_NAME}.csv")

    assert messages(result) == [
        "The file has more than 5 rows: upload a file of 5 rows or fewer, for example one for "
        "each local authority"
    ]


def test_an_xlsx_over_the_row_limit_is_refused(db, small_limits):
    rows = row(*KS2_HEADER) + row(*KS2_ROW) * 6
    result = performance_import(data=workbook(sheet(rows)), filename=f"{KS2_NAME}.xlsx")

    assert messages(result)[0].startswith("The file has more than 5 rows")


def test_the_la_template_has_its_own_longer_row_limit(db, small_limits):
    lines = ["URN,measure,academic_year,value"] + [
        f"{100000 + n},LA_X,2023-2024,{n}" for n in range(1, 41)
    ]
    data = "\n".join(lines).encode()

    result = performance_import(data=data, filename="local.csv", dry_run=True)

    assert not any("rows" in message for message in messages(result))
    assert result.rows == 40


def test_a_file_over_the_size_limit_is_refused_by_the_service(db, small_limits):
    data = ks2_csv(3) + b" " * (1024 * 1024)

    result = performance_import(data=data, filename=f"{KS2_NAME}.csv")

    assert messages(result) == ["The selected file must be smaller than 1 MB"]


def test_the_command_refuses_a_file_over_the_size_limit_before_reading_it(
    db, small_limits, tmp_path
):
    path = tmp_path / f"{KS2_NAME}.csv"
    path.write_bytes(ks2_csv(3) + b" " * (1024 * 1024))

    with pytest.raises(CommandError, match="The selected file must be smaller than 1 MB"):
        call_command("import_performance", str(path), stdout=io.StringIO())


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("results.csv", bytes(range(256)) * 8, NOT_CSV),
        ("results.csv", b"PK\x03\x04\x14\x00\x06\x00" + b"x" * 100, NOT_CSV),
        ("results.csv", b"%PDF-1.7\n" + b"x" * 100, NOT_CSV),
        ("results.csv", b"\x89PNG\r\n\x1a\n" + b"x" * 100, NOT_CSV),
        ("results.csv", b"URN,PTRWM_EXP\r\n100001,5\x000%\r\n", NOT_CSV),
        ("results.xlsx", ks2_csv(3), NOT_XLSX),
    ],
    ids=["random-bytes", "zip", "pdf", "png", "nul-byte", "csv-named-xlsx"],
)
def test_a_file_that_is_not_what_its_name_says_is_refused(db, name, data, message):
    result = performance_import(data=data, filename=name)

    assert messages(result) == [message]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            workbook(sheet(row(*KS2_HEADER)), has_sheet=False),
            "The file is not a valid XLSX workbook: it has no worksheets",
        ),
        (
            workbook(sheet(row(*KS2_HEADER) + row(*KS2_ROW) * 20)[:-60]),
            "The file is not a valid XLSX workbook: it is damaged (its XML is not complete",
        ),
        (
            workbook(sheet(row("URN", "&lol3;"), prologue=LAUGHS)),
            ENTITIES,
        ),
        (
            workbook(sheet(row(*KS2_HEADER), prologue='<!DOCTYPE worksheet SYSTEM "x.dtd">')),
            ENTITIES,
        ),
        (
            b"PK\x03\x04 a ZIP cut short",
            "The file is not a valid XLSX workbook: it is damaged (it is not a complete ZIP",
        ),
    ],
    ids=["no-sheets", "truncated-xml", "billion-laughs", "dtd", "truncated-zip"],
)
def test_a_malformed_workbook_is_refused_with_a_reason(db, data, message):
    result = performance_import(data=data, filename=f"{KS2_NAME}.xlsx")

    assert len(result.errors) == 1
    assert result.errors[0]["message"].startswith(message)


def test_openpyxl_itself_refuses_entities_through_defusedxml():
    from openpyxl.xml import DEFUSEDXML

    from categorisation.imports.workbook import workbook_rows
    from kernel.uploads import UploadRefused

    assert DEFUSEDXML
    unsafe = workbook(sheet(row("URN", "&lol3;"), prologue=LAUGHS))
    with pytest.raises(UploadRefused, match="XML entity declarations"):
        list(workbook_rows(unsafe))  # without workbook_check's own look for a DTD


def test_a_small_workbook_of_a_million_rows_is_refused_early_in_little_memory(
    db, settings, monkeypatch
):
    # A lower limit than the default 100,000 keeps the test quick; it stops the same way.
    settings.UPLOAD_LIMITS = {
        **settings.UPLOAD_LIMITS,
        "performance": {**settings.UPLOAD_LIMITS["performance"], "max_rows": 10_000},
    }
    data = workbook(long_sheet(row(*KS2_HEADER), row(*KS2_ROW), 1_000_000))
    assert len(data) < 1024 * 1024  # half a megabyte that unpacks to a million rows
    read, original = 0, table.workbook_rows

    def counted(*args, **kwargs):
        nonlocal read
        for cells in original(*args, **kwargs):
            read += 1
            yield cells

    monkeypatch.setattr(table, "workbook_rows", counted)
    tracemalloc.start()
    try:
        result = performance_import(data=data, filename=f"{KS2_NAME}.xlsx")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()

    assert messages(result) == [
        "The file has more than 10,000 rows: upload a file of 10,000 rows or fewer, for "
        "example one for each local authority"
    ]
    assert read <= 10_000 + 3  # the header twice and the one row too many: then it stopped
    assert peak < 50 * 1024 * 1024, f"peak {peak / 1e6:.0f} MB"


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("results.xlsx", b"URN,RECTYPE\r\n100001,1\r\n", NOT_XLSX),
        ("results.csv", b"PK\x03\x04\x14\x00\x06\x00" + b"\x00" * 100, NOT_CSV),
        ("results.csv", b"URN,RECTYPE\r\n" + b"100001,1\r\n" * 120_000, "smaller than 1 MB"),
    ],
    ids=["xlsx-not-a-zip", "workbook-named-csv", "too-big"],
)
def test_the_page_refuses_the_file_before_any_job(db, as_user, small_limits, name, data, message):
    form = {"file": SimpleUploadedFile(name, data, content_type="application/octet-stream")}

    response = as_user("officer").post("/categorisation/data/", form)

    assert message in response.content.decode()
    assert not Job.objects.exists()
