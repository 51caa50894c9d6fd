"""Membership (Dorset, Appendix 1): an independent chair, members nominated by their group,
designated substitutes, co-opted members with an end date, observers without a vote."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from board.meeting_seats import seat_add, seat_end
from board.models import BoardSeat, GroupKind, SeatKind
from partnership.models import RoleAssignment
from tests.factories import UserFactory


def test_a_board_seat_links_the_persons_board_role(seats, board_member):
    assert seats.member.role_assignment == RoleAssignment.objects.get(user=board_member)
    assert seats.member.group == "Hampshire Primary Headteachers' Association"


def test_only_voting_seats_vote_in_their_own_right(seats):
    assert [s.votes for s in (seats.chair, seats.member, seats.co_opted)] == [True] * 3
    assert not seats.observer.votes
    assert not seats.substitute.votes  # only when standing in


def test_a_co_opted_member_needs_the_date_the_co_option_ends(world):
    with pytest.raises(ValidationError) as refused:
        seat_add(
            alliance=None, user=UserFactory(), kind=SeatKind.CO_OPTED, group_name="Hub", by=None
        )
    assert refused.value.message_dict["ends_on"][0].startswith("Enter the date the co-option ends")


def test_a_member_needs_the_group_that_nominated_them(world):
    with pytest.raises(ValidationError) as refused:
        seat_add(alliance=None, user=UserFactory(), kind=SeatKind.MEMBER, by=None)
    assert refused.value.message_dict == {
        "group_name": ["Enter the group that nominated the member"]
    }


def test_a_substitute_stands_in_for_a_voting_member_of_the_same_body(seats, world):
    with pytest.raises(ValidationError) as refused:
        seat_add(
            alliance=world.alliance_a,
            user=UserFactory(),
            kind=SeatKind.SUBSTITUTE,
            substitute_for=seats.member,
            by=None,
        )
    assert "same board or alliance" in refused.value.message_dict["substitute_for"][0]
    with pytest.raises(ValidationError):
        seat_add(
            alliance=None,
            user=UserFactory(),
            kind=SeatKind.SUBSTITUTE,
            substitute_for=seats.observer,
            by=None,
        )


def test_a_body_has_one_current_chair(seats):
    with pytest.raises(ValidationError) as refused:
        seat_add(alliance=None, user=UserFactory(), kind=SeatKind.CHAIR, by=None)
    assert refused.value.message_dict == {
        "kind": ["There is already a current chair: end their seat first"]
    }


def test_a_person_holds_one_current_seat_per_body(seats, board_member):
    with pytest.raises(ValidationError, match="already has a current seat here"):
        seat_add(alliance=None, user=board_member, kind=SeatKind.OBSERVER, by=None)


def test_ending_a_members_seat_ends_their_substitutes_too(seats):
    seat_end(seat=seats.member, on=date(2025, 7, 31), by=None)
    seats.substitute.refresh_from_db()
    assert seats.substitute.ends_on == date(2025, 7, 31)
    assert not BoardSeat.objects.current().filter(pk=seats.substitute.pk).exists()


def test_an_alliance_has_its_own_seats(seats, world):
    assert list(BoardSeat.objects.of_body(world.alliance_a)) == [seats.alliance_member]
    assert seats.alliance_member.group_kind == GroupKind.TRUST
    assert seats.alliance_member not in BoardSeat.objects.of_body(None)
