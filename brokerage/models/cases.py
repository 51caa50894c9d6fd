"""Support cases (one school's need, worked through as a task list) and their engagements
(commissioned support from a provider, paid from the fund)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from kernel.money import MoneyField


class SupportCase(models.Model):
    """A school's need for support, from request or categorisation to the impact decision."""

    class Origin(models.TextChoices):
        CATEGORISATION = "categorisation", "Agreed categorisation"
        ADVISER = "adviser", "Adviser"
        PEER_REVIEW = "peer_review", "Peer review"
        REQUEST = "request", "The school's own request"

    class State(models.TextChoices):
        OPEN = "open", "Open"
        PAUSED = "paused", "Paused"
        CLOSED = "closed", "Closed"

    school = models.ForeignKey("schools.School", on_delete=models.PROTECT, related_name="+")
    origin = models.CharField(max_length=20, choices=Origin.choices)
    state = models.CharField(max_length=10, choices=State.choices, default=State.OPEN)
    description = models.TextField(blank=True)
    opened_at = models.DateTimeField(auto_now_add=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-opened_at", "-pk"]

    def __str__(self) -> str:
        return f"Support case {self.pk}"


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
    history = HistoricalRecords()

    class Meta:
        ordering = ["-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(cost__gte=0), name="engagement_cost_not_negative"),
        ]

    def __str__(self) -> str:
        return f"Engagement {self.pk}"
