"""Reads of engagements for a viewer: the scoped list, one engagement with its objectives,
reviews and progress, the before and after values of linked measures, and the review schedule."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from categorisation.models import MeasureValue

from .models import Engagement, Objective, ObjectiveRating, ProgressNote, ProgressReview

LIST_FILTERS = {
    "active": {"state__in": [Engagement.State.PROPOSED, Engagement.State.COMMISSIONED]},
    "proposed": {"state": Engagement.State.PROPOSED},
    "commissioned": {"state": Engagement.State.COMMISSIONED},
    "ended": {"state__in": [Engagement.State.COMPLETED, Engagement.State.STOPPED]},
}


def engagement_list(*, user, show: str = "") -> QuerySet:
    """The engagements the user may see, with what the list shows joined in (newest first)."""
    engagements = Engagement.objects.visible_to(user).select_related(
        "case__school", "provider", "alliance"
    )
    return engagements.filter(**LIST_FILTERS.get(show, {})).order_by("-pk")


def engagement_get(*, user, pk: int) -> Engagement:
    """One engagement the user may see (Engagement.DoesNotExist otherwise)."""
    return (
        Engagement.objects.visible_to(user)
        .select_related("case__school", "provider__person", "alliance", "commissioned_by")
        .get(pk=pk)
    )


def engagement_terms_agreed(*, engagement: Engagement) -> bool:
    """Whether days, cost and at least one objective are agreed (the case's task list step)."""
    return bool(engagement.days and engagement.cost and engagement.objectives.exists())


def review_is_overdue(*, engagement: Engagement, today: date | None = None) -> bool:
    """Whether the next scheduled progress review is past its date."""
    due = engagement.next_review_due
    return (
        bool(due)
        and engagement.state == Engagement.State.COMMISSIONED
        and due < (today or timezone.localdate())
    )


def engagement_first_visit_on(*, engagement: Engagement) -> date | None:
    """The first visit recorded for the engagement, by the provider or at a review (for the
    case's time to support)."""
    days = [
        *ProgressNote.objects.filter(engagement=engagement, visited_on__isnull=False)
        .order_by("visited_on")
        .values_list("visited_on", flat=True)[:1],
        *ProgressReview.objects.filter(engagement=engagement, visited_on__isnull=False)
        .order_by("visited_on")
        .values_list("visited_on", flat=True)[:1],
    ]
    return min(days) if days else None


@dataclass
class ReviewRow:
    review: ProgressReview
    ratings: dict[int, str] = field(default_factory=dict)  # objective id -> rating


def engagement_reviews(*, engagement: Engagement) -> list[ReviewRow]:
    """The reviews, newest first, each with its rating per objective."""
    reviews = engagement.reviews.select_related("recorded_by").prefetch_related(
        Prefetch(
            "ratings", queryset=ObjectiveRating.objects.only("review_id", "objective_id", "rating")
        )
    )
    return [
        ReviewRow(review, {r.objective_id: r.rating for r in review.ratings.all()})
        for review in reviews
    ]


def engagement_objectives(*, engagement: Engagement) -> list[Objective]:
    """The objectives with their linked measures."""
    return list(engagement.objectives.select_related("measure"))


def engagement_progress_notes(*, engagement: Engagement) -> QuerySet:
    """The provider's progress notes, newest first."""
    return engagement.progress_notes.select_related("created_by", "objective")


@dataclass(frozen=True)
class MeasureChange:
    """A linked measure's value for the school when the support was commissioned and now."""

    objective: Objective
    before: MeasureValue | None
    after: MeasureValue | None

    @property
    def has_new_data(self) -> bool:
        return self.after is not None and (self.before is None or self.after.pk != self.before.pk)


def _latest(values: list[MeasureValue]) -> MeasureValue | None:
    ordered = sorted(values, key=lambda v: (v.academic_year, v.release.imported_at, v.pk))
    return ordered[-1] if ordered else None


def engagement_measure_changes(
    *, engagement: Engagement, objectives: list[Objective]
) -> list[MeasureChange]:
    """For each objective linked to a measure: the school's latest value when the engagement
    was commissioned (now, while proposed) and the latest value since, after new data arrived."""
    linked = [o for o in objectives if o.measure_id]
    if not linked:
        return []
    values = list(
        MeasureValue.objects.filter(
            school_id=engagement.case.school_id,
            measure_id__in={o.measure_id for o in linked},
        ).select_related("release", "measure")
    )
    cutoff = engagement.commissioned_at
    changes = []
    for objective in linked:
        mine = [v for v in values if v.measure_id == objective.measure_id]
        known = [v for v in mine if cutoff is None or v.release.imported_at <= cutoff]
        before = _latest(known)
        after = _latest(mine) if cutoff else None
        changes.append(MeasureChange(objective, before, after))
    return changes
