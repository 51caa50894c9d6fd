"""The structure upload refuses files that could exhaust the server: over its size limit (on the
page), over its row limit (while reading, in the service), or not a CSV."""

from __future__ import annotations

import random

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from clusters.services import StructureFileInvalid, structure_import
from kernel.models import Job
from tests.factories import UserFactory

URL = "/structure/upload/"
NOT_CSV = "The selected file is not a CSV file: save it as CSV (UTF-8) and upload it again"


def refusal(data: bytes) -> list[str]:
    with pytest.raises(StructureFileInvalid) as refused:
        structure_import(data=data, by=UserFactory())
    return [problem["message"] for problem in refused.value.problems]


def test_a_file_of_more_rows_than_the_limit_is_refused_while_reading(db, settings):
    settings.UPLOAD_LIMITS = {
        **settings.UPLOAD_LIMITS,
        "structure": {"max_bytes": 1024 * 1024, "max_rows": 3},
    }
    data = b"URN,cluster\r\n" + b"".join(b"%d,Andover\r\n" % n for n in range(100001, 100005))

    assert refusal(data) == [
        "The file has more than 3 rows: upload a file of 3 rows or fewer, for example one for "
        "each local authority"
    ]


def test_random_bytes_named_csv_are_refused_by_the_service(db):
    assert refusal(random.Random(11).randbytes(20_000)) == [NOT_CSV]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"URN,cluster\r\n" + b"100001,Andover Cluster\r\n" * 230_000, "smaller than 5 MB"),
        (b"%PDF-1.7\n" + b"x" * 100, NOT_CSV),
    ],
    ids=["too-big", "pdf"],
)
def test_the_page_refuses_the_file_before_any_job(db, as_user, data, message):
    form = {"file": SimpleUploadedFile("structure.csv", data, content_type="text/csv")}

    response = as_user("officer").post(URL, form)

    assert message in response.content.decode()
    assert not Job.objects.exists()
