"""Reads for peer reviews and visit notes, for a viewer (each through ``visible_to``)."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from schools.models import School

from .models import Cluster
from .peer_review_models import PeerReview, PeerReviewCycle
from .visit_models import VisitNote


def cycle_list(*, user) -> QuerySet[PeerReviewCycle]:
    """The cycles of the clusters the user may see, newest first, with their counts."""
    return (
        PeerReviewCycle.objects.filter(cluster__in=Cluster.objects.visible_to(user).values("pk"))
        .select_related("cluster__alliance")
        .annotate(
            review_count=Count("reviews", distinct=True),
            written_count=Count(
                "reviews", filter=Q(reviews__written_on__isnull=False), distinct=True
            ),
        )
        .order_by("-year", "-created_on", "-pk")
    )


def cycle_reviews(*, cycle: PeerReviewCycle, user) -> list[PeerReview]:
    """The cycle's reviews the user knows of, by group, each marked ``readable`` when the user
    may read its report."""
    reviews = list(
        PeerReview.objects.listed_to(user)
        .filter(cycle=cycle)
        .select_related("school")
        .order_by("group", "school__name")
    )
    readable = set(
        PeerReview.objects.visible_to(user).filter(cycle=cycle).values_list("pk", flat=True)
    )
    for review in reviews:
        review.readable = review.pk in readable
    return reviews


def review_reviewers(*, review: PeerReview) -> list[School]:
    """The other schools of the review's group."""
    return list(
        School.objects.filter(
            peer_reviews__cycle_id=review.cycle_id, peer_reviews__group=review.group
        )
        .exclude(pk=review.school_id)
        .order_by("name")
    )


def school_visit_notes(*, school: School, user) -> QuerySet[VisitNote]:
    """The latest version of each of the school's visit notes the user may read."""
    return (
        VisitNote.objects.visible_to(user)
        .latest()
        .filter(school=school)
        .select_related("author", "response")
        .order_by("-visited_on", "-pk")
    )


def visit_note_chain(*, note: VisitNote) -> list[VisitNote]:
    """Every version of the note, newest first, with responses and attachments."""
    return list(
        VisitNote.objects.filter(Q(pk=note.chain_id) | Q(original_id=note.chain_id))
        .select_related("author", "response__by")
        .prefetch_related("attachments")
        .order_by("-version")
    )
