"""Background jobs: a long piece of work run by Celery, with its progress and outcome.

Which kinds of job exist is not fixed here: each app registers its own (``kernel.jobs``), so a
new kind needs no migration.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F
from django.db.models.fields.json import KT
from django.db.models.functions import Cast, Coalesce
from django.utils import timezone


class JobQuerySet(models.QuerySet):
    def outlined(self, **parts: str) -> JobQuerySet:
        """For lists of jobs: without ``result``, which can be large, but with its
        ``problem_total`` and the named parts (``name="key__subkey"``), read by the database."""
        extracted = {name: F(f"result__{path}") for name, path in parts.items()}
        total = Cast(KT("result__problem_total"), models.IntegerField())
        return self.defer("result").annotate(problem_total=Coalesce(total, 0), **extracted)


class Job(models.Model):
    """A long piece of work run by Celery (an import, a recomputation), with its progress."""

    class State(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        SUCCEEDED = "succeeded", "Succeeded"
        FAILED = "failed", "Failed"

    kind = models.CharField(max_length=30, help_text="A kind registered by an app")
    state = models.CharField(max_length=20, choices=State.choices, default=State.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0, help_text="Per cent done")
    stage = models.CharField(max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(
        null=True, blank=True, help_text="Last sign of life from the worker running it"
    )
    file = models.FileField(upload_to="jobs/%Y/%m/", blank=True)
    original_filename = models.CharField(max_length=255, blank=True)
    checksum = models.CharField(max_length=64, blank=True, help_text="SHA-256 of the file")
    options = models.JSONField(default=dict, blank=True)
    result = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)

    objects = JobQuerySet.as_manager()

    class Meta:
        # The table was created when jobs lived in the partnership app; its name is kept.
        db_table = "partnership_job"
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["kind", "-created_at"], name="partnership_kind_a8baf3_idx"),
            models.Index(fields=["state", "heartbeat_at"], name="partnership_state_5c6f0a_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.pk} ({self.get_state_display()})"

    def get_kind_display(self) -> str:
        from .jobs import job_kind_label

        return job_kind_label(self.kind)

    @property
    def is_finished(self) -> bool:
        return self.state in (self.State.SUCCEEDED, self.State.FAILED)

    @property
    def problems_found(self) -> int:
        """How many problems the job's input had; its result keeps only the first ones."""
        return self.result.get("problem_total") or len(self.result.get("errors") or [])

    @property
    def ordered_counts(self) -> list[tuple[str, object]]:
        """The outcome's counts in the order the service reported them."""
        counts = self.result.get("counts") or {}
        order = self.result.get("count_order") or sorted(counts)
        return [(label, counts[label]) for label in order if label in counts]
