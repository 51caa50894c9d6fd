"""The meetings pages, each from both sides of its rule: officers and the board chair manage
the board's meetings, alliance chairs their alliance's; board members, seat holders and
substitutes standing in see agendas and papers (confidential items not for observers);
headteachers see published minutes only; anonymous visitors are sent to sign in."""

import io

import pytest
from django.test import Client

from board.meeting_agenda import agenda_item_add, agenda_publish, paper_upload
from board.meeting_attendance import attendance_record
from board.meeting_minutes import minutes_draft
from board.models import Attendance, ExemptParagraph, Meeting
from tests.board.conftest import make_meeting

PDF = b"%PDF-1.7\n%%EOF\n"


@pytest.fixture
def board_meeting(seats, world):
    meeting = make_meeting(days_ago=-7, title="Spring board")
    public = agenda_item_add(meeting=meeting, title="Maths strategy", by=None)
    private = agenda_item_add(
        meeting=meeting,
        title="Secret staffing matter",
        is_confidential=True,
        exempt_paragraph=ExemptParagraph.P1,
        by=None,
    )
    for item, title in ((public, "Maths paper"), (private, "Staffing paper")):
        paper_upload(
            item=item, title=title, upload=io.BytesIO(PDF), name="p.pdf", size=len(PDF), by=None
        )
    agenda_publish(meeting=meeting, by=None)
    meeting.public, meeting.private = public, private
    return meeting


@pytest.fixture
def alliance_meeting(seats, world):
    return make_meeting(days_ago=-7, alliance=world.alliance_a, title="North alliance meeting")


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _seat_client(seat) -> Client:
    return _client(seat.user)


VIEW_TABLE = [
    ("officer", 200),
    ("board_chair", 200),
    ("board_member", 200),
    ("alliance_chair", 404),
    ("cluster_lead", 404),
    ("head_a", 404),
    ("provider", 404),
    ("no_role", 403),
]


@pytest.mark.parametrize(("who", "status"), VIEW_TABLE)
def test_who_sees_a_board_meetings_page(as_user, board_meeting, who, status):
    response = as_user(who).get(f"/meetings/{board_meeting.pk}/")
    assert response.status_code == status
    if status == 200:
        assert "Maths strategy" in response.content.decode()


def test_an_anonymous_visitor_is_sent_to_sign_in(board_meeting):
    for path in ("/meetings/", f"/meetings/{board_meeting.pk}/", "/meetings/members/"):
        response = Client().get(path)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize(
    ("who", "status"), [("alliance_chair", 200), ("officer", 200), ("board_member", 404)]
)
def test_an_alliances_meeting_is_for_its_chair_and_officers(as_user, alliance_meeting, who, status):
    assert as_user(who).get(f"/meetings/{alliance_meeting.pk}/").status_code == status


def test_an_alliance_seat_holder_sees_their_alliances_meeting(alliance_meeting, seats):
    response = _seat_client(seats.alliance_member).get(f"/meetings/{alliance_meeting.pk}/")
    assert response.status_code == 200


def test_a_substitute_sees_the_meeting_only_while_standing_in(board_meeting, seats):
    client = _seat_client(seats.substitute)
    assert client.get(f"/meetings/{board_meeting.pk}/").status_code == 404
    attendance_record(
        meeting=board_meeting,
        records={seats.member: (Attendance.Status.SUBSTITUTE, seats.substitute)},
        by=None,
    )
    page = client.get(f"/meetings/{board_meeting.pk}/").content.decode()
    assert "Secret staffing matter" in page  # standing in, they vote: confidential items too


def test_an_observer_sees_the_agenda_but_not_the_confidential_item(board_meeting, seats):
    client = _seat_client(seats.observer)
    page = client.get(f"/meetings/{board_meeting.pk}/").content.decode()
    assert "Maths strategy" in page and "Secret staffing matter" not in page
    assert "Confidential item" in page and "Paragraph 1" in page
    assert client.get(f"/meetings/items/{board_meeting.private.pk}/").status_code == 403
    paper = board_meeting.private.papers.get()
    assert client.get(f"/meetings/papers/{paper.pk}/").status_code == 403
    public_paper = board_meeting.public.papers.get()
    assert client.get(f"/meetings/papers/{public_paper.pk}/").status_code == 200


@pytest.mark.parametrize(("who", "status"), [("board_member", 200), ("head_a", 404)])
def test_papers_download_for_those_who_see_the_agenda(as_user, board_meeting, who, status):
    paper = board_meeting.public.papers.get()
    response = as_user(who).get(f"/meetings/papers/{paper.pk}/")
    assert response.status_code == status
    if status == 200:
        assert b"".join(response.streaming_content) == PDF


@pytest.mark.parametrize(("who", "status"), [("board_member", 200), ("head_a", 404)])
def test_the_calendar_invitation_downloads_for_those_who_see_the_meeting(
    as_user, board_meeting, who, status
):
    response = as_user(who).get(f"/meetings/{board_meeting.pk}/invite.ics")
    assert response.status_code == status
    if status == 200:
        assert response["Content-Type"] == "text/calendar; charset=utf-8"
        assert "SUMMARY:Spring board" in response.content.decode()


def _manage_paths(meeting) -> list[str]:
    item = meeting.public.pk
    return [
        f"/meetings/{meeting.pk}/items/new/",
        f"/meetings/{meeting.pk}/attendance/",
        f"/meetings/{meeting.pk}/cancel/",
        f"/meetings/items/{item}/papers/new/",
        f"/meetings/items/{item}/declarations/new/",
        f"/meetings/items/{item}/decisions/new/",
        f"/meetings/items/{item}/minutes/",
    ]


@pytest.mark.parametrize(
    ("who", "status"),
    [("officer", 200), ("board_chair", 200), ("board_member", 403), ("alliance_chair", 404)],
)
def test_who_manages_a_board_meeting(as_user, board_meeting, who, status):
    client = as_user(who)
    for path in _manage_paths(board_meeting):
        assert client.get(path).status_code == status, path
    response = client.post(f"/meetings/{board_meeting.pk}/state/", {"action": "hold"})
    assert response.status_code == (302 if status == 200 else status)


def test_the_independent_chairs_seat_manages_the_board_meetings(board_meeting, seats, world):
    seats.chair.user.role_assignments.all().delete()  # a chair with a seat but no role
    response = _seat_client(seats.chair).get(f"/meetings/{board_meeting.pk}/attendance/")
    assert response.status_code == 200


@pytest.mark.parametrize(("who", "status"), [("officer", 200), ("board_chair", 200)])
def test_the_schedule_pages_are_for_those_who_manage_meetings(as_user, who, status, world):
    for path in ("/meetings/new/", "/meetings/schedule/", "/meetings/members/new/"):
        assert as_user(who).get(path).status_code == status


@pytest.mark.parametrize("who", ["board_member", "head_a", "cluster_lead"])
def test_the_schedule_pages_are_refused_to_others(as_user, who, world):
    for path in ("/meetings/new/", "/meetings/schedule/", "/meetings/members/new/"):
        assert as_user(who).get(path).status_code == 403


def test_a_headteacher_reads_published_minutes_only(as_user, seats):
    held = make_meeting(days_ago=40, state=Meeting.State.MINUTES_APPROVED, title="Autumn board")
    head = as_user("head_a")
    assert head.get(f"/meetings/{held.pk}/minutes/").status_code == 404
    assert "Autumn board" not in head.get("/meetings/").content.decode()
    Meeting.objects.filter(pk=held.pk).update(minutes_published_at=held.starts_at)
    assert "Autumn board" in head.get("/meetings/").content.decode()
    response = head.get(f"/meetings/{held.pk}/")
    assert response.status_code == 302 and response["Location"].endswith("/minutes/")
    assert head.get(f"/meetings/{held.pk}/minutes/").status_code == 200
    assert head.get(f"/meetings/{held.pk}/invite.ics").status_code == 403


def test_the_list_is_paged_with_a_bounded_number_of_queries(
    as_user, seats, django_assert_max_num_queries
):
    for n in range(30):
        make_meeting(days_ago=-n - 1, title=f"Meeting {n}")
    client = as_user("board_member")
    with django_assert_max_num_queries(14):
        response = client.get("/meetings/")
    assert len(response.context["page"].object_list) == 25
    assert 'rel="next"' in response.content.decode()


def test_the_meetings_page_runs_a_bounded_number_of_queries(
    as_user, board_meeting, django_assert_max_num_queries
):
    client = as_user("board_member")
    client.get(f"/meetings/{board_meeting.pk}/")
    for n in range(10):
        agenda_item_add(meeting=board_meeting, title=f"Extra {n}", by=None)
    with django_assert_max_num_queries(20):
        assert client.get(f"/meetings/{board_meeting.pk}/").status_code == 200


def test_the_navigation_shows_meetings_to_those_with_a_role(as_user, world, board_member):
    assert 'href="/meetings/"' in as_user("board_member").get("/").content.decode()
    assert 'href="/meetings/"' not in as_user("no_role").get("/").content.decode()


def test_an_alliance_seat_holder_sees_their_alliances_members(seats, world):
    client = _seat_client(seats.alliance_member)
    page = client.get(f"/meetings/members/?body={world.alliance_a.pk}").content.decode()
    assert "Ali Ally" in page
    assert client.get(f"/meetings/members/?body={world.alliance_b.pk}").status_code == 404


@pytest.mark.parametrize(
    ("who", "status"),
    [("officer", 200), ("board_member", 200), ("alliance_chair", 404), ("head_a", 404)],
)
def test_who_sees_an_items_page_and_the_draft_minutes(as_user, board_meeting, who, status):
    client = as_user(who)
    response = client.get(f"/meetings/items/{board_meeting.public.pk}/")
    assert response.status_code == status
    if status == 200:
        assert "Maths paper" in response.content.decode()
    minutes = client.get(f"/meetings/{board_meeting.pk}/minutes/")
    assert minutes.status_code == (200 if status == 200 else 404)


def test_the_draft_minutes_hide_confidential_items_from_an_observer(board_meeting, seats):
    Meeting.objects.filter(pk=board_meeting.pk).update(state=Meeting.State.HELD)
    minutes_draft(item=board_meeting.private, text="Sensitive words", by=None)
    page = _seat_client(seats.observer).get(f"/meetings/{board_meeting.pk}/minutes/")
    assert "Sensitive words" not in page.content.decode()
    member = _client(seats.member.user).get(f"/meetings/{board_meeting.pk}/minutes/")
    assert "Sensitive words" in member.content.decode()


def test_the_invitations_uid_keeps_one_domain_whatever_address_served_it(
    as_user, board_meeting, settings
):
    settings.ALLOWED_HOSTS = [".partnership.example.org", "testserver"]
    text = as_user("board_member").get(f"/meetings/{board_meeting.pk}/invite.ics")
    assert f"UID:meeting-{board_meeting.pk}@partnership.example.org" in text.content.decode()
