"""What waits for each person: reviews due (reviewer), progress to log (provider), impact
decisions due (alliance chair or officer)."""
# ruff: noqa: F811 - the fixtures imported from engagement_world are redefined as arguments

from datetime import timedelta

import pytest
from django.utils import timezone

from brokerage.engagement_services import progress_note_create, progress_review_record
from brokerage.models import Engagement
from kernel.worklist import worklist_for
from tests.brokerage.engagement_world import (  # noqa: F401 - fixtures
    commissioned_a,
    engagement_a,
)

pytestmark = pytest.mark.django_db


def _labels(user) -> dict[str, int]:
    return {item.label: item.count for item in worklist_for(user=user)}


def test_an_overdue_review_waits_for_the_alliance_chair_not_the_head(
    commissioned_a, alliance_chair, head_a
):
    Engagement.objects.filter(pk=commissioned_a.pk).update(
        next_review_due=timezone.localdate() - timedelta(days=2)
    )
    chair_items = {item.label: item for item in worklist_for(user=alliance_chair)}
    assert chair_items["Progress reviews due"].overdue == 1
    assert "Progress reviews due" not in _labels(head_a)


def test_progress_waits_for_the_provider_until_logged(commissioned_a, provider):
    assert _labels(provider)["Progress to log"] == 1
    progress_note_create(engagement=commissioned_a, note="Visited", by=provider)
    assert "Progress to log" not in _labels(provider)


def test_an_impact_decision_waits_after_a_review(commissioned_a, alliance_chair, officer, head_b):
    assert "Impact decisions due" not in _labels(alliance_chair)
    progress_review_record(
        engagement=commissioned_a,
        by=officer,
        reviewed_on=timezone.localdate(),
        overall="green",
        judgement="Good",
        ratings={o.pk: "green" for o in commissioned_a.objectives.all()},
    )
    assert _labels(alliance_chair)["Impact decisions due"] == 1
    assert _labels(officer)["Impact decisions due"] == 1
    assert "Impact decisions due" not in _labels(head_b)
