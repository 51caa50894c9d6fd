"""The performance data page at /categorisation/data/: officers only, a job per upload (run
eagerly here, on commit), its outcome page, the upload history, and the categorisation run a
successful upload starts."""

from __future__ import annotations

import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from categorisation.default_rules import default_rules_load
from categorisation.jobs import PERFORMANCE_IMPORT
from categorisation.models import DataRelease, MeasureValue, Run
from kernel.models import Job
from schools.jobs import GIAS_IMPORT
from tests.categorisation.test_import_ks2 import ks2_file, values_snapshot
from tests.schools.test_import_gias import edit, set_cell

URL = "/categorisation/data/"
KS2_850 = "2018-2019_850_ks2final.csv"
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


def upload(data: bytes, name: str = KS2_850, **fields) -> dict:
    return {"file": SimpleUploadedFile(name, data, content_type="text/csv"), **fields}


def post_and_run(client, django_capture_on_commit_callbacks, form: dict):
    """Upload, then run the task the way the page queues it (on commit; eager in tests)."""
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(URL, form)


def test_officer_sees_the_upload_form(as_user):
    response = as_user("officer").get(URL)

    content = response.content.decode()
    assert response.status_code == 200
    assert '<h1 class="govuk-heading-l">Performance data</h1>' in content
    assert 'enctype="multipart/form-data"' in content
    assert "govuk-file-upload" in content
    assert "Work it out from the file&#x27;s columns" in content
    assert "No files have been imported yet." in content


@pytest.mark.parametrize("persona", NOT_OFFICERS)
def test_only_officers_may_open_the_data_page(as_user, persona):
    assert as_user(persona).get(URL).status_code == 403


@pytest.mark.parametrize("persona", ["board_chair", "head_a"])
def test_others_cannot_upload_a_file(as_user, persona, shared_data):
    response = as_user(persona).post(URL, upload(ks2_file(shared_data, KS2_850)))

    assert response.status_code == 403
    assert not Job.objects.exists()
    assert not MeasureValue.objects.exists()


def test_anonymous_visitor_is_sent_to_sign_in(client, db):
    response = client.get(URL)

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/categorisation/data/")


def test_officer_upload_imports_the_file_and_shows_the_outcome(
    as_user, officer, register, shared_data, django_capture_on_commit_callbacks
):
    data = ks2_file(shared_data, KS2_850)
    client = as_user("officer")

    response = post_and_run(client, django_capture_on_commit_callbacks, upload(data))

    job = Job.objects.get()
    assert response["Location"] == f"/categorisation/data/{job.pk}/"
    assert (job.kind, job.created_by, job.state) == ("performance_import", officer, "succeeded")
    assert job.checksum == hashlib.sha256(data).hexdigest() == job.release.checksum
    assert job.file.read() == data
    assert job.release.imported_by == officer
    assert MeasureValue.objects.filter(academic_year="2018-2019").count() == 3780
    page = client.get(response["Location"]).content.decode()
    assert "Performance data import complete" in page
    assert "Written: 3,780 values for 315 schools; 16 URNs are not on the register" in page
    for label, value in [
        ("Schools matched", 315),
        ("Values written", 3780),
        ("Rows in the file", 334),
    ]:
        assert f'<dt class="govuk-summary-list__key">{label}</dt>' in page
        assert f'<dd class="govuk-summary-list__value">{value}</dd>' in page
    assert "Missing: suppressed (SUPP)" in page
    assert "16 URNs not on the register" in page
    assert "116609" in page


def test_a_failed_upload_lists_every_problem_and_changes_nothing(
    as_user, register, shared_data, django_capture_on_commit_callbacks
):
    client = as_user("officer")
    post_and_run(client, django_capture_on_commit_callbacks, upload(ks2_file(shared_data, KS2_850)))
    before = values_snapshot()
    bad = edit(ks2_file(shared_data, KS2_850), set_cell(115851, "PTRWM_EXP", "abc"))
    bad = edit(bad, set_cell(115853, "MATPROG", "--"))

    response = post_and_run(
        client, django_capture_on_commit_callbacks, upload(bad, "2018-2019_850_revised.csv")
    )

    job = Job.objects.get(original_filename="2018-2019_850_revised.csv")
    assert job.state == Job.State.FAILED
    assert [(e["row"], e["column"]) for e in job.result["errors"]] == [
        (2, "PTRWM_EXP"),
        (4, "MATPROG"),
    ]
    assert values_snapshot() == before
    page = client.get(response["Location"]).content.decode()
    assert "Performance data import failed" in page
    assert "The file has 2 problems. Nothing was changed." in page
    assert "not &#x27;abc&#x27;" in page


def test_history_shows_who_what_kind_year_stage_when_values_and_state(
    as_user,
    officer,
    register,
    shared_data,
    django_capture_on_commit_callbacks,
    django_assert_max_num_queries,
):
    client = as_user("officer")
    good = ks2_file(shared_data, KS2_850)
    post_and_run(client, django_capture_on_commit_callbacks, upload(good, stage="provisional"))
    post_and_run(client, django_capture_on_commit_callbacks, upload(good, "again.csv"))
    bad = edit(good, set_cell(115851, "TELIG", "sixty"))
    post_and_run(client, django_capture_on_commit_callbacks, upload(bad, "broken.csv"))

    with django_assert_max_num_queries(10):
        page = client.get(URL)

    content = page.content.decode()
    jobs = list(Job.objects.all())
    assert [job.original_filename for job in jobs] == ["broken.csv", "again.csv", KS2_850]
    for job in jobs:
        assert f'href="/categorisation/data/{job.pk}/"' in content
        assert job.checksum[:12] in content
    history = content[content.index('id="import-history"') :]
    assert history.count(str(officer)) == 3
    assert history.count("Key stage 2 performance tables") == 3
    assert history.count("2018-2019") == 3
    # the repeat is recognised as the provisional release it repeats
    assert history.count("Provisional") == 2
    assert "3,780" in history
    assert "1 problem, nothing changed" in history
    assert history.count("govuk-tag--green") == 2
    assert history.count("govuk-tag--red") == 1
    # The second upload of the same file was recognised and wrote nothing
    again = Job.objects.get(original_filename="again.csv")
    assert again.result["import"]["values_written"] == 0
    assert "already imported" in again.result["summary"]
    assert DataRelease.objects.filter(from_release=None).count() == 1


def test_a_successful_upload_starts_a_categorisation_run_with_the_adopted_rules(
    as_user, officer, register, shared_data, django_capture_on_commit_callbacks
):
    rules = default_rules_load(by=officer)
    client = as_user("officer")

    response = post_and_run(
        client, django_capture_on_commit_callbacks, upload(ks2_file(shared_data, KS2_850))
    )

    run = Run.objects.get()
    assert (run.rule_set, run.purpose, run.created_by) == (rules, "official", officer)
    assert run.trigger == f"Data upload: {KS2_850}"
    job = Job.objects.get(kind=PERFORMANCE_IMPORT)
    assert job.result["run_id"] == run.pk
    page = client.get(response["Location"]).content.decode()
    assert "A categorisation run with the adopted rules has started" in page


def test_a_failed_or_repeated_upload_starts_no_run(
    as_user, officer, register, shared_data, django_capture_on_commit_callbacks
):
    default_rules_load(by=officer)
    client = as_user("officer")
    data = ks2_file(shared_data, KS2_850)
    post_and_run(client, django_capture_on_commit_callbacks, upload(data))

    post_and_run(client, django_capture_on_commit_callbacks, upload(data, "again.csv"))
    bad = edit(data, set_cell(115851, "TELIG", "sixty"))
    post_and_run(client, django_capture_on_commit_callbacks, upload(bad, "broken.csv"))

    assert Run.objects.count() == 1


def test_upload_without_a_file_shows_an_error_summary(as_user):
    response = as_user("officer").post(URL, {"kind": ""})

    content = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: " in content
    assert "govuk-error-summary" in content
    assert "Select a CSV or XLSX file" in content
    assert not Job.objects.exists()


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"name": "results.pdf"}, "The selected file must be a CSV or XLSX"),
        ({"year": "2018"}, "Enter the academic year like 2018-2019"),
        ({"kind": "ks3"}, "Select a valid choice"),
        ({"data": b""}, "The selected file is empty"),
    ],
)
def test_upload_form_checks_the_file_and_its_options(as_user, fields, message):
    data = fields.pop("data", b"URN\r\n1\r\n")
    name = fields.pop("name", KS2_850)

    response = as_user("officer").post(URL, upload(data, name, **fields))

    assert message in response.content.decode()
    assert not Job.objects.exists()


@pytest.mark.parametrize("persona", ["board_chair", "head_a"])
def test_others_cannot_see_an_import_job(as_user, officer, persona):
    job = Job.objects.create(kind=PERFORMANCE_IMPORT, created_by=officer)

    assert as_user(persona).get(f"{URL}{job.pk}/").status_code == 403
    assert as_user("officer").get(f"{URL}{job.pk}/").status_code == 200


def test_job_page_is_only_for_performance_imports(as_user, officer):
    job = Job.objects.create(kind=GIAS_IMPORT, created_by=officer)

    assert as_user("officer").get(f"{URL}{job.pk}/").status_code == 404
