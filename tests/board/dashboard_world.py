"""A dashboard's world, counted by hand: the categorisation of ``build_categorised`` (two agreed
runs), support cases and engagements in both alliances, and a fund with an agreed allocation.

=========  ==================  ======================================================
alliance   cases               engagements (cost; state; review; impact)
=========  ==================  ======================================================
North (A)  open past target,   school A £7,500 commissioned, review 10 days overdue,
           open on time,       paid £2,000 net; school A2 £3,000 commissioned, review
           one closed          due in 5 days, impact "continue" and another due
South (B)  B open, Z paused   school B £5,000 commissioned, review 3 days overdue,
                               impact "stop"
=========  ==================  ======================================================

Fund: £100,000 income less £4,500 fixed costs = £95,500 budget; allocation: North £15,000
(school A medium), South £25,000 (school B high).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from brokerage.models import Engagement, Provider, SupportCase
from funding.allocation import allocation_agree
from funding.commitments import engagement_commit
from funding.ledger import new_key
from funding.models import Fund
from funding.services import payment_record
from tests.categorisation.factories import build_categorised
from tests.funding.conftest import fund_with_income

D = Decimal


@dataclass
class DashboardWorld:
    categorised: object
    fund: Fund
    engagements: list


def _case(school, alliance, *, days_ago: int, state="open") -> SupportCase:
    case = SupportCase.objects.create(
        school=school, origin=SupportCase.Origin.REQUEST, alliance=alliance, state=state
    )
    requested = timezone.now() - timedelta(days=days_ago)
    SupportCase.objects.filter(pk=case.pk).update(requested_at=requested)
    return case


def _engagement(case, provider, cost, *, review_in: int, by, impact="", due=False):
    engagement = Engagement.objects.create(
        case=case, provider=provider, alliance=case.alliance, cost=D(cost), days=D(5)
    )
    engagement_commit(engagement=engagement, by=by)
    Engagement.objects.filter(pk=engagement.pk).update(
        state=Engagement.State.COMMISSIONED,
        commissioned_at=timezone.now(),
        next_review_due=timezone.localdate() + timedelta(days=review_in),
        impact_decision=impact,
        impact_decision_due=due,
    )
    return engagement


@transaction.atomic
def build_dashboard_world(world, officer) -> DashboardWorld:
    categorised = build_categorised(world, officer)
    fund = fund_with_income(world.partnership, officer)
    allocation_agree(fund=fund, rule=Fund.Rule.PRO_RATA, by=officer, idempotency_key=new_key())
    north, south = world.alliance_a, world.alliance_b
    provider = Provider.objects.create(name="Hart Teaching School Hub", kind="nle")
    late = _case(world.school_a, north, days_ago=45)
    on_time = _case(world.school_a2, north, days_ago=5)
    _case(world.school_a2, north, days_ago=200, state="closed")
    south_case = _case(world.school_b, south, days_ago=10)
    _case(world.school_z, south, days_ago=20, state="paused")
    engagements = [
        _engagement(late, provider, "7500", review_in=-10, by=officer),
        _engagement(
            on_time, provider, "3000", review_in=5, by=officer, impact="continue", due=True
        ),
        _engagement(south_case, provider, "5000", review_in=-3, by=officer, impact="stop"),
    ]
    payment_record(
        engagement=engagements[0],
        net=D("2000"),
        vat=D("0"),
        by=officer,
        idempotency_key=new_key(),
    )
    return DashboardWorld(categorised, fund, engagements)
