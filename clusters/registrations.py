"""What the structure adds to the shared registries: its navigation and its audit trail."""

from django.db.models import Q

from kernel.audit import audit_kind_register, url_or_none
from kernel.navigation import nav_register
from partnership.permissions import scope_extend
from schools.extensions import placement_register, school_page_part_register

from .models import Cluster, ClusterMembership, school_ids_now_in
from .placement import ClusterPlacement


def _school_label(school, school_id) -> str:
    return f"{school.name} ({school.urn})" if school else f"school {school_id} (deleted)"


def _cluster_label(record) -> str:
    alliance = record.alliance.name if record.alliance else "a deleted alliance"
    return f"{record.name} ({alliance})"


def _membership_label(record) -> str:
    cluster = record.cluster.name if record.cluster else "a deleted cluster"
    return f"{_school_label(record.school, record.school_id)} in {cluster}"


def _membership_url(record) -> str | None:
    return url_or_none("schools:detail", record.school.urn) if record.school else None


def _school_part(*, user, school) -> dict:
    """The school's cluster memberships, newest first, with each cluster's alliance."""
    memberships = list(school.cluster_memberships.select_related("cluster__alliance"))
    current = next((m for m in memberships if m.ended_on is None), None)
    return {"memberships": memberships, "current": current}


def register() -> None:
    placement_register(ClusterPlacement())
    school_page_part_register(
        "clusters",
        order=10,
        context=_school_part,
        facts_template="clusters/_school_facts.html",
        section_template="clusters/_school_history.html",
    )
    scope_extend("schools.School", _schools_in_scope)
    scope_extend("partnership.Alliance", _alliances_in_scope)
    nav_register("Structure", "clusters:structure", permission="clusters.view_structure", order=30)
    audit_kind_register(
        "cluster",
        "Clusters",
        Cluster,
        order=40,
        related=("alliance",),
        entry_label=_cluster_label,
        entry_url=lambda record: url_or_none("clusters:cluster-detail", record.id),
    )
    audit_kind_register(
        "membership",
        "Cluster memberships",
        ClusterMembership,
        order=50,
        related=("school", "cluster"),
        entry_label=_membership_label,
        entry_url=_membership_url,
        name_joins=("school", "cluster"),
    )


def _schools_in_scope(roles) -> Q | None:
    """The schools now in a cluster lead's cluster or an alliance chair's alliance."""
    if not (roles.cluster_ids or roles.alliance_ids):
        return None
    return Q(
        pk__in=school_ids_now_in(alliance_ids=roles.alliance_ids, cluster_ids=roles.cluster_ids)
    )


def _alliances_in_scope(roles) -> Q | None:
    """The alliance of a cluster lead's cluster and of a headteacher's school's cluster."""
    if not (roles.cluster_ids or roles.school_ids):
        return None
    return Q(clusters__pk__in=roles.cluster_ids) | Q(
        clusters__memberships__ended_on__isnull=True,
        clusters__memberships__school_id__in=roles.school_ids,
    )
