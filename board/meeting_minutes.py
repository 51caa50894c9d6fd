"""Minutes: drafted per item during and after the meeting, approved at the next meeting (its
"Minutes of the last meeting" item), then published.

The published minutes leave out confidential items (only the fact of an exempt item and its
Schedule 12A paragraph remain) and, where the board decides (``Meeting.hide_school_names``),
replace the names of the schools the meeting discussed (the items' schools, and those a standing
item's rows name) with their stable codes (``board.school_codes``), in any case and wherever the
full name starts a word. A school named only in part ("the Ashdown head") is not recognised:
minute-takers write the full name, or the code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from schools.models import School

from .meeting_services import meeting_transition
from .models import AgendaItem, Decision, Meeting
from .school_codes import board_year, school_codes_for

State = Meeting.State
MINUTES_CLOSED = "The minutes of a meeting that is {state} cannot be changed"
NOT_THE_MINUTES_ITEM = "Minutes are approved at the next meeting's item for them"
NOTHING_TO_APPROVE = "There is no earlier meeting whose minutes this item approves"
NOT_HELD = "Only the minutes of a meeting that was held can be approved"
APPROVED_ELSEWHERE = "The minutes are approved while the next meeting takes place"
NOT_APPROVED = "Approve the minutes at the next meeting before you publish them"
ALREADY_PUBLISHED = "These minutes are already published"
NAMES_AFTER_PUBLICATION = (
    "The minutes are published: whether they name schools can no longer change"
)
APPROVED_TEXT = "The minutes of {meeting} were approved and signed as a correct record."


@transaction.atomic
def minutes_draft(*, item: AgendaItem, text: str, by) -> AgendaItem:
    """Write the minutes of one item (until the minutes are approved)."""
    meeting = Meeting.objects.select_for_update().get(pk=item.meeting_id)
    if meeting.state not in (State.AGENDA_PUBLISHED, State.HELD):
        raise ValidationError(MINUTES_CLOSED.format(state=meeting.get_state_display().lower()))
    item.minutes = text.strip()
    item._history_user = by
    item.save(update_fields=["minutes"])
    return item


@transaction.atomic
def minutes_approve(*, item: AgendaItem, by) -> Decision:
    """Approve the minutes of the last meeting at the next meeting's item for them: records
    the decision on that item and marks the earlier meeting's minutes approved."""
    if item.kind != AgendaItem.Kind.MINUTES:
        raise ValidationError(NOT_THE_MINUTES_ITEM)
    if item.minutes_of_id is None:
        raise ValidationError(NOTHING_TO_APPROVE)
    meeting = Meeting.objects.get(pk=item.meeting_id)
    if meeting.state not in (State.AGENDA_PUBLISHED, State.HELD):
        raise ValidationError(APPROVED_ELSEWHERE)
    previous = Meeting.objects.select_for_update().get(pk=item.minutes_of_id)
    if previous.state != State.HELD:
        raise ValidationError(NOT_HELD)
    meeting_transition(
        meeting=previous, to=State.MINUTES_APPROVED, by=by, note=f"Approved at {meeting}"
    )
    return Decision.objects.create(
        item=item,
        kind="",
        text=APPROVED_TEXT.format(meeting=previous),
        outcome=Decision.Outcome.CARRIED,
        recorded_by=by,
    )


@transaction.atomic
def minutes_names_hide(*, meeting: Meeting, hide: bool, by) -> Meeting:
    """Record the board's choice: school names in the published minutes, or their codes."""
    locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if locked.minutes_published_at:
        raise ValidationError(NAMES_AFTER_PUBLICATION)
    locked.hide_school_names = hide
    locked._history_user = by
    locked.save(update_fields=["hide_school_names"])
    meeting.hide_school_names = hide
    return locked


@transaction.atomic
def minutes_publish(*, meeting: Meeting, by) -> Meeting:
    """Publish approved minutes for everyone with a role to read."""
    locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if locked.state != State.MINUTES_APPROVED:
        raise ValidationError(NOT_APPROVED)
    if locked.minutes_published_at:
        raise ValidationError(ALREADY_PUBLISHED)
    locked.minutes_published_at = timezone.now()
    locked._history_user = by
    locked.save(update_fields=["minutes_published_at"])
    meeting.minutes_published_at = locked.minutes_published_at
    return locked


# The published version ----------------------------------------------------------------------


@dataclass
class PublishedItem:
    position: int
    title: str
    minutes: str
    decisions: list[str] = field(default_factory=list)
    exempt_paragraph: str = ""  # set for a confidential item: nothing else is shown


def _schools_discussed(items: list[AgendaItem]) -> list[School]:
    ids = {school.pk for item in items for school in item.schools.all()}
    ids |= {pk for item in items for pk in (item.snapshot or {}).get("school_ids", [])}
    return list(School.objects.filter(pk__in=ids).order_by("name"))


def school_name_coder(meeting: Meeting, items: list[AgendaItem]):
    if not meeting.hide_school_names:
        return lambda text: text
    schools = _schools_discussed(items)
    if not schools:
        return lambda text: text
    year = board_year(timezone.localdate(meeting.starts_at))
    codes = school_codes_for(year=year, school_ids=[s.pk for s in schools])
    by_name = {s.name.casefold(): codes[s.pk] for s in schools}
    names = sorted(by_name, key=len, reverse=True)
    pattern = re.compile("|".join(rf"(?<!\w){re.escape(name)}" for name in names), re.IGNORECASE)
    return lambda text: pattern.sub(lambda found: by_name[found.group(0).casefold()], text)


def minutes_published_items(*, meeting: Meeting) -> list[PublishedItem]:
    """The published minutes: confidential items left out, school names coded if decided."""
    items = list(meeting.items.order_by("position").prefetch_related("schools", "decisions"))
    code = school_name_coder(meeting, items)
    published = []
    for item in items:
        if item.is_confidential:
            published.append(
                PublishedItem(item.position, "", "", exempt_paragraph=item.exempt_paragraph)
            )
            continue
        published.append(
            PublishedItem(
                item.position,
                code(item.title),
                code(item.minutes),
                [
                    f"{code(d.text)} ({d.get_outcome_display().lower()})"
                    for d in item.decisions.all()
                ],
            )
        )
    return published
