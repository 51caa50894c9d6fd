"""Writes to the register made by people (the GIAS import lives in ``schools/gias_import.py``)."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from .models import School

OPT_OUT_DATE_MISSING = "Enter the date the school opted out"
OPT_OUT_DATE_FUTURE = "Date the school opted out must be today or in the past"


@transaction.atomic
def school_set_opt_out(
    *, school: School, opted_out: bool, on: date | None, note: str, by
) -> School:
    """Record that a school has opted out of the partnership on a date, or withdraw its opt-out.

    Schools may opt out (Dorset report 1.5). Withdrawing clears the date; the note says why, and
    the school's history keeps the earlier opt-out with the person who recorded each change.
    """
    if opted_out and on is None:
        raise ValidationError({"opted_out_on": OPT_OUT_DATE_MISSING})
    if opted_out and on > timezone.localdate():
        raise ValidationError({"opted_out_on": OPT_OUT_DATE_FUTURE})
    school.opted_out = opted_out
    school.opted_out_on = on if opted_out else None
    school.opted_out_note = note.strip()
    school._history_user = by
    school.save(update_fields=["opted_out", "opted_out_on", "opted_out_note"])
    return school
