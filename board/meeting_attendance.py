"""Attendance at meetings, the two-missed-meetings rule, and declarations of interest."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from .models import AgendaItem, Attendance, BoardSeat, Declaration, Meeting, SeatKind

Status = Attendance.Status
NOT_THIS_BODY = "{name} does not sit at this meeting"
NOT_THEIR_SUBSTITUTE = "Select a substitute designated for {name}"
SUBSTITUTE_NEEDED = "Select the substitute who stood in for {name}"
NO_SUBSTITUTE_FOR = "{name} has no substitute: an observer or a substitute cannot send one"
CANCELLED = "Attendance is not recorded for a cancelled meeting"
NOT_HELD_YET = "Only apologies and substitutes can be recorded before the meeting is held"
INTEREST_NEEDED = "Enter the interest declared"
DECLARING_SEAT = "Select someone who attends this meeting"
# Seats whose attendance the two-meetings rule watches: the chair writes the letters.
WATCHED = (SeatKind.MEMBER, SeatKind.CO_OPTED)


def seats_at(meeting: Meeting):
    """The seats at a meeting: those of its body current on its day (substitutes included)."""
    return (
        BoardSeat.objects.of_body(meeting.alliance)
        .current(on=timezone.localdate(meeting.starts_at))
        .select_related("user", "substitute_for__user")
    )


def _check_one(meeting: Meeting, seat: BoardSeat, status: str, substitute: BoardSeat | None):
    name = str(seat.user)
    if seat.alliance_id != meeting.alliance_id or seat.kind == SeatKind.SUBSTITUTE:
        raise ValidationError(NOT_THIS_BODY.format(name=name))
    if status == Status.SUBSTITUTE:
        if seat.kind not in (SeatKind.MEMBER, SeatKind.CO_OPTED, SeatKind.CHAIR):
            raise ValidationError(NO_SUBSTITUTE_FOR.format(name=name))
        if substitute is None:
            raise ValidationError(SUBSTITUTE_NEEDED.format(name=name))
        if substitute.substitute_for_id != seat.pk:
            raise ValidationError(NOT_THEIR_SUBSTITUTE.format(name=name))
    if not meeting.was_held and status in (Status.PRESENT, Status.ABSENT):
        raise ValidationError(NOT_HELD_YET)


@transaction.atomic
def attendance_record(*, meeting: Meeting, records: dict, by) -> list[Attendance]:
    """Record attendance: ``records`` maps a seat to ``(status, substitute seat or None)``.
    Before the meeting only apologies and substitutes (sent in advance) can be recorded."""
    if meeting.state == Meeting.State.CANCELLED:
        raise ValidationError(CANCELLED)
    saved = []
    for seat, (status, substitute) in records.items():
        _check_one(meeting, seat, status, substitute if status == Status.SUBSTITUTE else None)
        attendance, _ = Attendance.objects.update_or_create(
            meeting=meeting,
            seat=seat,
            defaults={
                "status": status,
                "substitute": substitute if status == Status.SUBSTITUTE else None,
            },
        )
        saved.append(attendance)
    return saved


@dataclass(frozen=True)
class AttendanceFlag:
    """A member who missed the last two meetings of their body that were held."""

    seat: BoardSeat
    missed: tuple[Meeting, ...]
    statuses: tuple[str, ...]


def attendance_flags(*, alliance=None) -> list[AttendanceFlag]:
    """Members who missed two consecutive meetings that were held (Dorset School Improvement
    Board, terms of reference, Appendix 1: "If a member fails to attend two consecutive
    meetings, the Chairperson will write to the relevant group to bring it to their
    attention.").

    Only meetings that were held count (cancelled and future ones are skipped); apologies count
    as missed; a substitute standing in does not count as the member attending (the rule asks
    the member to attend); a held meeting with no attendance recorded for the member counts as
    absent. Three queries whatever the number of members.
    """
    held = list(Meeting.objects.of_body(alliance).held().order_by("-starts_at")[:50])
    seats = list(
        BoardSeat.objects.of_body(alliance)
        .current()
        .filter(kind__in=WATCHED)
        .select_related("user")
    )
    statuses: dict[tuple[int, int], str] = defaultdict(lambda: Status.ABSENT)
    for meeting_id, seat_id, status in Attendance.objects.filter(
        meeting__in=held, seat__in=seats
    ).values_list("meeting_id", "seat_id", "status"):
        statuses[(meeting_id, seat_id)] = status
    flags = []
    for seat in seats:
        eligible = [m for m in held if timezone.localdate(m.starts_at) >= seat.starts_on][:2]
        if len(eligible) < 2:
            continue
        last_two = tuple(statuses[(m.pk, seat.pk)] for m in eligible)
        if all(status != Status.PRESENT for status in last_two):
            flags.append(AttendanceFlag(seat, tuple(reversed(eligible)), tuple(reversed(last_two))))
    return flags


def attendance_letter(*, flag: AttendanceFlag, chair) -> str:
    """The chair's draft letter to the member's nominating group (plain text to edit)."""
    return render_to_string(
        "board/meetings/attendance_letter.txt",
        {
            "seat": flag.seat,
            "missed": [
                (meeting, Status(status).label)
                for meeting, status in zip(flag.missed, flag.statuses, strict=True)
            ],
            "chair": chair or "The chair",
        },
    ).strip()


@transaction.atomic
def declaration_record(*, item: AgendaItem, seat: BoardSeat, interest: str, by) -> Declaration:
    """Record a declaration of interest in an item: the declaring person does not vote on it."""
    if not interest.strip():
        raise ValidationError({"interest": INTEREST_NEEDED})
    if seat.alliance_id != item.meeting.alliance_id:
        raise ValidationError({"seat": DECLARING_SEAT})
    declaration, _ = Declaration.objects.update_or_create(
        item=item, seat=seat, defaults={"interest": interest.strip()}
    )
    return declaration
