"""Demo engagements: objectives (linked to KS2 measures), progress notes, reviews with RAG
ratings and an impact decision, so each role sees the path from agreed terms to impact.

Works on the engagements the cases demo made; when there are none (brokerage's demo not loaded),
it makes three of its own for the demo alliance's schools, each once. Safe to run again: it
only adds to engagements that have no objectives yet.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from brokerage.case_services import case_commission
from brokerage.engagement_services import (
    objective_create,
    progress_note_create,
    progress_review_record,
)
from brokerage.engagements import engagement_impact_decide, engagement_terms_update
from brokerage.models import (
    Diagnosis,
    Engagement,
    ImpactDecision,
    ProgressReview,
    Provider,
    SupportCase,
)
from categorisation.models import DataRelease, Measure, MeasureValue
from clusters.models import ClusterMembership
from partnership.models import Alliance, User

logger = logging.getLogger(__name__)
DEMO_ALLIANCE = "North Hampshire Alliance"
OBJECTIVES = [
    (
        "Raise the proportion of pupils reaching the expected standard in reading, writing "
        "and maths",
        "KS2 results against the school's previous year and England",
        "KS2_PTRWM_EXP",
    ),
    (
        "Strengthen middle leaders' monitoring of reading across Key Stage 2",
        "Termly book looks and learning walks by the reading lead, checked by the provider",
        "KS2_READPROG",
    ),
]


def _own_engagements(alliance: Alliance, officer: User) -> list[Engagement]:
    """Three proposed engagements for the demo alliance's schools, from the demo provider."""
    person = User.objects.filter(email="provider@example.org").first()
    provider, _ = Provider.objects.get_or_create(
        name="Priya Provider, national leader of education",
        defaults={"kind": "nle", "person": person, "capacity_days_per_term": 30},
    )
    with_ks2 = MeasureValue.objects.filter(measure__code=OBJECTIVES[0][2]).values("school_id")
    memberships = ClusterMembership.objects.filter(
        ended_on__isnull=True, cluster__alliance=alliance, school_id__in=with_ks2
    ).order_by("cluster__name", "school__name")
    engagements = []
    for membership in memberships.select_related("school")[:3]:
        now = timezone.now()  # demo data: the case's tasks done up to the checks
        case = SupportCase.objects.create(
            school=membership.school,
            origin=SupportCase.Origin.REQUEST,
            description="KS2 outcomes below England for three years (demo data).",
            opened_by=officer,
            alliance=alliance,
            eligibility_confirmed_at=now,
            contacted_at=now,
            diagnosis=Diagnosis.MATCH,
            diagnosed_at=now,
            matched_at=now,
            checks_completed_at=now,
        )
        engagements.append(
            Engagement.objects.create(case=case, provider=provider, alliance=alliance)
        )
    return engagements


def _commissioned_before_latest_results(engagement: Engagement) -> None:
    """Date the commissioning between the last two KS2 uploads, so the page shows a measure's
    value before the support and after the newest results (the demo loads all data at once)."""
    uploads = sorted(
        set(DataRelease.objects.filter(source="ks2").values_list("imported_at", flat=True))
    )
    if len(uploads) >= 2:
        Engagement.objects.filter(pk=engagement.pk).update(
            commissioned_at=uploads[-2] + timedelta(microseconds=1)
        )


def agree_terms(engagement: Engagement, officer: User) -> None:
    """Demo terms: 12 days, £7,500 and two objectives linked to KS2 measures."""
    proposed = engagement.state == Engagement.State.PROPOSED
    if proposed and not (engagement.days and engagement.cost):
        engagement_terms_update(
            engagement=engagement,
            days=Decimal(12),
            cost=Decimal("7500.00"),
            review_every_weeks=6,
            by=officer,
        )
    if engagement.objectives.exists():
        return
    measures = {m.code: m for m in Measure.objects.filter(code__in=[o[2] for o in OBJECTIVES])}
    for description, impact, code in OBJECTIVES:
        objective_create(
            engagement=engagement,
            description=description,
            impact_measure=impact,
            measure=measures.get(code),
            by=officer,
        )


def _follow(engagement: Engagement, officer: User, chair: User | None, step: int) -> None:
    """Commission (through the case, the one way); then a review and a decision (first), an
    overdue review (second)."""
    if engagement.state == Engagement.State.PROPOSED:
        try:
            engagement = case_commission(case=engagement.case, by=chair or officer)
        except ValidationError as refused:  # e.g. no allocation yet, or the checks not done
            logger.info("Demo engagement %s left proposed: %s", engagement.pk, refused.messages)
            return
        _commissioned_before_latest_results(engagement)
    person = engagement.provider.person or officer
    today = timezone.localdate()
    progress_note_create(
        engagement=engagement,
        note="Met the headteacher and reading lead; agreed a plan for guided reading.",
        visited_on=today - timedelta(days=10),
        by=person,
    )
    if step == 0:
        objectives = list(engagement.objectives.all())
        progress_review_record(
            engagement=engagement,
            by=chair or officer,
            reviewed_on=today,
            visited_on=today - timedelta(days=2),
            overall="amber",
            judgement="Reading is better taught; writing and maths not yet secure.",
            ratings={objectives[0].pk: "amber", objectives[1].pk: "green"},
        )
        engagement_impact_decide(
            engagement=engagement,
            decision=ImpactDecision.CONTINUE,
            reason="Early signs of impact in reading; continue to the next review.",
            by=chair or officer,
        )
    elif step == 1:
        Engagement.objects.filter(pk=engagement.pk).update(
            next_review_due=today - timedelta(days=5)
        )


def demo_engagements_load() -> int:
    """Add objectives, progress, reviews and an impact decision to the demo's engagements (or
    to three of its own when none exist); the number of engagements it filled in."""
    officer = User.objects.filter(email="officer@example.org").first()
    alliance = Alliance.objects.filter(name=DEMO_ALLIANCE, closed_on__isnull=True).first()
    if officer is None or alliance is None:
        return 0
    if ProgressReview.objects.exists():  # loaded before: add nothing the second time
        return 0
    chair = User.objects.filter(email="alliance.chair@example.org").first()
    with transaction.atomic():
        # the cases demo's engagements not reviewed yet: commissioned ones first
        engagements = list(
            Engagement.objects.filter(
                reviews__isnull=True,
                state__in=[Engagement.State.PROPOSED, Engagement.State.COMMISSIONED],
            )
            .distinct()
            .order_by("-state", "pk")[:3]
        )
        if not Engagement.objects.exists():
            engagements = _own_engagements(alliance, officer)
        for step, engagement in enumerate(engagements):
            if engagement.state == Engagement.State.PROPOSED:
                agree_terms(engagement, officer)
            if step < 2:
                _follow(engagement, officer, chair, step)
    return len(engagements)
