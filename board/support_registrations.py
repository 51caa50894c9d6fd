"""What the board's meetings read from support and the fund, and write back to them.

Standing items (``board.agenda_sources``): "Support cases past the time-to-support target" and
"Fund position". Decisions (``board.decisions``): "Agree the fund's allocation" (written back
through ``funding.allocation.allocation_agree`` with the decision as its reference) and "Approve
support above the commissioning limit or an overdraw" (written back as the fund's overdraw
approval and the case's above-limit reference, so either path commissions it).

Registered from ``BoardConfig.ready`` (board is the top layer and may import them all).
"""

from __future__ import annotations

from django.utils import timezone

from brokerage.case_services import case_board_decision_record
from brokerage.models import Engagement, SupportCase
from brokerage.time_to_support import days_between, overdue_q, target_days
from funding.allocation import allocation_agree
from funding.balances import Position, fund_position, positions_by
from funding.models import Allocation, Fund, LedgerEntry, OverdrawApproval
from funding.services import overdraw_approve
from kernel.money import pounds

from .agenda_sources import agenda_source_register
from .decisions import decision_kind_register

NO_FUND = "There is no improvement fund for this financial year yet."


def decision_reference(decision) -> str:
    """How the product names a board decision: the meeting, the item and the decision."""
    meeting = decision.item.meeting
    return f"{meeting.body_name}, {meeting}, item {decision.item.position} (decision {decision.pk})"


def cases_past_target(*, meeting, since) -> dict:
    """Live cases not commissioned within the time-to-support target of their request."""
    cases = (
        SupportCase.objects.filter(overdue_q(), commissioned_at__isnull=True)
        .exclude(state=SupportCase.State.CLOSED)
        .select_related("school", "alliance")
        .order_by("requested_at", "pk")
    )
    if meeting.alliance_id:
        cases = cases.filter(alliance_id=meeting.alliance_id)
    today = timezone.localdate()
    rows = [
        [
            case.school.name,
            case.school.urn,
            case.alliance.name if case.alliance else "Not in an alliance",
            timezone.localtime(case.requested_at).strftime("%-d %B %Y"),
            days_between(case.requested_at, today),
        ]
        for case in cases
    ]
    s = "" if len(rows) == 1 else "s"
    return {
        "summary": f"{len(rows):,} support case{s} not commissioned within {target_days()} days "
        "of the request.",
        "columns": ["School", "URN", "Alliance", "Requested", "Days waiting"],
        "rows": rows,
        "school_ids": [case.school_id for case in cases],
    }


def fund_position_item(*, meeting, since) -> dict:
    """The current fund: budget, allocated, committed, spent and remaining, and each alliance's
    allocation and money (an alliance's meeting: its own)."""
    fund = Fund.objects.for_day().first()
    if fund is None:
        return {"summary": NO_FUND}
    money = fund_position(fund=fund)
    entries = LedgerEntry.objects.filter(fund=fund, alliance__isnull=False)
    allocations = Allocation.objects.filter(fund=fund).select_related("alliance")
    if meeting.alliance_id:
        entries = entries.filter(alliance_id=meeting.alliance_id)
        allocations = allocations.filter(alliance_id=meeting.alliance_id)
    positions = positions_by(entries, "alliance_id")
    return {
        "summary": f"{fund.name} fund: budget {pounds(money.budget)}, allocated "
        f"{pounds(money.allocated)}, committed {pounds(money.committed)}, spent "
        f"{pounds(money.spent)}, remaining {pounds(money.remaining)}.",
        "columns": ["Alliance", "Allocated", "Committed", "Spent", "Left"],
        "rows": [
            _money_row(allocation.alliance.name, positions.get(allocation.alliance_id, Position()))
            for allocation in allocations.order_by("alliance__name")
        ],
    }


def _money_row(name: str, position: Position) -> list[str]:
    return [
        name,
        pounds(position.allocated),
        pounds(position.committed),
        pounds(position.spent),
        pounds(position.allocation_left),
    ]


def funds_to_allocate(*, meeting):
    """Funds whose allocation is not agreed yet: the board's to agree (not an alliance's)."""
    if meeting.alliance_id:
        return Fund.objects.none()
    return Fund.objects.filter(allocation_agreed_at__isnull=True).order_by("year")


def fund_label(fund: Fund) -> str:
    rule = Fund.Rule(fund.allocation_rule or Fund.Rule.PRO_RATA).label.split(":")[0].lower()
    return f"Allocation of the {fund.name} fund ({rule})"


def agree_allocation(*, subject: Fund, decision, by) -> None:
    """Write the board's agreement back: the fund's allocation is agreed, with the decision as
    its reference (the fund's rule, pro rata when none was chosen)."""
    allocation_agree(
        fund=subject,
        rule=subject.allocation_rule or Fund.Rule.PRO_RATA,
        by=by,
        decision=decision_reference(decision)[:200],
        idempotency_key=f"board-decision-{decision.pk}",
    )


def support_to_approve(*, meeting):
    """Proposed support the body may approve: above the commissioning limit, or more than its
    alliance has left (an alliance's meeting: its own alliance's)."""
    engagements = Engagement.objects.filter(state=Engagement.State.PROPOSED).select_related(
        "case__school", "provider"
    )
    if meeting.alliance_id:
        engagements = engagements.filter(alliance_id=meeting.alliance_id)
    return engagements.order_by("pk")


def engagement_label(engagement: Engagement) -> str:
    return (
        f"Support for {engagement.case.school.name} from {engagement.provider.name}, "
        f"{pounds(engagement.cost)}"
    )


def approve_support(*, subject: Engagement, decision, by) -> None:
    """Write the approval back: the fund may commit it beyond the alliance's allocation, and
    the case has the board's decision for a cost above the commissioning limit."""
    reference = decision_reference(decision)[:200]
    if not OverdrawApproval.objects.filter(engagement=subject).exists():
        overdraw_approve(engagement=subject, reference=reference, by=by)
    case_board_decision_record(case=subject.case, reference=reference, by=by)


def register() -> None:
    agenda_source_register(
        "cases_past_target",
        cases_past_target,
        title="Support cases past the time-to-support target",
        order=30,
    )
    agenda_source_register("fund_position", fund_position_item, title="Fund position", order=40)
    decision_kind_register(
        "agree_allocation",
        label="Agree the fund's allocation",
        model=Fund,
        subjects=funds_to_allocate,
        apply=agree_allocation,
        subject_label=fund_label,
    )
    decision_kind_register(
        "approve_support",
        label="Approve support above the commissioning limit or an overdraw",
        model=Engagement,
        subjects=support_to_approve,
        apply=approve_support,
        subject_label=engagement_label,
    )
