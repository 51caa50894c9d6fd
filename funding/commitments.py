"""Commitments: commissioning support commits its cost against the alliance's allocation in
the current fund; ending it releases what was committed and not spent.

Registered with ``brokerage.extensions`` in ``FundingConfig.ready``; each hook runs inside
brokerage's transaction with the engagement row locked. The allocation row is locked too
(``select_for_update``), so commitments against one allocation are made one at a time and the
balance read after the lock is the latest: two people committing at the same moment can never
overspend (``tests/funding/test_concurrent_commitments.py``).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from brokerage.models import Engagement
from kernel.money import pounds

from .balances import alliance_position, engagement_position
from .ledger import entry_reverse, ledger_post
from .models import Allocation, Fund, Kind, LedgerEntry, OverdrawApproval

OVERDRAWN = (
    "{alliance} has {left} left of its allocation; this support costs {cost}. The board can "
    "decide to allow it: record the decision's reference first"
)
NO_ALLOCATION = (
    "{alliance} has no allocation from the {fund} fund yet: the board must agree the "
    "allocation first"
)


def _approved(engagement, decision) -> bool:
    if decision:
        return True
    return OverdrawApproval.objects.filter(engagement=engagement).exists()


def _record_decision(engagement, decision, by) -> None:
    """A board decision passed with the commission is kept as the overdraw's approval."""
    reference = getattr(decision, "reference", None) or str(decision)
    if not OverdrawApproval.objects.filter(engagement=engagement).exists():
        OverdrawApproval.objects.create(
            engagement=engagement, reference=reference[:200], recorded_by=by
        )


def _commit(*, engagement, amount, key: str, by, decision, fund: Fund | None, what: str) -> None:
    """Commit ``amount`` for the engagement against its alliance's allocation (locked), or
    refuse an overdraw that no recorded board decision allows."""
    fund = fund or Fund.objects.for_day().first()
    if fund is None or not amount:
        return
    alliance = engagement.alliance
    allocation = (
        Allocation.objects.select_for_update()
        .filter(fund=fund, alliance_id=engagement.alliance_id)
        .first()
    )
    left = (
        alliance_position(fund=fund, alliance_id=alliance.pk).allocation_left
        if allocation
        else None
    )
    if left is None or amount > left:
        if not _approved(engagement, decision):
            if allocation is None:
                raise ValidationError(NO_ALLOCATION.format(alliance=alliance, fund=fund.name))
            raise ValidationError(
                OVERDRAWN.format(alliance=alliance, left=pounds(max(left, 0)), cost=pounds(amount))
            )
        if decision:
            _record_decision(engagement, decision, by)
    ledger_post(
        idempotency_key=key,
        fund=fund,
        kind=Kind.COMMITMENT,
        amount=amount,
        alliance_id=alliance.pk,
        engagement_id=engagement.pk,
        school_id=engagement.case.school_id,
        description=f"{what} from {engagement.provider.name}",
        recorded_by=by,
    )


def engagement_commit(*, engagement, by, decision=None, fund: Fund | None = None) -> None:
    """Commit the engagement's cost against its alliance's allocation in the current fund;
    refuse (ValidationError) a commitment that would overdraw it, unless a recorded board
    decision allows it. Nothing happens when no fund covers today or the cost is £0."""
    _commit(
        engagement=engagement,
        amount=engagement.cost,
        key=f"commitment:{engagement.pk}",
        by=by,
        decision=decision,
        fund=fund,
        what="Support",
    )


def engagement_extend_commit(*, engagement, variation, by, decision=None) -> None:
    """Commit a variation's extra cost (an impact decision to extend) in the fund that holds
    the engagement's commitment, with the same overdraw rule; refusing keeps no extension."""
    first = LedgerEntry.objects.filter(engagement=engagement, kind=Kind.COMMITMENT).first()
    if first is None:  # commissioned before any fund: nothing committed to extend
        return
    _commit(
        engagement=engagement,
        amount=variation.extra_cost,
        key=f"commitment:{engagement.pk}:variation:{variation.pk}",
        by=by,
        decision=decision,
        fund=first.fund,
        what="Extension of the support",
    )


def engagement_release(*, engagement, by, key: str = "") -> None:
    """Release what was committed to an ended engagement and not paid (``key`` tells a later
    release, after a refunded payment, from the one at the end)."""
    left = engagement_position(engagement_id=engagement.pk).committed
    if left <= 0:
        return
    commitment = LedgerEntry.objects.filter(engagement=engagement, kind=Kind.COMMITMENT).first()
    Allocation.objects.select_for_update().filter(
        fund_id=commitment.fund_id, alliance_id=commitment.alliance_id
    ).first()
    ledger_post(
        idempotency_key=f"release:{engagement.pk}{key}",
        fund_id=commitment.fund_id,
        kind=Kind.RELEASE,
        amount=left,
        alliance_id=commitment.alliance_id,
        engagement_id=engagement.pk,
        school_id=commitment.school_id,
        description="Released: committed and not spent when the support ended",
        recorded_by=by,
    )


def commitments_backfill(*, fund: Fund, by) -> int:
    """Commit the engagements commissioned before the fund existed (and release those already
    ended), recording that the board's commissioning stands if one overdraws. Returns how many
    it committed."""
    waiting = (
        Engagement.objects.filter(state__in=["commissioned", "completed", "stopped"], cost__gt=0)
        .exclude(alliance=None)
        .exclude(ledger_entries__kind=Kind.COMMITMENT)
        .select_related("case", "provider", "alliance")
    )
    count = 0
    for engagement in waiting:
        engagement_commit(
            engagement=engagement,
            by=by,
            decision=f"Commissioned before the {fund.name} fund was set up",
            fund=fund,
        )
        if engagement.state != "commissioned":
            engagement_release(engagement=engagement, by=by)
        count += 1
    return count


@transaction.atomic
def entry_correct(*, entry: LedgerEntry, reason: str, by, idempotency_key: str) -> LedgerEntry:
    """Reverse an entry by hand (income, a fixed cost, a payment, an adjustment); a payment
    refunded after its support ended is released back to the alliance's allocation."""
    engagement = None
    if entry.engagement_id:
        engagement = Engagement.objects.select_for_update().get(pk=entry.engagement_id)
    reversal = entry_reverse(entry=entry, reason=reason, by=by, idempotency_key=idempotency_key)
    if engagement is not None and engagement.state != Engagement.State.COMMISSIONED:
        engagement_release(engagement=engagement, by=by, key=f":{reversal.pk}")
    return reversal
