"""The fund's part of an engagement's page: committed, paid and released, with the links to
record a payment and the board's approval to overdraw, for those the fund's rules allow."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from brokerage.engagements import engagement_commission
from funding.ledger import new_key
from funding.services import payment_record
from tests.funding.conftest import make_engagement

pytestmark = pytest.mark.django_db


def page(as_user, persona, engagement) -> str:
    url = reverse("brokerage:engagement-detail", args=[engagement.pk])
    return as_user(persona).get(url).content.decode()


def test_an_officer_sees_the_engagements_money_and_records_a_payment(
    as_user, engagement, officer, fund
):
    engagement_commission(engagement=engagement, by=officer)
    payment_record(
        engagement=engagement,
        net=Decimal("2000"),
        vat=Decimal(0),
        by=officer,
        idempotency_key=new_key(),
    )
    body = page(as_user, "officer", engagement)
    assert "Money from the fund" in body
    assert "£5,500.00" in body and "£2,000.00" in body  # still committed, and paid
    assert reverse("funding:payment", args=[fund.year, engagement.pk]) in body


def test_the_alliance_chair_sees_the_money_but_records_no_payment(as_user, engagement, officer):
    engagement_commission(engagement=engagement, by=officer)
    body = page(as_user, "alliance_chair", engagement)
    assert "Money from the fund" in body and "£7,500.00" in body
    assert "Record a payment" not in body


@pytest.mark.parametrize("persona", ["head_a", "provider"])
def test_the_head_and_the_provider_see_no_money(as_user, world, persona, provider, fund):
    engagement = make_engagement(world.school_a, world.alliance_a)
    engagement.provider.person = provider
    engagement.provider.save()
    body = page(as_user, persona, engagement)
    assert "Support for" in body  # they see the engagement itself
    assert "Money from the fund" not in body


def test_support_the_allocation_cannot_cover_offers_the_officer_the_boards_approval(
    as_user, world, fund
):
    engagement = make_engagement(world.school_a, world.alliance_a, cost="90000")
    body = page(as_user, "officer", engagement)
    assert "The fund will refuse to commit it until the board" in body
    assert reverse("funding:overdraw", args=[engagement.pk]) in body
    chair = page(as_user, "alliance_chair", engagement)
    assert "The fund will refuse" in chair
    assert reverse("funding:overdraw", args=[engagement.pk]) not in chair
