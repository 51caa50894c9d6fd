"""The demo's fund: loaded once whatever the number of loads, its books balance, and support
commissioned before the fund existed is committed when it is set up."""

from decimal import Decimal

from django.core.management import call_command

from board.demo_funding import demo_funding_load
from brokerage.engagements import engagement_commission
from funding.balances import alliance_position, fund_position
from funding.models import Kind, LedgerEntry

from .conftest import make_engagement


def test_the_demo_fund_has_its_income_chair_and_agreed_allocation(
    world, officer, board_chair, agreed_run
):
    world.school_a.number_of_pupils = 300
    world.school_a.save()
    fund = demo_funding_load()
    position = fund_position(fund=fund)
    pupils = sum(
        s.number_of_pupils or 0
        for s in (world.school_a, world.school_a2, world.school_b, world.school_z)
    )
    assert position.income == Decimal("140000") + 5 * pupils
    assert position.fixed_costs == Decimal("4500")
    assert fund.allocation_agreed_by == board_chair
    assert position.allocated == Decimal("40000")


def test_loading_the_demo_again_records_nothing_twice(world, officer, board_chair, agreed_run):
    demo_funding_load()
    count = LedgerEntry.objects.count()
    demo_funding_load()
    assert LedgerEntry.objects.count() == count


def test_support_commissioned_before_the_fund_is_committed_when_it_is_set_up(
    world, officer, board_chair, agreed_run, capsys
):
    engagement = make_engagement(world.school_a, world.alliance_a, "6000")
    engagement_commission(engagement=engagement, by=officer)  # no fund yet: nothing committed
    assert not LedgerEntry.objects.exists()
    fund = demo_funding_load()
    assert LedgerEntry.objects.get(kind=Kind.COMMITMENT).engagement == engagement
    assert alliance_position(fund=fund, alliance_id=world.alliance_a.pk).allocation_left == (
        Decimal("9000")
    )
    call_command("fund_check")
    assert "The books balance" in capsys.readouterr().out
