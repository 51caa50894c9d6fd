"""Directory entries, cases and engagements built for the providers' and matching tests."""

from __future__ import annotations

import importlib
from datetime import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from brokerage.models import Engagement, Expertise, Provider, ProviderKind, SupportCase

SEEDED = importlib.import_module("brokerage.migrations.0005_expertise_seed").AREAS


@pytest.fixture
def expertise_seeded(db) -> None:
    """The list of areas the data migration seeds: a transactional test run earlier (the
    browser tests) empties every table, and ``--reuse-db`` keeps it so."""
    for name in SEEDED:
        Expertise.objects.get_or_create(name=name)


def areas(*names: str) -> list[Expertise]:
    """Areas of expertise from the seeded list, by name (added again where a transactional
    test has emptied the tables)."""
    return [Expertise.objects.get_or_create(name=name)[0] for name in names]


def provider_make(name: str, *, expertise=(), **fields) -> Provider:
    fields.setdefault("kind", ProviderKind.NLE)
    fields.setdefault("phases", ["primary"])
    fields.setdefault("capacity_days_per_term", 10)
    provider = Provider.objects.create(name=name, **fields)
    provider.expertise.set(areas(*expertise))
    return provider


def engagement_make(
    provider: Provider,
    school,
    *,
    days: str = "5",
    state: str = Engagement.State.PROPOSED,
    decision: str = "",
    opened: datetime | None = None,
) -> Engagement:
    """An engagement of the provider for a case of the school opened on ``opened`` (now)."""
    # closed, so that a school may have several (one live case per school)
    case = SupportCase.objects.create(
        school=school, origin=SupportCase.Origin.ADVISER, state="closed"
    )
    if opened is not None:
        SupportCase.objects.filter(pk=case.pk).update(opened_at=opened)
    return Engagement.objects.create(
        case=case, provider=provider, days=Decimal(days), state=state, impact_decision=decision
    )


def now() -> datetime:
    return timezone.now()
