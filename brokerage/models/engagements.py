"""Engagements: support commissioned from a provider for a case, paid from the fund, followed
through progress reviews to an impact decision."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from kernel.money import MoneyField

from .cases import SupportCase


class ImpactDecision(models.TextChoices):
    """What the alliance decides when it evaluates the support's impact (West Sussex)."""

    CONTINUE = "continue", "Continue"
    EXTEND = "extend", "Extend"
    COMPLETE = "complete", "Complete: objectives met"
    STOP = "stop", "Stop"


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
    history = HistoricalRecords()

    class Meta:
        ordering = ["-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(cost__gte=0), name="engagement_cost_not_negative"),
        ]

    def __str__(self) -> str:
        return f"Engagement {self.pk}"
