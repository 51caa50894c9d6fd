"""The meetings forms end to end: scheduling, the agenda, papers, attendance, decisions with
votes, minutes, seats, and the members page with its flag and draft letter."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from board.meeting_agenda import agenda_item_add
from board.meeting_attendance import attendance_record
from board.models import AgendaItem, Attendance, BoardSeat, Decision, Meeting, SeatKind, Vote
from categorisation.moderation import run_confirm_pending
from tests.board.conftest import make_meeting
from tests.categorisation.factories import build_categorised
from tests.factories import UserFactory

S = Attendance.Status


def test_an_officer_schedules_a_meeting_with_its_opening_items(as_user, officer, world):
    response = as_user("officer").post(
        "/meetings/new/",
        {
            "body": "board",
            "title": "Extra board",
            "kind": Meeting.Kind.EXTRAORDINARY,
            "day_0": "3",
            "day_1": "3",
            "day_2": "2027",
            "starts": "16:00",
            "ends": "",
            "location": "Elizabeth II Court",
        },
    )
    meeting = Meeting.objects.get(title="Extra board")
    assert response.status_code == 302 and response["Location"] == f"/meetings/{meeting.pk}/"
    assert timezone.localtime(meeting.starts_at).hour == 16
    assert meeting.items.count() == 4


def test_an_invalid_meeting_form_says_what_to_fix(as_user, officer, world):
    response = as_user("officer").post("/meetings/new/", {"body": "board", "starts": "4pm"})
    page = response.content.decode()
    assert response.status_code == 200 and "<title>Error: Schedule a meeting" in page
    assert "Enter the time as hours and minutes, for example 16:00" in page


def test_an_alliance_chair_schedules_only_their_alliances_meetings(as_user, alliance_chair, world):
    client = as_user("alliance_chair")
    form = client.get("/meetings/new/").context["form"]
    assert [label for _, label in form.fields["body"].choices] == ["The board", "North Alliance"]
    data = {"title": "A", "kind": "half_termly", "day_0": "3", "day_1": "3", "day_2": "2027"}
    refused = client.post("/meetings/new/", {**data, "body": "board", "starts": "10:00"})
    assert refused.status_code == 403
    client.post("/meetings/new/", {**data, "body": str(world.alliance_a.pk), "starts": "10:00"})
    assert Meeting.objects.get().alliance == world.alliance_a


def test_a_years_schedule_from_the_form(as_user, officer, world):
    terms = "2/9/2025 to 24/10/2025\n3/11/2025 to 19/12/2025\n"
    response = as_user("officer").post(
        "/meetings/schedule/",
        {"body": "board", "half_terms": terms, "weekday": "2", "at": "16:00"},
    )
    assert response.status_code == 302 and Meeting.objects.count() == 3
    bad = as_user("officer").post(
        "/meetings/schedule/", {"body": "board", "half_terms": "next week", "weekday": "2"}
    )
    assert "Line 1: enter the dates as 1/9/2025 to 24/10/2025" in bad.content.decode()


@pytest.fixture
def held(seats):
    meeting = make_meeting(days_ago=1, state=Meeting.State.HELD, title="Held board")
    Meeting.objects.filter(pk=meeting.pk).update(state=Meeting.State.SCHEDULED)
    item = agenda_item_add(meeting=meeting, title="Fund bid", by=None)
    Meeting.objects.filter(pk=meeting.pk).update(state=Meeting.State.HELD)
    meeting.refresh_from_db()
    meeting.item = item
    return meeting


def test_confidential_items_from_the_form_need_their_reason(as_user, board_chair, seats):
    meeting = make_meeting(days_ago=-3)
    client = as_user("board_chair")
    path = f"/meetings/{meeting.pk}/items/new/"
    refused = client.post(path, {"title": "Staffing", "is_confidential": "on"})
    assert "Select the exempt category" in refused.content.decode()
    client.post(path, {"title": "Staffing", "is_confidential": "on", "exempt_paragraph": "1"})
    assert meeting.items.get(title="Staffing").is_confidential


def test_attendance_from_the_form_with_a_substitute(as_user, officer, held, seats):
    data = {
        f"seat_{seats.member.pk}": f"sub:{seats.substitute.pk}",
        f"seat_{seats.diocese.pk}": S.APOLOGIES,
        f"seat_{seats.chair.pk}": S.PRESENT,
    }
    response = as_user("officer").post(f"/meetings/{held.pk}/attendance/", data)
    assert response.status_code == 302
    recorded = {a.seat: (a.status, a.substitute) for a in held.attendances.all()}
    assert recorded[seats.member] == (S.SUBSTITUTE, seats.substitute)
    assert recorded[seats.diocese] == (S.APOLOGIES, None)
    page = as_user("officer").get(f"/meetings/{held.pk}/").content.decode()
    assert "Represented by a substitute: Sam Stand" in page


def test_a_decision_with_votes_from_the_form(as_user, officer, held, seats):
    attendance_record(
        meeting=held,
        records={
            seats.member: (S.SUBSTITUTE, seats.substitute),
            seats.chair: (S.PRESENT, None),
            seats.observer: (S.PRESENT, None),
        },
        by=None,
    )
    path = f"/meetings/items/{held.item.pk}/decisions/new/"
    form = as_user("officer").get(path).context["form"]
    assert set(form.voter_fields) == {f"vote_{seats.substitute.pk}", f"vote_{seats.chair.pk}"}
    assert "(substitute for" in form.fields[f"vote_{seats.substitute.pk}"].label
    response = as_user("officer").post(
        path,
        {
            "text": "Fund the bid",
            f"vote_{seats.substitute.pk}": "for",
            f"vote_{seats.chair.pk}": "abstain",
        },
    )
    assert response.status_code == 302
    decision = Decision.objects.get()
    assert decision.outcome == Decision.Outcome.CARRIED
    assert decision.votes.get(seat=seats.member).cast_by == seats.substitute
    assert decision.votes.filter(choice=Vote.Choice.ABSTAIN).count() == 1


def test_papers_from_the_form_are_checked(as_user, officer, held):
    Meeting.objects.filter(pk=held.pk).update(state=Meeting.State.AGENDA_PUBLISHED)
    path = f"/meetings/items/{held.item.pk}/papers/new/"
    fake = SimpleUploadedFile("bid.pdf", b"hello", content_type="application/pdf")
    refused = as_user("officer").post(path, {"title": "Bid", "file": fake})
    assert "The selected file is not a PDF" in refused.content.decode()
    real = SimpleUploadedFile("bid.pdf", b"%PDF-1.7\n", content_type="application/pdf")
    as_user("officer").post(path, {"title": "Bid", "file": real})
    paper = held.item.papers.get()
    assert paper.is_late
    page = as_user("officer").get(f"/meetings/items/{held.item.pk}/").content.decode()
    assert "Late" in page


def test_minutes_from_the_form(as_user, officer, held):
    path = f"/meetings/items/{held.item.pk}/minutes/"
    as_user("officer").post(path, {"minutes": "The board discussed the bid."})
    assert AgendaItem.objects.get(pk=held.item.pk).minutes == "The board discussed the bid."


def test_the_members_page_flags_two_missed_meetings_and_the_chair_drafts_the_letter(
    as_user, seats, board_chair
):
    for days in (60, 30):
        meeting = make_meeting(days_ago=days, state=Meeting.State.HELD)
        attendance_record(meeting=meeting, records={seats.member: (S.APOLOGIES, None)}, by=None)
        for seat in (seats.diocese, seats.co_opted):
            attendance_record(meeting=meeting, records={seat: (S.PRESENT, None)}, by=None)
    page = as_user("board_chair").get("/meetings/members/").content.decode()
    assert "missed the last two meetings that were held" in page
    letter_path = f"/meetings/members/{seats.member.pk}/letter/"
    assert letter_path in page
    letter = as_user("board_chair").get(letter_path)
    assert "Hampshire Primary Headteachers" in letter.content.decode()
    assert as_user("board_member").get(letter_path).status_code == 403
    member_page = as_user("board_member").get("/meetings/members/").content.decode()
    assert "missed the last two" in member_page and letter_path not in member_page


def test_a_seat_from_the_form(as_user, officer, world):
    person = UserFactory(email="new.member@example.org")
    response = as_user("officer").post(
        "/meetings/members/new/",
        {
            "body": "board",
            "user": person.pk,
            "kind": SeatKind.MEMBER,
            "group_kind": "diocese",
            "group_name": "Diocese of Portsmouth",
        },
    )
    assert response.status_code == 302
    assert BoardSeat.objects.get(user=person).group_name == "Diocese of Portsmouth"


def test_the_board_agrees_a_run_from_the_decision_form(as_user, officer, held, world):
    categorised = build_categorised(world, officer)
    run_confirm_pending(run=categorised.pending, by=officer)
    path = f"/meetings/items/{held.item.pk}/decisions/new/"
    choices = dict(as_user("officer").get(path).context["form"].fields["subject"].choices)
    assert list(choices)[1:] == [f"agree_run:{categorised.pending.pk}"]  # not older runs
    response = as_user("officer").post(
        path,
        {
            "text": "Agree it",
            "subject": f"agree_run:{categorised.pending.pk}",
            "outcome": "carried",
        },
    )
    assert response.status_code == 302
    categorised.pending.refresh_from_db()
    assert categorised.pending.agreed_by == officer
