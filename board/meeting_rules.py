"""Who may see and run the meetings of the board and of each alliance (README, "Meetings").

- Officers manage every meeting; the board chair (or the independent chair's seat) the board's;
  an alliance chair their alliance's.
- Board members, and the holders of a seat at the body's meetings, see its agendas and papers;
  a substitute sees a meeting where they stand in for their member. Confidential items only for
  those who vote there and the managers (never an observer).
- Everyone else with a role (headteachers, cluster leads, providers) sees published minutes only;
  an anonymous visitor nothing.

Built on the one permission layer (``partnership.permissions.roles_of`` and the predicates of
``partnership.rules``), plus the user's current seats (``seats_of``).
"""

from __future__ import annotations

from functools import reduce
from operator import or_

import rules
from django.db.models import Q

from partnership.models import Role
from partnership.permissions import roles_of
from partnership.rules import has_any_role, is_board, is_board_chair, is_officer

from .models import Attendance, BoardSeat, SeatKind


def seats_of(user) -> tuple[BoardSeat, ...]:
    """The user's current seats, read once per request (cached on the user)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return ()
    cached = getattr(user, "_board_seats", None)
    if cached is None:
        cached = tuple(BoardSeat.objects.current().filter(user=user))
        user._board_seats = cached
    return cached


def _body_seats(user, meeting, *, kinds=None) -> list[BoardSeat]:
    return [
        seat
        for seat in seats_of(user)
        if seat.alliance_id == meeting.alliance_id and (kinds is None or seat.kind in kinds)
    ]


def _standing_in(user, meeting) -> bool:
    substitutes = [s.pk for s in seats_of(user) if s.kind == SeatKind.SUBSTITUTE]
    return bool(substitutes) and (
        Attendance.objects.filter(meeting=meeting, substitute_id__in=substitutes).exists()
    )


@rules.predicate
def has_seat(user) -> bool:
    return bool(seats_of(user))


@rules.predicate
def chairs_any_body(user) -> bool:
    roles = roles_of(user)
    return bool(roles.alliance_ids) or any(s.kind == SeatKind.CHAIR for s in seats_of(user))


@rules.predicate
def manages_meeting(user, meeting) -> bool:
    if meeting is None:
        return False
    roles = roles_of(user)
    if roles.is_officer:
        return True
    if meeting.alliance_id is None and Role.BOARD_CHAIR in roles.roles:
        return True
    if meeting.alliance_id is not None and meeting.alliance_id in roles.alliance_ids:
        return True
    return bool(_body_seats(user, meeting, kinds={SeatKind.CHAIR}))


@rules.predicate
def sits_at_meeting(user, meeting) -> bool:
    """A board member at a board meeting, a seat at the body's meetings (not a substitute's
    own seat), or a substitute standing in at this one."""
    if meeting is None:
        return False
    if meeting.alliance_id is None and roles_of(user).is_board:
        return True
    non_substitute = set(SeatKind.values) - {SeatKind.SUBSTITUTE}
    return bool(_body_seats(user, meeting, kinds=non_substitute)) or _standing_in(user, meeting)


@rules.predicate
def votes_at_meeting(user, meeting) -> bool:
    """Sits there and may vote: not an observer."""
    if meeting is None:
        return False
    if meeting.alliance_id is None and roles_of(user).is_board:
        return True
    voting = {SeatKind.CHAIR, SeatKind.MEMBER, SeatKind.CO_OPTED}
    return bool(_body_seats(user, meeting, kinds=voting)) or _standing_in(user, meeting)


@rules.predicate
def minutes_published(user, meeting) -> bool:
    return meeting is not None and meeting.minutes_published_at is not None


can_view_meeting = manages_meeting | sits_at_meeting

rules.add_perm("board.view_meetings", has_any_role | has_seat)
rules.add_perm("board.manage_meetings", is_officer | is_board_chair | chairs_any_body)
rules.add_perm("board.manage_meeting", manages_meeting)
rules.add_perm("board.view_meeting", can_view_meeting)
rules.add_perm("board.view_confidential", manages_meeting | votes_at_meeting)
rules.add_perm(
    "board.view_minutes", can_view_meeting | (minutes_published & (has_any_role | has_seat))
)
rules.add_perm("board.view_members", is_officer | is_board | chairs_any_body | has_seat)


def meetings_visible_to(queryset, user):
    """The meetings whose page (or published minutes) the user may open: the same rules as the
    predicates above, as one filter."""
    roles = roles_of(user)
    seats = seats_of(user)
    if not (roles.roles or seats):
        return queryset.none()
    if roles.is_officer:
        return queryset
    conditions = [Q(minutes_published_at__isnull=False)]
    if roles.is_board:
        conditions.append(Q(alliance__isnull=True))
    if roles.alliance_ids:
        conditions.append(Q(alliance_id__in=roles.alliance_ids))
    for seat in seats:
        if seat.kind == SeatKind.SUBSTITUTE:
            conditions.append(Q(attendances__substitute=seat))
        elif seat.alliance_id:
            conditions.append(Q(alliance_id=seat.alliance_id))
        else:
            conditions.append(Q(alliance__isnull=True))
    visible = queryset.filter(reduce(or_, conditions))
    return visible.distinct() if any(s.kind == SeatKind.SUBSTITUTE for s in seats) else visible
