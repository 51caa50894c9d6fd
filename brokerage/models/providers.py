"""The directory of support providers (Wigan's "directory of good practice")."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from partnership.permissions import scope_filter
from schools.models import Phase


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


def _any_role(roles) -> Q | None:
    """Everyone with a role reads the whole directory (it shows no school's category)."""
    return Q(pk__isnull=False) if roles.roles else None


class ProviderQuerySet(models.QuerySet):
    def active(self):
        return self.filter(active=True)

    def visible_to(self, user):
        return scope_filter(self, user, own=_any_role)


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

    objects = ProviderQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def phase_labels(self) -> str:
        labels = dict(Phase.choices)
        return ", ".join(labels.get(phase, phase) for phase in self.phases)


class ConflictDeclaration(models.Model):
    """A declared conflict of interest: the provider is never proposed to support this school
    (for example a governor of it, a relative on its staff, or a competing bid)."""

    provider = models.ForeignKey(Provider, on_delete=models.CASCADE, related_name="conflicts")
    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="+")
    reason = models.TextField()
    declared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    declared_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-declared_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "school"], name="one_conflict_per_provider_and_school"
            ),
        ]

    def __str__(self) -> str:
        return f"Conflict: {self.provider} and school {self.school_id}"
