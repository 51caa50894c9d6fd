"""The forecast: what each categorisation would cost under the tariff, and the cost per
school that moved up a category after its support."""

import datetime
from decimal import Decimal

from django.utils import timezone

from brokerage.engagements import engagement_commission
from brokerage.models import Engagement
from categorisation.models import Run
from funding.balances import fund_position
from funding.forecast import improvement, run_costs
from funding.ledger import new_key
from funding.services import payment_record
from tests.categorisation.factories import run_with_results

from .conftest import make_engagement


def test_a_what_if_run_is_costed_against_the_budget(world, fund, officer):
    run_with_results(
        {world.school_a: ("4", "high"), world.school_b: ("4", "high")},
        purpose=Run.Purpose.WHAT_IF,
    )
    costs = run_costs(fund=fund, user=officer, position=fund_position(fund=fund))
    assert [(c.label.split(" ")[0], c.cost) for c in costs] == [
        ("Agreed", Decimal("47500")),
        ("What-if", Decimal("50000")),
    ]
    assert costs[1].gap == Decimal("45500")


def test_an_alliance_chair_is_not_shown_what_if_runs(world, fund, alliance_chair):
    run_with_results({world.school_a: ("4", "high")}, purpose=Run.Purpose.WHAT_IF)
    costs = run_costs(fund=fund, user=alliance_chair, position=fund_position(fund=fund))
    assert [c.label for c in costs] == ["Agreed categorisation"]


def test_cost_per_school_that_moved_up_after_support(world, fund, officer, agreed_run):
    # School A was Medium (3) in the run agreed 30 days ago, when its support was
    # commissioned (20 days ago); the board has since agreed a run placing it in 2.
    later = run_with_results(
        {world.school_a: "2", world.school_b: ("4", "high")}, agreed_days_ago=1, by=officer
    )
    assert later.agreed_at > agreed_run.agreed_at
    moved = make_engagement(world.school_a, world.alliance_a, "5000")
    stuck = make_engagement(world.school_b, world.alliance_b, "5000")
    for engagement in (moved, stuck):
        engagement_commission(engagement=engagement, by=officer)
        payment_record(
            engagement=engagement,
            net=Decimal("1000"),
            vat=Decimal(0),
            by=officer,
            idempotency_key=new_key(),
        )
    Engagement.objects.update(commissioned_at=timezone.now() - datetime.timedelta(days=20))
    result = improvement(fund=fund)
    assert (result.supported, result.moved_up, result.spent) == (2, 1, Decimal("2000"))
    assert result.cost_per_school_moved_up == Decimal("2000.00")
