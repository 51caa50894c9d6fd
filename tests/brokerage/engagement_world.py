"""Engagements for the personas of tests/conftest.py: the provider persona's engagement for
school A (alliance A) and another provider's for school B (alliance B)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import timezone

from brokerage.engagement_services import objective_create
from brokerage.engagements import engagement_commission
from brokerage.models import Diagnosis, Engagement, Provider, SupportCase


def engagement_make(
    *,
    school,
    alliance,
    person=None,
    days: str = "10",
    cost: str = "5000.00",
    objectives: int = 1,
    provider: Provider | None = None,
) -> Engagement:
    """A proposed engagement with days, cost and objectives agreed."""
    provider = provider or Provider.objects.create(
        name=f"Provider for {school.name}", kind="nle", person=person
    )
    now = timezone.now()  # the case's tasks done up to the checks: ready to commission
    case = SupportCase.objects.create(
        school=school,
        origin=SupportCase.Origin.REQUEST,
        alliance=alliance,
        eligibility_confirmed_at=now,
        contacted_at=now,
        diagnosis=Diagnosis.MATCH,
        diagnosed_at=now,
        matched_at=now,
        checks_completed_at=now,
    )
    engagement = Engagement.objects.create(
        case=case, provider=provider, alliance=alliance, days=Decimal(days), cost=Decimal(cost)
    )
    for number in range(objectives):
        objective_create(
            engagement=engagement,
            description=f"Objective {number + 1}: improve KS2 reading",
            impact_measure="Reading attainment rises",
            by=None,
        )
    return engagement


@pytest.fixture
def engagement_a(world, provider):
    """Proposed: the provider persona's support for school A, paid by alliance A."""
    return engagement_make(school=world.school_a, alliance=world.alliance_a, person=provider)


@pytest.fixture
def engagement_b(world):
    """Commissioned: another provider's support for school B, paid by alliance B."""
    engagement = engagement_make(school=world.school_b, alliance=world.alliance_b)
    return engagement_commission(engagement=engagement, by=None)


@pytest.fixture
def commissioned_a(engagement_a, officer):
    return engagement_commission(engagement=engagement_a, by=officer)
