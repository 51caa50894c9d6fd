"""The one commission path and the fund: the board's decision on a cost above the commissioning
limit (SUPPORT_COMMISSION_LIMIT) is not an approval to overdraw the alliance's allocation; the
fund's overdraw approval is."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from brokerage.case_services import case_commission
from funding.models import OverdrawApproval
from tests.brokerage.engagement_world import engagement_make

pytestmark = pytest.mark.django_db


def test_an_above_limit_decision_does_not_let_the_alliance_overdraw(world, fund, officer):
    engagement = engagement_make(school=world.school_a, alliance=world.alliance_a, cost="40000")
    with pytest.raises(ValidationError, match="above £15,000.00: enter the reference"):
        case_commission(case=engagement.case, by=officer)
    with pytest.raises(ValidationError, match="left of its allocation; this support costs"):
        case_commission(case=engagement.case, by=officer, decision_reference="SSIB 2026/4")
    assert not OverdrawApproval.objects.filter(engagement=engagement).exists()
    OverdrawApproval.objects.create(
        engagement=engagement, reference="SSIB 2026/5", recorded_by=officer
    )
    commissioned = case_commission(
        case=engagement.case, by=officer, decision_reference="SSIB 2026/4"
    )
    engagement.case.refresh_from_db()
    assert commissioned.state == "commissioned"
    assert engagement.case.board_decision_reference == "SSIB 2026/4"


def test_support_within_the_limit_and_the_allocation_needs_no_decision(world, fund, officer):
    engagement = engagement_make(school=world.school_a, alliance=world.alliance_a, cost="5000")
    assert case_commission(case=engagement.case, by=officer).state == "commissioned"


def test_extending_support_commits_the_extra_cost_and_fund_check_still_balances(
    world, fund, officer
):
    from django.core.management import call_command

    from brokerage.engagements import engagement_impact_decide
    from funding.balances import engagement_position

    engagement = engagement_make(school=world.school_a, alliance=world.alliance_a, cost="5000")
    case_commission(case=engagement.case, by=officer)
    engagement_impact_decide(
        engagement=engagement,
        decision="extend",
        reason="Writing needs another term",
        extra_days=4,
        extra_cost="2000",
        by=officer,
    )
    assert engagement_position(engagement_id=engagement.pk).committed == 7000
    call_command("fund_check")  # exits 1 (SystemExit) when the books do not balance
    with pytest.raises(ValidationError, match="left of its allocation"):
        engagement_impact_decide(
            engagement=engagement,
            decision="extend",
            reason="And more",
            extra_days=40,
            extra_cost="50000",
            by=officer,
        )
    engagement.refresh_from_db()
    assert engagement.cost == 7000
