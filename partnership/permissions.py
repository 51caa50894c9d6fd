"""The one permission layer: who a user is in the partnership, and what they may see.

Every page and API endpoint scopes its querysets with the model's own ``visible_to(user)``
(``School.objects.visible_to(user)``, ``Cluster.objects.visible_to(user)``…), each built with
``scope_filter`` on the same ``roles_of``, and checks actions through the django-rules predicates
of ``partnership/rules.py`` and each app's ``rules.py``, built on it too.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import reduce
from operator import or_

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


ScopeCondition = Callable[[Roles], "Q | None"]
_EXTENSIONS: dict[str, list[ScopeCondition]] = defaultdict(list)


def scope_extend(model_label: str, condition: ScopeCondition) -> None:
    """Let an app above say which more rows of a model a role's scope reaches: ``clusters``
    adds the schools in a cluster lead's cluster, as ``schools`` cannot know clusters."""
    _EXTENSIONS[model_label].append(condition)


def scope_filter(
    queryset: QuerySet, user, *, own: ScopeCondition, distinct: bool = False
) -> QuerySet:
    """The rows the user may see: everything for the partnership-wide roles; otherwise the rows
    the model's own condition or an extension allows for the user's scopes, or none."""
    roles = roles_of(user)
    if roles.sees_whole_partnership:
        return queryset
    extensions = _EXTENSIONS[queryset.model._meta.label]
    conditions = [c for c in (own(roles), *(extend(roles) for extend in extensions)) if c]
    if not conditions:
        return queryset.none()
    visible = queryset.filter(reduce(or_, conditions))
    return visible.distinct() if distinct else visible
