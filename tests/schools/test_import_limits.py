"""The register import refuses files that could exhaust the server, on the page, in the service
(so the task) and in the command: too big, too many rows, not a CSV; and a file with a problem on
every row keeps the first 200 problems and their total."""

from __future__ import annotations

import io
import json
import random

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from kernel.models import Job
from schools.gias_import import gias_import
from tests.schools.test_import_gias import PRIMARY_2022, edit, gias_file

URL = "/schools/import/"
NOT_CSV = "The selected file is not a CSV file: save it as CSV (UTF-8) and upload it again"
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def small_limits(settings):
    settings.UPLOAD_LIMITS = {
        **settings.UPLOAD_LIMITS,
        "gias": {"max_bytes": 1024 * 1024, "max_rows": 10},
    }


def messages(result) -> list[str]:
    return [error["message"] for error in result.errors]


def test_a_file_of_more_rows_than_the_limit_is_refused_before_it_is_checked(
    small_limits, shared_data
):
    result = gias_import(data=gias_file(shared_data, PRIMARY_2022)[:100_000])

    assert messages(result) == [
        "The file has more than 10 rows: upload a file of 10 rows or fewer, for example one for "
        "each local authority"
    ]
    assert result.summary == "The file has 1 problem. Nothing was changed."


def test_the_service_refuses_a_file_over_the_size_limit(small_limits, shared_data):
    result = gias_import(data=gias_file(shared_data, PRIMARY_2022))

    assert messages(result) == ["The selected file must be smaller than 1 MB"]


def test_the_service_refuses_random_bytes_named_csv():
    result = gias_import(data=random.Random(3).randbytes(100_000))

    assert messages(result) == [NOT_CSV]


def test_the_command_refuses_a_file_over_the_size_limit(small_limits, shared_data, tmp_path):
    path = tmp_path / "establishments.csv"
    path.write_bytes(gias_file(shared_data, PRIMARY_2022))

    with pytest.raises(CommandError, match="The selected file must be smaller than 1 MB"):
        call_command("import_gias", str(path), stdout=io.StringIO())


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"URN,EstablishmentName\r\n" + b"100001,A school\r\n" * 70_000, "smaller than 1 MB"),
        (random.Random(5).randbytes(5000), NOT_CSV),
        (b"PK\x03\x04\x14\x00\x06\x00" + b"\x00" * 100, NOT_CSV),
    ],
    ids=["too-big", "random-bytes", "a-workbook"],
)
def test_the_page_refuses_the_file_before_any_job(as_user, small_limits, data, message):
    form = {"file": SimpleUploadedFile("establishments.csv", data, content_type="text/csv")}

    response = as_user("officer").post(URL, form)

    assert message in response.content.decode()
    assert not Job.objects.exists()


def _every_pupil_count_wrong(rows):
    column = rows[0].index("NumberOfPupils")
    for record in rows[1:]:
        record[column] = "many"


def test_a_problem_on_every_row_keeps_the_first_200_and_the_page_gives_the_total(
    as_user, shared_data, django_capture_on_commit_callbacks
):
    data = edit(gias_file(shared_data, PRIMARY_2022), _every_pupil_count_wrong)
    form = {"file": SimpleUploadedFile("establishments.csv", data, content_type="text/csv")}
    client = as_user("officer")

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, form)

    job = Job.objects.get()
    total = job.result["problem_total"]
    assert total > 1000
    assert len(job.result["errors"]) == 200
    assert job.error == f"The file has {total:,} problems. Nothing was changed."
    content = client.get(response["Location"]).content.decode()
    assert f"Showing the first 200 of {total:,} problems" in content
    history = client.get(URL).content.decode()
    assert f"{total:,} problems, nothing changed" in history


def test_the_command_prints_the_first_200_problems_and_the_total(shared_data, tmp_path):
    path = tmp_path / "establishments.csv"
    path.write_bytes(edit(gias_file(shared_data, PRIMARY_2022), _every_pupil_count_wrong))
    out = io.StringIO()

    with pytest.raises(CommandError):
        call_command("import_gias", str(path), "--json", stdout=out)

    printed = json.loads(out.getvalue())
    assert len(printed["errors"]) == 200
    assert printed["problem_total"] > 1000
