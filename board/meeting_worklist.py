"""What the meetings put on people's home pages ("Waiting for you"): letters the chair should
write, approved minutes to publish, and the next meetings whose agenda is out."""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from kernel.worklist import WorkItem, worklist_register
from partnership.models import Alliance
from partnership.permissions import roles_of

from .meeting_attendance import attendance_flags
from .meeting_rules import manages_meeting, seats_of
from .models import Meeting, SeatKind

EXAMPLES = 3
AHEAD = timedelta(days=30)


def _managed_bodies(user) -> list:
    """The bodies (None for the board) whose chair writes the letters: the board for officers
    and its chair, an alliance for its chair (officers leave alliances' letters to them)."""
    bodies = [None] if manages_meeting(user, Meeting(alliance=None)) else []
    chaired = set(roles_of(user).alliance_ids) | {
        seat.alliance_id for seat in seats_of(user) if seat.kind == SeatKind.CHAIR
    }
    return bodies + list(Alliance.objects.active().filter(pk__in=chaired - {None}))


def letters_to_write(*, user) -> list[WorkItem]:
    """Members who missed two meetings in a row, for those who manage their body's meetings."""
    flags = [flag for body in _managed_bodies(user) for flag in attendance_flags(alliance=body)]
    examples = tuple(
        (
            f"{flag.seat.user}: letter to {flag.seat.group}",
            reverse("board:member-letter", args=[flag.seat.pk]),
        )
        for flag in flags[:EXAMPLES]
    )
    return [
        WorkItem("Members who missed two meetings", len(flags), reverse("board:members"), examples)
    ]


def minutes_to_publish(*, user) -> list[WorkItem]:
    """Approved minutes not yet published, for those who manage the meeting."""
    waiting = [
        meeting
        for meeting in Meeting.objects.visible_to(user)
        .filter(state=Meeting.State.MINUTES_APPROVED, minutes_published_at__isnull=True)
        .select_related("alliance")
        .order_by("starts_at")[:20]
        if manages_meeting(user, meeting)
    ]
    examples = tuple(
        (m.title, reverse("board:meeting-detail", args=[m.pk])) for m in waiting[:EXAMPLES]
    )
    return [WorkItem("Minutes to publish", len(waiting), reverse("board:meeting-list"), examples)]


def agendas_to_read(*, user) -> list[WorkItem]:
    """Meetings in the next 30 days whose agenda is published, for those who sit there."""
    now = timezone.now()
    upcoming = [
        meeting
        for meeting in Meeting.objects.visible_to(user)
        .filter(state=Meeting.State.AGENDA_PUBLISHED, starts_at__gte=now, starts_at__lt=now + AHEAD)
        .order_by("starts_at")[:20]
        if user.has_perm("board.view_meeting", meeting)
    ]
    examples = tuple(
        (
            f"{m.title}, {date_format(timezone.localtime(m.starts_at), 'j F')}",
            reverse("board:meeting-detail", args=[m.pk]),
        )
        for m in upcoming[:EXAMPLES]
    )
    return [
        WorkItem(
            "Agendas for coming meetings", len(upcoming), reverse("board:meeting-list"), examples
        )
    ]


def register() -> None:
    worklist_register("board_letters", letters_to_write, order=60)
    worklist_register("board_minutes", minutes_to_publish, order=61)
    worklist_register("board_agendas", agendas_to_read, order=62)
