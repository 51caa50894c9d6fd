"""What an engagement works towards and how it goes: objectives with their impact measures,
the provider's progress notes, progress reviews with a Red/Amber/Green rating per objective,
variations agreed when support is extended, and each person's email preferences."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from kernel.money import MoneyField

from .engagements import Engagement


class Rating(models.TextChoices):
    """Red/Amber/Green: off track, at risk, on track."""

    RED = "red", "Red: off track"
    AMBER = "amber", "Amber: some progress, at risk"
    GREEN = "green", "Green: on track"


class Objective(models.Model):
    """What the support should achieve, how its impact is measured and, where it can be, the
    categorisation measure whose values show it."""

    engagement = models.ForeignKey(Engagement, on_delete=models.CASCADE, related_name="objectives")
    description = models.TextField()
    impact_measure = models.TextField(help_text="How we will know the objective is met")
    measure = models.ForeignKey(
        "categorisation.Measure",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The school data that shows the impact, where there is one",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.description[:80]


class ProgressNote(models.Model):
    """The provider's record of work done or a visit made."""

    engagement = models.ForeignKey(
        Engagement, on_delete=models.CASCADE, related_name="progress_notes"
    )
    objective = models.ForeignKey(
        Objective, null=True, blank=True, on_delete=models.PROTECT, related_name="progress_notes"
    )
    visited_on = models.DateField(null=True, blank=True, help_text="The date of a visit, if any")
    note = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"Progress note {self.pk} on engagement {self.engagement_id}"


class ProgressReview(models.Model):
    """A scheduled review of the engagement by the alliance chair or an officer."""

    engagement = models.ForeignKey(Engagement, on_delete=models.CASCADE, related_name="reviews")
    reviewed_on = models.DateField()
    visited_on = models.DateField(null=True, blank=True, help_text="The review visit, if any")
    overall = models.CharField(max_length=10, choices=Rating.choices)
    judgement = models.TextField(help_text="The overall judgement of progress")
    notes = models.TextField(blank=True)
    recorded_at = models.DateTimeField(auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-reviewed_on", "-pk"]

    def __str__(self) -> str:
        return f"Review of engagement {self.engagement_id} on {self.reviewed_on}"


class ObjectiveRating(models.Model):
    """One objective's Red/Amber/Green rating in a review."""

    review = models.ForeignKey(ProgressReview, on_delete=models.CASCADE, related_name="ratings")
    objective = models.ForeignKey(Objective, on_delete=models.PROTECT, related_name="ratings")
    rating = models.CharField(max_length=10, choices=Rating.choices)
    comment = models.TextField(blank=True)

    class Meta:
        ordering = ["objective_id"]
        constraints = [
            models.UniqueConstraint(fields=["review", "objective"], name="one_rating_per_objective")
        ]

    def __str__(self) -> str:
        return f"{self.get_rating_display()} for objective {self.objective_id}"


class Variation(models.Model):
    """Extra days and cost agreed when an impact decision extends the support."""

    engagement = models.ForeignKey(Engagement, on_delete=models.CASCADE, related_name="variations")
    extra_days = models.DecimalField(max_digits=5, decimal_places=1, default=0)
    extra_cost = MoneyField(default=0)
    reason = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(extra_cost__gte=0) & models.Q(extra_days__gte=0),
                name="variation_not_negative",
            )
        ]

    def __str__(self) -> str:
        return f"Variation of engagement {self.engagement_id}: {self.extra_days} days"


class NotificationPreference(models.Model):
    """Whether a person gets the weekly digest of what waits for them (on unless turned off)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preference"
    )
    weekly_digest = models.BooleanField(default=True)
    history = HistoricalRecords()

    def __str__(self) -> str:
        return f"Email preferences of user {self.user_id}"
