"""Engagements: support commissioned from a provider for a case, paid from the fund, followed
through progress reviews to an impact decision."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from clusters.models import ClusterMembership
from kernel.money import MoneyField
from partnership.permissions import scope_filter

from .cases import SupportCase

DEFAULT_REVIEW_WEEKS = 6


class ImpactDecision(models.TextChoices):
    """What the alliance decides when it evaluates the support's impact (West Sussex)."""

    CONTINUE = "continue", "Continue"
    EXTEND = "extend", "Extend"
    COMPLETE = "complete", "Complete: objectives met"
    STOP = "stop", "Stop"


def _engagements_in_scope(roles, user) -> Q | None:
    """A provider's own engagements, an alliance chair's alliance's (paid by it, or for a school
    now in one of its clusters) and a headteacher's own school's."""
    condition = Q(provider__person_id=user.pk)
    if roles.alliance_ids:
        schools = ClusterMembership.objects.filter(
            ended_on__isnull=True, cluster__alliance_id__in=roles.alliance_ids
        ).values("school_id")
        condition |= Q(alliance_id__in=roles.alliance_ids) | Q(case__school_id__in=schools)
    if roles.school_ids:
        condition |= Q(case__school_id__in=roles.school_ids)
    return condition


class EngagementQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The engagements the user may see: everything for officers and the board."""
        if user is None or not user.is_authenticated:
            return self.none()
        return scope_filter(self, user, own=lambda roles: _engagements_in_scope(roles, user))

    def commissioned(self):
        return self.filter(state=Engagement.State.COMMISSIONED)


class Engagement(models.Model):
    """Support commissioned from a provider for a case: days, cost and, once commissioned, the
    alliance whose allocation of the fund pays for it."""

    class State(models.TextChoices):
        PROPOSED = "proposed", "Proposed"
        COMMISSIONED = "commissioned", "Commissioned"
        COMPLETED = "completed", "Completed"
        STOPPED = "stopped", "Stopped"

    case = models.ForeignKey(SupportCase, on_delete=models.PROTECT, related_name="engagements")
    provider = models.ForeignKey(
        "brokerage.Provider", on_delete=models.PROTECT, related_name="engagements"
    )
    alliance = models.ForeignKey(
        "partnership.Alliance",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The alliance whose allocation pays",
    )
    days = models.DecimalField(max_digits=5, decimal_places=1, default=0)
    cost = MoneyField(default=0)
    state = models.CharField(max_length=20, choices=State.choices, default=State.PROPOSED)
    commissioned_at = models.DateTimeField(null=True, blank=True)
    commissioned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    ended_at = models.DateTimeField(null=True, blank=True)
    impact_decision = models.CharField(max_length=20, choices=ImpactDecision.choices, blank=True)
    impact_reason = models.TextField(blank=True)
    impact_decided_at = models.DateTimeField(null=True, blank=True)
    # The review schedule: every N weeks from commissioning; the services keep the next date.
    review_every_weeks = models.PositiveSmallIntegerField(default=DEFAULT_REVIEW_WEEKS)
    next_review_due = models.DateField(null=True, blank=True, db_index=True)
    review_reminded_for = models.DateField(
        null=True, blank=True, help_text="The due date the reviewer was last reminded of"
    )
    progress_since = models.DateTimeField(
        null=True, blank=True, help_text="Progress logged after this counts for the next review"
    )
    impact_decision_due = models.BooleanField(
        default=False, help_text="A review was recorded since the last impact decision"
    )
    history = HistoricalRecords()

    objects = EngagementQuerySet.as_manager()

    class Meta:
        ordering = ["-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(cost__gte=0), name="engagement_cost_not_negative"),
        ]

    def __str__(self) -> str:
        return f"Engagement {self.pk}"

    @property
    def is_ended(self) -> bool:
        return self.state in (self.State.COMPLETED, self.State.STOPPED)
