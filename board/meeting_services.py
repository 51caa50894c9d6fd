"""Meetings of the board and its alliances: creating them (one at a time, or a year's schedule
from term dates) and moving them through their states.

States (README "Meetings"): scheduled → agenda published → held → minutes approved, or
cancelled before it is held. ``TRANSITIONS`` is the one table of what may follow what; every
change is kept in ``MeetingTransition`` (and the meeting's history).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from .models import AgendaItem, Meeting, MeetingTransition

State = Meeting.State
TRANSITIONS: dict[str, frozenset[str]] = {
    State.SCHEDULED: frozenset({State.AGENDA_PUBLISHED, State.CANCELLED}),
    State.AGENDA_PUBLISHED: frozenset({State.HELD, State.CANCELLED}),
    State.HELD: frozenset({State.MINUTES_APPROVED}),
    State.MINUTES_APPROVED: frozenset(),
    State.CANCELLED: frozenset(),
}
REFUSALS = {
    (State.SCHEDULED, State.HELD): "Publish the agenda before you mark the meeting as held",
    (State.HELD, State.CANCELLED): "A meeting that was held cannot be cancelled",
    (State.MINUTES_APPROVED, State.CANCELLED): "A meeting that was held cannot be cancelled",
    (State.CANCELLED, State.AGENDA_PUBLISHED): "This meeting was cancelled: schedule a new one",
    (State.CANCELLED, State.HELD): "This meeting was cancelled: schedule a new one",
}
REFUSED = "A meeting that is {was} cannot become {to}"
NOT_STARTED = "The meeting has not started yet: mark it as held once it has taken place"
CANCEL_REASON = "Enter why the meeting is cancelled"
ENDS_BEFORE_START = "The meeting must end after it starts"
NO_TERMS = "Enter the dates of at least one half term"
TERM_ENDS_BEFORE_START = "Half term {n} must end after it starts"
MEETING_LENGTH = timedelta(hours=2)  # Dorset: "Meetings will be two hours in length"
OPENING_ITEMS = (
    (AgendaItem.Kind.APOLOGIES, "Apologies for absence"),
    (AgendaItem.Kind.SUBSTITUTES, "Substitutes"),
    (AgendaItem.Kind.DECLARATIONS, "Declarations of interest"),
    (AgendaItem.Kind.MINUTES, "Minutes of the last meeting"),
)
HALF_TERM_NAMES = ("autumn 1", "autumn 2", "spring 1", "spring 2", "summer 1", "summer 2")


def meeting_previous(meeting: Meeting) -> Meeting | None:
    """The body's last meeting before this one that was not cancelled."""
    return (
        Meeting.objects.of_body(meeting.alliance)
        .filter(starts_at__lt=meeting.starts_at)
        .exclude(state=State.CANCELLED)
        .exclude(pk=meeting.pk)
        .order_by("-starts_at")
        .first()
    )


def _opening_items(meeting: Meeting) -> None:
    previous = meeting_previous(meeting)
    AgendaItem.objects.bulk_create(
        AgendaItem(
            meeting=meeting,
            position=position,
            kind=kind,
            title=title,
            minutes_of=previous if kind == AgendaItem.Kind.MINUTES else None,
            description=f"To approve the minutes of {previous} as a correct record"
            if kind == AgendaItem.Kind.MINUTES and previous
            else "",
        )
        for position, (kind, title) in enumerate(OPENING_ITEMS, 1)
    )


@transaction.atomic
def meeting_create(
    *,
    alliance,
    title: str,
    starts_at: datetime,
    ends_at: datetime | None = None,
    kind: str = Meeting.Kind.HALF_TERMLY,
    location: str = "",
    by,
) -> Meeting:
    """Schedule a meeting of the board (``alliance`` None) or of an alliance, with the standard
    opening items of its agenda: apologies, substitutes, declarations, the last minutes."""
    ends_at = ends_at or starts_at + MEETING_LENGTH
    if ends_at <= starts_at:
        raise ValidationError({"ends_at": ENDS_BEFORE_START})
    meeting = Meeting(
        alliance=alliance,
        title=title.strip(),
        kind=kind,
        starts_at=starts_at,
        ends_at=ends_at,
        location=location.strip(),
    )
    meeting._history_user = by
    meeting.save()
    _opening_items(meeting)
    return meeting


def _at(day: date, at: time) -> datetime:
    return timezone.make_aware(datetime.combine(day, at))


def _weekday_from(day: date, weekday: int) -> date:
    return day + timedelta(days=(weekday - day.weekday()) % 7)


@dataclass(frozen=True)
class HalfTerm:
    starts_on: date
    ends_on: date


def schedule_dates(half_terms: list[HalfTerm], *, weekday: int) -> list[tuple[str, str, date]]:
    """The year's meetings from its half terms (Dorset: "half-termly (in addition to one meeting
    to review results and confirm priorities at the beginning of each academic year)"): the
    results meeting in the second week of the first half term, then one meeting in the fourth
    week of each half term (or its last week, if shorter), on the given weekday."""
    if not half_terms:
        raise ValidationError(NO_TERMS)
    for n, term in enumerate(half_terms, 1):
        if term.ends_on <= term.starts_on:
            raise ValidationError(TERM_ENDS_BEFORE_START.format(n=n))
    first = half_terms[0]
    year = first.starts_on.year if first.starts_on.month >= 8 else first.starts_on.year - 1
    dates = [
        (
            Meeting.Kind.RESULTS,
            f"Results and priorities meeting {year} to {year + 1}",
            _weekday_from(first.starts_on + timedelta(days=7), weekday),
        )
    ]
    for n, term in enumerate(half_terms):
        day = _weekday_from(term.starts_on + timedelta(days=21), weekday)
        if day > term.ends_on:
            day = _weekday_from(term.ends_on - timedelta(days=6), weekday)
        name = HALF_TERM_NAMES[n] if n < len(HALF_TERM_NAMES) else f"half term {n + 1}"
        dates.append((Meeting.Kind.HALF_TERMLY, f"Half-termly meeting, {name} {day.year}", day))
    return dates


@transaction.atomic
def meeting_schedule_create(
    *, alliance, half_terms: list[HalfTerm], weekday: int, at: time, location: str = "", by
) -> list[Meeting]:
    """Create a year's meetings of a body from its half terms; a day that already has a
    meeting of the body is left as it is (running it twice creates nothing more)."""
    taken = set(
        Meeting.objects.of_body(alliance)
        .filter(starts_at__date__gte=half_terms[0].starts_on if half_terms else date.min)
        .values_list("starts_at__date", flat=True)
    )
    created = []
    for kind, title, day in schedule_dates(half_terms, weekday=weekday):
        if day in taken:
            continue
        created.append(
            meeting_create(
                alliance=alliance,
                title=title,
                kind=kind,
                starts_at=_at(day, at),
                location=location,
                by=by,
            )
        )
    return created


def _refusal(was: str, to: str) -> str:
    return REFUSALS.get(
        (was, to),
        REFUSED.format(was=State(was).label.lower(), to=State(to).label.lower()),
    )


@transaction.atomic
def meeting_transition(*, meeting: Meeting, to: str, by, note: str = "") -> Meeting:
    """Move a meeting to another state if the table allows it, keeping the change."""
    locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if to not in TRANSITIONS[locked.state]:
        raise ValidationError(_refusal(locked.state, to))
    if to == State.HELD and locked.starts_at > timezone.now():
        raise ValidationError(NOT_STARTED)
    if to == State.CANCELLED and not note.strip():
        raise ValidationError({"note": CANCEL_REASON})
    MeetingTransition.objects.create(
        meeting=locked, from_state=locked.state, to_state=to, by=by, note=note.strip()
    )
    locked.state = to
    if to == State.AGENDA_PUBLISHED:
        locked.agenda_published_at = timezone.now()
    locked._history_user = by
    locked._change_reason = note.strip()[:100]
    locked.save()
    meeting.state, meeting.agenda_published_at = locked.state, locked.agenda_published_at
    return locked


def meeting_hold(*, meeting: Meeting, by) -> Meeting:
    """Record that the meeting took place."""
    return meeting_transition(meeting=meeting, to=State.HELD, by=by)


def meeting_cancel(*, meeting: Meeting, reason: str, by) -> Meeting:
    """Cancel a meeting that has not been held, with the reason."""
    return meeting_transition(meeting=meeting, to=State.CANCELLED, by=by, note=reason)
