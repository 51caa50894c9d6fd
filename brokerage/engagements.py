"""Services that move an engagement through its states: agree its terms, commission it, decide
on its impact (continue, extend by a variation, complete or stop) and end it.

The fund hooks in through ``brokerage/extensions.py``; the people concerned hear of each step by
email, sent by a Celery task once the transaction commits.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from kernel.money import money

from .extensions import commission_hooks, end_hooks, extend_hooks
from .models import Engagement, ImpactDecision, Variation
from .tasks import engagement_notify_task

NOT_PROPOSED = "Only a proposed engagement can be commissioned"
NOT_COMMISSIONED = "Only a commissioned engagement can end"
NO_ALLIANCE = "Choose the alliance whose allocation pays for this support"
TERMS_FIXED = "The days and cost can only change while the engagement is proposed"
NO_DECISION_YET = "Only a commissioned engagement can have an impact decision"
REASON_NEEDED = "Enter the reason for the decision"
EXTEND_NEEDS_MORE = "Enter the extra days or the extra cost of the extension"
NOT_NEGATIVE = "The days and cost cannot be less than 0"
WEEKS_RANGE = "Review every 1 to 52 weeks"


def _notify(engagement: Engagement, event: str) -> None:
    transaction.on_commit(
        lambda: engagement_notify_task.delay(engagement_id=engagement.pk, event=event)
    )


def review_due_after(*, start, weeks: int, reviews_done: int):
    """The next review date on the schedule: every ``weeks`` weeks from commissioning."""
    return start + timedelta(weeks=weeks * (reviews_done + 1))


@transaction.atomic
def engagement_terms_update(
    *, engagement: Engagement, days: Decimal, cost, review_every_weeks: int, by
) -> Engagement:
    """Set the proposed engagement's days, cost and how often its progress is reviewed."""
    locked = Engagement.objects.select_for_update().get(pk=engagement.pk)
    if locked.state != Engagement.State.PROPOSED:
        raise ValidationError(TERMS_FIXED)
    cost = money(cost)
    if days < 0 or cost < 0:
        raise ValidationError(NOT_NEGATIVE)
    if not 1 <= review_every_weeks <= 52:
        raise ValidationError(WEEKS_RANGE)
    locked.days, locked.cost, locked.review_every_weeks = days, cost, review_every_weeks
    locked._change_reason = f"Terms agreed by {by}"
    locked.save(update_fields=["days", "cost", "review_every_weeks"])
    return locked


@transaction.atomic
def engagement_commission(*, engagement: Engagement, by, decision=None) -> Engagement:
    """Commission the engagement: the hooks (the fund) commit its cost, or refuse; the review
    schedule starts and the head, provider and alliance chair are told."""
    locked = Engagement.objects.select_for_update().get(pk=engagement.pk)
    if locked.state != Engagement.State.PROPOSED:
        raise ValidationError(NOT_PROPOSED)
    if locked.alliance_id is None:
        raise ValidationError(NO_ALLIANCE)
    for hook in commission_hooks():
        hook(engagement=locked, by=by, decision=decision)
    now = timezone.now()
    locked.state = Engagement.State.COMMISSIONED
    locked.commissioned_at, locked.commissioned_by = now, by
    locked.progress_since = now
    locked.next_review_due = review_due_after(
        start=timezone.localdate(now), weeks=locked.review_every_weeks, reviews_done=0
    )
    locked.save(
        update_fields=[
            "state",
            "commissioned_at",
            "commissioned_by",
            "progress_since",
            "next_review_due",
        ]
    )
    _notify(locked, "commissioned")
    return locked


@transaction.atomic
def engagement_end(*, engagement: Engagement, by, completed: bool = True) -> Engagement:
    """End a commissioned engagement (completed or stopped); the hooks release what was not
    spent."""
    locked = Engagement.objects.select_for_update().get(pk=engagement.pk)
    if locked.state != Engagement.State.COMMISSIONED:
        raise ValidationError(NOT_COMMISSIONED)
    locked.state = Engagement.State.COMPLETED if completed else Engagement.State.STOPPED
    locked.ended_at = timezone.now()
    locked.next_review_due = None
    locked.impact_decision_due = False
    locked.save(update_fields=["state", "ended_at", "next_review_due", "impact_decision_due"])
    for hook in end_hooks():
        hook(engagement=locked, by=by)
    return locked


@transaction.atomic
def engagement_extend(
    *, engagement: Engagement, extra_days: Decimal, extra_cost, reason: str, by, decision=None
) -> Variation:
    """Record a variation adding days and cost to a commissioned engagement; the extend hooks
    (the fund) commit the extra cost, or refuse, before the engagement's totals grow."""
    locked = Engagement.objects.select_for_update().get(pk=engagement.pk)
    if locked.state != Engagement.State.COMMISSIONED:
        raise ValidationError(NO_DECISION_YET)
    extra_days, extra_cost = Decimal(extra_days or 0), money(extra_cost or 0)
    if extra_days < 0 or extra_cost < 0:
        raise ValidationError(NOT_NEGATIVE)
    if not (extra_days or extra_cost):
        raise ValidationError(EXTEND_NEEDS_MORE)
    variation = Variation.objects.create(
        engagement=locked,
        extra_days=extra_days,
        extra_cost=extra_cost,
        reason=reason,
        created_by=by,
    )
    for hook in extend_hooks():
        hook(engagement=locked, variation=variation, by=by, decision=decision)
    locked.days += extra_days
    locked.cost += extra_cost
    locked.save(update_fields=["days", "cost"])
    return variation


@transaction.atomic
def engagement_impact_decide(
    *,
    engagement: Engagement,
    decision: str,
    reason: str,
    by,
    extra_days: Decimal | None = None,
    extra_cost=None,
) -> Engagement:
    """Record the impact decision and its reason: continue or extend keep the support going
    (extend adds a variation), complete and stop end it and release its unspent money."""
    locked = Engagement.objects.select_for_update().get(pk=engagement.pk)
    if locked.state != Engagement.State.COMMISSIONED:
        raise ValidationError(NO_DECISION_YET)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(REASON_NEEDED)
    decision = ImpactDecision(decision)
    if decision == ImpactDecision.EXTEND:
        engagement_extend(
            engagement=locked,
            extra_days=extra_days,
            extra_cost=extra_cost,
            reason=reason,
            by=by,
        )
    elif decision in (ImpactDecision.COMPLETE, ImpactDecision.STOP):
        engagement_end(engagement=locked, by=by, completed=decision == ImpactDecision.COMPLETE)
    locked.refresh_from_db()
    locked.impact_decision, locked.impact_reason = decision, reason
    locked.impact_decided_at = timezone.now()
    locked.impact_decision_due = False
    locked.save(
        update_fields=[
            "impact_decision",
            "impact_reason",
            "impact_decided_at",
            "impact_decision_due",
        ]
    )
    _notify(locked, "impact_decided")
    return locked
