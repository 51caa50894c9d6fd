"""What the fund adds to the shared registries: the commitment hooks on brokerage, its
navigation, its audit trail and what waits for people on their home page."""

from __future__ import annotations

from django.db.models import Exists, OuterRef
from django.urls import reverse

from brokerage.extensions import (
    engagement_page_part_register,
    on_engagement_commission,
    on_engagement_end,
    on_engagement_extend,
)
from kernel.audit import audit_kind_register, url_or_none
from kernel.money import pounds
from kernel.navigation import nav_register
from kernel.worklist import WorkItem, worklist_register

from .commitments import engagement_commit, engagement_extend_commit, engagement_release
from .engagement_part import engagement_money
from .models import Allocation, Fund, Kind, LedgerEntry, OverdrawApproval, TariffBand

SHOWN = 3


def register() -> None:
    on_engagement_commission(engagement_commit)
    on_engagement_end(engagement_release)
    on_engagement_extend(engagement_extend_commit)
    engagement_page_part_register(
        "funding", order=10, context=engagement_money, template="funding/_engagement_money.html"
    )
    nav_register("Fund", "funding:home", permission="funding.view_nav", order=48)
    worklist_register("funding.allocation", allocation_to_agree, order=48)
    worklist_register("funding.payments", commitments_awaiting_payment, order=48)
    audit_kind_register("fund", "Funds", Fund, order=80, entry_label=_fund_label)
    audit_kind_register(
        "tariff", "Fund tariff", TariffBand, order=81, related=("fund",), entry_label=_tariff_label
    )
    audit_kind_register(
        "allocation",
        "Fund allocations",
        Allocation,
        order=82,
        related=("fund", "alliance"),
        entry_label=_allocation_label,
    )
    audit_kind_register(
        "overdraw", "Overdraw approvals", OverdrawApproval, order=83, entry_label=_overdraw_label
    )


def _fund_label(record) -> str:
    return f"Improvement fund {record.year}-{(record.year + 1) % 100:02d}"


def _tariff_label(record) -> str:
    fund = _fund_label(record.fund) if record.fund else "a deleted fund"
    return f"{record.band.capitalize()} band: {pounds(record.amount)} ({fund})"


def _allocation_label(record) -> str:
    alliance = record.alliance.name if record.alliance else "a deleted alliance"
    return f"{alliance}: {pounds(record.amount)}"


def _overdraw_label(record) -> str:
    return f"Engagement {record.engagement_id} may overdraw: {record.reference}"


def allocation_to_agree(*, user) -> list[WorkItem]:
    """Funds with money in but no allocation agreed, for the board chair and officers."""
    if not user.has_perm("funding.agree_allocation"):
        return []
    has_income = LedgerEntry.objects.filter(fund=OuterRef("pk"), kind=Kind.INCOME)
    waiting = Fund.objects.filter(Exists(has_income), allocation_agreed_at__isnull=True)
    funds = list(waiting[:SHOWN])
    if not funds:
        return []
    return [
        WorkItem(
            label="Fund allocation to agree",
            count=waiting.count() if len(funds) == SHOWN else len(funds),
            href=reverse("funding:allocation", args=[funds[0].year]),
            examples=tuple(
                (f"Allocation of the {f.name} fund", reverse("funding:allocation", args=[f.year]))
                for f in funds
            ),
        )
    ]


def commitments_awaiting_payment(*, user) -> list[WorkItem]:
    """Commissioned support with money committed and nothing paid yet, for officers."""
    if not user.has_perm("funding.manage_fund"):
        return []
    paid = LedgerEntry.objects.filter(engagement_id=OuterRef("engagement_id"), kind=Kind.PAYMENT)
    waiting = (
        LedgerEntry.objects.filter(
            kind=Kind.COMMITMENT,
            reverses=None,
            engagement__state="commissioned",
        )
        .exclude(Exists(paid))
        .select_related("fund", "school")
    )
    first = list(waiting.order_by("recorded_at", "pk")[:SHOWN])
    if not first:
        return []
    return [
        WorkItem(
            label="Commitments waiting for payment",
            count=waiting.count(),
            href=reverse("funding:position", args=[first[0].fund.year]),
            examples=tuple(
                (
                    f"{entry.school.name if entry.school else 'Support'}: {pounds(entry.amount)}",
                    url_or_none("funding:payment", entry.fund.year, entry.engagement_id) or "",
                )
                for entry in first
            ),
        )
    ]
