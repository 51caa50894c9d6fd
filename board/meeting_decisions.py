"""Decisions recorded against an agenda item, the votes cast, and writing a decision back to its
subject (``board.decisions``).

Who votes on an item (Dorset, Appendix 1; Schools Forum Regulations 2012): each member present,
or their designated substitute standing in ("Substitute members will have full voting rights
when taking the place of the ordinary member for whom they are designated substitute");
observers never; nobody who declared an interest in the item.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from .decisions import decision_kind
from .models import AgendaItem, Attendance, BoardSeat, Decision, Meeting, Vote

DECIDED_AT_THE_MEETING = (
    "Decisions are recorded once the agenda is published and before the minutes are approved"
)
TEXT_NEEDED = "Enter the decision"
UNKNOWN_KIND = "Select what the decision is about"
SUBJECT_NEEDED = "Select the {label} the decision is about"
SUBJECT_NOT_OFFERED = "Select a {label} from the list"
CANNOT_VOTE = "{name} cannot vote on this item: {reason}"
OUTCOME_NEEDED = "Select the outcome, or record the votes"
DECLARED = "they declared an interest"
NOT_A_VOTER = "they are not a voting member present at the meeting"


@dataclass(frozen=True)
class Voter:
    """A member's vote on an item, cast by the member or their substitute standing in."""

    seat: BoardSeat  # the member whose vote it is
    cast_by: BoardSeat  # who casts it


def voters(*, item: AgendaItem) -> tuple[list[Voter], dict[int, str]]:
    """Who may vote on the item, and why others present may not (by the seat's id)."""
    declared = set(item.declarations.values_list("seat_id", flat=True))
    attendances = Attendance.objects.filter(meeting_id=item.meeting_id).select_related(
        "seat__user", "substitute__user"
    )
    allowed, refused = [], {}
    for attendance in attendances:
        seat = attendance.seat
        if attendance.status == Attendance.Status.PRESENT:
            cast_by = seat
        elif attendance.status == Attendance.Status.SUBSTITUTE:
            cast_by = attendance.substitute
        else:
            continue
        if not seat.votes:
            refused[cast_by.pk] = "observers do not vote"
        elif cast_by.pk in declared or seat.pk in declared:
            refused[cast_by.pk] = DECLARED
        else:
            allowed.append(Voter(seat, cast_by))
    allowed.sort(key=lambda voter: str(voter.cast_by.user))
    return allowed, refused


def _subject(kind_key: str, subject, meeting: Meeting):
    if not kind_key:
        return None, None
    kind = decision_kind(kind_key)
    if kind is None:
        raise ValidationError({"kind": UNKNOWN_KIND})
    label = kind.model._meta.verbose_name
    if subject is None:
        raise ValidationError({"subject": SUBJECT_NEEDED.format(label=label)})
    if not kind.subjects(meeting=meeting).filter(pk=subject.pk).exists():
        raise ValidationError({"subject": SUBJECT_NOT_OFFERED.format(label=label)})
    return kind, subject


def _check_votes(item: AgendaItem, votes: dict[int, str]) -> list[Vote]:
    allowed, refused = voters(item=item)
    by_caster = {voter.cast_by.pk: voter for voter in allowed}
    cast = []
    for caster_id, choice in votes.items():
        voter = by_caster.get(caster_id)
        if voter is None:
            seat = BoardSeat.objects.select_related("user").get(pk=caster_id)
            reason = refused.get(caster_id, NOT_A_VOTER)
            raise ValidationError(CANNOT_VOTE.format(name=seat.user, reason=reason))
        cast.append(Vote(seat=voter.seat, cast_by=voter.cast_by, choice=choice))
    return cast


def _outcome(cast: list[Vote], outcome: str) -> str:
    if cast:
        tally = Counter(vote.choice for vote in cast)
        carried = tally[Vote.Choice.FOR] > tally[Vote.Choice.AGAINST]
        return Decision.Outcome.CARRIED if carried else Decision.Outcome.LOST
    if not outcome:
        raise ValidationError({"outcome": OUTCOME_NEEDED})
    return outcome


@transaction.atomic
def decision_record(
    *,
    item: AgendaItem,
    text: str,
    kind: str = "",
    subject=None,
    votes: dict[int, str] | None = None,
    outcome: str = "",
    by,
) -> Decision:
    """Record a decision on an item with its votes (keyed by the id of the seat casting them),
    or an outcome taken without a vote; an agreed decision of a registered kind is written back
    to its subject in the same transaction (its refusal refuses the decision)."""
    meeting = Meeting.objects.select_for_update().get(pk=item.meeting_id)
    if meeting.state not in (Meeting.State.AGENDA_PUBLISHED, Meeting.State.HELD):
        raise ValidationError(DECIDED_AT_THE_MEETING)
    if not text.strip():
        raise ValidationError({"text": TEXT_NEEDED})
    decision_kind_, subject = _subject(kind, subject, meeting)
    cast = _check_votes(item, votes or {})
    decision = Decision(
        item=item,
        kind=kind,
        text=text.strip(),
        outcome=_outcome(cast, outcome),
        subject_type=ContentType.objects.get_for_model(subject) if subject else None,
        subject_id=subject.pk if subject else None,
        recorded_by=by,
    )
    decision._history_user = by
    decision.save()
    for vote in cast:
        vote.decision = decision
    Vote.objects.bulk_create(cast)
    if decision.outcome == Decision.Outcome.CARRIED and decision_kind_ and decision_kind_.apply:
        decision_kind_.apply(subject=subject, decision=decision, by=by)
        decision.applied_at = timezone.now()
        decision.save(update_fields=["applied_at"])
    return decision
