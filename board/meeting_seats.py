"""Membership of the board and of each alliance's meetings: seats given and ended."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from partnership.models import Role, RoleAssignment

from .models import BoardSeat, SeatKind

GROUP_NEEDED = "Enter the group that nominated the member"
END_NEEDED = "Enter the date the co-option ends: co-opted members serve for a project or period"
MEMBER_NEEDED = "Select the member this person substitutes for"
NOT_A_MEMBER = "A substitute stands in for a member of the same board or alliance"
ONLY_SUBSTITUTES = "Only a substitute stands in for a member"
ALREADY_SEATED = "{name} already has a current seat here"
ONE_CHAIR = "There is already a current chair: end their seat first"
ENDS_BEFORE_START = "The seat must end after it starts"


def _check(seat: BoardSeat) -> None:
    nominated = seat.kind in (SeatKind.MEMBER, SeatKind.CO_OPTED)
    if nominated and not seat.group_name.strip() and not seat.group_kind:
        raise ValidationError({"group_name": GROUP_NEEDED})
    if seat.kind == SeatKind.CO_OPTED and not seat.ends_on:
        raise ValidationError({"ends_on": END_NEEDED})
    if seat.ends_on and seat.ends_on < seat.starts_on:
        raise ValidationError({"ends_on": ENDS_BEFORE_START})
    if seat.kind == SeatKind.SUBSTITUTE:
        member = seat.substitute_for
        if member is None:
            raise ValidationError({"substitute_for": MEMBER_NEEDED})
        if member.alliance_id != seat.alliance_id or not member.votes:
            raise ValidationError({"substitute_for": NOT_A_MEMBER})
    elif seat.substitute_for_id:
        raise ValidationError({"substitute_for": ONLY_SUBSTITUTES})
    current = BoardSeat.objects.of_body(seat.alliance).current(on=seat.starts_on)
    if current.filter(user=seat.user).exists():
        raise ValidationError(ALREADY_SEATED.format(name=seat.user))
    if seat.kind == SeatKind.CHAIR and current.filter(kind=SeatKind.CHAIR).exists():
        raise ValidationError({"kind": ONE_CHAIR})


@transaction.atomic
def seat_add(
    *,
    alliance,
    user,
    kind: str,
    group_kind: str = "",
    group_name: str = "",
    substitute_for: BoardSeat | None = None,
    purpose: str = "",
    starts_on: date | None = None,
    ends_on: date | None = None,
    by,
) -> BoardSeat:
    """Give a person a seat at the board's meetings (``alliance`` None) or an alliance's; a
    board seat links the person's board role, where they hold one."""
    seat = BoardSeat(
        alliance=alliance,
        user=user,
        kind=kind,
        group_kind=group_kind,
        group_name=group_name.strip(),
        substitute_for=substitute_for,
        purpose=purpose.strip(),
        starts_on=starts_on or timezone.localdate(),
        ends_on=ends_on,
    )
    _check(seat)
    if alliance is None:
        seat.role_assignment = (
            RoleAssignment.objects.current()
            .filter(user=user, role__in=[Role.BOARD_CHAIR, Role.BOARD_MEMBER])
            .first()
        )
    seat._history_user = by
    seat.save()
    return seat


@transaction.atomic
def seat_end(*, seat: BoardSeat, on: date, by) -> BoardSeat:
    """End a seat (and the seats of its substitutes) on a date."""
    if on < seat.starts_on:
        raise ValidationError({"ends_on": ENDS_BEFORE_START})
    for held in [seat, *seat.substitutes.filter(ends_on__isnull=True)]:
        held.ends_on = on
        held._history_user = by
        held.save(update_fields=["ends_on"])
    return seat
