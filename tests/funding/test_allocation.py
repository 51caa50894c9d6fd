"""Allocation by need from the agreed categorisation, shown with its effect before the board
agrees it."""

from decimal import Decimal

from funding.allocation import allocation_agree, allocation_preview, focused_schools
from funding.balances import alliance_position, fund_position
from funding.ledger import new_key
from funding.models import Allocation, Fund, Kind, LedgerEntry
from funding.services import tariff_set

from .conftest import fund_with_income

D = Decimal


def test_need_counts_focused_schools_by_alliance_and_band(world, agreed_run):
    counts = focused_schools(run=agreed_run)
    assert counts == {
        world.alliance_a.pk: {"medium": 1},
        world.alliance_b.pk: {"high": 1},
        None: {"low": 1},
    }


def test_when_money_is_short_pro_rata_shares_it_in_proportion_to_need(world, officer, agreed_run):
    fund = fund_with_income(world.partnership, officer, amount="24500")  # budget £20,000
    preview = allocation_preview(fund=fund, rule=Fund.Rule.PRO_RATA)
    shares = {s.alliance.name: s.allocation for s in preview.shares}
    assert shares == {"North Alliance": D("7500.00"), "South Alliance": D("12500.00")}
    assert preview.is_short and preview.allocated == D("20000")


def test_by_priority_high_band_schools_are_funded_first(world, officer, agreed_run):
    fund = fund_with_income(world.partnership, officer, amount="34500")  # budget £30,000
    preview = allocation_preview(fund=fund, rule=Fund.Rule.PRIORITY)
    shares = {s.alliance.name: s.allocation for s in preview.shares}
    assert shares == {"North Alliance": D("5000.00"), "South Alliance": D("25000.00")}


def test_the_tariff_sets_the_need(world, officer, agreed_run):
    fund = fund_with_income(world.partnership, officer)
    tariff_set(fund=fund, amounts={"medium": D("10000")}, by=officer)
    preview = allocation_preview(fund=fund, rule=Fund.Rule.PRO_RATA)
    assert {s.alliance.name: s.need for s in preview.shares}["North Alliance"] == D("10000")


def test_agreeing_records_who_when_and_the_board_decision(world, officer, board_chair, agreed_run):
    fund = fund_with_income(world.partnership, officer)
    fund = allocation_agree(
        fund=fund,
        rule=Fund.Rule.PRO_RATA,
        by=board_chair,
        decision="Minute 7",
        idempotency_key=new_key(),
    )
    assert (fund.allocation_agreed_by, fund.allocation_decision) == (board_chair, "Minute 7")
    assert fund.allocation_run == agreed_run
    assert Allocation.objects.get(fund=fund, alliance=world.alliance_b).amount == D("25000")


def test_agreeing_again_reverses_the_earlier_allocation(world, officer, fund):
    tariff_set(fund=fund, amounts={"high": D("20000")}, by=officer)
    allocation_agree(fund=fund, rule=Fund.Rule.PRO_RATA, by=officer, idempotency_key=new_key())
    assert alliance_position(fund=fund, alliance_id=world.alliance_b.pk).allocated == D("20000")
    assert LedgerEntry.objects.filter(kind=Kind.ALLOCATION, reverses__isnull=False).count() == 2
    assert fund_position(fund=fund).allocated == D("35000")


def test_agreeing_twice_with_the_same_form_posts_once(world, officer, agreed_run):
    fund = fund_with_income(world.partnership, officer)
    for _ in range(2):
        allocation_agree(fund=fund, rule=Fund.Rule.PRO_RATA, by=officer, idempotency_key="k")
    assert LedgerEntry.objects.filter(kind=Kind.ALLOCATION).count() == 2  # one per alliance
