"""What a board pack holds, ready for its template: the cover, the agenda items in order
(standing items with the content stored when the agenda was published), each item's latest
papers with their summaries, and the dashboard's tables.

The public pack is built from the same items with the rule the published minutes follow
(``board.meeting_minutes``): a confidential item keeps only its number and exempt category, and
where the board hides school names every text shown goes through the same coder, so a school
is "School A" in the pack as in the minutes. A standing item's column that holds the schools'
URNs is dropped too: a URN names a school as surely as its name.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import prefetch_related_objects
from django.utils import timezone

from schools.models import School

from .meeting_minutes import school_name_coder as minutes_coder
from .meeting_selectors import agenda_items
from .models import AgendaItem, Meeting
from .pack import AUDIENCES, PUBLIC
from .pack_dashboard import pack_dashboard


@dataclass
class PackPaper:
    title: str
    version: int
    file_type: str
    is_late: bool
    summary: str


@dataclass
class PackItem:
    """One agenda item as the pack shows it; ``exempt`` alone for a confidential item left out
    of the public pack."""

    position: int
    title: str
    kind_label: str = ""
    description: str = ""
    confidential: bool = False
    exempt: str = ""
    withheld: bool = False
    summary: str = ""
    columns: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)
    papers: list[PackPaper] = field(default_factory=list)

    @property
    def anchor(self) -> str:
        return f"item-{self.position}"


def _withheld(item: AgendaItem) -> PackItem:
    return PackItem(
        item.position,
        "Exempt item",
        confidential=True,
        exempt=item.exempt_paragraph,
        withheld=True,
    )


def _without_urns(columns: list, rows: list, urns: set[str]) -> tuple[list, list]:
    """The table without any column in which a cell is one of these URNs."""
    named = {n for row in rows for n, cell in enumerate(row) if str(cell) in urns}
    keep = [n for n in range(len(columns)) if n not in named]
    return [columns[n] for n in keep], [[row[n] for n in keep if n < len(row)] for row in rows]


def _discussed_urns(items: list[AgendaItem]) -> set[str]:
    ids = {school.pk for item in items for school in item.schools.all()}
    ids |= {pk for item in items for pk in (item.snapshot or {}).get("school_ids", [])}
    return {str(urn) for urn in School.objects.filter(pk__in=ids).values_list("urn", flat=True)}


def _shown(item: AgendaItem, code, urns: set[str] = frozenset()) -> PackItem:
    snapshot = item.snapshot or {}
    columns, rows = _without_urns(snapshot.get("columns", []), snapshot.get("rows", []), urns)
    return PackItem(
        item.position,
        code(item.title),
        kind_label=item.get_kind_display() if item.kind == AgendaItem.Kind.STANDING else "",
        description=code(item.description),
        confidential=item.is_confidential,
        exempt=item.exempt_paragraph,
        summary=code(str(snapshot.get("summary", ""))),
        columns=[code(str(c)) for c in columns],
        rows=[[code(str(cell)) for cell in row] for row in rows],
        papers=[
            PackPaper(code(p.title), p.version, p.file_type.upper(), p.is_late, code(p.summary))
            for p in item.latest_papers
        ],
    )


def pack_items(*, meeting: Meeting, audience: str) -> list[PackItem]:
    """The agenda as this audience's pack shows it."""
    items = agenda_items(meeting=meeting, confidential=True, whole=True)
    public = audience == PUBLIC
    code, urns = str, set()
    if public and meeting.hide_school_names:
        prefetch_related_objects(items, "schools")
        code, urns = minutes_coder(meeting, items), _discussed_urns(items)
    return [
        _withheld(item) if public and item.is_confidential else _shown(item, code, urns)
        for item in items
    ]


def pack_context(*, meeting: Meeting, audience: str, user) -> dict:
    """Everything the pack's template shows, for one audience."""
    items = pack_items(meeting=meeting, audience=audience)
    return {
        "meeting": meeting,
        "audience": audience,
        "audience_label": AUDIENCES[audience],
        "public": audience == PUBLIC,
        "items": items,
        "has_confidential": any(i.confidential and not i.withheld for i in items),
        "dashboard": pack_dashboard(meeting=meeting, user=user),
        "produced_on": timezone.localdate(),
    }
