"""The board pack's dashboard section: plain tables (and bar charts drawn as SVG on the
server, since WeasyPrint runs no JavaScript) read through each app's own selectors: the
current agreed categorisation's counts, support cases by step, and the fund's position.

Figures are those the pack's author may see (``visible_to``), limited to the alliance for an
alliance's meeting. Only counts and money appear: no school is named, so the public pack can
carry the same section.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count

from brokerage.case_selectors import STEPS, with_step
from brokerage.models import SupportCase
from categorisation.summary import categorisation_summary
from funding.balances import alliance_position, fund_position
from funding.selectors import fund_current
from kernel.money import pounds

from .models import Meeting

# The SVG chart's units (millimetres on the page): labels on the left, bars after them.
BAR_AREA, BAR_PITCH = 90, 7


@dataclass
class Bar:
    label: str
    value: int
    length: float  # the bar's length, in the chart's units
    y: int  # its top


@dataclass
class PackTable:
    """One table of the dashboard section, with an optional bar chart of its first column."""

    title: str
    columns: list[str]
    rows: list[list[str]] = field(default_factory=list)
    bars: list[Bar] = field(default_factory=list)
    note: str = ""

    @property
    def chart_height(self) -> int:
        return BAR_PITCH * len(self.bars)


def _bars(pairs: list[tuple[str, int]]) -> list[Bar]:
    top = max((value for _, value in pairs), default=0)
    if not top:
        return []  # nothing to draw: the table says it
    return [
        Bar(label, value, round(BAR_AREA * value / top, 1) if top else 0, BAR_PITCH * n)
        for n, (label, value) in enumerate(pairs)
    ]


def _categorisation(meeting: Meeting, user) -> list[PackTable]:
    title = "Schools by category (current agreed categorisation)"
    summary = categorisation_summary(user=user)
    if summary is None:
        return [PackTable(title, [], note="No categorisation has been agreed yet.")]
    note = f"Agreed on {summary.run.agreed_at:%-d %B %Y}." if summary.run.agreed_at else ""
    if meeting.alliance_id:
        by_alliance = next(t for t in summary.tables if t.key == "alliance")
        row = next((r for r in by_alliance.rows if r[0] == meeting.alliance.name), None)
        pairs = list(zip(by_alliance.columns, row[1], strict=True)) if row else []
    else:
        pairs = [(entry["label"], entry["count"]) for entry in summary.by_category]
    rows = [[label, str(n)] for label, n in pairs]
    rows.append(["Total", str(sum(n for _, n in pairs))])
    return [PackTable(title, ["Category", "Schools"], rows, _bars(pairs), note)]


def _cases(meeting: Meeting, user) -> PackTable:
    cases = SupportCase.objects.visible_to(user)
    if meeting.alliance_id:
        cases = cases.filter(alliance_id=meeting.alliance_id)
    grouped = with_step(cases).order_by().values("state", "step").annotate(n=Count("pk"))
    counts: dict[tuple[str, str], int] = {(g["state"], g["step"]): g["n"] for g in grouped}
    State = SupportCase.State
    rows, pairs = [], []
    for step, label in STEPS.items():
        if step == "undiagnosed":
            continue  # a grouping of the first three steps, not a step of its own
        live = [counts.get((state, step), 0) for state in (State.OPEN, State.PAUSED)]
        rows.append([label, *map(str, live)])
        pairs.append((label, sum(live)))
    closed = sum(n for (state, _), n in counts.items() if state == State.CLOSED)
    columns = ["Step reached", "Open", "Paused"]
    note = f"Closed cases: {closed}."
    return PackTable("Support cases by step", columns, rows, _bars(pairs), note)


def _fund(meeting: Meeting) -> PackTable:
    fund = fund_current()
    if fund is None:
        return PackTable("Fund position", [], note="No fund has been set up yet.")
    if meeting.alliance_id:
        position = alliance_position(fund=fund, alliance_id=meeting.alliance_id)
        figures = [
            ("Allocated", position.allocated),
            ("Committed", position.committed),
            ("Spent", position.spent),
            ("Left to commit", position.allocation_left),
        ]
    else:
        position = fund_position(fund=fund)
        figures = [(label.capitalize(), value) for label, value in position.as_dict().items()]
    rows = [[label, pounds(value)] for label, value in figures]
    return PackTable(f"Fund position: {fund}", ["", "Amount"], rows)


def pack_dashboard(*, meeting: Meeting, user) -> list[PackTable]:
    """The dashboard's tables for a meeting's pack, as its author may see them."""
    return [*_categorisation(meeting, user), _cases(meeting, user), _fund(meeting)]
