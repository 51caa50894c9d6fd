# ruff: noqa: F811 - the fund's fixtures (tests/funding/conftest.py) are imported, then requested
"""The meetings read support and the fund (standing items: cases past the time-to-support
target, the fund's position) and write back to them (decisions: agree the fund's allocation,
approve support above the commissioning limit or an overdraw)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from board.meeting_agenda import agenda_item_add, agenda_publish
from board.meeting_decisions import decision_record
from board.models import AgendaItem, Decision, Meeting
from brokerage.case_services import case_commission
from brokerage.models import SupportCase
from funding.balances import engagement_position
from funding.models import OverdrawApproval
from tests.board.conftest import make_meeting
from tests.brokerage.engagement_world import engagement_make
from tests.funding.conftest import agreed_run, fund, fund_with_income  # noqa: F401 - fixtures

pytestmark = pytest.mark.django_db
CARRIED = Decision.Outcome.CARRIED


def _standing(meeting) -> dict[str, AgendaItem]:
    return {i.source_key: i for i in meeting.items.filter(kind=AgendaItem.Kind.STANDING)}


def _case(school, alliance, days_ago: int) -> SupportCase:
    return SupportCase.objects.create(
        school=school,
        alliance=alliance,
        origin=SupportCase.Origin.REQUEST,
        requested_at=timezone.now() - timedelta(days=days_ago),
    )


@pytest.fixture
def held_item(seats):
    meeting = make_meeting(days_ago=0, state=Meeting.State.AGENDA_PUBLISHED)
    return agenda_item_add(meeting=meeting, title="Support and the fund", by=None)


def test_the_agenda_lists_cases_past_the_target_for_the_body(world, seats):
    late = _case(world.school_a, world.alliance_a, days_ago=45)
    _case(world.school_b, world.alliance_b, days_ago=5)
    board = make_meeting(days_ago=-3)
    agenda_publish(meeting=board, by=None)
    item = _standing(board)["cases_past_target"]
    assert (
        item.snapshot["summary"] == "1 support case not commissioned within 30 days of the request."
    )
    assert item.snapshot["rows"][0][0] == world.school_a.name
    assert item.snapshot["rows"][0][4] == "45"
    assert item.snapshot["school_ids"] == [late.school_id]
    alliance_b = make_meeting(days_ago=-3, alliance=world.alliance_b)
    agenda_publish(meeting=alliance_b, by=None)
    assert _standing(alliance_b)["cases_past_target"].snapshot["rows"] == []


def test_the_agenda_shows_the_funds_position_and_each_alliances_money(world, seats, fund):
    meeting = make_meeting(days_ago=-3)
    agenda_publish(meeting=meeting, by=None)
    snapshot = _standing(meeting)["fund_position"].snapshot
    assert snapshot["summary"].startswith(f"{fund.name} fund: budget £95,500.00, allocated")
    assert [row[0] for row in snapshot["rows"]] == sorted(
        [world.alliance_a.name, world.alliance_b.name]
    )


def test_agreeing_the_allocation_writes_it_back_with_the_decision(
    world, officer, agreed_run, held_item
):
    unallocated = fund_with_income(world.partnership, officer)
    decision = decision_record(
        item=held_item,
        text="The board agrees the allocation pro rata",
        kind="agree_allocation",
        subject=unallocated,
        outcome=CARRIED,
        by=officer,
    )
    unallocated.refresh_from_db()
    assert unallocated.allocation_agreed_at is not None
    assert unallocated.allocation_agreed_by == officer
    assert f"(decision {decision.pk})" in unallocated.allocation_decision
    assert unallocated.allocations.filter(alliance=world.alliance_a, amount__gt=0).exists()


def test_an_alliance_meeting_is_not_offered_the_funds_allocation(world, officer, agreed_run):
    from board.support_registrations import funds_to_allocate

    fund_with_income(world.partnership, officer)
    alliance_meeting = make_meeting(alliance=world.alliance_a)
    assert not funds_to_allocate(meeting=alliance_meeting).exists()
    assert funds_to_allocate(meeting=make_meeting()).count() == 1


def test_approving_support_above_the_limit_and_the_allocation_lets_it_be_commissioned(
    world, officer, fund, held_item
):
    engagement = engagement_make(school=world.school_a, alliance=world.alliance_a, cost="40000")
    decision = decision_record(
        item=held_item,
        text="The board approves the support for School A beyond the alliance's allocation",
        kind="approve_support",
        subject=engagement,
        outcome=CARRIED,
        by=officer,
    )
    approval = OverdrawApproval.objects.get(engagement=engagement)
    assert f"(decision {decision.pk})" in approval.reference
    engagement.case.refresh_from_db()
    assert engagement.case.board_decision_reference == approval.reference
    case_commission(case=engagement.case, by=officer)  # no reference typed: the board's stands
    assert engagement_position(engagement_id=engagement.pk).committed == 40000


def test_support_not_approved_is_not_written_back(world, officer, fund, held_item):
    engagement = engagement_make(school=world.school_a, alliance=world.alliance_a, cost="40000")
    decision_record(
        item=held_item,
        text="The board does not approve",
        kind="approve_support",
        subject=engagement,
        outcome=Decision.Outcome.LOST,
        by=officer,
    )
    assert not OverdrawApproval.objects.filter(engagement=engagement).exists()
