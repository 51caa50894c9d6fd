"""Membership of the board and of each alliance's meetings (Dorset's terms of reference,
Appendix 1): an independent chair, members nominated by their group, designated substitutes who
vote in their member's place, co-opted members for a project or a period, and observers
without a vote.

A seat builds on ``partnership.RoleAssignment`` where the person holds a board role there (the
seat links it), and adds what the role does not say: the body, the kind of seat, the group that
nominated the member, and who substitutes for whom.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords


class SeatKind(models.TextChoices):
    CHAIR = "chair", "Independent chair"
    MEMBER = "member", "Member"
    CO_OPTED = "co_opted", "Co-opted member"
    SUBSTITUTE = "substitute", "Substitute"
    OBSERVER = "observer", "Observer (no vote)"


# Seats that vote in their own right; a substitute votes only when standing in for its member.
VOTING_KINDS = frozenset({SeatKind.CHAIR, SeatKind.MEMBER, SeatKind.CO_OPTED})


class GroupKind(models.TextChoices):
    PHASE_ASSOCIATION = "phase_association", "Phase association"
    TEACHING_SCHOOL = "teaching_school", "Teaching school or hub"
    TRUST = "trust", "Multi-academy trust"
    DIOCESE = "diocese", "Diocese"
    LOCAL_AUTHORITY = "local_authority", "Local authority"
    INDEPENDENT = "independent", "Independent"
    OTHER = "other", "Other"


class BoardSeatQuerySet(models.QuerySet):
    def current(self, on=None):
        on = on or timezone.localdate()
        return self.filter(Q(starts_on__lte=on), Q(ends_on__isnull=True) | Q(ends_on__gt=on))

    def of_body(self, alliance):
        """The board's seats (``alliance`` None) or one alliance's."""
        return self.filter(alliance=alliance) if alliance else self.filter(alliance__isnull=True)


class BoardSeat(models.Model):
    """A person's seat at the board's meetings, or at an alliance's, from a date."""

    alliance = models.ForeignKey(
        "partnership.Alliance",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="board_seats",
        help_text="Empty for the board itself",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="board_seats"
    )
    kind = models.CharField(max_length=20, choices=SeatKind.choices, default=SeatKind.MEMBER)
    group_kind = models.CharField(
        "nominating group", max_length=30, choices=GroupKind.choices, blank=True
    )
    group_name = models.CharField(
        "name of the group", max_length=200, blank=True, help_text="For example, Hampshire NAHT"
    )
    substitute_for = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="substitutes",
        help_text="For a substitute: the member they stand in for",
    )
    role_assignment = models.ForeignKey(
        "partnership.RoleAssignment",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="board_seats",
        help_text="The person's board role, where they hold one",
    )
    purpose = models.CharField(
        max_length=200, blank=True, help_text="For a co-opted member: the project or reason"
    )
    starts_on = models.DateField(default=timezone.localdate)
    ends_on = models.DateField(null=True, blank=True)
    history = HistoricalRecords()

    objects = BoardSeatQuerySet.as_manager()

    class Meta:
        ordering = ["kind", "user__last_name", "user__first_name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="substitute", substitute_for__isnull=False)
                | (~Q(kind="substitute") & Q(substitute_for__isnull=True)),
                name="board_seat_substitute_has_member",
            ),
            models.CheckConstraint(
                condition=~Q(kind="co_opted") | Q(ends_on__isnull=False),
                name="board_seat_co_opted_has_end",
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="board_seat_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_kind_display().lower()})"

    @property
    def votes(self) -> bool:
        """Votes in its own right (a substitute only when standing in)."""
        return self.kind in VOTING_KINDS

    @property
    def group(self) -> str:
        return self.group_name or self.get_group_kind_display()

    @property
    def body_name(self) -> str:
        return str(self.alliance) if self.alliance_id else "The board"
