"""What waits for each person: apps register sources of work; the home page lists them.

A source is ``fn(*, user) -> list[WorkItem]``; it must scope what it returns with the same
``visible_to(user)`` as its pages and run a bounded number of queries (count, then the first
few items), whatever the number of things waiting.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class WorkItem:
    """One kind of thing waiting for the user: "3 cases to diagnose", with links to the first."""

    label: str  # e.g. "Cases to diagnose"
    count: int
    href: str  # the page listing all of them
    examples: tuple[tuple[str, str], ...] = field(default=())  # (text, href) of the first few
    overdue: int = 0  # how many are past their target date


WorkSource = Callable[..., list[WorkItem]]
_SOURCES: dict[str, tuple[int, WorkSource]] = {}


def worklist_register(key: str, source: WorkSource, *, order: int = 50) -> None:
    """Add a source of things waiting for people (``key`` names it, so registering twice is
    harmless)."""
    _SOURCES[key] = (order, source)


def worklist_for(*, user) -> list[WorkItem]:
    """Everything waiting for the user, in the sources' order, leaving out empty items."""
    items: list[WorkItem] = []
    for _order, source in sorted(_SOURCES.values(), key=lambda entry: entry[0]):
        items.extend(item for item in source(user=user) if item.count)
    return items
