"""The demo's engagements: objectives, progress, a review with RAG ratings and a decision; its
own engagements only when the cases demo made none; nothing twice."""

from datetime import timedelta

import pytest
from django.utils import timezone

from board.demo_engagements import demo_engagements_load
from brokerage.models import Engagement, ImpactDecision
from categorisation.models import DataRelease, Measure, MeasureValue
from tests.brokerage.engagement_world import engagement_make

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_world(world, officer, alliance_chair, provider):
    world.alliance_a.name = "North Hampshire Alliance"
    world.alliance_a.save()
    measure = Measure.objects.create(
        code="KS2_PTRWM_EXP", label="KS2 RWM expected", unit="percent", source="ks2"
    )
    for number, (year, days_ago) in enumerate([("2017-2018", 2), ("2018-2019", 1)]):
        release = DataRelease.objects.create(
            source="ks2",
            academic_year=year,
            checksum=year,
            imported_at=timezone.now() - timedelta(days=days_ago),
        )
        for school in (world.school_a, world.school_a2):
            MeasureValue.objects.create(
                school=school,
                measure=measure,
                academic_year=year,
                release=release,
                value=50.0 + 10 * number,
            )
    return world


def test_the_demo_makes_its_own_engagements_when_there_are_none(demo_world):
    assert demo_engagements_load() == 2
    first, second = Engagement.objects.order_by("pk")
    assert first.impact_decision == ImpactDecision.CONTINUE
    assert list(first.reviews.get().ratings.values_list("rating", flat=True)) == [
        "amber",
        "green",
    ]
    assert first.objectives.filter(measure__code="KS2_PTRWM_EXP").exists()
    assert second.next_review_due < timezone.localdate()
    assert first.provider.person.email == "provider@example.org"


def test_the_demo_adds_nothing_the_second_time(demo_world):
    demo_engagements_load()
    objectives = sum(e.objectives.count() for e in Engagement.objects.all())
    assert demo_engagements_load() == 0
    assert Engagement.objects.count() == 2
    assert sum(e.objectives.count() for e in Engagement.objects.all()) == objectives


def test_the_demo_fills_in_the_cases_demos_engagements_and_makes_none(demo_world):
    existing = engagement_make(
        school=demo_world.school_a, alliance=demo_world.alliance_a, objectives=0
    )
    assert demo_engagements_load() == 1
    assert Engagement.objects.get() == existing
    assert existing.objectives.count() == 2
