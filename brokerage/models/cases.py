"""Support cases: one school's need, worked through as a GOV.UK task list."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from clusters.models import school_ids_now_in
from partnership.permissions import scope_filter


def _case_scope(user):
    """The cases a role reaches: an alliance chair their alliance's, a cluster lead those of the
    schools now in their cluster, a head their own school's, a provider those with an engagement
    brokered to them."""

    def own(roles) -> Q | None:
        from .engagements import Engagement

        if user is None or not user.is_authenticated:
            return None
        condition = Q(
            Exists(Engagement.objects.filter(case=OuterRef("pk"), provider__person_id=user.pk))
        )
        if roles.alliance_ids:
            condition |= Q(alliance_id__in=roles.alliance_ids)
        if roles.cluster_ids:
            condition |= Q(school_id__in=school_ids_now_in(cluster_ids=roles.cluster_ids))
        if roles.school_ids:
            condition |= Q(school_id__in=roles.school_ids)
        return condition

    return own


class SupportCaseQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Officers and the board see every case; an alliance chair their alliance's; a cluster
        lead their cluster's schools'; a head their own school's; a provider the cases with an
        engagement brokered to them."""
        return scope_filter(self, user, own=_case_scope(user))

    def live(self):
        return self.exclude(state=SupportCase.State.CLOSED)


class Urgency(models.TextChoices):
    ROUTINE = "routine", "Routine"
    SOON = "soon", "Soon: within this half term"
    URGENT = "urgent", "Urgent: within two weeks"


class Diagnosis(models.TextChoices):
    MATCH = "match", "Match with a provider"
    REVIEW = "review", "Review progress without support"
    UNABLE = "unable", "Unable to assess"


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
    state_reason = models.TextField(blank=True, help_text="Why it was last paused or closed")
    description = models.TextField(blank=True)
    areas_of_need = models.ManyToManyField(
        "brokerage.Expertise", blank=True, related_name="support_cases"
    )
    urgency = models.CharField(max_length=10, choices=Urgency.choices, default=Urgency.ROUTINE)
    alliance = models.ForeignKey(
        "partnership.Alliance",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The alliance of the school's cluster when the case opened",
    )
    run = models.ForeignKey(
        "categorisation.Run",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The agreed categorisation that opened it",
    )
    support_band = models.CharField(max_length=20, blank=True)
    requested_at = models.DateTimeField(default=timezone.now)
    opened_at = models.DateTimeField(auto_now_add=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The task list: each step's answer and when it was done (time to support reads these).
    eligibility_confirmed_at = models.DateTimeField(null=True, blank=True)
    eligibility_note = models.TextField(blank=True)
    contacted_at = models.DateTimeField(null=True, blank=True)
    contact_note = models.TextField(blank=True)
    diagnosis = models.CharField(max_length=10, choices=Diagnosis.choices, blank=True)
    diagnosis_note = models.TextField(blank=True)
    diagnosed_at = models.DateTimeField(null=True, blank=True)
    matched_at = models.DateTimeField(null=True, blank=True)
    outside_list_reason = models.TextField(blank=True)
    checks_note = models.TextField(blank=True)
    checks_completed_at = models.DateTimeField(null=True, blank=True)
    board_decision_reference = models.CharField(max_length=200, blank=True)
    commissioned_at = models.DateTimeField(null=True, blank=True)
    first_visit_on = models.DateField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords(m2m_fields=[areas_of_need])

    objects = SupportCaseQuerySet.as_manager()

    class Meta:
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["school"],
                condition=~Q(state="closed"),
                name="one_live_support_case_per_school",
                violation_error_message="This school already has an open support case",
            )
        ]
        indexes = [
            models.Index(fields=["state", "alliance", "requested_at"]),
            # Open cases oldest first: the home page's first few cases at each step stop after a
            # few rows of this index instead of sorting every open case.
            models.Index(
                fields=["requested_at", "id"],
                condition=Q(state="open"),
                name="open_case_by_request",
            ),
        ]

    def __str__(self) -> str:
        return f"Support case {self.pk}"

    @property
    def is_open(self) -> bool:
        return self.state == self.State.OPEN


class CaseEvent(models.Model):
    """One thing that happened to a case, with who and when: the case page's timeline."""

    case = models.ForeignKey(SupportCase, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField(max_length=30)
    text = models.TextField()

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return self.text


class StatutoryRoute(models.TextChoices):
    WARNING_NOTICE = "warning_notice", "LA warning notice (maintained school)"
    DFE_REFERRAL = "dfe_referral", "Concern referred to DfE's regional director (academy)"


class StatutoryAction(models.Model):
    """A statutory step taken for the case's school: the LA's warning notice or a referral to
    DfE's regional director, with its date and outcome."""

    case = models.ForeignKey(SupportCase, on_delete=models.PROTECT, related_name="statutory")
    route = models.CharField(max_length=20, choices=StatutoryRoute.choices)
    on = models.DateField()
    outcome = models.TextField()
    recorded_at = models.DateTimeField(auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-on", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_route_display()} on {self.on}"
