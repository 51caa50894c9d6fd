"""The meeting in progress as the projected dashboard sees it: which item the chair is taking,
and whether school names are shown (only while that item is confidential).

A meeting is in progress on the day it starts, once its agenda is published and until it is
marked as held. The chair marks the item being taken; taking another item hides the names again.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from .models import AgendaItem, Meeting, MeetingFocus

NOT_IN_PROGRESS = "You can only mark the item being taken while the meeting is in progress"
NOT_CONFIDENTIAL = (
    "School names can only be shown while the meeting is taking a confidential item. "
    "Mark the confidential item as the one being taken first"
)


def meeting_in_progress(*, alliance=None) -> Meeting | None:
    """The body's meeting taking place today (agenda published, not yet held), with its focus."""
    today = timezone.localdate()
    start = timezone.make_aware(datetime.combine(today, time.min))
    return (
        Meeting.objects.of_body(alliance)
        .filter(
            state=Meeting.State.AGENDA_PUBLISHED,
            starts_at__gte=start,
            starts_at__lt=start + timedelta(days=1),
        )
        .select_related("alliance", "focus__item")
        .order_by("starts_at", "pk")
        .first()
    )


def focus_of(meeting: Meeting) -> MeetingFocus | None:
    try:
        return meeting.focus
    except MeetingFocus.DoesNotExist:
        return None


def _is_in_progress(meeting: Meeting) -> bool:
    return (
        meeting.state == Meeting.State.AGENDA_PUBLISHED
        and timezone.localtime(meeting.starts_at).date() == timezone.localdate()
    )


@transaction.atomic
def meeting_item_take(*, meeting: Meeting, item: AgendaItem | None, by) -> MeetingFocus:
    """Mark the item the meeting is taking (None: between items); school names are hidden."""
    if not _is_in_progress(meeting):
        raise ValidationError(NOT_IN_PROGRESS)
    if item is not None and item.meeting_id != meeting.pk:
        raise ValidationError("Choose an item on this meeting's agenda")
    focus, _ = MeetingFocus.objects.select_for_update().get_or_create(meeting=meeting)
    focus.item, focus.names_shown = item, False
    focus.changed_at, focus.changed_by = timezone.now(), by
    focus.save()
    return focus


@transaction.atomic
def meeting_names_show(*, meeting: Meeting, show: bool, by) -> MeetingFocus:
    """Show (or hide again) school names on the projected dashboard: showing them is refused
    unless the item being taken is confidential."""
    focus = MeetingFocus.objects.select_for_update().filter(meeting=meeting).first()
    item = focus.item if focus else None
    if show and not (_is_in_progress(meeting) and item is not None and item.is_confidential):
        raise ValidationError(NOT_CONFIDENTIAL)
    if focus is None:
        return MeetingFocus(meeting=meeting)
    focus.names_shown = show
    focus.changed_at, focus.changed_by = timezone.now(), by
    focus.save()
    return focus


def names_shown_to(*, user, meeting: Meeting | None) -> bool:
    """Whether this viewer sees school names: the chair showed them for a confidential item
    being taken, and the viewer may read that meeting's confidential items."""
    if meeting is None:
        return False
    focus = focus_of(meeting)
    return bool(
        focus
        and focus.names_shown
        and focus.item is not None
        and focus.item.is_confidential
        and user.has_perm("board.view_confidential", meeting)
    )
