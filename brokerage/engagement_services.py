"""Services for an engagement's work: objectives and their impact measures, the provider's
progress notes and the scheduled progress reviews with a Red/Amber/Green rating per objective."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from .case_services import case_first_visit_note
from .engagements import review_due_after
from .models import (
    Engagement,
    Objective,
    ObjectiveRating,
    ProgressNote,
    ProgressReview,
    Rating,
)

ENDED = "This engagement has ended: its objectives can no longer change"
OBJECTIVE_HAS_PROGRESS = (
    "This objective cannot be deleted because progress has been recorded against it. "
    "Change its wording instead."
)
DESCRIBE_OBJECTIVE = "Enter the objective"
DESCRIBE_IMPACT = "Enter how the impact will be measured"
NOT_RUNNING = "Progress can only be recorded while the engagement is commissioned"
ENTER_NOTE = "Enter what was done"
FUTURE_DATE = "The date must be today or in the past"
RATE_EVERY_OBJECTIVE = "Give every objective a Red, Amber or Green rating"
ENTER_JUDGEMENT = "Enter the overall judgement"
NO_OBJECTIVES = "Add at least one objective before recording a review"


def _check_text(description: str, impact_measure: str) -> None:
    if not (description or "").strip():
        raise ValidationError(DESCRIBE_OBJECTIVE)
    if not (impact_measure or "").strip():
        raise ValidationError(DESCRIBE_IMPACT)


def _check_past(day: date | None) -> None:
    if day and day > timezone.localdate():
        raise ValidationError(FUTURE_DATE)


@transaction.atomic
def objective_create(
    *, engagement: Engagement, description: str, impact_measure: str, measure=None, by
) -> Objective:
    """Add an objective, with how its impact is measured, to an engagement that has not ended."""
    if engagement.is_ended:
        raise ValidationError(ENDED)
    _check_text(description, impact_measure)
    return Objective.objects.create(
        engagement=engagement,
        description=description.strip(),
        impact_measure=impact_measure.strip(),
        measure=measure,
    )


@transaction.atomic
def objective_update(
    *, objective: Objective, description: str, impact_measure: str, measure=None, by
) -> Objective:
    """Change an objective's wording, impact measure or linked measure."""
    if objective.engagement.is_ended:
        raise ValidationError(ENDED)
    _check_text(description, impact_measure)
    objective.description, objective.impact_measure = description.strip(), impact_measure.strip()
    objective.measure = measure
    objective.save(update_fields=["description", "impact_measure", "measure"])
    return objective


def objective_has_progress(*, objective: Objective) -> bool:
    """Whether a review rated the objective or a progress note is about it."""
    return objective.ratings.exists() or objective.progress_notes.exists()


@transaction.atomic
def objective_delete(*, objective: Objective, by) -> None:
    """Delete an objective, unless progress has been recorded against it."""
    locked = Objective.objects.select_for_update().select_related("engagement").get(pk=objective.pk)
    if locked.engagement.is_ended:
        raise ValidationError(ENDED)
    if objective_has_progress(objective=locked):
        raise ValidationError(OBJECTIVE_HAS_PROGRESS)
    locked.delete()


@transaction.atomic
def progress_note_create(
    *, engagement: Engagement, note: str, by, visited_on: date | None = None, objective=None
) -> ProgressNote:
    """Log the provider's work or visit on a commissioned engagement."""
    if engagement.state != Engagement.State.COMMISSIONED:
        raise ValidationError(NOT_RUNNING)
    if not (note or "").strip():
        raise ValidationError(ENTER_NOTE)
    _check_past(visited_on)
    if objective is not None and objective.engagement_id != engagement.pk:
        raise ValidationError("Choose one of this engagement's objectives")
    progress = ProgressNote.objects.create(
        engagement=engagement,
        objective=objective,
        visited_on=visited_on,
        note=note.strip(),
        created_by=by,
    )
    if visited_on:
        case_first_visit_note(case_id=engagement.case_id, on=visited_on, by=by)
    return progress


def _check_ratings(engagement: Engagement, ratings: dict[int, str]) -> list[int]:
    objective_ids = list(engagement.objectives.values_list("pk", flat=True))
    if not objective_ids:
        raise ValidationError(NO_OBJECTIVES)
    if set(objective_ids) != set(ratings) or any(r not in Rating.values for r in ratings.values()):
        raise ValidationError(RATE_EVERY_OBJECTIVE)
    return objective_ids


@transaction.atomic
def progress_review_record(
    *,
    engagement: Engagement,
    by,
    reviewed_on: date,
    overall: str,
    judgement: str,
    ratings: dict[int, str],
    visited_on: date | None = None,
    notes: str = "",
) -> ProgressReview:
    """Record a progress review: a rating per objective and an overall judgement; the next
    review moves along the schedule and an impact decision becomes due."""
    locked = Engagement.objects.select_for_update().get(pk=engagement.pk)
    if locked.state != Engagement.State.COMMISSIONED:
        raise ValidationError(NOT_RUNNING)
    _check_past(reviewed_on)
    _check_past(visited_on)
    if overall not in Rating.values:
        raise ValidationError("Choose the overall rating")
    if not (judgement or "").strip():
        raise ValidationError(ENTER_JUDGEMENT)
    _check_ratings(locked, ratings)
    review = ProgressReview.objects.create(
        engagement=locked,
        reviewed_on=reviewed_on,
        visited_on=visited_on,
        overall=overall,
        judgement=judgement.strip(),
        notes=(notes or "").strip(),
        recorded_by=by,
    )
    ObjectiveRating.objects.bulk_create(
        ObjectiveRating(review=review, objective_id=pk, rating=rating)
        for pk, rating in ratings.items()
    )
    locked.next_review_due = review_due_after(
        start=timezone.localdate(locked.commissioned_at),
        weeks=locked.review_every_weeks,
        reviews_done=locked.reviews.count(),
    )
    locked.progress_since = timezone.now()
    locked.impact_decision_due = True
    locked.save(update_fields=["next_review_due", "progress_since", "impact_decision_due"])
    if visited_on:
        case_first_visit_note(case_id=locked.case_id, on=visited_on, by=by)
    return review
