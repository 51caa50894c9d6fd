"""Reads about the partnership, and about people and their roles for the officers who manage
them."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from .models import Partnership, RoleAssignment, User

NO_ROLE = "none"
NO_PARTNERSHIP = "Set up the partnership before adding alliances"


def partnership_or_none() -> Partnership | None:
    """The partnership (the first, if a second was ever set up), or None before it is set up."""
    return Partnership.objects.order_by("pk").first()


def partnership_get() -> Partnership:
    """The partnership; a ValidationError saying what to do when there is none yet."""
    partnership = partnership_or_none()
    if partnership is None:
        raise ValidationError(NO_PARTNERSHIP)
    return partnership


def _current_roles() -> QuerySet:
    return RoleAssignment.objects.current().select_related(
        "alliance", "cluster", "school", "substitute_for__user"
    )


def person_list(*, search: str = "", role: str = "") -> QuerySet:
    """People with their current roles (as ``current_roles``), filtered by name or email and
    by a role they hold now (or ``"none"`` for people with no current role)."""
    people = User.objects.prefetch_related(
        Prefetch("role_assignments", queryset=_current_roles(), to_attr="current_roles")
    ).order_by("last_name", "first_name", "email")
    # Every word must match the first name, last name or email: "jo smith" finds Jo Smith.
    for word in search.split():
        people = people.filter(
            Q(first_name__icontains=word) | Q(last_name__icontains=word) | Q(email__icontains=word)
        )
    if role == NO_ROLE:
        people = people.exclude(
            Exists(RoleAssignment.objects.current().filter(user=OuterRef("pk")))
        )
    elif role:
        people = people.filter(
            Exists(RoleAssignment.objects.current().filter(user=OuterRef("pk"), role=role))
        )
    return people


@dataclass
class PersonRoles:
    current: list[RoleAssignment]
    future: list[RoleAssignment]
    past: list[RoleAssignment]


def person_get(*, pk: int) -> User:
    """One person, or 404."""
    return get_object_or_404(User, pk=pk)


def person_roles(*, person: User) -> PersonRoles:
    """The person's roles now, to come and ended, newest first, with their scopes."""
    today = timezone.localdate()
    assignments = (
        RoleAssignment.objects.filter(user=person)
        .select_related("alliance", "cluster", "school", "granted_by", "substitute_for__user")
        .order_by("-starts_on", "-pk")
    )
    roles = PersonRoles(current=[], future=[], past=[])
    for assignment in assignments:
        if assignment.ends_on is not None and assignment.ends_on <= today:
            roles.past.append(assignment)
        elif assignment.starts_on > today:
            roles.future.append(assignment)
        else:
            roles.current.append(assignment)
    return roles


def role_assignment_get(*, person: User, pk: int) -> RoleAssignment:
    """One of the person's role assignments, or 404."""
    return get_object_or_404(
        RoleAssignment.objects.select_related("user", "alliance", "cluster", "school"),
        pk=pk,
        user=person,
    )


def substitutes_of(*, assignment: RoleAssignment) -> list[User]:
    """The people standing in now for a board member's assignment."""
    return [
        substitute.user for substitute in assignment.substitutes.current().select_related("user")
    ]
