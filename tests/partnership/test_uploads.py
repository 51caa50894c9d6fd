"""The limits every upload shares (partnership/uploads.py): what a file's first bytes must be,
rows counted while reading, problems kept to the first 200 and counted, huge uploads not stored;
and job lists that never load a job's (possibly large) result."""

from __future__ import annotations

import random
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from categorisation.jobs import PERFORMANCE_IMPORT
from clusters.jobs import STRUCTURE_IMPORT
from kernel.jobs import job_fail
from kernel.models import Job
from kernel.uploads import (
    NOT_CSV,
    NOT_XLSX,
    Problems,
    UploadLimits,
    UploadRefused,
    UploadSizeHandler,
    problems_capped,
    problems_kept,
    upload_sniff,
)
from schools.jobs import GIAS_IMPORT

RANDOM = random.Random(7).randbytes(50_000)


@pytest.mark.parametrize(
    "head",
    [
        RANDOM,
        b"PK\x03\x04\x14\x00\x06\x00",
        b"%PDF-1.4\n%\xe2\xe3\xcf\xd3",
        b"\x89PNG\r\n\x1a\n\x00\x00",
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
        b"URN,Name\r\n100001,A school\x00\r\n",
        "URN,Name\r\n".encode("utf-16"),
    ],
    ids=["random-bytes", "zip", "pdf", "png", "old-excel", "nul-byte", "utf-16"],
)
def test_a_csv_that_is_not_text_is_refused_at_its_first_bytes(head):
    with pytest.raises(UploadRefused) as refused:
        upload_sniff(head, name="establishments.csv")

    assert refused.value.message == NOT_CSV


@pytest.mark.parametrize(
    "head",
    ["URN,Name\r\n100001,Café\r\n".encode("cp1252"), "\ufeffURN;Name\n1;École\n".encode()],
)
def test_csv_text_in_utf8_or_windows_1252_passes(head):
    assert upload_sniff(head, name="establishments.csv") == "csv"


def test_an_xlsx_that_is_not_a_zip_is_refused():
    with pytest.raises(UploadRefused) as refused:
        upload_sniff(b"URN,Name\r\n", name="results.xlsx", allowed=("csv", "xlsx"))

    assert refused.value.message == NOT_XLSX


def test_a_file_with_neither_extension_is_told_by_its_first_bytes():
    allowed = ("csv", "xlsx")
    assert upload_sniff(b"PK\x03\x04rest", name="results", allowed=allowed) == "xlsx"
    assert upload_sniff(b"URN,Name\n", name="results.txt", allowed=allowed) == "csv"


def test_rows_are_counted_while_reading_and_reading_stops_at_the_first_one_too_many():
    read = 0

    def records():
        nonlocal read
        for number in range(1_000_000):
            read += 1
            yield number

    with pytest.raises(UploadRefused) as refused:
        list(UploadLimits(max_bytes=1, max_rows=1000).rows_counted(records()))

    assert read == 1001
    assert refused.value.message.startswith("The file has more than 1,000 rows: ")


def test_the_size_limit_is_said_in_megabytes():
    with pytest.raises(UploadRefused) as refused:
        UploadLimits(max_bytes=60 * 1024 * 1024, max_rows=1).size_check(60 * 1024 * 1024 + 1)

    assert refused.value.message == "The selected file must be smaller than 60 MB"


def test_one_check_keeps_its_first_200_problems_and_counts_the_rest():
    found = ({"row": n, "column": "URN", "message": "Enter the URN"} for n in range(2, 5002))

    kept = problems_capped(found)

    assert len(kept) == 200
    assert kept[-1]["more"] == 4800
    assert problems_kept(kept) == (
        [{k: v for k, v in p.items() if k != "more"} for p in kept],
        5000,
    )


def test_problems_found_in_any_order_keep_the_first_200_by_row_and_column():
    problems = Problems()
    for row in range(10_000, 1, -1):
        problems.add(row, "cluster", "Enter the cluster")
        problems.add(row, "URN", "Enter the URN")

    kept = problems.as_list()

    assert problems.total == 19_998
    assert [(p["row"], p["column"]) for p in kept[:3]] == [(2, "URN"), (2, "cluster"), (3, "URN")]
    assert len(kept) == 200 and kept[-1]["row"] == 101
    assert kept[-1]["more"] == 19_798


def test_a_failed_job_keeps_the_first_200_problems_and_their_total(db):
    job = Job.objects.create(kind=GIAS_IMPORT)
    errors = [{"row": n, "column": "URN", "message": "Enter the URN"} for n in range(2, 380_456)]

    job_fail(job=job, error="The file has 380,454 problems.", result={"errors": errors})

    job.refresh_from_db()
    assert len(job.result["errors"]) == 200
    assert job.result["errors"][0]["row"] == 2
    assert job.result["problem_total"] == 380_454
    assert job.problems_found == 380_454


def test_the_job_page_shows_the_first_200_problems_of_the_total(as_user, officer):
    errors = [{"row": n, "column": "URN", "message": "Enter the URN"} for n in range(2, 380_456)]
    job = Job.objects.create(kind=GIAS_IMPORT, created_by=officer)
    job_fail(
        job=job,
        error="The file has 380,454 problems. Nothing was changed.",
        result={"errors": errors},
    )

    content = as_user("officer").get(f"/schools/import/{job.pk}/").content.decode()

    assert "380,454 problems found" in content
    assert "Showing the first 200 of 380,454 problems" in content
    assert content.count("Enter the URN") == 200


def test_an_upload_over_every_limit_is_counted_but_not_stored(settings):
    settings.UPLOAD_LIMITS = {"gias": {"max_bytes": 1000, "max_rows": 1}}
    handler = UploadSizeHandler()
    handler.new_file("file", "huge.csv", "text/csv", None)

    passed = [handler.receive_data_chunk(b"x" * 600, start) for start in range(0, 3000, 600)]
    upload = handler.file_complete(3000)

    assert passed[0] == b"x" * 600 and passed[2:] == [None, None, None]
    assert upload.size == 3000
    assert upload.read() == b""


def test_an_upload_over_the_limit_is_refused_by_the_form_with_govuk_wording(as_user, settings):
    settings.UPLOAD_LIMITS = {
        kind: {**limits, "max_bytes": 1024 * 1024}
        for kind, limits in settings.UPLOAD_LIMITS.items()
    }
    data = b"URN,EstablishmentName\r\n" + b"100001,A school\r\n" * 200_000
    form = {"file": SimpleUploadedFile("establishments.csv", data, content_type="text/csv")}

    response = as_user("officer").post("/schools/import/", form)

    content = response.content.decode()
    assert "<title>Error: " in content
    assert "The selected file must be smaller than 1 MB" in content
    assert not Job.objects.exists()


LIST_PAGES = [
    ("/schools/import/", GIAS_IMPORT),
    ("/categorisation/data/", PERFORMANCE_IMPORT),
    ("/structure/upload/", STRUCTURE_IMPORT),
]


@pytest.mark.parametrize(("url", "kind"), LIST_PAGES)
def test_job_history_pages_never_load_job_results(
    as_user, officer, url, kind, django_assert_max_num_queries
):
    errors = [{"row": n, "column": "URN", "message": "x" * 200} for n in range(2, 202)]
    for _ in range(20):
        job = Job.objects.create(kind=kind, created_by=officer)
        job_fail(
            job=job,
            error="The file has 5,000 problems.",
            result={"errors": errors, "problem_total": 5000, "padding": "y" * 1_000_000},
        )
    client = as_user("officer")

    with django_assert_max_num_queries(15), CaptureQueriesContext(connection) as queries:
        response = client.get(url)

    assert response.status_code == 200
    job_queries = [q["sql"] for q in queries if 'FROM "partnership_job"' in q["sql"]]
    assert job_queries
    for sql in job_queries:
        # Parts of the result may be extracted (result -> 'counts'), never the whole column.
        assert not re.search(r'"partnership_job"\."result"(?!\s*(->|#>))', sql), sql
    if kind != STRUCTURE_IMPORT:
        assert "5,000 problems, nothing changed" in response.content.decode()


def test_the_migration_cuts_stored_problems_to_200_and_keeps_their_total(db):
    from importlib import import_module

    migration = import_module("partnership.migrations.0005_job_problems_capped")
    errors = [{"row": n, "column": "URN", "message": "Enter the URN"} for n in range(2, 1002)]
    # Stored as before the cap: every problem, twice for a performance import.
    old = Job.objects.create(kind=PERFORMANCE_IMPORT, state=Job.State.FAILED)
    Job.objects.filter(pk=old.pk).update(result={"errors": errors, "import": {"errors": errors}})
    few = Job.objects.create(kind=GIAS_IMPORT, state=Job.State.FAILED)
    Job.objects.filter(pk=few.pk).update(result={"errors": errors[:3]})

    with connection.cursor() as cursor:
        migration._cap_postgresql(cursor)

    old.refresh_from_db()
    few.refresh_from_db()
    assert old.result["problem_total"] == 1000
    assert old.result["errors"] == errors[:200]
    assert old.result["import"]["errors"] == errors[:200]
    assert few.result == {"errors": errors[:3], "problem_total": 3}
