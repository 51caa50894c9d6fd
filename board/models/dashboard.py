"""What the projected dashboard needs of a meeting in progress: the item the chair is taking,
and whether the chair has shown school names for it (only ever during a confidential item)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords


class MeetingFocus(models.Model):
    """The item a meeting in progress is taking, as the chair marked it."""

    meeting = models.OneToOneField("board.Meeting", on_delete=models.CASCADE, related_name="focus")
    item = models.ForeignKey(
        "board.AgendaItem", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    names_shown = models.BooleanField(
        default=False, help_text="School names shown on the projected dashboard for this item"
    )
    changed_at = models.DateTimeField(default=timezone.now)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name_plural = "meeting focuses"

    def __str__(self) -> str:
        return f"{self.meeting}: {self.item or 'no item'}"
