"""Balances derived from the ledger in set-based aggregates: a fund's, each alliance's, each
school's and each engagement's, every one a single grouped query whatever the number of entries.

A position has: ``budget`` (income and adjustments less fixed costs), ``allocated``,
``committed`` (commitments not yet paid or released), ``spent`` (payments, gross) and
``remaining`` (for the fund: budget less committed and spent; for an alliance: its allocation
less committed and spent).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce

from kernel.money import MoneyField

from .models import Kind, LedgerEntry

ZERO = Decimal("0.00")


def _sum(kind: str, column: str = "amount") -> Coalesce:
    return Coalesce(Sum(column, filter=Q(kind=kind)), Value(0), output_field=MoneyField())


SUMS = {
    "income": _sum(Kind.INCOME),
    "adjustments": _sum(Kind.ADJUSTMENT),
    "fixed_costs": _sum(Kind.FIXED_COST),
    "allocated": _sum(Kind.ALLOCATION),
    "commitments": _sum(Kind.COMMITMENT),
    "payments": _sum(Kind.PAYMENT),
    "vat": _sum(Kind.PAYMENT, "vat"),
    "releases": _sum(Kind.RELEASE),
}


@dataclass(frozen=True)
class Position:
    """The money of a fund, an alliance, a school or an engagement."""

    income: Decimal = ZERO
    adjustments: Decimal = ZERO
    fixed_costs: Decimal = ZERO
    allocated: Decimal = ZERO
    commitments: Decimal = ZERO
    payments: Decimal = ZERO
    vat: Decimal = ZERO
    releases: Decimal = ZERO

    @property
    def budget(self) -> Decimal:
        return self.income + self.adjustments - self.fixed_costs

    @property
    def committed(self) -> Decimal:
        return self.commitments - self.payments - self.releases

    @property
    def spent(self) -> Decimal:
        return self.payments

    @property
    def unallocated(self) -> Decimal:
        return self.budget - self.allocated

    @property
    def remaining(self) -> Decimal:
        """For a fund: the budget not yet committed or spent."""
        return self.budget - self.committed - self.spent

    @property
    def allocation_left(self) -> Decimal:
        """For an alliance: its allocation not yet committed or spent."""
        return self.allocated - self.committed - self.spent

    def as_dict(self) -> dict[str, Decimal]:
        return {
            "budget": self.budget,
            "allocated": self.allocated,
            "committed": self.committed,
            "spent": self.spent,
            "remaining": self.remaining,
        }


def position_of(entries: QuerySet) -> Position:
    """The position of a set of entries, in one query."""
    return Position(**entries.order_by().aggregate(**SUMS))


def positions_by(entries: QuerySet, *fields: str) -> dict:
    """Positions grouped by ``fields`` (alliance_id, school_id, engagement_id, fund_id), in
    one query: {value of the field, or a tuple of the fields' values: Position}."""
    rows = entries.order_by().values(*fields).annotate(**SUMS)
    positions = {}
    for row in rows:
        key = tuple(row.pop(f) for f in fields)
        positions[key[0] if len(fields) == 1 else key] = Position(**row)
    return positions


def fund_position(*, fund) -> Position:
    """The whole fund's position."""
    return position_of(LedgerEntry.objects.filter(fund=fund))


def alliance_position(*, fund, alliance_id: int) -> Position:
    """One alliance's allocation, committed, spent and what is left."""
    return position_of(LedgerEntry.objects.filter(fund=fund, alliance_id=alliance_id))


def engagement_position(*, engagement_id: int) -> Position:
    """One engagement's commitments, payments and releases, across funds."""
    return position_of(LedgerEntry.objects.filter(engagement_id=engagement_id))
