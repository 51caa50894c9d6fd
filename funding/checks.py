"""Recompute the fund's books from the ledger and report every difference: entries changed
since they were posted, reversals that do not mirror their entry, stored allocations that
differ from their entries, engagements whose money does not add up, and allocations
overdrawn without a board decision. ``python manage.py fund_check`` runs it."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Q

from brokerage.models import Engagement
from kernel.money import pounds

from .balances import positions_by
from .models import Allocation, Kind, LedgerEntry, OverdrawApproval

FIELDS = (
    "pk",
    "fund_id",
    "kind",
    "source",
    "amount",
    "vat",
    "alliance_id",
    "engagement_id",
    "school_id",
    "reverses_id",
    "idempotency_key",
    "digest",
)


def fund_problems() -> list[str]:
    """Every difference between the ledger and what it should say (empty when the books
    balance)."""
    problems: list[str] = []
    entries = {}
    totals: dict[tuple, Decimal] = {}
    for row in LedgerEntry.objects.order_by("pk").values_list(*FIELDS).iterator(chunk_size=2000):
        entry = LedgerEntry(**dict(zip(FIELDS, row, strict=True)))
        entries[entry.pk] = entry
        if entry.compute_digest() != entry.digest:
            problems.append(f"Entry {entry.pk} ({entry.kind}) was changed after it was posted")
        key = (entry.fund_id, entry.alliance_id, entry.kind)
        totals[key] = totals.get(key, Decimal(0)) + entry.amount
    problems += _reversal_problems(entries)
    problems += _allocation_problems(totals)
    problems += _engagement_problems()
    return problems


def _reversal_problems(entries: dict) -> list[str]:
    problems = []
    for entry in entries.values():
        if entry.reverses_id is None:
            continue
        original = entries.get(entry.reverses_id)
        same = ("fund_id", "kind", "alliance_id", "engagement_id", "school_id")
        if original is None or any(getattr(entry, f) != getattr(original, f) for f in same):
            problems.append(f"Reversal {entry.pk} does not match entry {entry.reverses_id}")
        elif entry.amount != -original.amount or entry.vat != -original.vat:
            problems.append(
                f"Reversal {entry.pk} is {pounds(entry.amount)} but entry {original.pk} was "
                f"{pounds(original.amount)}"
            )
    return problems


def _allocation_problems(totals: dict) -> list[str]:
    """Stored allocations against their entries (and, via the Python sums, the SQL ones)."""
    problems = []
    for allocation in Allocation.objects.select_related("alliance", "fund"):
        posted = totals.get((allocation.fund_id, allocation.alliance_id, Kind.ALLOCATION), 0)
        if posted != allocation.amount:
            problems.append(
                f"{allocation.alliance.name}'s allocation in {allocation.fund.name} is stored as "
                f"{pounds(allocation.amount)} but its entries add up to {pounds(posted)}"
            )
    for (fund_id, alliance_id), position in positions_by(
        LedgerEntry.objects.all(), "fund_id", "alliance_id"
    ).items():
        for kind, field in ((Kind.ALLOCATION, "allocated"), (Kind.COMMITMENT, "commitments")):
            if getattr(position, field) != totals.get((fund_id, alliance_id, kind), 0):
                problems.append(f"The {kind} total of fund {fund_id} differs between sums")
        approved = OverdrawApproval.objects.filter(
            Q(engagement__ledger_entries__fund_id=fund_id),
            engagement__alliance_id=alliance_id,
        ).exists()
        if alliance_id and position.allocation_left < 0 and not approved:
            problems.append(
                f"Alliance {alliance_id} is overdrawn by {pounds(-position.allocation_left)} in "
                f"fund {fund_id} with no board decision recorded"
            )
    return problems


def _engagement_problems() -> list[str]:
    problems = []
    positions = positions_by(LedgerEntry.objects.filter(engagement__isnull=False), "engagement_id")
    states = dict(Engagement.objects.filter(pk__in=positions).values_list("pk", "state"))
    costs = dict(Engagement.objects.filter(pk__in=positions).values_list("pk", "cost"))
    for engagement_id, position in positions.items():
        left = position.committed
        if left < 0:
            problems.append(
                f"Engagement {engagement_id} has paid or released {pounds(-left)} more than "
                "was committed"
            )
        if states.get(engagement_id) in ("completed", "stopped") and left != 0:
            problems.append(f"Engagement {engagement_id} ended with {pounds(left)} still committed")
        if position.commitments not in (0, costs.get(engagement_id)):
            problems.append(
                f"Engagement {engagement_id} costs {pounds(costs.get(engagement_id, 0))} but "
                f"{pounds(position.commitments)} is committed"
            )
        if position.vat > position.payments or position.vat < 0:
            problems.append(f"Engagement {engagement_id}'s VAT is more than its payments")
    return problems
