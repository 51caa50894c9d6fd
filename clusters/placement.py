"""Where each school sits in the partnership, for the register's list, export and API
(``schools.extensions.Placement``, registered at start-up)."""

from __future__ import annotations

import re

from django.db.models import Case, Exists, F, FilteredRelation, OuterRef, Q, QuerySet, Value, When

from partnership.models import Alliance

from .models import Cluster, ClusterMembership

# A cluster's label on the register's filter: "Andover Cluster (North Alliance)".
LABEL = re.compile(r"^(?P<name>.+?) \((?P<alliance>[^()]+)\)$")
MAX_ID_DIGITS = 9


def _current_membership() -> QuerySet:
    return ClusterMembership.objects.filter(school=OuterRef("pk"), ended_on__isnull=True).order_by()


class ClusterPlacement:
    def annotate(self, queryset: QuerySet) -> QuerySet:
        # One current membership per school (a database constraint), so this join adds no rows.
        return queryset.annotate(
            current=FilteredRelation(
                "cluster_memberships", condition=Q(cluster_memberships__ended_on__isnull=True)
            ),
            current_cluster_id=F("current__cluster_id"),
            cluster_name=F("current__cluster__name"),
            current_alliance_id=F("current__cluster__alliance_id"),
            alliance_name=F("current__cluster__alliance__name"),
        )

    def in_cluster(self, cluster_id: int) -> Q:
        return Q(Exists(_current_membership().filter(cluster_id=cluster_id)))

    def in_alliance(self, alliance_id: int) -> Q:
        return Q(Exists(_current_membership().filter(cluster__alliance_id=alliance_id)))

    def alliance_choices(self, *, user) -> list[tuple[int, str]]:
        alliances = Alliance.objects.active().visible_to(user).order_by("name")
        return list(alliances.values_list("pk", "name"))

    def _named(self, clusters: QuerySet, text: str) -> QuerySet:
        """The clusters ``text`` names: by id (links made before the filter took names), by
        label, by exact name, or else by part of the name."""
        if text.isdigit() and len(text) <= MAX_ID_DIGITS:
            return clusters.filter(pk=int(text))
        label = LABEL.match(text)
        if label:
            exact = clusters.filter(
                name__iexact=label["name"], alliance__name__iexact=label["alliance"]
            )
            if exact.exists():
                return exact
        exact = clusters.filter(name__iexact=text)
        return exact if exact.exists() else clusters.filter(name__icontains=text)

    def in_clusters_named(self, *, user, text: str) -> Q:
        clusters = self._named(Cluster.objects.active().visible_to(user), text.strip())
        return Q(Exists(_current_membership().filter(cluster__in=clusters.values("pk"))))

    def cluster_suggestions(self, *, user, text: str, limit: int) -> list[str]:
        clusters = (
            Cluster.objects.active()
            .visible_to(user)
            .filter(name__icontains=text)
            .annotate(starts=Case(When(name__istartswith=text, then=Value(0)), default=Value(1)))
            .order_by("starts", "name", "alliance__name")
        )
        return [
            f"{name} ({alliance})"
            for name, alliance in clusters.values_list("name", "alliance__name")[:limit]
        ]
