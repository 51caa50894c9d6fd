"""Forecasts: what the agreed categorisation and each what-if run would cost under the tariff,
against the money there is; and what the fund spent per school that moved up a category
after its support."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Sum

from categorisation.models import Result, Run
from categorisation.runs import run_current_agreed
from categorisation.selectors import Categories, run_agreed_list

from .allocation import cost_of
from .balances import Position
from .models import Fund, Kind, LedgerEntry
from .services import tariff_of

WHAT_IFS_SHOWN = 5


@dataclass
class RunCost:
    run: Run
    label: str
    schools: dict[str, int]
    cost: Decimal
    budget: Decimal

    @property
    def gap(self) -> Decimal:
        return self.budget - self.cost


def run_costs(*, fund: Fund, user, position: Position) -> list[RunCost]:
    """The agreed categorisation's cost and the newest what-if runs' the user may see."""
    agreed = run_current_agreed()
    what_ifs = list(
        Run.objects.visible_to(user)
        .filter(purpose=Run.Purpose.WHAT_IF, state=Run.State.SUCCEEDED)
        .order_by("-created_at", "-pk")[:WHAT_IFS_SHOWN]
    )
    runs = ([agreed] if agreed else []) + what_ifs
    counts: dict[int, dict[str, int]] = {run.pk: {} for run in runs}
    rows = (
        Result.objects.filter(run__in=runs)
        .exclude(support_band="")
        .order_by()
        .values("run_id", "support_band")
        .annotate(n=Count("pk"))
    )
    for row in rows:
        counts[row["run_id"]][row["support_band"]] = row["n"]
    tariff = tariff_of(fund=fund)
    return [
        RunCost(
            run=run,
            label="Agreed categorisation" if run is agreed else f"What-if run {run.pk}",
            schools=counts[run.pk],
            cost=cost_of(counts[run.pk], tariff),
            budget=position.budget,
        )
        for run in runs
    ]


@dataclass
class Improvement:
    supported: int
    moved_up: int
    spent: Decimal

    @property
    def cost_per_school_moved_up(self) -> Decimal | None:
        if not self.moved_up:
            return None
        return (self.spent / self.moved_up).quantize(Decimal("0.01"))


def improvement(*, fund: Fund) -> Improvement:
    """Schools whose support the fund paid for, how many moved up a category (their category
    in the agreed run current when the support was commissioned, against the latest agreed
    run), and the fund's spending on them: five queries whatever the number of schools."""
    paid = dict(
        LedgerEntry.objects.filter(fund=fund, kind=Kind.PAYMENT)
        .order_by()
        .values_list("school_id")
        .annotate(total=Sum("amount"))
    )
    commissioned = list(
        LedgerEntry.objects.filter(fund=fund, kind=Kind.COMMITMENT, reverses=None)
        .order_by("school_id", "engagement__commissioned_at")
        .values_list("school_id", "engagement__commissioned_at")
    )
    first_support = {}
    for school_id, when in commissioned:
        first_support.setdefault(school_id, when)
    runs = list(run_agreed_list().select_related("rule_set"))
    if not runs or not first_support:
        return Improvement(len(first_support), 0, sum(paid.values(), Decimal("0.00")))
    latest = runs[0]
    categories = Categories.of(latest.rule_set.definition)
    results = {
        (run_id, school_id): category
        for run_id, school_id, category in Result.objects.filter(
            run__in=runs, school_id__in=first_support
        ).values_list("run_id", "school_id", "category")
    }
    moved = 0
    for school_id, when in first_support.items():
        before = next((r for r in runs if when and r.agreed_at <= when), None)
        if before is None or before.pk == latest.pk:
            continue
        was, now = results.get((before.pk, school_id)), results.get((latest.pk, school_id))
        if was is not None and now is not None and categories.rank(now) < categories.rank(was):
            moved += 1
    spent = sum((paid.get(s, Decimal(0)) for s in first_support), Decimal("0.00"))
    return Improvement(len(first_support), moved, spent)
