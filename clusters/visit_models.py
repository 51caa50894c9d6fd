"""Visit notes by advisers and School Improvement Partners: each correction is a new version of
the note (the chain is kept and every version stays readable); the head's response is a record
of its own, never an edit of the note."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from partnership.permissions import scope_filter

__all__ = ["VisitAttachment", "VisitNote", "VisitResponse"]


def _visit_scope(roles) -> Q | None:
    """A head their own school's notes; an alliance chair (who writes notes as an adviser) the
    notes of the schools now in their alliance. Officers and the board see every note."""
    condition = Q()
    if roles.school_ids:
        condition |= Q(school_id__in=roles.school_ids)
    if roles.alliance_ids:
        from .models import school_ids_now_in

        condition |= Q(school_id__in=school_ids_now_in(alliance_ids=roles.alliance_ids))
    return condition or None


class VisitNoteQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The notes the user may read (every version of each)."""
        return scope_filter(self, user, own=_visit_scope, distinct=True)

    def latest(self):
        """Only the newest version of each note."""
        return self.filter(corrected_by__isnull=True)


class VisitNote(models.Model):
    """One version of an adviser's note of a visit to a school."""

    school = models.ForeignKey(
        "schools.School", on_delete=models.PROTECT, related_name="visit_notes"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="visit_notes"
    )
    visited_on = models.DateField("date of the visit")
    focus = models.CharField(max_length=300)
    notes = models.TextField()
    previous = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="corrected_by"
    )
    original = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The first version, for every later one (so a chain is read in one query)",
    )
    version = models.PositiveSmallIntegerField(default=1)
    correction_reason = models.TextField(blank=True)
    written_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    objects = VisitNoteQuerySet.as_manager()

    class Meta:
        ordering = ["-visited_on", "-pk"]

    def __str__(self) -> str:
        return f"Visit to {self.school} on {self.visited_on:%-d %B %Y} (version {self.version})"

    @property
    def chain_id(self) -> int:
        return self.original_id or self.pk


class VisitResponse(models.Model):
    """The head's answer to one version of a note: accurate, or inaccurate and why."""

    note = models.OneToOneField(VisitNote, on_delete=models.CASCADE, related_name="response")
    accurate = models.BooleanField()
    comment = models.TextField(blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    def __str__(self) -> str:
        return "Accurate" if self.accurate else "Inaccurate"


def _attachment_path(instance, filename: str) -> str:
    # The stored name never uses the uploaded one: files are served only through a view.
    return f"visit-notes/{timezone.now():%Y/%m}/{instance.checksum[:16]}.{instance.extension}"


class VisitAttachment(models.Model):
    """A PDF or Word document attached to one version of a note, stored privately."""

    note = models.ForeignKey(VisitNote, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=_attachment_path, max_length=300)
    original_filename = models.CharField(max_length=255)
    extension = models.CharField(max_length=5)
    size = models.PositiveIntegerField()
    checksum = models.CharField(max_length=64)
    history = HistoricalRecords()

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.original_filename
