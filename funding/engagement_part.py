"""The fund's part of an engagement's page (through ``brokerage.extensions``): what is
committed, paid and released for it, with links to record a payment and, when the alliance's
allocation cannot cover a proposed engagement, to record the board's approval to overdraw.
Shown to whoever may see the alliance's money (officers, the board, the alliance's chair)."""

from __future__ import annotations

from django.urls import reverse

from .balances import alliance_position, engagement_position
from .models import Fund, Kind, LedgerEntry, OverdrawApproval


def _commitment_fund(engagement) -> Fund | None:
    entry = (
        LedgerEntry.objects.filter(engagement_id=engagement.pk, kind=Kind.COMMITMENT)
        .select_related("fund")
        .first()
    )
    return entry.fund if entry else None


def _overdraw(engagement, fund: Fund | None) -> dict | None:
    """For a proposed engagement the allocation cannot cover: what is left (None otherwise)."""
    if fund is None or engagement.state != "proposed" or not engagement.alliance_id:
        return None
    if OverdrawApproval.objects.filter(engagement_id=engagement.pk).exists():
        return None
    left = alliance_position(fund=fund, alliance_id=engagement.alliance_id).allocation_left
    return {"left": max(left, 0)} if engagement.cost > left else None


def engagement_money(*, user, engagement) -> dict | None:
    """The context of the fund's part of the page, or None when the viewer may not see it."""
    if engagement.alliance is None or not user.has_perm(
        "funding.view_alliance", engagement.alliance
    ):
        return None
    fund = _commitment_fund(engagement) or Fund.objects.for_day().first()
    manages = user.has_perm("funding.manage_fund")
    money = engagement_position(engagement_id=engagement.pk)
    can_pay = (
        manages and fund is not None and engagement.state == "commissioned" and money.committed > 0
    )
    overdraw = _overdraw(engagement, fund)
    return {
        "fund": fund,
        "money": money,
        "approval": OverdrawApproval.objects.filter(engagement_id=engagement.pk).first(),
        "overdraw": overdraw,
        "payment_url": reverse("funding:payment", args=[fund.year, engagement.pk])
        if can_pay
        else "",
        "overdraw_url": reverse("funding:overdraw", args=[engagement.pk])
        if overdraw and manages
        else "",
    }
