"""Engagement services: objectives, the review schedule, RAG ratings and impact decisions."""
# ruff: noqa: F811 - the fixtures imported from engagement_world are redefined as arguments

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from brokerage import extensions
from brokerage.engagement_selectors import (
    engagement_first_visit_on,
    engagement_terms_agreed,
    review_is_overdue,
)
from brokerage.engagement_services import (
    OBJECTIVE_HAS_PROGRESS,
    objective_delete,
    progress_note_create,
    progress_review_record,
)
from brokerage.engagements import (
    REASON_NEEDED,
    engagement_impact_decide,
    engagement_terms_update,
)
from brokerage.models import Engagement, ImpactDecision, Objective
from tests.brokerage.engagement_world import (  # noqa: F401 - fixtures
    commissioned_a,
    engagement_a,
    engagement_b,
)

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


def _review(engagement, by, *, overall="amber", rating="green", reviewed_on=None):
    ratings = {pk: rating for pk in engagement.objectives.values_list("pk", flat=True)}
    return progress_review_record(
        engagement=engagement,
        by=by,
        reviewed_on=reviewed_on or TODAY(),
        overall=overall,
        judgement="Reading lessons are better planned",
        ratings=ratings,
    )


def test_an_objective_without_progress_can_be_deleted(engagement_a, officer):
    objective = engagement_a.objectives.get()
    objective_delete(objective=objective, by=officer)
    assert not Objective.objects.filter(pk=objective.pk).exists()


def test_an_objective_rated_in_a_review_cannot_be_deleted(commissioned_a, officer):
    _review(commissioned_a, officer)
    objective = commissioned_a.objectives.get()
    with pytest.raises(ValidationError) as refused:
        objective_delete(objective=objective, by=officer)
    assert refused.value.messages == [OBJECTIVE_HAS_PROGRESS]
    assert Objective.objects.filter(pk=objective.pk).exists()


def test_an_objective_with_a_progress_note_cannot_be_deleted(commissioned_a, provider):
    objective = commissioned_a.objectives.get()
    progress_note_create(
        engagement=commissioned_a, note="Visited", objective=objective, by=provider
    )
    with pytest.raises(ValidationError, match="progress has been recorded"):
        objective_delete(objective=objective, by=provider)


def test_terms_are_agreed_only_with_days_cost_and_an_objective(engagement_a, officer):
    assert engagement_terms_agreed(engagement=engagement_a)
    engagement_a.objectives.all().delete()
    assert not engagement_terms_agreed(engagement=engagement_a)


def test_terms_cannot_change_once_commissioned(commissioned_a, officer):
    with pytest.raises(ValidationError, match="only change while the engagement is proposed"):
        engagement_terms_update(
            engagement=commissioned_a, days=Decimal(3), cost="1", review_every_weeks=4, by=officer
        )


def test_commissioning_schedules_the_first_review_after_the_chosen_weeks(engagement_a, officer):
    engagement_terms_update(
        engagement=engagement_a, days=Decimal(8), cost="£4,000.50", review_every_weeks=4, by=officer
    )
    from brokerage.engagements import engagement_commission

    commissioned = engagement_commission(engagement=engagement_a, by=officer)
    assert commissioned.cost == Decimal("4000.50")
    assert commissioned.next_review_due == TODAY() + timedelta(weeks=4)


def test_each_review_moves_the_next_date_along_the_schedule_from_commissioning(
    commissioned_a, officer
):
    _review(commissioned_a, officer)
    commissioned_a.refresh_from_db()
    assert commissioned_a.next_review_due == TODAY() + timedelta(weeks=12)
    assert commissioned_a.impact_decision_due


def test_a_review_past_its_date_is_overdue(commissioned_a):
    Engagement.objects.filter(pk=commissioned_a.pk).update(
        next_review_due=TODAY() - timedelta(days=1)
    )
    commissioned_a.refresh_from_db()
    assert review_is_overdue(engagement=commissioned_a)
    assert not review_is_overdue(engagement=commissioned_a, today=TODAY() - timedelta(days=2))


def test_a_review_records_a_rag_rating_per_objective(world, provider, officer):
    from brokerage.engagements import engagement_commission
    from tests.brokerage.engagement_world import engagement_make

    engagement = engagement_make(
        school=world.school_a, alliance=world.alliance_a, person=provider, objectives=2
    )
    engagement = engagement_commission(engagement=engagement, by=officer)
    first, second = engagement.objectives.all()
    review = progress_review_record(
        engagement=engagement,
        by=officer,
        reviewed_on=TODAY(),
        visited_on=TODAY() - timedelta(days=2),
        overall="amber",
        judgement="Mixed",
        ratings={first.pk: "red", second.pk: "green"},
    )
    assert dict(review.ratings.values_list("objective_id", "rating")) == {
        first.pk: "red",
        second.pk: "green",
    }
    assert review.overall == "amber"
    assert engagement_first_visit_on(engagement=engagement) == TODAY() - timedelta(days=2)


def test_a_review_must_rate_every_objective(world, provider, officer):
    from brokerage.engagements import engagement_commission
    from tests.brokerage.engagement_world import engagement_make

    engagement = engagement_make(
        school=world.school_a, alliance=world.alliance_a, person=provider, objectives=2
    )
    engagement = engagement_commission(engagement=engagement, by=officer)
    first = engagement.objectives.first()
    with pytest.raises(ValidationError, match="Give every objective"):
        progress_review_record(
            engagement=engagement,
            by=officer,
            reviewed_on=TODAY(),
            overall="green",
            judgement="Good",
            ratings={first.pk: "green"},
        )


def test_a_proposed_engagement_cannot_be_reviewed(engagement_a, officer):
    with pytest.raises(
        ValidationError, match="only be recorded while the engagement is commissioned"
    ):
        _review(engagement_a, officer)


@pytest.mark.parametrize(
    ("decision", "state"),
    [
        (ImpactDecision.CONTINUE, Engagement.State.COMMISSIONED),
        (ImpactDecision.COMPLETE, Engagement.State.COMPLETED),
        (ImpactDecision.STOP, Engagement.State.STOPPED),
    ],
)
def test_impact_decision_moves_the_engagement(commissioned_a, officer, decision, state):
    _review(commissioned_a, officer)
    decided = engagement_impact_decide(
        engagement=commissioned_a, decision=decision, reason="Targets met", by=officer
    )
    assert decided.state == state
    assert decided.impact_decision == decision
    assert decided.impact_reason == "Targets met"
    assert not decided.impact_decision_due


def test_impact_decision_needs_a_reason(commissioned_a, officer):
    with pytest.raises(ValidationError) as refused:
        engagement_impact_decide(
            engagement=commissioned_a, decision=ImpactDecision.STOP, reason="  ", by=officer
        )
    assert refused.value.messages == [REASON_NEEDED]


def test_a_proposed_or_ended_engagement_cannot_have_an_impact_decision(
    engagement_a, commissioned_a, officer
):
    ended = engagement_impact_decide(
        engagement=commissioned_a, decision=ImpactDecision.COMPLETE, reason="Done", by=officer
    )
    for engagement in (ended,):
        with pytest.raises(ValidationError, match="Only a commissioned engagement"):
            engagement_impact_decide(
                engagement=engagement, decision=ImpactDecision.CONTINUE, reason="x", by=officer
            )


def test_a_proposed_engagement_cannot_have_an_impact_decision(world, officer):
    from tests.brokerage.engagement_world import engagement_make

    proposed = engagement_make(school=world.school_a, alliance=world.alliance_a)
    with pytest.raises(ValidationError, match="Only a commissioned engagement"):
        engagement_impact_decide(
            engagement=proposed, decision=ImpactDecision.STOP, reason="x", by=officer
        )


@pytest.fixture
def hooks(monkeypatch):
    """Record what the fund's hooks would be told."""
    calls = []
    monkeypatch.setattr(extensions, "_EXTEND_HOOKS", [lambda **kw: calls.append(("extend", kw))])
    monkeypatch.setattr(extensions, "_END_HOOKS", [lambda **kw: calls.append(("end", kw))])
    return calls


def test_extending_records_a_variation_and_commits_the_extra_through_the_hook(
    commissioned_a, officer, hooks
):
    decided = engagement_impact_decide(
        engagement=commissioned_a,
        decision=ImpactDecision.EXTEND,
        reason="Writing needs another term",
        extra_days=Decimal(4),
        extra_cost="£2,000",
        by=officer,
    )
    variation = decided.variations.get()
    assert (variation.extra_days, variation.extra_cost) == (Decimal(4), Decimal("2000.00"))
    assert (decided.days, decided.cost) == (Decimal(14), Decimal("7000.00"))
    assert decided.state == Engagement.State.COMMISSIONED
    assert [kind for kind, _ in hooks] == ["extend"]
    assert hooks[0][1]["variation"] == variation


def test_extending_without_extra_days_or_cost_is_refused(commissioned_a, officer, hooks):
    with pytest.raises(ValidationError, match="Enter the extra days or the extra cost"):
        engagement_impact_decide(
            engagement=commissioned_a, decision=ImpactDecision.EXTEND, reason="More", by=officer
        )
    assert hooks == []


def test_a_refusing_extend_hook_keeps_nothing(commissioned_a, officer, monkeypatch):
    def refuse(**kwargs):
        raise ValidationError("The alliance's allocation has £0.00 left")

    monkeypatch.setattr(extensions, "_EXTEND_HOOKS", [refuse])
    with pytest.raises(ValidationError, match="allocation"):
        engagement_impact_decide(
            engagement=commissioned_a,
            decision=ImpactDecision.EXTEND,
            reason="More",
            extra_days=Decimal(1),
            extra_cost="100",
            by=officer,
        )
    commissioned_a.refresh_from_db()
    assert commissioned_a.cost == Decimal("5000.00")
    assert not commissioned_a.variations.exists()
    assert commissioned_a.impact_decision == ""


def test_stopping_releases_through_the_end_hook(commissioned_a, officer, hooks):
    engagement_impact_decide(
        engagement=commissioned_a, decision=ImpactDecision.STOP, reason="No progress", by=officer
    )
    assert [kind for kind, _ in hooks] == ["end"]
