"""The demo board: seats of every kind, three held meetings and one to come, the flag and
draft letter for the member who missed the last two, the decision that agreed the run, and
published minutes with the confidential item and school names left out."""

import pytest

from board.demo_meetings import demo_meetings_load
from board.meeting_attendance import attendance_flags
from board.models import BoardSeat, Decision, Meeting, SeatKind
from tests.categorisation.factories import build_categorised


@pytest.fixture
def demo(world, officer, board_chair, board_member):
    categorised = build_categorised(world, officer)
    emails = demo_meetings_load(password="demo password")
    return categorised, emails


def test_the_demo_board_has_every_kind_of_seat(demo):
    kinds = set(BoardSeat.objects.values_list("kind", flat=True))
    assert kinds == set(SeatKind.values)
    assert "substitute@example.org" in demo[1]


def test_the_demo_has_three_held_meetings_and_one_to_come(demo):
    states = list(Meeting.objects.order_by("starts_at").values_list("state", flat=True))
    assert states == ["minutes_approved", "minutes_approved", "held", "scheduled"]
    assert Meeting.objects.filter(minutes_published_at__isnull=False).count() == 1


def test_the_demo_flags_the_member_who_missed_the_last_two_meetings(demo):
    [flag] = attendance_flags()
    assert flag.seat.user.email == "diocese@example.org"


def test_the_demo_links_the_decision_to_the_agreed_run(demo):
    categorised, _ = demo
    decision = Decision.objects.get(kind="agree_run")
    assert decision.subject == categorised.agreed


def test_the_demo_minutes_hide_the_confidential_item_and_the_school(as_user, demo, head_a):
    published = Meeting.objects.get(minutes_published_at__isnull=False)
    page = as_user("head_a").get(f"/meetings/{published.pk}/minutes/").content.decode()
    assert "long-term" not in page and "School A" in page
    school = published.items.get(title="A school causing concern").schools.get()
    assert school.name not in page


def test_loading_the_demo_twice_adds_nothing_and_keeps_the_logins(demo):
    assert demo_meetings_load(password="new password") == demo[1]
    assert Meeting.objects.count() == 4
    assert BoardSeat.objects.get(kind=SeatKind.OBSERVER).user.check_password("new password")
