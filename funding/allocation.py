"""Allocating the fund to alliances by need (West Sussex: a common tariff per focused-support
school): need is each alliance's focused-support schools in the agreed categorisation, by
support band, times the tariff. When the money is short, the board's rule shares it: pro rata
to need, or by priority (High band schools first). The preview shows the effect before the
board agrees it."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, FilteredRelation, Q
from django.utils import timezone

from categorisation.models import Result, Run
from categorisation.runs import run_current_agreed
from kernel.money import from_pence, pence
from partnership.models import Alliance

from .arithmetic import share_by_priority, share_out
from .balances import fund_position
from .ledger import entry_reverse, ledger_post
from .models import Allocation, Band, Fund, Kind, LedgerEntry
from .services import tariff_of

NO_AGREED_RUN = "There is no agreed categorisation yet: the board must agree one first"
BANDS = [Band.HIGH, Band.MEDIUM, Band.LOW]


@dataclass
class Share:
    """One alliance's need and what the rule gives it."""

    alliance: Alliance
    schools: dict[str, int]
    need: Decimal
    allocation: Decimal = Decimal("0.00")

    @property
    def short(self) -> Decimal:
        return self.need - self.allocation

    @property
    def school_count(self) -> int:
        return sum(self.schools.values())


@dataclass
class Preview:
    fund: Fund
    run: Run | None
    rule: str
    available: Decimal
    shares: list[Share]
    unplaced: dict[str, int] = field(default_factory=dict)
    untariffed: dict[str, int] = field(default_factory=dict)

    @property
    def need(self) -> Decimal:
        return sum((s.need for s in self.shares), Decimal("0.00"))

    @property
    def allocated(self) -> Decimal:
        return sum((s.allocation for s in self.shares), Decimal("0.00"))

    @property
    def is_short(self) -> bool:
        return self.need > self.available


def focused_schools(*, run: Run) -> dict[int | None, dict[str, int]]:
    """Focused-support schools of a run by their current alliance and support band, in one
    grouped query: {alliance id (None when not in a cluster): {band: count}}."""
    rows = (
        Result.objects.filter(run=run)
        .exclude(support_band="")
        .annotate(
            current=FilteredRelation(
                "school__cluster_memberships",
                condition=Q(school__cluster_memberships__ended_on__isnull=True),
            )
        )
        .order_by()
        .values("current__cluster__alliance_id", "support_band")
        .annotate(n=Count("pk"))
    )
    counts: dict[int | None, dict[str, int]] = {}
    for row in rows:
        alliance = counts.setdefault(row["current__cluster__alliance_id"], {})
        alliance[row["support_band"]] = alliance.get(row["support_band"], 0) + row["n"]
    return counts


def cost_of(schools: dict[str, int], tariff: dict[str, Decimal]) -> Decimal:
    return sum((tariff.get(band, 0) * n for band, n in schools.items()), Decimal("0.00"))


def allocation_preview(*, fund: Fund, rule: str, run: Run | None = None) -> Preview:
    """Each alliance's need under the tariff and what ``rule`` would give it from the fund's
    budget (a fixed number of queries)."""
    run = run or run_current_agreed()
    available = fund_position(fund=fund).budget
    preview = Preview(fund=fund, run=run, rule=rule, available=available, shares=[])
    if run is None:
        return preview
    tariff = tariff_of(fund=fund)
    counts = focused_schools(run=run)
    preview.unplaced = counts.pop(None, {})
    alliances = Alliance.objects.filter(pk__in=counts).order_by("name")
    preview.shares = [
        Share(alliance=a, schools=counts[a.pk], need=cost_of(counts[a.pk], tariff))
        for a in alliances
    ]
    for schools in counts.values():
        for band, n in schools.items():
            if band not in tariff:
                preview.untariffed[band] = preview.untariffed.get(band, 0) + n
    _apply_rule(preview, tariff)
    return preview


def _apply_rule(preview: Preview, tariff: dict[str, Decimal]) -> None:
    available = max(pence(preview.available), 0)
    if preview.rule == Fund.Rule.PRIORITY:
        tiers = [
            {
                s.alliance.pk: pence(tariff.get(band, 0) * s.schools.get(band, 0))
                for s in preview.shares
            }
            for band in BANDS
        ]
        parts = share_by_priority(available, tiers)
    else:
        parts = share_out(available, {s.alliance.pk: pence(s.need) for s in preview.shares})
    for share in preview.shares:
        share.allocation = from_pence(parts.get(share.alliance.pk, 0))


@transaction.atomic
def allocation_agree(
    *, fund: Fund, rule: str, by, decision: str = "", idempotency_key: str
) -> Fund:
    """Agree the allocation the preview shows: post each alliance's allocation (reversing the
    one agreed before, if any) and record who agreed it, when, and the board's decision."""
    fund = Fund.objects.select_for_update().get(pk=fund.pk)
    if LedgerEntry.objects.filter(idempotency_key__startswith=f"allocation:{idempotency_key}:"):
        return fund
    preview = allocation_preview(fund=fund, rule=rule)
    if preview.run is None:
        raise ValidationError(NO_AGREED_RUN)
    earlier = LedgerEntry.objects.filter(
        fund=fund, kind=Kind.ALLOCATION, reverses=None, reversed_by=None
    )
    for entry in earlier:
        entry_reverse(entry=entry, reason="Replaced by a new allocation", by=by, checked=False)
    Allocation.objects.select_for_update().filter(fund=fund).update(amount=0)
    for share in preview.shares:
        Allocation.objects.update_or_create(
            fund=fund,
            alliance=share.alliance,
            defaults={"need": share.need, "schools": share.schools, "amount": share.allocation},
        )
        if share.allocation:
            ledger_post(
                idempotency_key=f"allocation:{idempotency_key}:{share.alliance.pk}",
                fund=fund,
                kind=Kind.ALLOCATION,
                amount=share.allocation,
                alliance=share.alliance,
                description=f"Allocation to {share.alliance.name} ({Fund.Rule(rule).label})",
                recorded_by=by,
            )
    fund.allocation_rule, fund.allocation_run = rule, preview.run
    fund.allocation_agreed_at, fund.allocation_agreed_by = timezone.now(), by
    fund.allocation_decision = decision.strip()
    fund._history_user = by
    fund.save()
    return fund
