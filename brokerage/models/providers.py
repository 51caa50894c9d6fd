"""The directory of support providers (Wigan's "directory of good practice")."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords


class Expertise(models.Model):
    """An area of expertise from the shared, editable list (leadership, KS2 reading, SEND…)."""

    name = models.CharField(max_length=100, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "areas of expertise"

    def __str__(self) -> str:
        return self.name


class ProviderKind(models.TextChoices):
    TEACHING_SCHOOL_HUB = "teaching_school_hub", "Teaching school hub"
    NLE = "nle", "National leader of education"
    LLE = "lle", "Local leader of education"
    SLE = "sle", "Specialist leader of education"
    MAT = "mat", "Multi-academy trust"
    LA_ADVISER = "la_adviser", "LA adviser"
    SUBJECT_HUB = "subject_hub", "Subject hub (maths or English)"
    SCHOOL = "school", "School"
    OTHER = "other", "Other"


class Provider(models.Model):
    """Someone who can give school-to-school support: a person, a school or a trust."""

    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=30, choices=ProviderKind.choices)
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="provider_entries",
        help_text="The person who keeps this entry and sees the work brokered to it",
    )
    school = models.ForeignKey(
        "schools.School", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    trust = models.ForeignKey(
        "schools.Trust", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    expertise = models.ManyToManyField(Expertise, blank=True, related_name="providers")
    phases = models.JSONField(default=list, blank=True, help_text="schools.Phase values")
    capacity_days_per_term = models.PositiveSmallIntegerField(default=0)
    can_be_paid = models.BooleanField(default=True)
    vat_registered = models.BooleanField(default=False)
    active = models.BooleanField(default=True)
    description = models.TextField(blank=True)
    history = HistoricalRecords(m2m_fields=[expertise])

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
