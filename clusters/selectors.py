"""Reads of the structure for a viewer, always scoped through ``visible_to(user)``.

Counts come from aggregate queries (one GROUP BY over current memberships, one over the schools
outside any cluster), so a page costs the same number of queries, and the same size, for 200
schools as for 22,000. The schools themselves are listed on the structure page only while the
viewer sees few enough to read on one page (``INLINE_LIMIT``); past that, each cluster's schools
are on its own page, paged, and the lists of schools outside any cluster are paged.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Count, QuerySet

from partnership.models import Alliance, Partnership
from partnership.permissions import roles_of
from partnership.selectors import partnership_or_none
from schools.models import Phase, School, TypeGroup

from .models import Cluster, ClusterMembership

SCHOOL_FIELDS = ("id", "urn", "name", "phase", "type_group", "status", "opted_out", "la_code")
# The structure page lists every school it counts while the viewer sees at most this many (an
# LA-sized partnership: 300 to 500 schools); above it the page shows counts, and links to the
# clusters' pages and to paged lists.
INLINE_LIMIT = 500
# How many schools outside any cluster (or opted out) the summary shows before its link.
SUMMARY_LIST_LIMIT = 20
# The schools outside the clusters, by the name of their paged list.
SCHOOL_LISTS = ("unclustered", "opted-out")


@dataclass
class Counts:
    """How many schools, by phase and by type group."""

    total: int = 0
    phases: Counter = field(default_factory=Counter)
    types: Counter = field(default_factory=Counter)

    def add(self, school: School) -> None:
        self.add_group(school.phase, school.type_group, 1)

    def add_group(self, phase: str, type_group: str, number: int) -> None:
        self.total += number
        self.phases[phase] += number
        self.types[type_group] += number

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

    @classmethod
    def grouped(cls, schools: QuerySet) -> Counts:
        """The counts of a queryset of schools, from one GROUP BY query."""
        counts = cls()
        rows = schools.order_by().values_list("phase", "type_group").annotate(n=Count("pk"))
        for phase, type_group, number in rows:
            counts.add_group(phase, type_group, number)
        return counts

    @property
    def phase_items(self) -> list[tuple[str, int]]:
        return [(label, self.phases[value]) for value, label in Phase.choices if self.phases[value]]

    @property
    def type_items(self) -> list[tuple[str, int]]:
        return [
            (label, self.types[value]) for value, label in TypeGroup.choices if self.types[value]
        ]

    # As text ("Primary: 80, Secondary: 20", or "–"): a national structure shows 200 clusters'
    # counts, and a loop in the template for each cost more than the page's queries.
    @property
    def phase_text(self) -> str:
        return ", ".join(f"{label}: {n}" for label, n in self.phase_items) or "–"

    @property
    def type_text(self) -> str:
        return ", ".join(f"{label}: {n}" for label, n in self.type_items) or "–"


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
    opted_out_total: int
    sees_whole_partnership: bool
    # True when every school counted is listed on the page; False for the national summary.
    inline: bool = True


def _current_memberships(*, user, cluster_ids: list[int]) -> QuerySet:
    return ClusterMembership.objects.current().filter(
        cluster_id__in=cluster_ids, school__in=School.objects.visible_to(user)
    )


def _cluster_nodes(*, user, clusters: QuerySet, limit: int = INLINE_LIMIT) -> list[ClusterNode]:
    """The clusters with the counts of the visible schools now in them (one GROUP BY query), and
    those schools too while there are at most ``limit`` of them (one more query)."""
    nodes = {c.pk: ClusterNode(c) for c in clusters}
    # From the visible schools joined to their current membership: one join, where filtering
    # the memberships by ``school__in=visible`` joins the schools twice.
    rows = (
        School.objects.visible_to(user)
        .filter(
            cluster_memberships__ended_on__isnull=True,
            cluster_memberships__cluster_id__in=list(nodes),
        )
        .order_by()
        .values_list("cluster_memberships__cluster_id", "phase", "type_group")
        .annotate(n=Count("pk"))
    )
    for cluster_id, phase, type_group, number in rows:
        nodes[cluster_id].counts.add_group(phase, type_group, number)
    if sum(node.counts.total for node in nodes.values()) <= limit:
        _add_schools(nodes, _current_memberships(user=user, cluster_ids=list(nodes)))
    return list(nodes.values())


def _add_schools(nodes: dict[int, ClusterNode], memberships: QuerySet) -> None:
    listed = (
        memberships.select_related("school")
        .only("cluster_id", *(f"school__{f}" for f in SCHOOL_FIELDS))
        .order_by("school__name", "school__urn")
    )
    for membership in listed:
        nodes[membership.cluster_id].schools.append(membership.school)


def structure_schools(*, user, which: str) -> QuerySet[School]:
    """The open schools this user may see that are in no cluster (``unclustered``), or that
    have opted out of the partnership (``opted-out``), by name."""
    schools = School.objects.visible_to(user).only(*SCHOOL_FIELDS)
    if which == "opted-out":
        return schools.open().filter(opted_out=True)
    in_a_cluster = ClusterMembership.objects.current().values("school_id")
    return schools.in_partnership().exclude(pk__in=in_a_cluster)


def _outside_clusters(*, user, whole: bool) -> tuple[QuerySet, Counts, QuerySet, int]:
    """The schools in no cluster with their counts, and those opted out with their number; none
    for a viewer who does not see the whole partnership (the page does not show them)."""
    unclustered = structure_schools(user=user, which="unclustered")
    opted_out = structure_schools(user=user, which="opted-out")
    if not whole:
        return unclustered.none(), Counts(), opted_out.none(), 0
    return unclustered, Counts.grouped(unclustered), opted_out, opted_out.count()


def structure_for(*, user) -> Structure:
    """The board, its open alliances and clusters, counted from the schools this user may see;
    the schools themselves while there are few enough to read on one page."""
    whole = roles_of(user).sees_whole_partnership
    alliances = Alliance.objects.active().visible_to(user).order_by("name")
    nodes = {a.pk: AllianceNode(a) for a in alliances}
    clusters = (
        Cluster.objects.active()
        .filter(alliance_id__in=list(nodes))
        .visible_to(user)
        .select_related("communication_lead")
    )
    unclustered, unclustered_counts, opted_out, opted_out_total = _outside_clusters(
        user=user, whole=whole
    )
    room = INLINE_LIMIT - unclustered_counts.total - opted_out_total
    cluster_nodes = _cluster_nodes(user=user, clusters=clusters.order_by("name"), limit=room)
    for cluster_node in cluster_nodes:
        alliance_node = nodes[cluster_node.cluster.alliance_id]
        alliance_node.clusters.append(cluster_node)
        alliance_node.counts.include(cluster_node.counts)
    board = Counts()
    for alliance_node in nodes.values():
        board.include(alliance_node.counts)
    inline = board.total + unclustered_counts.total + opted_out_total <= INLINE_LIMIT
    shown = None if inline else SUMMARY_LIST_LIMIT
    return Structure(
        partnership=partnership_or_none(),
        alliances=list(nodes.values()),
        counts=board,
        unclustered=list(unclustered[:shown]) if unclustered_counts.total else [],
        unclustered_counts=unclustered_counts,
        opted_out=list(opted_out[:shown]) if opted_out_total else [],
        opted_out_total=opted_out_total,
        sees_whole_partnership=whole,
        inline=inline,
    )


def alliance_clusters(*, alliance: Alliance, user) -> tuple[list[ClusterNode], list[Cluster]]:
    """The alliance's open clusters this user may see, counted, with their schools while there
    are at most ``INLINE_LIMIT``; and its closed clusters."""
    visible = alliance.clusters.select_related("communication_lead").visible_to(user)
    nodes = _cluster_nodes(user=user, clusters=visible.active().order_by("name"))
    closed = list(visible.filter(closed_on__isnull=False).select_related("merged_into"))
    return nodes, closed


def cluster_memberships(*, cluster: Cluster, user) -> tuple[QuerySet, QuerySet]:
    """The cluster's current memberships (by school name) and past ones (latest first) of
    schools this user may see, as querysets for paging."""
    memberships = cluster.memberships.filter(
        school__in=School.objects.visible_to(user)
    ).select_related("school")
    current = memberships.filter(ended_on__isnull=True).order_by("school__name", "school__urn")
    past = memberships.filter(ended_on__isnull=False).order_by(
        "-ended_on", "-started_on", "school__name", "pk"
    )
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
