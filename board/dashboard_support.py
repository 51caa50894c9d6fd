"""The dashboard's support and money panels: support cases by status and step, time to
support, the fund's position, overdue progress reviews and impact decisions.

Each is one or two grouped queries through brokerage's and funding's selectors and the cases'
and engagements' ``visible_to(user)``; an alliance's dashboard keeps the cases it brokers, the
engagements it pays for and its allocation.
"""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from brokerage.case_selectors import STEPS, with_step
from brokerage.models import Engagement, ImpactDecision, SupportCase
from brokerage.time_to_support import (
    STEPS as TIME_STEPS,
)
from brokerage.time_to_support import (
    overdue_q,
    target_days,
    time_to_support_by_alliance,
)
from funding.balances import alliance_position, fund_position
from funding.selectors import alliance_rows, fund_current
from kernel.money import pounds

from .dashboard import Panel, Table, chart_of, plural

REVIEWS_SHOWN = 10


def _cases(*, user, alliance) -> QuerySet:
    cases = SupportCase.objects.visible_to(user)
    return cases.filter(alliance=alliance) if alliance is not None else cases


def _engagements(*, user, alliance) -> QuerySet:
    engagements = Engagement.objects.visible_to(user)
    return engagements.filter(alliance=alliance) if alliance is not None else engagements


def cases_panel(*, user, alliance=None) -> Panel:
    """Support cases by status, open ones by the step they have reached (one grouped query)."""
    rows = (
        with_step(_cases(user=user, alliance=alliance))
        .order_by()
        .values("state", "step")
        .annotate(n=Count("pk"), overdue=Count("pk", filter=overdue_q()))
    )
    states, steps, overdue = dict.fromkeys(SupportCase.State.values, 0), {}, 0
    for row in rows:
        states[row["state"]] += row["n"]
        if row["state"] == SupportCase.State.OPEN:
            steps[row["step"]] = steps.get(row["step"], 0) + row["n"]
            overdue += row["overdue"]
    labels = [SupportCase.State(state).label for state in states]
    by_state = Table("cases", "Support cases by status", ["Status", "Cases"], numeric={1})
    by_state.rows = [[label, n] for label, n in zip(labels, states.values(), strict=True)]
    by_step = Table("case-steps", "Open cases by step", ["Step", "Cases"], numeric={1})
    by_step.rows = [[label, steps[key]] for key, label in STEPS.items() if steps.get(key)]
    step_labels = [row[0] for row in by_step.rows]
    return Panel(
        "cases",
        "Support cases",
        [by_state, by_step],
        chart_of("Open cases by step", step_labels, [row[1] for row in by_step.rows], "Cases"),
        summary=f"{plural(states['open'], 'open case', 'open cases')}, "
        f"{overdue:,} of them past the {target_days()}-day target.",
    )


def time_panel(*, user, alliance=None) -> Panel:
    """Average days from request to each step, and cases past the target, by alliance."""
    rows = time_to_support_by_alliance(cases=_cases(user=user, alliance=alliance))
    columns = ["Alliance", "Cases", "Past the target", *(label for _, label, _ in TIME_STEPS)]
    table = Table(
        "time-to-support",
        "Time to support, in calendar days (averages)",
        columns,
        [
            [row.label, row.cases, row.overdue, *("–" if v is None else v for v in row.values)]
            for row in rows
        ],
        numeric=frozenset(range(1, len(columns))),
        hint=f"The board's target: commissioned within {target_days()} days of the request.",
    )
    late = [row.overdue for row in rows]
    cases = sum(row.cases for row in rows)
    return Panel(
        "time",
        "Time to support",
        [table],
        chart_of("Cases past the target, by alliance", [row.label for row in rows], late, "Cases"),
        summary=f"{sum(late):,} of {plural(cases, 'case', 'cases')} commissioned late or "
        "still waiting past the target.",
        empty="" if rows else "No support cases yet.",
    )


def fund_panel(*, user, alliance=None) -> Panel:
    """The fund's position (or the alliance's allocation): allocated, committed, spent and
    what remains; for the board, each alliance's too."""
    fund = fund_current()
    if fund is None:
        return Panel("fund", "Fund position", empty="There is no fund yet.")
    if alliance is None:
        position = fund_position(fund=fund)
        figures = [("Budget", position.budget), ("Allocated", position.allocated)]
        remaining = ("Remaining", position.remaining)
    else:
        position = alliance_position(fund=fund, alliance_id=alliance.pk)
        figures = [("Allocated", position.allocated)]
        remaining = ("Left of the allocation", position.allocation_left)
    figures += [("Committed", position.committed), ("Spent", position.spent), remaining]
    table = Table("fund", f"Fund position, {fund}", ["", "Amount"], numeric={1})
    table.rows = [[label, pounds(amount)] for label, amount in figures]
    tables = [table]
    if alliance is None:
        by = Table(
            "fund-alliances",
            "By alliance",
            ["Alliance", "Allocated", "Committed", "Spent", "Left"],
            numeric=frozenset({1, 2, 3, 4}),
        )
        for row in alliance_rows(fund=fund, user=user):
            p = row.position
            by.rows.append(
                [
                    row.alliance.name,
                    *map(pounds, (p.allocated, p.committed, p.spent, p.allocation_left)),
                ]
            )
        tables.append(by)
    labels = [label for label, _ in figures[-3:]]
    whole = [int(amount) for _, amount in figures[-3:]]
    return Panel(
        "fund",
        "Fund position",
        tables,
        chart_of("Committed, spent and remaining, in pounds", labels, whole, "Pounds"),
        summary=f"{remaining[0]}: {pounds(remaining[1])}.",
    )


def reviews_panel(*, user, alliance=None) -> Panel:
    """Commissioned engagements whose progress review is past its date: how many, and the
    longest overdue (two queries)."""
    today = timezone.localdate()
    overdue = (
        _engagements(user=user, alliance=alliance)
        .filter(state=Engagement.State.COMMISSIONED, next_review_due__lt=today)
        .order_by("next_review_due", "pk")
    )
    count = overdue.count()
    table = Table(
        "reviews",
        "Overdue progress reviews, longest overdue first",
        ["School", "Provider", "Review due", "Days overdue"],
        numeric=frozenset({3}),
    )
    shown = overdue.select_related("case__school", "provider")[:REVIEWS_SHOWN]
    for index, engagement in enumerate(shown):
        due = engagement.next_review_due
        table.rows.append(
            [
                engagement.case.school.name,
                engagement.provider.name,
                f"{due:%-d %B %Y}",
                (today - due).days,
            ]
        )
        table.schools[index] = engagement.case.school_id
    more = f" The {REVIEWS_SHOWN} longest overdue are listed." if count > REVIEWS_SHOWN else ""
    return Panel(
        "reviews",
        "Overdue progress reviews",
        [table] if count else [],
        summary=f"{plural(count, 'progress review is', 'progress reviews are')} overdue.{more}",
        empty="" if count else "No progress review is overdue.",
    )


def impact_panel(*, user, alliance=None) -> Panel:
    """Impact decisions taken on engagements, and those waiting for one (one grouped query)."""
    rows = (
        _engagements(user=user, alliance=alliance)
        .order_by()
        .values("impact_decision")
        .annotate(n=Count("pk"), due=Count("pk", filter=Q(impact_decision_due=True)))
    )
    decided, waiting = dict.fromkeys(ImpactDecision.values, 0), 0
    for row in rows:
        if row["impact_decision"]:
            decided[row["impact_decision"]] += row["n"]
        waiting += row["due"]
    labels = [ImpactDecision(value).label for value in decided]
    table = Table("impact", "Impact decisions", ["Decision", "Engagements"], numeric={1})
    table.rows = [[label, n] for label, n in zip(labels, decided.values(), strict=True)]
    table.rows.append(["Waiting for a decision after a review", waiting])
    return Panel(
        "impact",
        "Impact decisions",
        [table],
        chart_of("Impact decisions", labels, list(decided.values()), "Engagements"),
        summary=f"{plural(sum(decided.values()), 'decision', 'decisions')} taken; "
        f"{waiting:,} waiting.",
    )


def support_panels(*, user, alliance=None) -> list[Panel]:
    """The support and money panels, in the order the board takes them."""
    return [
        panel(user=user, alliance=alliance)
        for panel in (cases_panel, time_panel, fund_panel, reviews_panel, impact_panel)
    ]
