"""Reads of the structure for a viewer, always scoped through ``partnership.permissions``.

Counts are made in Python from one query of current memberships, so a page costs the same number
of queries for 20 schools as for 2,000.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from django.db.models import QuerySet

from partnership.models import Alliance, Partnership
from partnership.permissions import roles_of
from partnership.selectors import partnership_or_none
from schools.models import Phase, School, TypeGroup

from .models import Cluster, ClusterMembership

SCHOOL_FIELDS = ("id", "urn", "name", "phase", "type_group", "status", "opted_out", "la_code")


@dataclass
class Counts:
    """How many schools, by phase and by type group."""

    total: int = 0
    phases: Counter = field(default_factory=Counter)
    types: Counter = field(default_factory=Counter)

    def add(self, school: School) -> None:
        self.total += 1
        self.phases[school.phase] += 1
        self.types[school.type_group] += 1

    def include(self, other: Counts) -> None:
        self.total += other.total
        self.phases.update(other.phases)
        self.types.update(other.types)

    @classmethod
    def of(cls, schools) -> Counts:
        counts = cls()
        for school in schools:
            counts.add(school)
        return counts

    @property
    def phase_items(self) -> list[tuple[str, int]]:
        return [(label, self.phases[value]) for value, label in Phase.choices if self.phases[value]]

    @property
    def type_items(self) -> list[tuple[str, int]]:
        return [
            (label, self.types[value]) for value, label in TypeGroup.choices if self.types[value]
        ]


@dataclass
class ClusterNode:
    cluster: Cluster
    schools: list[School] = field(default_factory=list)
    counts: Counts = field(default_factory=Counts)


@dataclass
class AllianceNode:
    alliance: Alliance
    clusters: list[ClusterNode] = field(default_factory=list)
    counts: Counts = field(default_factory=Counts)


@dataclass
class Structure:
    partnership: Partnership | None
    alliances: list[AllianceNode]
    counts: Counts
    unclustered: list[School]
    unclustered_counts: Counts
    opted_out: list[School]
    sees_whole_partnership: bool


def _cluster_nodes(*, user, clusters: QuerySet) -> list[ClusterNode]:
    """The clusters, each with the visible schools now in it and their counts (two queries)."""
    nodes = {c.pk: ClusterNode(c) for c in clusters}
    memberships = (
        ClusterMembership.objects.current()
        .filter(cluster_id__in=list(nodes), school__in=School.objects.visible_to(user))
        .select_related("school")
        .only("cluster_id", *(f"school__{f}" for f in SCHOOL_FIELDS))
        .order_by("school__name", "school__urn")
    )
    for membership in memberships:
        node = nodes[membership.cluster_id]
        node.schools.append(membership.school)
        node.counts.add(membership.school)
    return list(nodes.values())


def structure_for(*, user) -> Structure:
    """The board, its open alliances and clusters and the schools this user may see, counted."""
    alliances = Alliance.objects.active().visible_to(user).order_by("name")
    nodes = {a.pk: AllianceNode(a) for a in alliances}
    clusters = (
        Cluster.objects.active()
        .filter(alliance_id__in=list(nodes))
        .visible_to(user)
        .select_related("communication_lead")
    )
    for cluster_node in _cluster_nodes(user=user, clusters=clusters.order_by("name")):
        alliance_node = nodes[cluster_node.cluster.alliance_id]
        alliance_node.clusters.append(cluster_node)
        alliance_node.counts.include(cluster_node.counts)
    board = Counts()
    for alliance_node in nodes.values():
        board.include(alliance_node.counts)
    schools = School.objects.visible_to(user).only(*SCHOOL_FIELDS)
    in_a_cluster = ClusterMembership.objects.current().values("school_id")
    unclustered = list(schools.in_partnership().exclude(pk__in=in_a_cluster))
    return Structure(
        partnership=partnership_or_none(),
        alliances=list(nodes.values()),
        counts=board,
        unclustered=unclustered,
        unclustered_counts=Counts.of(unclustered),
        opted_out=list(schools.open().filter(opted_out=True)),
        sees_whole_partnership=roles_of(user).sees_whole_partnership,
    )


def alliance_clusters(*, alliance: Alliance, user) -> tuple[list[ClusterNode], list[Cluster]]:
    """The alliance's open clusters this user may see, with their schools; and its closed ones."""
    visible = alliance.clusters.select_related("communication_lead").visible_to(user)
    nodes = _cluster_nodes(user=user, clusters=visible.active().order_by("name"))
    closed = list(visible.filter(closed_on__isnull=False).select_related("merged_into"))
    return nodes, closed


def cluster_memberships(*, cluster: Cluster, user) -> tuple[list, list]:
    """The cluster's current and past memberships of schools this user may see."""
    memberships = (
        cluster.memberships.filter(school__in=School.objects.visible_to(user))
        .select_related("school")
        .order_by("school__name", "-started_on")
    )
    current, past = [], []
    for membership in memberships:
        (past if membership.ended_on else current).append(membership)
    past.sort(key=lambda m: (m.ended_on, m.started_on), reverse=True)
    return current, past


def school_memberships(*, school: School) -> list[ClusterMembership]:
    """Every cluster the school has been in, latest first."""
    return list(school.cluster_memberships.select_related("cluster__alliance"))


def previous_names(*, instance) -> list[dict]:
    """Names the alliance or cluster had before, with the date each stopped being used."""
    names, last = [], None
    for name, when in instance.history.order_by("history_date").values_list("name", "history_date"):
        if last is not None and name != last:
            names.append({"name": last, "until": when})
        last = name
    return list(reversed(names))


def open_clusters() -> QuerySet:
    """Every open cluster, with its alliance, in alliance then name order (for choosing one)."""
    return Cluster.objects.active().select_related("alliance").order_by("alliance__name", "name")
