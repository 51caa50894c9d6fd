"""Uploaded files are private: no URL serves them except the job's download view, which lets
only those who may upload that kind of file (officers) download it."""

import importlib

import pytest
from django.test import override_settings
from django.urls import clear_url_caches, reverse

import config.urls
from categorisation.jobs import CATEGORISATION_RUN, PERFORMANCE_IMPORT
from clusters.jobs import STRUCTURE_IMPORT
from kernel.jobs import job_create
from schools.jobs import GIAS_IMPORT

CSV = b"URN,EstablishmentName\n100001,Ashdown Primary School\n"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def gias_job(officer):
    return job_create(kind=GIAS_IMPORT, created_by=officer, data=CSV, filename="edubase.csv")


@pytest.mark.parametrize("kind", [GIAS_IMPORT, STRUCTURE_IMPORT, PERFORMANCE_IMPORT])
def test_officer_downloads_the_uploaded_file_as_an_attachment(as_user, officer, kind):
    job = job_create(kind=kind, created_by=officer, data=CSV, filename="upload.csv")
    response = as_user("officer").get(reverse("job-file", args=[job.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == CSV
    assert response["Content-Disposition"] == 'attachment; filename="upload.csv"'


def test_job_page_links_to_the_download(as_user, gias_job):
    page = as_user("officer").get(reverse("job-detail", args=[gias_job.pk]))
    assert f'href="/jobs/{gias_job.pk}/file/"' in page.content.decode()
    assert "Download edubase.csv" in page.content.decode()


def test_anonymous_visitor_is_sent_to_sign_in_for_an_uploaded_file(client, gias_job):
    response = client.get(reverse("job-file", args=[gias_job.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize(
    "persona", ["board_chair", "board_member", "alliance_chair", "head_a", "provider", "no_role"]
)
def test_people_who_may_not_upload_cannot_download_the_file(as_user, gias_job, persona):
    response = as_user(persona).get(reverse("job-file", args=[gias_job.pk]))
    assert response.status_code == 403
    assert CSV not in response.content


def test_a_job_without_a_file_has_nothing_to_download(as_user, officer):
    job = job_create(kind=CATEGORISATION_RUN, created_by=officer)
    assert as_user("officer").get(reverse("job-file", args=[job.pk])).status_code == 404


def test_a_file_no_longer_on_disk_answers_not_found(as_user, gias_job):
    gias_job.file.storage.delete(gias_job.file.name)
    assert as_user("officer").get(reverse("job-file", args=[gias_job.pk])).status_code == 404


@pytest.mark.parametrize("persona", ["anonymous", "officer"])
def test_media_url_serves_nothing_even_in_debug_mode(as_user, gias_job, persona):
    # The URLconf is read again with DEBUG on, as runserver in development would read it.
    with override_settings(DEBUG=True):
        clear_url_caches()
        try:
            importlib.reload(config.urls)
            response = as_user(persona).get(f"/media/{gias_job.file.name}")
        finally:
            importlib.reload(config.urls)
            clear_url_caches()
    assert response.status_code == 404
    assert CSV not in response.content
