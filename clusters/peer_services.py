"""Writes for peer-review cycles: create a cycle, opt a school out, propose the groups, move a
school between groups, schedule, write findings, and share the report (the reviewed head's
choice, every change kept)."""

from __future__ import annotations

from collections import Counter
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from schools.models import School

from .models import Cluster
from .peer_pairing import pairings_propose, pairs_of
from .peer_review_models import (
    Area,
    CycleOptOut,
    Judgement,
    PeerReview,
    PeerReviewCycle,
    Sharing,
    SharingChange,
)

FINDINGS_WRITTEN = "Findings have been written in this cycle, so its groups can no longer change"
TOO_FEW = "At least 2 schools must take part to propose groups: {count} can"


@transaction.atomic
def cycle_create(
    *, cluster: Cluster, name: str, term: str, year: int, focus_areas: str, by
) -> PeerReviewCycle:
    """Start a peer-review cycle in an open cluster."""
    if not cluster.is_open:
        raise ValidationError(f"{cluster.name} is closed: choose an open cluster")
    return PeerReviewCycle.objects.create(
        cluster=cluster, name=name, term=term, year=year, focus_areas=focus_areas, created_by=by
    )


def cycle_schools(*, cycle: PeerReviewCycle) -> list[School]:
    """The schools now in the cycle's cluster, by name (opted out of the partnership or not)."""
    return list(
        School.objects.filter(
            cluster_memberships__cluster=cycle.cluster, cluster_memberships__ended_on__isnull=True
        ).order_by("name")
    )


def _unlocked(cycle: PeerReviewCycle) -> None:
    if cycle.reviews.filter(written_on__isnull=False).exists():
        raise ValidationError(FINDINGS_WRITTEN)


@transaction.atomic
def cycle_opt_out_set(*, cycle: PeerReviewCycle, school: School, opted_out: bool, by) -> None:
    """Take a school out of the cycle, or back in, while it has no groups yet."""
    cycle = PeerReviewCycle.objects.select_for_update().get(pk=cycle.pk)
    if cycle.reviews.exists():
        raise ValidationError(
            "Groups have been proposed for this cycle: ask the cluster lead to propose them again"
        )
    if opted_out:
        CycleOptOut.objects.get_or_create(cycle=cycle, school=school, defaults={"by": by})
    else:
        CycleOptOut.objects.filter(cycle=cycle, school=school).delete()


def previous_pairs(*, cycle: PeerReviewCycle) -> set:
    """The pairs grouped together in the cluster's last cycle before this one."""
    last = (
        PeerReviewCycle.objects.filter(cluster_id=cycle.cluster_id, pk__lt=cycle.pk)
        .order_by("-pk")
        .first()
    )
    if last is None:
        return set()
    groups: dict[int, list[int]] = {}
    for school_id, group in last.reviews.values_list("school_id", "group"):
        groups.setdefault(group, []).append(school_id)
    return pairs_of(groups.values())


@transaction.atomic
def cycle_groups_propose(*, cycle: PeerReviewCycle, by) -> list[PeerReview]:
    """Replace the cycle's groups with the product's proposal: the cluster's schools that have
    not opted out (of the partnership or the cycle), in pairs and at most one triad, avoiding
    last cycle's pairs."""
    cycle = PeerReviewCycle.objects.select_for_update().get(pk=cycle.pk)
    _unlocked(cycle)
    out = set(cycle.opt_outs.values_list("school_id", flat=True))
    taking_part = [s.pk for s in cycle_schools(cycle=cycle) if not s.opted_out and s.pk not in out]
    if len(taking_part) < 2:
        raise ValidationError(TOO_FEW.format(count=len(taking_part)))
    groups = pairings_propose(taking_part, previous=previous_pairs(cycle=cycle))
    cycle.reviews.all().delete()
    focus = "\n".join(cycle.focus_list)
    return PeerReview.objects.bulk_create(
        PeerReview(cycle=cycle, school_id=school_id, group=number, focus=focus)
        for number, group in enumerate(groups, 1)
        for school_id in group
    )


@transaction.atomic
def review_move(*, review: PeerReview, group: int, by) -> PeerReview:
    """Move the school to another group of its cycle, keeping every group of two or three."""
    cycle = PeerReviewCycle.objects.select_for_update().get(pk=review.cycle_id)
    _unlocked(cycle)
    review = PeerReview.objects.get(pk=review.pk)
    if group == review.group:
        raise ValidationError("Choose a different group")
    sizes = Counter(cycle.reviews.values_list("group", flat=True))
    if group not in sizes:
        raise ValidationError("Choose one of the cycle's groups")
    sizes[review.group] -= 1
    sizes[group] += 1
    if sizes[group] > 3:
        raise ValidationError(f"Group {group} already has 3 schools: a group has 2 or 3")
    if sizes[review.group] == 1 or sizes[group] == 1:
        raise ValidationError(
            "That would leave a school alone in its group: a group has 2 or 3 schools"
        )
    review.group = group
    review.save(update_fields=["group"])
    return review


@transaction.atomic
def review_schedule(*, review: PeerReview, scheduled_on: date | None, focus: str, by) -> PeerReview:
    """Set the date of the review visit and its focus areas."""
    review.scheduled_on = scheduled_on
    review.focus = focus
    review.save(update_fields=["scheduled_on", "focus"])
    return review


@transaction.atomic
def review_findings_write(
    *, review: PeerReview, findings: str, next_steps: str, grades: dict[str, int], by
) -> PeerReview:
    """Record the reviewers' findings, next steps and judgements on the inspection areas."""
    if not findings.strip():
        raise ValidationError("Enter the findings")
    review.findings = findings
    review.next_steps = next_steps
    review.written_by = by
    review.written_on = timezone.localdate()
    review.save(update_fields=["findings", "next_steps", "written_by", "written_on"])
    review.judgements.all().delete()
    Judgement.objects.bulk_create(
        Judgement(
            school_id=review.school_id,
            source=Judgement.Source.PEER,
            area=Area(area),
            grade=grade,
            peer_review=review,
            by=by,
        )
        for area, grade in grades.items()
        if grade
    )
    return review


@transaction.atomic
def review_share(*, review: PeerReview, sharing: int, by) -> PeerReview:
    """Change who reads the report (the reviewed head's choice); the change is kept."""
    review = PeerReview.objects.select_for_update().get(pk=review.pk)
    if review.sharing == sharing:
        raise ValidationError(f"The report is already shared: {Sharing(sharing).label}")
    SharingChange.objects.create(review=review, was=review.sharing, now=sharing, by=by)
    review.sharing = sharing
    review.save(update_fields=["sharing"])
    return review
