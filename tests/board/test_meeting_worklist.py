"""What the meetings put on home pages: the chair's letters to write, minutes to publish, and
agendas of the coming meetings, each for those it concerns only."""

from board.meeting_agenda import agenda_publish
from board.meeting_attendance import attendance_record
from board.models import Attendance, Meeting
from tests.board.conftest import make_meeting


def _waiting(as_user, who) -> dict:
    items = as_user(who).get("/").context["worklist"]
    return {item.label: item for item in items}


def test_the_chair_sees_the_letter_to_write_and_members_do_not(as_user, seats):
    for days in (60, 30):
        meeting = make_meeting(days_ago=days, state=Meeting.State.HELD)
        attendance_record(
            meeting=meeting, records={seats.member: (Attendance.Status.ABSENT, None)}, by=None
        )
    waiting = _waiting(as_user, "board_chair")["Members who missed two meetings"]
    assert waiting.count == 3  # the member; the diocese and co-opted members recorded nothing
    assert any(
        f"/meetings/members/{seats.member.pk}/letter/" == href for _, href in waiting.examples
    )
    assert "Members who missed two meetings" not in _waiting(as_user, "board_member")


def test_approved_minutes_wait_to_be_published_by_their_managers(as_user, seats, world):
    make_meeting(days_ago=30, state=Meeting.State.MINUTES_APPROVED, title="Autumn board")
    make_meeting(
        days_ago=30,
        state=Meeting.State.MINUTES_APPROVED,
        alliance=world.alliance_a,
        title="North autumn",
    )
    officer = _waiting(as_user, "officer")["Minutes to publish"]
    assert officer.count == 2
    chair = _waiting(as_user, "alliance_chair")["Minutes to publish"]
    assert [text for text, _ in chair.examples] == ["North autumn"]
    assert "Minutes to publish" not in _waiting(as_user, "board_member")


def test_members_see_the_agendas_of_coming_meetings(as_user, seats):
    meeting = make_meeting(days_ago=-5, title="Spring board")
    make_meeting(days_ago=-6, title="Not published yet")
    agenda_publish(meeting=meeting, by=None)
    waiting = _waiting(as_user, "board_member")["Agendas for coming meetings"]
    assert waiting.count == 1 and waiting.examples[0][0].startswith("Spring board, ")
    assert "Agendas for coming meetings" not in _waiting(as_user, "head_a")
