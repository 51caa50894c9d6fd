"""Where each school sits in the partnership, for the register's list, export and API
(``schools.extensions.Placement``, registered at start-up)."""

from __future__ import annotations

from django.db.models import Exists, F, FilteredRelation, OuterRef, Q, QuerySet

from partnership.models import Alliance

from .models import Cluster, ClusterMembership


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

    def choices(self, *, user) -> tuple[list[tuple[int, str]], list[tuple[int, str]]]:
        alliances = Alliance.objects.active().visible_to(user).order_by("name")
        clusters = Cluster.objects.active().visible_to(user).order_by("name", "alliance__name")
        return (
            list(alliances.values_list("pk", "name")),
            [
                (pk, f"{name} ({alliance})")
                for pk, name, alliance in clusters.values_list("pk", "name", "alliance__name")
            ],
        )
