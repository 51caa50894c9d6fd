"""Family clusters (level 1) and the history of which school was in which cluster."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from partnership.permissions import scope_filter


def _cluster_scope(roles) -> Q | None:
    """Only the branches the user's roles need, and a head's cluster as a subquery of ids: a
    join to the memberships would repeat each cluster once per school (and need DISTINCT, which
    cost an alliance chair's clusters page 60 ms at national scale)."""
    condition = Q()
    if roles.alliance_ids:
        condition |= Q(alliance_id__in=roles.alliance_ids)
    if roles.cluster_ids:
        condition |= Q(pk__in=roles.cluster_ids)
    if roles.school_ids:
        heads = ClusterMembership.objects.current().filter(school_id__in=roles.school_ids)
        condition |= Q(pk__in=heads.values("cluster_id"))
    return condition or None


class ClusterQuerySet(models.QuerySet):
    def active(self):
        return self.filter(closed_on__isnull=True)

    def visible_to(self, user):
        """The partnership-wide roles see every cluster; an alliance chair their alliance's
        clusters; a cluster lead and a headteacher their own cluster."""
        return scope_filter(self, user, own=_cluster_scope)


class Cluster(models.Model):
    """A small local group of schools of all types, inside one area alliance."""

    alliance = models.ForeignKey(
        "partnership.Alliance", on_delete=models.PROTECT, related_name="clusters"
    )
    name = models.CharField(max_length=200)
    communication_lead = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="clusters_communicating",
    )
    linked_hub = models.CharField(
        "linked teaching school hub or alliance", max_length=200, blank=True
    )
    school_improvement_partner = models.CharField(
        "School Improvement Partner (SIP)", max_length=200, blank=True
    )
    created_on = models.DateField(default=timezone.localdate)
    closed_on = models.DateField(null=True, blank=True)
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="merged_from"
    )
    history = HistoricalRecords()

    objects = ClusterQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["alliance", "name"],
                condition=Q(closed_on__isnull=True),
                name="cluster_open_name_unique_in_alliance",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_open(self) -> bool:
        return self.closed_on is None


class MembershipQuerySet(models.QuerySet):
    def current(self):
        return self.filter(ended_on__isnull=True)


def school_ids_now_in(*, alliance_ids=(), cluster_ids=()) -> models.QuerySet:
    """The ids of the schools now in these alliances or clusters, as a subquery for the
    permission layer's scopes (``school_id__in=...``). A scope through the memberships
    (``school__cluster_memberships__...``) joined every row to the schools and their
    memberships; as ids, PostgreSQL reads the alliance's 2,750 schools once and semi-joins them
    to the rows (an alliance chair's counts of five national runs: 52 -> 22 ms), and no join
    can repeat a row."""
    in_scope = Q()
    if cluster_ids:
        in_scope |= Q(cluster_id__in=list(cluster_ids))
    if alliance_ids:
        in_scope |= Q(cluster__alliance_id__in=list(alliance_ids))
    return ClusterMembership.objects.current().filter(in_scope).values("school_id")


class ClusterMembership(models.Model):
    """A school's time in a cluster. The database allows one open membership per school."""

    school = models.ForeignKey(
        "schools.School", on_delete=models.CASCADE, related_name="cluster_memberships"
    )
    cluster = models.ForeignKey(Cluster, on_delete=models.PROTECT, related_name="memberships")
    started_on = models.DateField(default=timezone.localdate)
    ended_on = models.DateField(null=True, blank=True)
    history = HistoricalRecords()

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["-started_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["school"],
                condition=Q(ended_on__isnull=True),
                name="one_current_cluster_per_school",
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("started_on")),
                name="membership_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.school} in {self.cluster}"


from .peer_review_models import *  # noqa: E402, F403
from .visit_models import *  # noqa: E402, F403
