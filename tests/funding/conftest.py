"""The fund's world: the personas' partnership with a fund for this financial year (an LA
grant of £100,000 less the chair's £4,500), the default tariff and an agreed categorisation in
which school A (alliance A) is Medium and school B (alliance B) High: needs £15,000 and
£25,000, both met in full once the allocation is agreed."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import timezone

from brokerage.models import Engagement, Provider, SupportCase
from funding.allocation import allocation_agree
from funding.ledger import new_key
from funding.models import Fund, financial_year_of
from funding.services import fixed_cost_record, fund_create, income_record
from tests.categorisation.factories import run_with_results

D = Decimal


def make_engagement(school, alliance, cost="7500", *, provider=None, state="proposed"):
    """A proposed engagement for ``school`` paid by ``alliance`` (bypassing brokerage's steps,
    which other tests cover)."""
    provider = provider or Provider.objects.create(name="Hart Teaching School Hub", kind="nle")
    # a school has one live case at a time: further engagements hang off the same case
    case = SupportCase.objects.live().filter(school=school).first()
    case = case or SupportCase.objects.create(school=school, origin=SupportCase.Origin.REQUEST)
    return Engagement.objects.create(
        case=case, provider=provider, alliance=alliance, cost=D(cost), days=D(5), state=state
    )


def fund_with_income(partnership, officer, amount="100000") -> Fund:
    fund = fund_create(partnership=partnership, year=financial_year_of(timezone.localdate()))
    income_record(
        fund=fund,
        source="la_grant",
        amount=D(amount),
        description="LA grant",
        by=officer,
        idempotency_key=new_key(),
    )
    fixed_cost_record(
        fund=fund,
        amount=D("4500"),
        description="Independent chair",
        by=officer,
        idempotency_key=new_key(),
    )
    return fund


@pytest.fixture
def agreed_run(world, officer):
    return run_with_results(
        {
            world.school_a: ("3", "medium"),
            world.school_a2: "1",
            world.school_b: ("4", "high"),
            world.school_z: ("3", "low"),
        },
        agreed_days_ago=30,
        by=officer,
    )


@pytest.fixture
def fund(world, officer, agreed_run) -> Fund:
    fund = fund_with_income(world.partnership, officer)
    return allocation_agree(
        fund=fund, rule=Fund.Rule.PRO_RATA, by=officer, idempotency_key=new_key()
    )


@pytest.fixture
def engagement(world, fund):
    return make_engagement(world.school_a, world.alliance_a)
