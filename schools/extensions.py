"""Where the apps above the register add to it, without the register importing them.

- **Placement**: a school's place in the partnership (its current cluster and alliance), which
  the register's list, CSV export and API show and filter by. The ``clusters`` app provides it;
  without it every school is "not in a cluster".
- **School page parts**: what another app shows on a school's page for a viewer: summary rows
  under "Partnership" and a section of its own (cluster history, categorisation history; support
  and peer reviews next). A part's ``context`` returns None when the viewer may not see it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from django.db.models import IntegerField, Q, QuerySet, Value
from django.db.models.fields import CharField


class Placement(Protocol):
    def annotate(self, queryset: QuerySet) -> QuerySet:
        """Adds ``current_cluster_id``, ``cluster_name``, ``current_alliance_id`` and
        ``alliance_name`` to each school, in a fixed number of queries."""

    def in_cluster(self, cluster_id: int) -> Q:
        """Schools now in the cluster."""

    def in_alliance(self, alliance_id: int) -> Q:
        """Schools now in one of the alliance's clusters."""

    def alliance_choices(self, *, user) -> list[tuple[int, str]]:
        """The open alliances the user may filter by, as (id, name) pairs."""

    def in_clusters_named(self, *, user, text: str) -> Q:
        """Schools now in a cluster the user may see whose label ("Name (Alliance)"), id or name
        is ``text``; failing an exact name, whose name contains it."""

    def cluster_suggestions(self, *, user, text: str, limit: int) -> list[str]:
        """Labels of the open clusters the user may see whose name contains ``text``."""


class NoPlacement:
    """No clusters app: no school is in a cluster, and there is nothing to filter by."""

    def annotate(self, queryset: QuerySet) -> QuerySet:
        return queryset.annotate(
            current_cluster_id=Value(None, IntegerField()),
            cluster_name=Value(None, CharField()),
            current_alliance_id=Value(None, IntegerField()),
            alliance_name=Value(None, CharField()),
        )

    def in_cluster(self, cluster_id: int) -> Q:
        return Q(pk__in=[])

    def in_alliance(self, alliance_id: int) -> Q:
        return Q(pk__in=[])

    def alliance_choices(self, *, user) -> list:
        return []

    def in_clusters_named(self, *, user, text: str) -> Q:
        return Q(pk__in=[])

    def cluster_suggestions(self, *, user, text: str, limit: int) -> list[str]:
        return []


_placement: list[Placement] = []


def placement_register(provider: Placement) -> None:
    """Say where schools sit in the partnership (the ``clusters`` app, at start-up)."""
    _placement[:] = [provider]


def placement() -> Placement:
    return _placement[0] if _placement else NoPlacement()


@dataclass(frozen=True)
class SchoolPagePart:
    key: str
    order: int
    context: Callable[..., dict | None]  # (user=, school=) -> the templates' context, or None
    facts_template: str = ""  # rows added to the "Partnership" summary list
    section_template: str = ""  # a section after it


_PARTS: dict[str, SchoolPagePart] = {}


def school_page_part_register(key: str, *, order: int, context, **templates: str) -> None:
    """Show ``facts_template`` and/or ``section_template`` on every school's page, with the
    context ``context(user=, school=)`` returns (nothing when it returns None)."""
    _PARTS[key] = SchoolPagePart(key, order, context, **templates)


def school_page_parts() -> list[SchoolPagePart]:
    return sorted(_PARTS.values(), key=lambda part: part.order)
