"""Commissioning commits the cost against the alliance's allocation; a commitment that would
overdraw is refused unless the board decided otherwise; payments record spend with VAT; an
ended engagement releases what was not spent."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from brokerage.engagements import engagement_commission, engagement_end
from funding.balances import alliance_position, engagement_position, fund_position
from funding.ledger import new_key
from funding.models import Kind, LedgerEntry
from funding.services import overdraw_approve, payment_record

from .conftest import make_engagement

D = Decimal


def test_the_allocation_meets_each_alliances_need_when_the_money_covers_it(world, fund):
    assert alliance_position(fund=fund, alliance_id=world.alliance_a.pk).allocated == D("15000")
    assert alliance_position(fund=fund, alliance_id=world.alliance_b.pk).allocated == D("25000")
    assert fund_position(fund=fund).budget == D("95500")


def test_commissioning_commits_the_cost_against_the_alliances_allocation(
    world, fund, engagement, officer
):
    engagement_commission(engagement=engagement, by=officer)
    position = alliance_position(fund=fund, alliance_id=world.alliance_a.pk)
    assert position.committed == D("7500")
    assert position.allocation_left == D("7500")
    entry = LedgerEntry.objects.get(kind=Kind.COMMITMENT)
    assert (entry.engagement_id, entry.school_id) == (engagement.pk, world.school_a.pk)


def test_a_commitment_that_would_overdraw_is_refused_with_what_is_left(world, fund, officer):
    engagement_commission(
        engagement=make_engagement(world.school_a, world.alliance_a, "11800"), by=officer
    )
    over = make_engagement(world.school_a, world.alliance_a, "7500")
    with pytest.raises(ValidationError) as refused:
        engagement_commission(engagement=over, by=officer)
    assert (
        "North Alliance has £3,200.00 left of its allocation; this support costs £7,500.00"
        in (refused.value.messages[0])
    )
    over.refresh_from_db()
    assert over.state == "proposed"
    assert not LedgerEntry.objects.filter(engagement=over).exists()


def test_a_recorded_board_decision_lets_a_commitment_overdraw(world, fund, officer):
    over = make_engagement(world.school_a, world.alliance_a, "20000")
    overdraw_approve(engagement=over, reference="Board minute 2026/14", by=officer)
    engagement_commission(engagement=over, by=officer)
    left = alliance_position(fund=fund, alliance_id=world.alliance_a.pk).allocation_left
    assert left == D("-5000")


def test_a_decision_passed_when_commissioning_is_recorded_as_the_approval(world, fund, officer):
    over = make_engagement(world.school_a, world.alliance_a, "20000")
    engagement_commission(engagement=over, by=officer, decision="Board minute 2026/15")
    from funding.models import OverdrawApproval

    assert OverdrawApproval.objects.get(engagement=over).reference == "Board minute 2026/15"


def test_an_alliance_without_an_allocation_cannot_commit(world, officer, agreed_run):
    from .conftest import fund_with_income

    fund_with_income(world.partnership, officer)
    engagement = make_engagement(world.school_a, world.alliance_a)
    with pytest.raises(ValidationError, match="no allocation from the .* fund yet"):
        engagement_commission(engagement=engagement, by=officer)


def test_without_a_fund_for_the_year_commissioning_commits_nothing(world, officer):
    engagement = make_engagement(world.school_a, world.alliance_a)
    engagement_commission(engagement=engagement, by=officer)
    assert not LedgerEntry.objects.exists()


def test_a_payment_for_an_academy_records_net_vat_and_gross(world, fund, engagement, officer):
    world.school_a.is_academy = True
    world.school_a.save()
    engagement_commission(engagement=engagement, by=officer)
    entry = payment_record(
        engagement=engagement, net=D("1000"), vat=None, by=officer, idempotency_key=new_key()
    )
    assert (entry.amount, entry.vat) == (D("1200.00"), D("200.00"))
    money = engagement_position(engagement_id=engagement.pk)
    assert (money.committed, money.spent) == (D("6300"), D("1200"))


def test_a_payment_for_a_maintained_school_has_no_vat(world, fund, engagement, officer):
    engagement_commission(engagement=engagement, by=officer)
    entry = payment_record(
        engagement=engagement, net=D("1000"), vat=None, by=officer, idempotency_key=new_key()
    )
    assert (entry.amount, entry.vat) == (D("1000"), D("0"))


def test_a_payment_cannot_be_more_than_is_committed(world, fund, engagement, officer):
    engagement_commission(engagement=engagement, by=officer)
    with pytest.raises(ValidationError, match="more than the £7,500.00 still committed"):
        payment_record(
            engagement=engagement,
            net=D("7500.01"),
            vat=D(0),
            by=officer,
            idempotency_key=new_key(),
        )


def test_ending_support_releases_what_was_committed_and_not_spent(world, fund, engagement, officer):
    engagement_commission(engagement=engagement, by=officer)
    payment_record(
        engagement=engagement, net=D("2000"), vat=D(0), by=officer, idempotency_key=new_key()
    )
    engagement_end(engagement=engagement, by=officer)
    release = LedgerEntry.objects.get(kind=Kind.RELEASE)
    assert release.amount == D("5500")
    position = alliance_position(fund=fund, alliance_id=world.alliance_a.pk)
    assert (position.committed, position.spent, position.allocation_left) == (
        D(0),
        D("2000"),
        D("13000"),
    )


def test_a_payment_refunded_after_the_support_ended_goes_back_to_the_allocation(
    world, fund, engagement, officer
):
    from funding.checks import fund_problems
    from funding.commitments import entry_correct

    engagement_commission(engagement=engagement, by=officer)
    paid = payment_record(
        engagement=engagement, net=D("2000"), vat=D(0), by=officer, idempotency_key=new_key()
    )
    engagement_end(engagement=engagement, by=officer)
    entry_correct(entry=paid, reason="Refunded by the provider", by=officer, idempotency_key="x")
    position = alliance_position(fund=fund, alliance_id=world.alliance_a.pk)
    assert (position.committed, position.spent, position.allocation_left) == (
        D(0),
        D(0),
        D("15000"),
    )
    assert fund_problems() == []
