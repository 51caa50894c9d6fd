"""Support cases: one school's need, worked through as a GOV.UK task list."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords


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
