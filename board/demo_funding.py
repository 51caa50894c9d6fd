"""The demo's improvement fund: this financial year's fund (2026-27 when written) with an LA
grant of £100,000, schools' £5 a pupil and de-delegated money, the independent chair's £4,500,
West Sussex's tariff, the allocation agreed from the demo's agreed categorisation, and the
commitments and payments of the demo's commissioned support.

Every posting has a fixed idempotency key, so loading the demo again records nothing twice.
"""

from __future__ import annotations

import logging
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from brokerage.engagements import engagement_commission
from brokerage.models import Engagement, Provider, SupportCase
from categorisation.models import Result
from categorisation.runs import run_current_agreed
from funding.allocation import allocation_agree
from funding.commitments import commitments_backfill
from funding.models import Fund, Kind, LedgerEntry, financial_year_of
from funding.services import (
    fixed_cost_record,
    fund_create,
    income_record,
    payment_record,
    per_pupil_income_record,
)
from partnership.models import Partnership, User

DEMO_ALLIANCE = "North Hampshire Alliance"
logger = logging.getLogger(__name__)


def demo_funding_load() -> Fund | None:
    """Set up the demo fund (once) and commit the money for commissioned demo support."""
    partnership = Partnership.objects.order_by("pk").first()
    officer = User.objects.filter(email="officer@example.org").first()
    if partnership is None or officer is None:
        return None
    with transaction.atomic():
        fund = _fund(partnership, officer)
        run = run_current_agreed()
        if run is not None and fund.allocation_agreed_at is None:
            fund = allocation_agree(
                fund=fund,
                rule=Fund.Rule.PRO_RATA,
                by=User.objects.filter(email="chair@example.org").first() or officer,
                decision="Board minute 2026/09 (demo data)",
                idempotency_key="demo:allocation",
            )
        commitments_backfill(fund=fund, by=officer)
    if run is not None and not SupportCase.objects.exists():
        try:
            with transaction.atomic():
                _demo_engagement(fund, run, officer)
        except ValidationError as refused:  # e.g. the allocation cannot afford it
            logger.warning("No demo engagement: %s", refused.messages[0])
    return fund


def _fund(partnership: Partnership, officer: User) -> Fund:
    year = financial_year_of(timezone.localdate())
    fund = Fund.objects.filter(partnership=partnership, year=year).first()
    fund = fund or fund_create(partnership=partnership, year=year, by=officer)
    for source, amount, description in (
        ("la_grant", "100000", "Local authority school improvement grant"),
        ("de_delegation", "40000", "De-delegated from maintained primary schools' budgets"),
    ):
        income_record(
            fund=fund,
            source=source,
            amount=Decimal(amount),
            description=description,
            by=officer,
            idempotency_key=f"demo:{fund.year}:{source}",
        )
    per_pupil_income_record(
        fund=fund, rate=Decimal("5"), by=officer, idempotency_key=f"demo:{fund.year}:per_pupil"
    )
    fixed_cost_record(
        fund=fund,
        amount=Decimal("4500"),
        description="The independent chair of the board",
        by=officer,
        idempotency_key=f"demo:{fund.year}:chair",
    )
    return fund


def _demo_engagement(fund: Fund, run, officer: User) -> None:
    """One commissioned, part-paid engagement for a focused-support school of the demo
    alliance, when brokerage's own demo has made no cases."""
    result = (
        Result.objects.filter(
            run=run,
            school__cluster_memberships__ended_on__isnull=True,
            school__cluster_memberships__cluster__alliance__name=DEMO_ALLIANCE,
        )
        .exclude(support_band="")
        .select_related("school")
        .order_by("school__name")
        .first()
    )
    if result is None:
        return
    alliance = result.school.cluster_memberships.get(ended_on__isnull=True).cluster.alliance
    provider, _ = Provider.objects.get_or_create(
        name="Basingstoke Teaching School Hub", defaults={"kind": "teaching_school_hub"}
    )
    case = SupportCase.objects.create(
        school=result.school,
        origin=SupportCase.Origin.CATEGORISATION,
        opened_by=officer,
        description="Opened from the agreed categorisation (demo data).",
    )
    engagement = Engagement.objects.create(
        case=case, provider=provider, alliance=alliance, days=Decimal(10), cost=Decimal("7500")
    )
    engagement_commission(engagement=engagement, by=officer)
    if not LedgerEntry.objects.filter(engagement=engagement, kind=Kind.PAYMENT).exists():
        payment_record(
            engagement=engagement,
            net=Decimal("2500"),
            vat=None,
            by=officer,
            idempotency_key=f"demo:{fund.year}:payment:{engagement.pk}",
        )
