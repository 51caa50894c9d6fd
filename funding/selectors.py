"""Reads of the fund for one viewer: the fund's position, each alliance's and each school's,
the engagements' money, and the ledger. Every read is a fixed number of grouped queries,
however many engagements there are."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Exists, ExpressionWrapper, F, OuterRef, QuerySet
from django.shortcuts import get_object_or_404

from brokerage.models import Engagement
from kernel.money import MoneyField
from partnership.models import Alliance
from partnership.permissions import roles_of
from schools.models import School

from .balances import SUMS, Position, positions_by
from .models import Allocation, Fund, LedgerEntry, OverdrawApproval


def fund_current() -> Fund | None:
    """The fund for this financial year, else the newest there is."""
    return Fund.objects.for_day().first() or Fund.objects.first()


def fund_by_year(*, year: int) -> Fund:
    return get_object_or_404(Fund.objects.select_related("allocation_agreed_by"), year=year)


@dataclass
class AllianceRow:
    alliance: Alliance
    need: Decimal
    schools: int
    position: Position


def alliance_rows(*, fund: Fund, user) -> list[AllianceRow]:
    """Each alliance's allocation and money in the fund, for the alliances the user may see
    (every one for officers and the board, an alliance chair's own)."""
    alliances = Alliance.objects.all()
    roles = roles_of(user)
    if not roles.sees_whole_partnership:
        alliances = alliances.filter(pk__in=roles.alliance_ids)
    entries = LedgerEntry.objects.filter(fund=fund, alliance__in=alliances.values("pk"))
    positions = positions_by(entries, "alliance_id")
    allocations = {
        a.alliance_id: a for a in Allocation.objects.filter(fund=fund, alliance__in=alliances)
    }
    shown = alliances.filter(pk__in=set(positions) | set(allocations)).order_by("name")
    return [
        AllianceRow(
            alliance=alliance,
            need=allocations[alliance.pk].need if alliance.pk in allocations else Decimal(0),
            schools=sum(allocations[alliance.pk].schools.values())
            if alliance.pk in allocations
            else 0,
            position=positions.get(alliance.pk, Position()),
        )
        for alliance in shown
    ]


def _money_rows(entries: QuerySet, *fields: str) -> QuerySet:
    """Grouped money rows with the derived columns a table shows."""
    return (
        entries.order_by()
        .values(*fields)
        .annotate(**SUMS)
        .annotate(
            committed=ExpressionWrapper(
                F("commitments") - F("payments") - F("releases"), output_field=MoneyField()
            ),
            spent=F("payments"),
        )
    )


def school_rows(*, fund: Fund, user, alliance: Alliance | None = None) -> QuerySet:
    """Each school's support costs in the fund (one row per school), for the schools the
    user may see, optionally those paid for by one alliance."""
    entries = LedgerEntry.objects.filter(fund=fund, school__isnull=False)
    if not roles_of(user).sees_whole_partnership:
        entries = entries.filter(school__in=School.objects.visible_to(user).values("pk"))
    if alliance is not None:
        entries = entries.filter(alliance=alliance)
    return _money_rows(entries, "school_id", "school__name", "school__urn").order_by(
        "school__name", "school_id"
    )


def engagement_rows(*, fund: Fund, alliance=None, school=None) -> QuerySet:
    """Each engagement's money in the fund (one row per engagement), for one alliance or one
    school (the caller has checked the user may see it)."""
    entries = LedgerEntry.objects.filter(fund=fund, engagement__isnull=False)
    if alliance is not None:
        entries = entries.filter(alliance=alliance)
    if school is not None:
        entries = entries.filter(school=school)
    return _money_rows(
        entries,
        "engagement_id",
        "engagement__provider__name",
        "engagement__state",
        "school__name",
        "school__urn",
    ).order_by("-engagement_id")


def ledger_list(*, fund: Fund, user) -> QuerySet:
    """The fund's ledger, newest first, for those who keep the books."""
    return (
        LedgerEntry.objects.visible_to(user)
        .filter(fund=fund)
        .select_related("alliance", "school", "recorded_by", "reverses")
        .annotate(reversal_id=F("reversed_by__id"))
    )


def unaffordable(*, alliance: Alliance, left, limit: int = 20) -> list:
    """Proposed support for the alliance that costs more than its allocation has left (so
    commissioning it needs a board decision), with no decision recorded yet."""
    approved = OverdrawApproval.objects.filter(engagement=OuterRef("pk"))
    return list(
        Engagement.objects.filter(alliance=alliance, state="proposed", cost__gt=left)
        .exclude(Exists(approved))
        .select_related("case__school", "provider")
        .order_by("pk")[:limit]
    )
