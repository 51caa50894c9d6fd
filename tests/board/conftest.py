"""A board with seats, and meetings at any state, for the meetings tests.

The board: the chair persona as independent chair; the member persona nominated by the primary
heads' association, with a designated substitute; a second member from the diocese; a co-opted
member for a maths project; an observer without a vote. Alliance A has its own chair and member.
"""

from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from django.utils import timezone

from board.meeting_seats import seat_add
from board.meeting_services import meeting_create, meeting_transition
from board.models import BoardSeat, GroupKind, Meeting, SeatKind
from tests.factories import UserFactory

SEATED_FROM = date(2024, 9, 1)


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Uploaded papers go to a folder of the test's own."""
    settings.MEDIA_ROOT = tmp_path / "media"


@dataclass
class Seats:
    chair: BoardSeat
    member: BoardSeat
    substitute: BoardSeat
    diocese: BoardSeat
    co_opted: BoardSeat
    observer: BoardSeat
    alliance_member: BoardSeat


def _seat(user, kind, **options) -> BoardSeat:
    return seat_add(user=user, kind=kind, starts_on=SEATED_FROM, by=None, **options)


@pytest.fixture
def seats(world, board_chair, board_member, alliance_chair) -> Seats:
    board = {"alliance": None}
    member = _seat(
        board_member,
        SeatKind.MEMBER,
        group_kind=GroupKind.PHASE_ASSOCIATION,
        group_name="Hampshire Primary Headteachers' Association",
        **board,
    )
    return Seats(
        chair=_seat(board_chair, SeatKind.CHAIR, group_kind=GroupKind.INDEPENDENT, **board),
        member=member,
        substitute=_seat(
            UserFactory(email="sub@example.org", first_name="Sam", last_name="Stand"),
            SeatKind.SUBSTITUTE,
            substitute_for=member,
            **board,
        ),
        diocese=_seat(
            UserFactory(email="diocese@example.org", first_name="Dina", last_name="Diocese"),
            SeatKind.MEMBER,
            group_kind=GroupKind.DIOCESE,
            group_name="Diocese of Winchester",
            **board,
        ),
        co_opted=_seat(
            UserFactory(email="maths@example.org", first_name="Cora", last_name="Coopted"),
            SeatKind.CO_OPTED,
            group_kind=GroupKind.TEACHING_SCHOOL,
            group_name="Maths Hub",
            purpose="KS2 maths project",
            ends_on=date(2030, 8, 31),
            **board,
        ),
        observer=_seat(
            UserFactory(email="observer@example.org", first_name="Otto", last_name="Observer"),
            SeatKind.OBSERVER,
            group_kind=GroupKind.LOCAL_AUTHORITY,
            **board,
        ),
        alliance_member=_seat(
            UserFactory(email="ally@example.org", first_name="Ali", last_name="Ally"),
            SeatKind.MEMBER,
            alliance=world.alliance_a,
            group_kind=GroupKind.TRUST,
            group_name="Test Valley Trust",
        ),
    )


def make_meeting(
    *,
    days_ago: int = -7,
    state: str = Meeting.State.SCHEDULED,
    alliance=None,
    title: str = "",
    by=None,
) -> Meeting:
    """A meeting that long ago (negative: in the future), moved through the states to ``state``."""
    starts = timezone.now() - timedelta(days=days_ago)
    meeting = meeting_create(
        alliance=alliance,
        title=title or f"Board meeting {starts:%d %B %Y}",
        starts_at=starts,
        by=by,
    )
    path = {
        Meeting.State.SCHEDULED: [],
        Meeting.State.AGENDA_PUBLISHED: [Meeting.State.AGENDA_PUBLISHED],
        Meeting.State.HELD: [Meeting.State.AGENDA_PUBLISHED, Meeting.State.HELD],
        Meeting.State.MINUTES_APPROVED: [
            Meeting.State.AGENDA_PUBLISHED,
            Meeting.State.HELD,
            Meeting.State.MINUTES_APPROVED,
        ],
        Meeting.State.CANCELLED: [Meeting.State.CANCELLED],
    }[state]
    for to in path:
        meeting_transition(meeting=meeting, to=to, by=by, note="For the test")
    return meeting


@pytest.fixture
def meeting_at():
    return make_meeting
