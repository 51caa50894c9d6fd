"""Cluster peer-review cycles, the review of each school, who may read its report, and the
judgements on the inspection areas (the school's own, its adviser's and its peer reviewers')."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from partnership.permissions import roles_of, scope_filter

__all__ = [
    "Area",
    "CycleOptOut",
    "Grade",
    "Judgement",
    "PeerReview",
    "PeerReviewCycle",
    "Sharing",
    "SharingChange",
    "Term",
]


class Term(models.TextChoices):
    AUTUMN = "autumn", "Autumn"
    SPRING = "spring", "Spring"
    SUMMER = "summer", "Summer"


class PeerReviewCycle(models.Model):
    """One round of peer reviews in a family cluster (a term of a school year)."""

    cluster = models.ForeignKey(
        "clusters.Cluster", on_delete=models.PROTECT, related_name="peer_cycles"
    )
    name = models.CharField(max_length=200)
    term = models.CharField(max_length=10, choices=Term.choices)
    year = models.PositiveSmallIntegerField("school year starting")
    focus_areas = models.TextField(blank=True, help_text="One focus area a line")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_on = models.DateField(default=timezone.localdate)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-year", "-created_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.name} ({self.cluster})"

    @property
    def school_year(self) -> str:
        return f"{self.year} to {self.year + 1}"

    @property
    def focus_list(self) -> list[str]:
        return [line.strip() for line in self.focus_areas.splitlines() if line.strip()]


class CycleOptOut(models.Model):
    """A school of the cluster that takes no part in this cycle."""

    cycle = models.ForeignKey(PeerReviewCycle, on_delete=models.CASCADE, related_name="opt_outs")
    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="+")
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    on = models.DateField(default=timezone.localdate)
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["cycle", "school"], name="one_opt_out_per_cycle")
        ]

    def __str__(self) -> str:
        return f"{self.school} opted out of {self.cycle.name}"


class Sharing(models.IntegerChoices):
    """Who reads a review's report, each level reaching everyone the level below reaches."""

    PRIVATE = 0, "Private: the school and its reviewers"
    CLUSTER = 1, "Cluster: headteachers in the cluster"
    ALLIANCE = 2, "Alliance: the alliance chair and its cluster leads"
    BOARD = 3, "Board: board members and LA officers"


def _listed_scope(roles) -> Q | None:
    """Whose reviews a role knows of (not their findings): a head their cluster's, a cluster
    lead their cluster's, an alliance chair their alliance's."""
    condition = Q()
    if roles.school_ids:
        condition |= Q(
            cycle__cluster__memberships__ended_on__isnull=True,
            cycle__cluster__memberships__school_id__in=roles.school_ids,
        )
        condition |= Q(school_id__in=roles.school_ids)
    if roles.cluster_ids:
        condition |= Q(cycle__cluster_id__in=roles.cluster_ids)
    if roles.alliance_ids:
        condition |= Q(cycle__cluster__alliance_id__in=roles.alliance_ids)
    return condition or None


def _readable(roles) -> Q:
    """Whose reports a role reads, by the level the reviewed head chose."""
    reviewers = PeerReview.objects.filter(
        cycle_id=OuterRef("cycle_id"), group=OuterRef("group"), school_id__in=roles.school_ids
    )
    condition = Q(school_id__in=roles.school_ids) | Q(Exists(reviewers))
    in_cluster = Q(
        cycle__cluster__memberships__ended_on__isnull=True,
        cycle__cluster__memberships__school_id__in=roles.school_ids,
    ) | Q(cycle__cluster_id__in=roles.cluster_ids)
    condition |= Q(sharing__gte=Sharing.CLUSTER) & in_cluster
    in_alliance = Q(cycle__cluster__alliance_id__in=roles.alliance_ids) | Q(
        cycle__cluster__alliance__clusters__in=roles.cluster_ids
    )
    condition |= Q(sharing__gte=Sharing.ALLIANCE) & in_alliance
    if roles.is_officer:
        condition |= Q(sharing__gte=Sharing.ALLIANCE)
    if roles.sees_whole_partnership:
        condition |= Q(sharing__gte=Sharing.BOARD)
    return condition


class PeerReviewQuerySet(models.QuerySet):
    def listed_to(self, user):
        """The reviews the user knows happened, with their status (not their findings)."""
        return scope_filter(self, user, own=_listed_scope, distinct=True)

    def visible_to(self, user):
        """The reviews whose report the user may read: the school's own head and its reviewers
        always; others only when the reviewed head shared it at a level that reaches them (so
        the partnership-wide roles too are filtered by the level)."""
        roles = roles_of(user)
        readable = scope_filter(self, user, own=_readable, distinct=True)
        return readable.filter(_readable(roles)) if roles.sees_whole_partnership else readable


class PeerReview(models.Model):
    """The review of one school in a cycle, by the other schools of its group."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", "Proposed"
        SCHEDULED = "scheduled", "Scheduled"
        WRITTEN = "written", "Findings written"

    cycle = models.ForeignKey(PeerReviewCycle, on_delete=models.CASCADE, related_name="reviews")
    school = models.ForeignKey(
        "schools.School", on_delete=models.PROTECT, related_name="peer_reviews"
    )
    group = models.PositiveSmallIntegerField()
    scheduled_on = models.DateField(null=True, blank=True)
    focus = models.TextField("focus areas for this review", blank=True)
    findings = models.TextField(blank=True)
    next_steps = models.TextField(blank=True)
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    written_on = models.DateField(null=True, blank=True)
    sharing = models.PositiveSmallIntegerField(choices=Sharing.choices, default=Sharing.PRIVATE)
    # The board's audit trail (officers) shows field changes: the report's text stays out of it,
    # as officers read findings only when the reviewed head shares them (who wrote them, when,
    # and every change of sharing are kept).
    history = HistoricalRecords(excluded_fields=["findings", "next_steps"])

    objects = PeerReviewQuerySet.as_manager()

    class Meta:
        ordering = ["group", "school__name"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "school"], name="one_review_per_school_cycle")
        ]

    def __str__(self) -> str:
        return f"Peer review of {self.school} ({self.cycle.name})"

    @property
    def status(self) -> str:
        if self.written_on:
            return self.Status.WRITTEN
        return self.Status.SCHEDULED if self.scheduled_on else self.Status.PROPOSED

    @property
    def status_label(self) -> str:
        return self.Status(self.status).label

    @property
    def sharing_reach(self) -> str:
        """Who reads the report at its level, without the level's name ("the school and its
        reviewers")."""
        return Sharing(self.sharing).label.split(": ", 1)[-1]


class SharingChange(models.Model):
    """Every change of who reads a review's report: by whom, when, from and to which level."""

    review = models.ForeignKey(PeerReview, on_delete=models.CASCADE, related_name="sharing_changes")
    was = models.PositiveSmallIntegerField(choices=Sharing.choices)
    now = models.PositiveSmallIntegerField(choices=Sharing.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{Sharing(self.was).label} to {Sharing(self.now).label}"


class Area(models.TextChoices):
    """The judgement areas of Ofsted's School inspection handbook (education inspection
    framework, September 2019, updated 2023, paragraphs 192 onwards): four key judgements and the
    two provision judgements where a school has them."""

    QUALITY = "quality", "Quality of education"
    BEHAVIOUR = "behaviour", "Behaviour and attitudes"
    PERSONAL = "personal", "Personal development"
    LEADERSHIP = "leadership", "Leadership and management"
    EARLY_YEARS = "early_years", "Early years provision"
    SIXTH_FORM = "sixth_form", "Sixth-form provision"


class Grade(models.IntegerChoices):
    """Ofsted's four-point scale (the same handbook)."""

    OUTSTANDING = 1, "Outstanding"
    GOOD = 2, "Good"
    REQUIRES_IMPROVEMENT = 3, "Requires improvement"
    INADEQUATE = 4, "Inadequate"


class Judgement(models.Model):
    """One judgement on one area of a school, by the school itself, its adviser (with a visit
    note) or its peer reviewers (with a peer review). The newest of each source counts."""

    class Source(models.TextChoices):
        SELF = "self", "The school's self-evaluation"
        ADVISER = "adviser", "Adviser"
        PEER = "peer", "Peer reviewers"

    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="+")
    source = models.CharField(max_length=10, choices=Source.choices)
    area = models.CharField(max_length=20, choices=Area.choices)
    grade = models.PositiveSmallIntegerField(choices=Grade.choices)
    peer_review = models.ForeignKey(
        PeerReview, null=True, blank=True, on_delete=models.CASCADE, related_name="judgements"
    )
    visit_note = models.ForeignKey(
        "clusters.VisitNote",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="judgements",
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    on = models.DateField(default=timezone.localdate)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-on", "-pk"]
        indexes = [models.Index(fields=["school", "source", "area"])]

    def __str__(self) -> str:
        return f"{self.get_area_display()}: {self.get_grade_display()}"
