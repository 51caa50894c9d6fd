"""The upload page at /schools/import/: officers only, a job per upload (run eagerly here, on
commit), its outcome page, and the history of past imports."""

from __future__ import annotations

import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from clusters.jobs import STRUCTURE_IMPORT
from kernel.models import Job
from schools.jobs import GIAS_IMPORT
from schools.models import School
from tests.schools.test_import_gias import (
    PRIMARY_2022,
    SURREY_2021,
    edit,
    gias_file,
    register_snapshot,
    set_cell,
)

URL = "/schools/import/"
NOT_OFFICERS = [
    "board_chair",
    "board_member",
    "alliance_chair",
    "cluster_lead",
    "head_a",
    "head_b",
    "provider",
    "no_role",
]


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def upload(data: bytes, name: str = "establishments.csv", la_codes: str = "") -> dict:
    return {"file": SimpleUploadedFile(name, data, content_type="text/csv"), "la_codes": la_codes}


def post_and_run(client, django_capture_on_commit_callbacks, form: dict):
    """Upload, then run the task the way the page queues it (on commit; eager in tests)."""
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, form)
    return response


def test_officer_sees_the_upload_form(as_user):
    response = as_user("officer").get(URL)

    content = response.content.decode()
    assert response.status_code == 200
    assert "Import the school register" in content
    assert 'enctype="multipart/form-data"' in content
    assert "govuk-file-upload" in content
    assert "No files have been imported yet." in content


@pytest.mark.parametrize("persona", NOT_OFFICERS)
def test_only_officers_may_open_the_import_page(as_user, persona):
    assert as_user(persona).get(URL).status_code == 403


@pytest.mark.parametrize("persona", ["alliance_chair", "head_a"])
def test_others_cannot_upload_a_file(as_user, persona, shared_data):
    response = as_user(persona).post(URL, upload(gias_file(shared_data, SURREY_2021)))

    assert response.status_code == 403
    assert not Job.objects.exists()
    assert School.objects.count() == 4


def test_anonymous_visitor_is_sent_to_sign_in(client, db):
    response = client.get(URL)

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/schools/import/")


def test_officer_upload_creates_a_job_and_redirects_to_it(
    as_user, officer, shared_data, django_capture_on_commit_callbacks
):
    data = gias_file(shared_data, SURREY_2021)

    response = post_and_run(as_user("officer"), django_capture_on_commit_callbacks, upload(data))

    job = Job.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/schools/import/{job.pk}/"
    assert (job.kind, job.created_by, job.original_filename) == (
        GIAS_IMPORT,
        officer,
        "establishments.csv",
    )
    assert job.checksum == hashlib.sha256(data).hexdigest()
    assert job.file.read() == data
    assert job.state == Job.State.SUCCEEDED
    assert job.result["counts"] == {"created": 397, "updated": 0, "unchanged": 0, "skipped": 193}


def test_job_page_shows_the_counts_of_a_finished_import(
    as_user, shared_data, django_capture_on_commit_callbacks
):
    client = as_user("officer")
    form = upload(gias_file(shared_data, PRIMARY_2022), la_codes="850")

    response = post_and_run(client, django_capture_on_commit_callbacks, form)
    page = client.get(response["Location"])

    content = page.content.decode()
    assert page.status_code == 200
    assert "School register import complete" in content
    assert "520 created, 0 updated, 0 unchanged, 576 skipped" in content
    for label, value in [("Created", 520), ("Updated", 0), ("Unchanged", 0), ("Skipped", 576)]:
        assert f'<dt class="govuk-summary-list__key">{label}</dt>' in content
        assert f'<dd class="govuk-summary-list__value">{value}</dd>' in content
    assert set(School.objects.filter(urn__gt=100004).values_list("la_code", flat=True)) == {"850"}


def test_failed_upload_lists_every_problem_and_leaves_the_register_unchanged(
    as_user, shared_data, django_capture_on_commit_callbacks
):
    client = as_user("officer")
    post_and_run(
        client, django_capture_on_commit_callbacks, upload(gias_file(shared_data, SURREY_2021))
    )
    before = register_snapshot()
    data = gias_file(shared_data, PRIMARY_2022)
    data = edit(data, set_cell(115851, "OpenDate", "31-02-2021"))
    data = edit(data, set_cell(115853, "TypeOfEstablishment (name)", "Moon base"))

    response = post_and_run(client, django_capture_on_commit_callbacks, upload(data, "bad.csv"))
    page = client.get(response["Location"])

    job = Job.objects.get(original_filename="bad.csv")
    assert job.state == Job.State.FAILED
    assert [(e["row"], e["column"]) for e in job.result["errors"]] == [
        (3, "OpenDate"),
        (5, "TypeOfEstablishment (name)"),
    ]
    assert register_snapshot() == before
    content = page.content.decode()
    assert "School register import failed" in content
    assert "The file has 2 problems. Nothing was changed." in content
    assert "OpenDate must be a real date in the format dd-mm-yyyy" in content
    assert "&#x27;Moon base&#x27; is not a GIAS establishment type" in content


def test_history_shows_who_when_file_checksum_counts_and_state(
    as_user, officer, shared_data, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    client = as_user("officer")
    good = gias_file(shared_data, SURREY_2021)
    post_and_run(client, django_capture_on_commit_callbacks, upload(good, "surrey.csv"))
    post_and_run(client, django_capture_on_commit_callbacks, upload(good, "surrey-again.csv"))
    bad = edit(good, set_cell(124911, "NumberOfPupils", "many"))
    post_and_run(client, django_capture_on_commit_callbacks, upload(bad, "broken.csv"))

    with django_assert_max_num_queries(10):
        page = client.get(URL)

    content = page.content.decode()
    jobs = list(Job.objects.all())
    assert [job.original_filename for job in jobs] == [
        "broken.csv",
        "surrey-again.csv",
        "surrey.csv",
    ]
    for job in jobs:
        assert f'href="/schools/import/{job.pk}/"' in content
        assert job.checksum[:12] in content
    assert content.count(str(officer)) >= 3
    assert "397 created, 0 updated, 0 unchanged, 193 skipped" in content
    assert "0 created, 0 updated, 397 unchanged, 193 skipped" in content
    assert "1 problem, nothing changed" in content
    assert content.count("govuk-tag--green") == 2
    assert content.count("govuk-tag--red") == 1


def test_upload_without_a_file_shows_an_error_summary(as_user):
    response = as_user("officer").post(URL, {"la_codes": ""})

    content = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: " in content
    assert "govuk-error-summary" in content
    assert "Select a CSV file" in content
    assert not Job.objects.exists()


@pytest.mark.parametrize(
    ("form", "message"),
    [
        ({"name": "establishments.xlsx"}, "The selected file must be a CSV"),
        ({"la_codes": "Hampshire"}, "Enter LA codes as 3 digits separated by spaces, like 850 936"),
        ({"data": b""}, "The selected file is empty"),
    ],
)
def test_upload_form_checks_the_file_and_la_codes(as_user, form, message):
    data = form.pop("data", b"URN\r\n1\r\n")
    response = as_user("officer").post(URL, upload(data, **form))

    assert message in response.content.decode()
    assert not Job.objects.exists()


@pytest.mark.parametrize("persona", ["alliance_chair", "head_a"])
def test_others_cannot_see_an_import_job(as_user, officer, persona):
    job = Job.objects.create(kind=GIAS_IMPORT, created_by=officer)

    assert as_user(persona).get(f"/schools/import/{job.pk}/").status_code == 403
    assert as_user("officer").get(f"/schools/import/{job.pk}/").status_code == 200


def test_job_page_is_only_for_register_imports(as_user, officer):
    job = Job.objects.create(kind=STRUCTURE_IMPORT, created_by=officer)

    assert as_user("officer").get(f"/schools/import/{job.pk}/").status_code == 404


def test_register_import_page_points_officers_to_the_performance_data_upload(as_user):
    content = as_user("officer").get(URL).content.decode()
    assert 'href="/categorisation/data/"' in content
