"""Creating a board pack as a job with progress, downloading each pack and the published
minutes as PDF, each from both sides of its rule."""

import pytest
from django.test import Client

from board import pack
from board.meeting_minutes import minutes_draft, minutes_publish
from board.models import Meeting
from kernel.models import Job
from tests.board.conftest import make_meeting
from tests.board.pack_fixtures import (
    CONFIDENTIAL_TITLE,
    SECRET,
    pack_meeting_make,
    pdf_pages,
)


@pytest.fixture
def pack_meeting(world, officer, seats):
    return pack_meeting_make(world=world, officer=officer)


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _create(client, meeting, audience, capture):
    with capture(execute=True):
        return client.post(f"/meetings/{meeting.pk}/pack/create/", {"audience": audience})


@pytest.fixture
def built(pack_meeting, officer, django_capture_on_commit_callbacks):
    """Both packs built by the officer."""
    client = _client(officer)
    for audience in (pack.MEMBERS, pack.PUBLIC):
        _create(client, pack_meeting, audience, django_capture_on_commit_callbacks)
    return pack_meeting


def test_creating_a_pack_shows_the_jobs_progress_then_a_download_link(
    pack_meeting, officer, django_capture_on_commit_callbacks
):
    client = _client(officer)
    response = _create(client, pack_meeting, pack.MEMBERS, django_capture_on_commit_callbacks)
    job = Job.objects.get(kind="board_pack")
    assert response.status_code == 302 and response["Location"] == f"/jobs/{job.pk}/"
    assert job.state == Job.State.SUCCEEDED and job.progress == 100
    page = client.get(f"/jobs/{job.pk}/").content.decode()
    assert "Board pack complete" in page
    assert f'href="/meetings/{pack_meeting.pk}/pack/members.pdf"' in page
    download = client.get(f"/meetings/{pack_meeting.pk}/pack/members.pdf")
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    pdf = b"".join(download.streaming_content)
    assert pdf.startswith(b"%PDF") and len(pdf_pages(pdf)) == job.result["pages"]


def test_a_queued_pack_shows_its_progress(pack_meeting, officer):
    job = pack.pack_request(meeting=pack_meeting, audience=pack.PUBLIC, by=officer)
    page = _client(officer).get(f"/jobs/{job.pk}/").content.decode()
    assert "Progress: 0%" in page and 'http-equiv="refresh"' in page


def test_the_job_reports_each_stage_as_it_goes(pack_meeting, officer, monkeypatch):
    reported = []
    real = pack.job_progress

    def recording(*, job):
        report = real(job=job)
        return lambda percent, stage: (reported.append((percent, stage)), report(percent, stage))

    monkeypatch.setattr(pack, "job_progress", recording)
    job = pack.pack_request(meeting=pack_meeting, audience=pack.MEMBERS, by=officer)
    pack.pack_build(job=job)
    assert [p for p, _stage in reported] == [10, 40, 90]
    assert reported[1][1] == "Laying out the pages"


def test_a_failed_pack_leaves_the_previous_pack_current(built, officer, monkeypatch):
    current = pack.pack_current(meeting=built, audience=pack.MEMBERS)

    def broken(**_kwargs):
        raise OSError("pango went away")

    monkeypatch.setattr("board.pack_render.pdf_render", broken)
    job = pack.pack_request(meeting=built, audience=pack.MEMBERS, by=officer)
    assert pack.pack_build(job=job) is None
    job.refresh_from_db()
    assert job.state == Job.State.FAILED and job.error == pack.UNEXPECTED
    assert pack.pack_current(meeting=built, audience=pack.MEMBERS) == current
    page = _client(officer).get(f"/jobs/{job.pk}/").content.decode()
    assert "The previous board pack is still the current one" in page


def test_a_pack_waits_for_the_published_agenda(world, officer):
    meeting = make_meeting(title="Not yet published")
    response = _client(officer).post(
        f"/meetings/{meeting.pk}/pack/create/", {"audience": "members"}, follow=True
    )
    assert pack.AGENDA_NOT_PUBLISHED in response.content.decode()
    assert not Job.objects.filter(kind="board_pack").exists()


@pytest.mark.parametrize(
    ("who", "status"),
    [("officer", 302), ("board_chair", 302), ("board_member", 403), ("head_a", 404)],
)
def test_who_may_create_a_pack(as_user, pack_meeting, who, status):
    response = as_user(who).post(f"/meetings/{pack_meeting.pk}/pack/create/")
    assert response.status_code == status


@pytest.mark.parametrize(
    ("who", "members", "public"),
    [
        ("officer", 200, 200),
        ("board_chair", 200, 200),
        ("board_member", 200, 200),
        ("observer", 403, 200),  # sits at the meeting, never sees confidential items
        ("head_a", 404, 404),  # the minutes are not published: the meeting is not theirs
        ("alliance_chair", 404, 404),
    ],
)
def test_who_may_download_each_pack(built, seats, request, who, members, public):
    user = seats.observer.user if who == "observer" else request.getfixturevalue(who)
    client = _client(user)
    assert client.get(f"/meetings/{built.pk}/pack/members.pdf").status_code == members
    assert client.get(f"/meetings/{built.pk}/pack/public.pdf").status_code == public


def test_anyone_with_a_role_gets_the_public_pack_once_the_minutes_are_published(built, head_a):
    Meeting.objects.filter(pk=built.pk).update(state=Meeting.State.MINUTES_APPROVED)
    minutes_publish(meeting=built, by=None)
    client = _client(head_a)
    assert client.get(f"/meetings/{built.pk}/pack/members.pdf").status_code == 403
    response = client.get(f"/meetings/{built.pk}/pack/public.pdf")
    assert response.status_code == 200
    text = " ".join(pdf_pages(b"".join(response.streaming_content)))
    assert SECRET not in text and CONFIDENTIAL_TITLE not in text
    page = client.get(f"/meetings/{built.pk}/pack/").content.decode()
    assert "public.pdf" in page and "members.pdf" not in page and "Create board pack" not in page


def test_the_pack_page_offers_managers_the_create_buttons(built, officer):
    page = _client(officer).get(f"/meetings/{built.pk}/pack/").content.decode()
    assert "Create board pack" in page and "Create public pack" in page
    assert "members.pdf" in page and "public.pdf" in page
    detail = _client(officer).get(f"/meetings/{built.pk}/").content.decode()
    assert f'formaction="/meetings/{built.pk}/pack/create/"' in detail


def test_no_pack_yet_answers_404(pack_meeting, officer):
    response = _client(officer).get(f"/meetings/{pack_meeting.pk}/pack/members.pdf")
    assert response.status_code == 404


@pytest.fixture
def published(pack_meeting):
    """The meeting's minutes drafted (the confidential item's too), approved and published."""
    items = {item.title: item for item in pack_meeting.items.all()}
    minutes_draft(
        item=items["Support for Ashdown Primary School"],
        text="Ashdown Primary School's new maths lead presented.",
        by=None,
    )
    minutes_draft(item=items[CONFIDENTIAL_TITLE], text=SECRET, by=None)
    Meeting.objects.filter(pk=pack_meeting.pk).update(state=Meeting.State.MINUTES_APPROVED)
    pack_meeting.refresh_from_db()
    minutes_publish(meeting=pack_meeting, by=None)
    return pack_meeting


def test_published_minutes_pdf_has_no_confidential_item_or_hidden_name(published, head_a):
    response = _client(head_a).get(f"/meetings/{published.pk}/minutes.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = " ".join(pdf_pages(response.content))
    assert "School A's new maths lead presented." in text
    assert "Exempt item" in text
    for hidden in (SECRET, CONFIDENTIAL_TITLE, "Ashdown Primary School", "Bramley Infant"):
        assert hidden not in text, hidden


@pytest.mark.parametrize(("who", "status"), [("no_role", 403), ("head_a", 404)])
def test_unpublished_minutes_have_no_pdf(pack_meeting, as_user, who, status):
    assert as_user(who).get(f"/meetings/{pack_meeting.pk}/minutes.pdf").status_code == status


def test_members_get_no_minutes_pdf_before_publication(pack_meeting, board_member):
    response = _client(board_member).get(f"/meetings/{pack_meeting.pk}/minutes.pdf")
    assert response.status_code == 404


@pytest.mark.parametrize(
    ("who", "status"),
    [("alliance_chair", 302), ("officer", 302), ("board_chair", 404), ("board_member", 404)],
)
def test_an_alliances_chair_creates_its_meetings_pack(as_user, world, who, status):
    meeting = make_meeting(state=Meeting.State.AGENDA_PUBLISHED, alliance=world.alliance_a)
    response = as_user(who).post(f"/meetings/{meeting.pk}/pack/create/", {"audience": "members"})
    assert response.status_code == status
