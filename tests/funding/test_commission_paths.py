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
