"""The one permission layer: who a user is in the partnership, and what they may see.

Every page and API endpoint scopes its querysets through the functions here (reached as
``School.objects.visible_to(user)`` and friends) and checks actions through the predicates in
``partnership/rules.py``, which are built on the same ``roles_of``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q, QuerySet

from .models import Role, RoleAssignment

PARTNERSHIP_WIDE = frozenset({Role.OFFICER, Role.BOARD_CHAIR, Role.BOARD_MEMBER})


@dataclass(frozen=True)
class Roles:
    """A user's current role assignments, read once per request."""

    roles: frozenset = frozenset()
    alliance_ids: frozenset = frozenset()
    cluster_ids: frozenset = frozenset()
    school_ids: frozenset = frozenset()
    assignments: tuple = field(default=(), compare=False)

    @property
    def is_officer(self) -> bool:
        return Role.OFFICER in self.roles

    @property
    def is_board(self) -> bool:
        return bool(self.roles & {Role.BOARD_CHAIR, Role.BOARD_MEMBER})

    @property
    def sees_whole_partnership(self) -> bool:
        return bool(self.roles & PARTNERSHIP_WIDE)


NO_ROLES = Roles()


def roles_of(user) -> Roles:
    """The user's current roles and scopes, cached on the user object for the request."""
    if user is None or not user.is_authenticated or not user.is_active:
        return NO_ROLES
    cached = getattr(user, "_partnership_roles", None)
    if cached is not None:
        return cached
    assignments = tuple(
        RoleAssignment.objects.current()
        .filter(user=user)
        .select_related("alliance", "cluster", "school")
    )
    roles = Roles(
        roles=frozenset(a.role for a in assignments),
        alliance_ids=frozenset(a.alliance_id for a in assignments if a.alliance_id),
        cluster_ids=frozenset(a.cluster_id for a in assignments if a.cluster_id),
        school_ids=frozenset(a.school_id for a in assignments if a.school_id),
        assignments=assignments,
    )
    user._partnership_roles = roles
    return roles


def forget_roles(user) -> None:
    """Drop the cached roles after the user's assignments change."""
    if hasattr(user, "_partnership_roles"):
        del user._partnership_roles


def schools_visible_to(user, queryset: QuerySet) -> QuerySet:
    """Officers and the board see every school; an alliance chair the schools in their
    alliance's clusters; a cluster lead their cluster's schools; a headteacher their own school."""
    roles = roles_of(user)
    if roles.sees_whole_partnership:
        return queryset
    condition = Q(pk__in=roles.school_ids)
    if roles.cluster_ids:
        condition |= Q(
            cluster_memberships__ended_on__isnull=True,
            cluster_memberships__cluster_id__in=roles.cluster_ids,
        )
    if roles.alliance_ids:
        condition |= Q(
            cluster_memberships__ended_on__isnull=True,
            cluster_memberships__cluster__alliance_id__in=roles.alliance_ids,
        )
    if not (roles.school_ids or roles.cluster_ids or roles.alliance_ids):
        return queryset.none()
    # At most one current membership per school, so the join cannot duplicate rows.
    return queryset.filter(condition)


def alliances_visible_to(user, queryset: QuerySet) -> QuerySet:
    """The partnership-wide roles see every alliance; others the alliance they work in."""
    roles = roles_of(user)
    if roles.sees_whole_partnership:
        return queryset
    if not (roles.alliance_ids or roles.cluster_ids or roles.school_ids):
        return queryset.none()
    return queryset.filter(
        Q(pk__in=roles.alliance_ids)
        | Q(clusters__pk__in=roles.cluster_ids)
        | Q(
            clusters__memberships__ended_on__isnull=True,
            clusters__memberships__school_id__in=roles.school_ids,
        )
    ).distinct()


def clusters_visible_to(user, queryset: QuerySet) -> QuerySet:
    """The partnership-wide roles see every cluster; an alliance chair their alliance's
    clusters; a cluster lead and a headteacher their own cluster."""
    roles = roles_of(user)
    if roles.sees_whole_partnership:
        return queryset
    if not (roles.alliance_ids or roles.cluster_ids or roles.school_ids):
        return queryset.none()
    return queryset.filter(
        Q(alliance_id__in=roles.alliance_ids)
        | Q(pk__in=roles.cluster_ids)
        | Q(memberships__ended_on__isnull=True, memberships__school_id__in=roles.school_ids)
    ).distinct()


# Run.Purpose.OFFICIAL of categorisation.models (an app above this layer): a categorisation run
# with the adopted rules, as opposed to a what-if run of draft rules.
OFFICIAL_RUN = "official"


def runs_visible_to(user, queryset: QuerySet) -> QuerySet:
    """Categorisation runs: officers and the board see every run, including what-if runs of
    draft rules; an alliance chair official runs only (and in them only their alliance's
    results); nobody else any."""
    roles = roles_of(user)
    if roles.sees_whole_partnership:
        return queryset
    if roles.alliance_ids:
        return queryset.filter(purpose=OFFICIAL_RUN)
    return queryset.none()


def results_visible_to(user, queryset: QuerySet) -> QuerySet:
    """Categorisation results are confidential: officers and the board see every school's; an
    alliance chair the schools currently in their alliance, from official runs only (never
    what-if runs of draft rules); a headteacher only their own school's, and only from runs the
    board has agreed; nobody else any."""
    roles = roles_of(user)
    if roles.sees_whole_partnership:
        return queryset
    condition = Q()
    if roles.alliance_ids:
        condition |= Q(
            run__purpose=OFFICIAL_RUN,
            school__cluster_memberships__ended_on__isnull=True,
            school__cluster_memberships__cluster__alliance_id__in=roles.alliance_ids,
        )
    if roles.school_ids:
        condition |= Q(school_id__in=roles.school_ids, run__agreed_at__isnull=False)
    if not condition:
        return queryset.none()
    return queryset.filter(condition)
