"""Standing items of an agenda, built from the product's data when the agenda is published.

Each app that has something the board should see at every meeting registers a source: a
function given the meeting and the date of the body's last held meeting, which returns the
item's content, or None when it has nothing to show for that body. The content is stored on the
item (``AgendaItem.snapshot``) when the agenda is published, so the agenda never changes
afterwards, whatever the data does.

The content is a dict: ``summary`` (a sentence), ``columns`` and ``rows`` (a table of text),
and ``school_ids`` (the schools the rows name, whose names the published minutes replace with
codes). ``board.meeting_sources`` registers categorisation's sources; brokerage (cases past the
time-to-support target) and funding (the fund's position) add theirs the same way.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

SourceFunction = Callable[..., "dict | None"]


@dataclass(frozen=True)
class AgendaSource:
    key: str
    title: str
    build: SourceFunction  # build(meeting=..., since=datetime | None) -> dict | None
    order: int
    exempt_paragraph: str = ""  # a Schedule 12A paragraph: the item is taken in private


AGENDA_SOURCES: dict[str, AgendaSource] = {}


def agenda_source_register(
    key: str, fn: SourceFunction, *, title: str, order: int = 50, exempt_paragraph: str = ""
) -> None:
    """Add a standing item built by ``fn(meeting=..., since=...)`` to every published agenda."""
    AGENDA_SOURCES[key] = AgendaSource(key, title, fn, order, exempt_paragraph)


def agenda_sources() -> list[AgendaSource]:
    """The registered sources in agenda order."""
    return sorted(AGENDA_SOURCES.values(), key=lambda source: (source.order, source.key))


def snapshot_of(source: AgendaSource, *, meeting, since: datetime | None) -> dict | None:
    """The source's content now, in the stored shape (missing keys filled)."""
    content = source.build(meeting=meeting, since=since)
    if content is None:
        return None
    return {
        "summary": str(content.get("summary", "")),
        "columns": [str(c) for c in content.get("columns", [])],
        "rows": [[str(cell) for cell in row] for row in content.get("rows", [])],
        "school_ids": [int(pk) for pk in content.get("school_ids", [])],
    }
