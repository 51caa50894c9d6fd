"""Attendance, and the rule of Dorset's terms of reference: a member who missed two consecutive
meetings that were held is flagged and the chair gets a draft letter to their group."""

import pytest
from django.core.exceptions import ValidationError

from board.meeting_attendance import attendance_flags, attendance_letter, attendance_record
from board.models import Attendance, Meeting
from tests.board.conftest import make_meeting

S = Attendance.Status
HELD = Meeting.State.HELD


@pytest.fixture
def year(seats):
    """Three held meetings with a cancelled one between the last two, and one to come."""
    return {
        "autumn": make_meeting(days_ago=90, state=HELD, title="Autumn meeting"),
        "winter": make_meeting(days_ago=60, state=HELD, title="Winter meeting"),
        "snow": make_meeting(days_ago=45, state=Meeting.State.CANCELLED, title="Snow day"),
        "spring": make_meeting(days_ago=30, state=HELD, title="Spring meeting"),
        "summer": make_meeting(days_ago=-20, title="Summer meeting"),
    }


def _record(meeting, seats, **statuses):
    records = {}
    for name, status in statuses.items():
        substitute = seats.substitute if status == S.SUBSTITUTE else None
        records[getattr(seats, name)] = (status, substitute)
    attendance_record(meeting=meeting, records=records, by=None)


def _flagged(alliance=None) -> set[str]:
    return {str(flag.seat.user.email) for flag in attendance_flags(alliance=alliance)}


def test_two_held_meetings_missed_in_a_row_flag_the_member_skipping_a_cancelled_one(year, seats):
    _record(year["autumn"], seats, member="present", diocese="present", co_opted="present")
    _record(year["winter"], seats, member="apologies", diocese="absent", co_opted="apologies")
    _record(year["spring"], seats, member="absent", diocese="present", co_opted="present")
    assert _flagged() == {"member@example.org"}


def test_a_substitute_standing_in_does_not_count_as_the_member_attending(year, seats):
    _record(year["winter"], seats, member=S.SUBSTITUTE, diocese="present", co_opted="present")
    _record(year["spring"], seats, member=S.SUBSTITUTE, diocese="present", co_opted="present")
    assert _flagged() == {"member@example.org"}


def test_apologies_for_a_meeting_still_to_come_do_not_count(year, seats):
    _record(year["winter"], seats, member="present", diocese="present", co_opted="present")
    _record(year["spring"], seats, member="apologies", diocese="present", co_opted="present")
    _record(year["summer"], seats, member="apologies")
    assert _flagged() == set()


def test_a_held_meeting_with_no_attendance_recorded_counts_as_absent(year, seats):
    _record(year["winter"], seats, member="present", co_opted="present")
    _record(year["spring"], seats, member="present", co_opted="present")
    assert _flagged() == {"diocese@example.org"}


def test_observers_and_the_chair_are_not_watched(year, seats):
    for meeting in (year["winter"], year["spring"]):
        _record(meeting, seats, member="present", diocese="present", co_opted="present")
    assert _flagged() == set()  # the chair and the observer attended nothing


def test_an_alliances_members_are_watched_at_its_own_meetings(year, seats, world):
    for days in (50, 20):
        make_meeting(days_ago=days, state=HELD, alliance=world.alliance_a)
    assert _flagged(world.alliance_a) == {"ally@example.org"}


def test_the_draft_letter_goes_to_the_members_group_and_names_the_meetings(year, seats):
    _record(year["winter"], seats, member="apologies", diocese="present", co_opted="present")
    _record(year["spring"], seats, member=S.SUBSTITUTE, diocese="present", co_opted="present")
    [flag] = attendance_flags()
    letter = attendance_letter(flag=flag, chair=seats.chair.user)
    assert letter.startswith("Dear colleagues at Hampshire Primary Headteachers' Association")
    assert "fails to attend two consecutive meetings" in letter
    assert "- Winter meeting" in letter and "(apologies)" in letter
    assert "- Spring meeting" in letter and "(represented by a substitute)" in letter
    assert "Snow day" not in letter and "Autumn meeting" not in letter
    assert letter.rstrip().endswith(f"{seats.chair.user}\nChair, the board")


def test_present_and_absent_wait_until_the_meeting_is_held(year, seats):
    with pytest.raises(ValidationError, match="Only apologies and substitutes"):
        _record(year["summer"], seats, member="present")


def test_the_substitute_must_be_the_members_designated_one(year, seats):
    with pytest.raises(ValidationError, match="Select a substitute designated for"):
        attendance_record(
            meeting=year["spring"],
            records={seats.diocese: (S.SUBSTITUTE, seats.substitute)},
            by=None,
        )
    with pytest.raises(ValidationError, match="an observer or a substitute cannot send one"):
        attendance_record(
            meeting=year["spring"],
            records={seats.observer: (S.SUBSTITUTE, seats.substitute)},
            by=None,
        )


def test_attendance_is_not_recorded_for_a_cancelled_meeting(year, seats):
    with pytest.raises(ValidationError, match="cancelled meeting"):
        _record(year["snow"], seats, member="apologies")
