"""What waits for people: an allocation to agree (board chair, officers) and commitments
waiting for payment (officers)."""

from decimal import Decimal

from brokerage.engagements import engagement_commission
from funding.ledger import new_key
from funding.registrations import allocation_to_agree, commitments_awaiting_payment
from funding.services import payment_record

from .conftest import fund_with_income


def test_an_allocation_to_agree_waits_for_the_board_chair_and_officers(
    world, officer, board_chair, board_member, alliance_chair
):
    fund = fund_with_income(world.partnership, officer)
    for person in (officer, board_chair):
        (item,) = allocation_to_agree(user=person)
        assert (item.label, item.count) == ("Fund allocation to agree", 1)
        assert item.href == f"/fund/{fund.year}/allocation/"
    assert allocation_to_agree(user=board_member) == []
    assert allocation_to_agree(user=alliance_chair) == []


def test_an_agreed_allocation_no_longer_waits(fund, officer):
    assert allocation_to_agree(user=officer) == []


def test_commitments_wait_for_payment_until_one_is_recorded(
    fund, engagement, officer, board_chair, as_user
):
    engagement_commission(engagement=engagement, by=officer)
    (item,) = commitments_awaiting_payment(user=officer)
    assert item.count == 1 and "Ashdown Primary School: £7,500.00" in item.examples[0][0]
    assert commitments_awaiting_payment(user=board_chair) == []
    assert "Commitments waiting for payment" in as_user("officer").get("/").content.decode()
    payment_record(
        engagement=engagement, net=Decimal("100"), vat=None, by=officer, idempotency_key=new_key()
    )
    assert commitments_awaiting_payment(user=officer) == []
