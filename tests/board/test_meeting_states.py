"""Meetings move scheduled → agenda published → held → minutes approved, or are cancelled; a
year's schedule comes from term dates; each meeting is a calendar invitation."""

from datetime import UTC, date, time, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from board.meeting_ics import ics_fold, meeting_ics
from board.meeting_services import (
    TRANSITIONS,
    HalfTerm,
    meeting_cancel,
    meeting_schedule_create,
    meeting_transition,
)
from board.models import AgendaItem, Meeting
from tests.board.conftest import make_meeting

State = Meeting.State
ALL = [s.value for s in State]


@pytest.mark.parametrize("start", ALL)
@pytest.mark.parametrize("to", ALL)
def test_only_the_transitions_of_the_table_are_allowed(db, start, to):
    meeting = make_meeting(days_ago=1, state=start)
    if to in TRANSITIONS[start] and to != State.CANCELLED:
        meeting_transition(meeting=meeting, to=to, by=None)
        assert Meeting.objects.get(pk=meeting.pk).state == to
    elif to == State.CANCELLED and to in TRANSITIONS[start]:
        meeting_cancel(meeting=meeting, reason="The chair is ill", by=None)
        assert Meeting.objects.get(pk=meeting.pk).state == State.CANCELLED
    else:
        with pytest.raises(ValidationError):
            meeting_transition(meeting=meeting, to=to, by=None, note="x")
        assert Meeting.objects.get(pk=meeting.pk).state == start


def test_a_refused_transition_says_what_to_do(db):
    meeting = make_meeting(days_ago=1)
    with pytest.raises(ValidationError) as refused:
        meeting_transition(meeting=meeting, to=State.HELD, by=None)
    assert refused.value.messages == ["Publish the agenda before you mark the meeting as held"]
    cancelled = make_meeting(days_ago=1, state=State.CANCELLED)
    with pytest.raises(ValidationError) as refused:
        meeting_transition(meeting=cancelled, to=State.AGENDA_PUBLISHED, by=None)
    assert refused.value.messages == ["This meeting was cancelled: schedule a new one"]


def test_a_meeting_cannot_be_held_before_it_starts(db):
    meeting = make_meeting(days_ago=-3, state=State.AGENDA_PUBLISHED)
    with pytest.raises(ValidationError, match="has not started yet"):
        meeting_transition(meeting=meeting, to=State.HELD, by=None)


def test_cancelling_needs_a_reason_and_the_history_keeps_it(db, officer):
    meeting = make_meeting(days_ago=-3)
    with pytest.raises(ValidationError) as refused:
        meeting_cancel(meeting=meeting, reason=" ", by=officer)
    assert refused.value.message_dict == {"note": ["Enter why the meeting is cancelled"]}
    meeting_cancel(meeting=meeting, reason="Snow closed the venue", by=officer)
    [change] = meeting.transitions.all()
    assert (change.from_state, change.to_state, change.by, change.note) == (
        State.SCHEDULED,
        State.CANCELLED,
        officer,
        "Snow closed the venue",
    )
    assert meeting.history.first().history_user == officer


def test_a_new_meeting_opens_with_the_standard_items_and_the_last_minutes(db):
    previous = make_meeting(days_ago=40, state=State.HELD, title="Autumn 1")
    make_meeting(days_ago=20, state=State.CANCELLED, title="Cancelled one")
    meeting = make_meeting(days_ago=-5)
    items = list(meeting.items.order_by("position"))
    assert [i.title for i in items] == [
        "Apologies for absence",
        "Substitutes",
        "Declarations of interest",
        "Minutes of the last meeting",
    ]
    assert items[3].kind == AgendaItem.Kind.MINUTES and items[3].minutes_of == previous


HALF_TERMS = [
    HalfTerm(date(2025, 9, 2), date(2025, 10, 24)),
    HalfTerm(date(2025, 11, 3), date(2025, 12, 19)),
    HalfTerm(date(2026, 1, 5), date(2026, 2, 13)),
    HalfTerm(date(2026, 2, 23), date(2026, 3, 27)),
    HalfTerm(date(2026, 4, 13), date(2026, 5, 22)),
    HalfTerm(date(2026, 6, 1), date(2026, 7, 21)),
]


def test_a_years_schedule_is_a_results_meeting_and_one_a_half_term(db, officer):
    created = meeting_schedule_create(
        alliance=None, half_terms=HALF_TERMS, weekday=2, at=time(16, 0), by=officer
    )
    assert len(created) == 7
    results, *half_termly = sorted(created, key=lambda m: m.starts_at)
    assert results.kind == Meeting.Kind.RESULTS
    assert results.title == "Results and priorities meeting 2025 to 2026"
    assert timezone.localtime(results.starts_at).date() == date(2025, 9, 10)
    for meeting, term in zip(half_termly, HALF_TERMS, strict=True):
        day = timezone.localtime(meeting.starts_at)
        assert term.starts_on <= day.date() <= term.ends_on
        assert (day.weekday(), day.time()) == (2, time(16, 0))
        assert meeting.ends_at - meeting.starts_at == timedelta(hours=2)
    assert half_termly[0].title == "Half-termly meeting, autumn 1 2025"


def test_scheduling_the_year_twice_creates_nothing_more(db, officer):
    meeting_schedule_create(alliance=None, half_terms=HALF_TERMS, weekday=2, at=time(16), by=None)
    again = meeting_schedule_create(
        alliance=None, half_terms=HALF_TERMS, weekday=2, at=time(16), by=None
    )
    assert again == [] and Meeting.objects.count() == 7


def test_half_terms_must_end_after_they_start(db):
    with pytest.raises(ValidationError, match="Half term 1 must end after it starts"):
        meeting_schedule_create(
            alliance=None,
            half_terms=[HalfTerm(date(2025, 9, 5), date(2025, 9, 1))],
            weekday=0,
            at=time(9),
            by=None,
        )


def _unfold(text: str) -> list[str]:
    return text.replace("\r\n ", "").split("\r\n")


def test_the_invitation_is_an_rfc_5545_event_in_utc(db):
    meeting = make_meeting(days_ago=-10)
    meeting.title = "Board meeting; autumn, with results"
    meeting.location = "Room 1, Elizabeth II Court"
    meeting.save()
    text = meeting_ics(meeting=meeting, url="https://example.org/meetings/1/", domain="example.org")
    assert text.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n") and text.endswith(
        "END:VCALENDAR\r\n"
    )
    lines = _unfold(text)
    assert f"UID:meeting-{meeting.pk}@example.org" in lines
    assert f"DTSTART:{meeting.starts_at.astimezone(UTC):%Y%m%dT%H%M%SZ}" in lines
    assert "SUMMARY:Board meeting\\; autumn\\, with results" in lines
    assert "LOCATION:Room 1\\, Elizabeth II Court" in lines
    assert "STATUS:CONFIRMED" in lines and "METHOD:PUBLISH" in lines
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))


def test_a_cancelled_meetings_invitation_cancels_it(db):
    meeting = make_meeting(days_ago=-10)
    meeting_cancel(meeting=meeting, reason="Snow", by=None)
    lines = _unfold(meeting_ics(meeting=meeting, url="https://x.org/", domain="x.org"))
    assert "STATUS:CANCELLED" in lines and "METHOD:CANCEL" in lines and "SEQUENCE:1" in lines


def test_long_lines_fold_without_splitting_a_character():
    line = "DESCRIPTION:" + "é" * 60
    folded = ics_fold(line)
    assert all(len(part.encode()) <= 75 for part in folded.split("\r\n"))
    assert folded.replace("\r\n ", "") == line
