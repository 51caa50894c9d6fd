"""The head's voice in categorisation: a headteacher's response (agree or challenge, with a
comment and optional evidence) to their school's proposed category while an official run is
moderated, and the moderating officer's resolution of a challenge."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords


def _evidence_path(instance, filename: str) -> str:
    # The stored name never uses the uploaded one: evidence is served only through a view.
    name = f"{instance.evidence_checksum[:16]}.{instance.evidence_extension}"
    return f"head-evidence/{timezone.now():%Y/%m}/{name}"


class HeadResponse(models.Model):
    """One head's response to their school's proposed result in a moderated run (one per
    result: answering again replaces it, and the history keeps every version)."""

    class Answer(models.TextChoices):
        AGREE = "agree", "Agreed by the head"
        CHALLENGE = "challenge", "Challenged by the head"

    result = models.OneToOneField(
        "categorisation.Result", on_delete=models.CASCADE, related_name="head_response"
    )
    response = models.CharField(max_length=20, choices=Answer.choices)
    comment = models.TextField(blank=True)
    evidence = models.FileField(upload_to=_evidence_path, max_length=300, blank=True)
    evidence_filename = models.CharField(max_length=255, blank=True)
    evidence_extension = models.CharField(max_length=5, blank=True)
    evidence_size = models.PositiveIntegerField(null=True, blank=True)
    evidence_checksum = models.CharField(max_length=64, blank=True)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    responded_at = models.DateTimeField(default=timezone.now)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolution_note = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(response="challenge") | ~models.Q(comment=""),
                name="head_challenge_needs_comment",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_response_display()} (result {self.result_id})"

    @property
    def is_challenge(self) -> bool:
        return self.response == self.Answer.CHALLENGE

    @property
    def is_unresolved_challenge(self) -> bool:
        return self.is_challenge and self.resolved_at is None
