"""The board's and each alliance's dashboard as panels: each panel a chart's numbers and the
accessible tables that show the same numbers (``templates/board/dashboard/``).

``dashboard_for`` reads every panel in a fixed number of grouped queries (about fifteen),
whatever the number of schools, cases, engagements or ledger entries: each panel's selector in
``dashboard_categories`` and ``dashboard_support`` is one or two aggregates, never a query per
row. School names appear only in the overdue reviews' table; ``names`` turns them into the
board year's codes (``board.school_codes``) for the projector.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils import timezone

from .school_codes import board_year, school_codes_for


@dataclass
class Table:
    """A table beside a chart: the first cell of each row is its header."""

    key: str
    caption: str
    columns: list[str]
    rows: list[list] = field(default_factory=list)
    numeric: frozenset[int] = frozenset()
    hint: str = ""
    # Row index -> school id, for rows that name a school (hidden behind codes on a projector).
    schools: dict[int, int] = field(default_factory=dict)


@dataclass
class Panel:
    """One screen of the projector: a headline, a chart's numbers and its tables."""

    key: str
    title: str
    tables: list[Table] = field(default_factory=list)
    chart: dict | None = None
    summary: str = ""
    empty: str = ""

    @property
    def chart_id(self) -> str:
        return f"chart-{self.key}-data"

    @property
    def wide(self) -> bool:
        """A table of more than three columns takes the width, its chart below it."""
        return any(len(table.columns) > 3 for table in self.tables)


def plural(count: int, one: str, many: str) -> str:
    """ "1 school", "2 schools" (with thousands separated)."""
    return f"{count:,} {one if count == 1 else many}"


def chart_of(title: str, labels: list[str], counts: list, label: str = "Schools") -> dict:
    """What ``static/js/chart-summary.mjs`` draws: a bar per label."""
    return {"title": title, "labels": labels, "counts": counts, "label": label}


@dataclass
class Dashboard:
    """The panels for the board (``alliance`` None) or one alliance."""

    alliance: object | None
    panels: list[Panel]

    @property
    def title(self) -> str:
        return f"{self.alliance.name} dashboard" if self.alliance else "The board's dashboard"

    def school_ids(self) -> list[int]:
        return [pk for panel in self.panels for t in panel.tables for pk in t.schools.values()]


def dashboard_for(*, user, alliance=None) -> Dashboard:
    """Every panel of the board's dashboard (or one alliance's) for what this user may see."""
    from .dashboard_categories import category_panels
    from .dashboard_support import support_panels

    panels = [*category_panels(user=user, alliance=alliance)]
    panels += support_panels(user=user, alliance=alliance)
    return Dashboard(alliance=alliance, panels=panels)


def names_to_codes(dashboard: Dashboard, *, day=None) -> None:
    """Replace every school name the dashboard shows with its code for the board year (the
    published minutes' codes): one or two queries, codes given to schools that have none."""
    ids = dashboard.school_ids()
    if not ids:
        return
    codes = school_codes_for(year=board_year(day or timezone.localdate()), school_ids=ids)
    for panel in dashboard.panels:
        for table in panel.tables:
            for index, school_id in table.schools.items():
                table.rows[index][0] = codes[school_id]


# The projector's panels, in order: (key, title). The first three come from one read of the
# agreed categorisation; each of the others is its own selector.
PANELS = (
    ("categories", "Schools by category"),
    ("movement", "Movement since the last agreed categorisation"),
    ("focused", "Schools in focused support by band"),
    ("cases", "Support cases"),
    ("time", "Time to support"),
    ("fund", "Fund position"),
    ("reviews", "Overdue progress reviews"),
    ("impact", "Impact decisions"),
)


def dashboard_panel(*, user, alliance=None, number: int) -> Panel:
    """The projector's panel ``number`` (1 to ``len(PANELS)``), reading only what it shows."""
    from . import dashboard_support as support
    from .dashboard_categories import category_panels

    key, title = PANELS[number - 1]
    if number <= 3:
        panels = {panel.key: panel for panel in category_panels(user=user, alliance=alliance)}
        return panels.get(key) or Panel(key, title, empty=panels["categories"].empty)
    return getattr(support, f"{key}_panel")(user=user, alliance=alliance)
