"""Before and after: a linked measure's value for the school at commissioning and the latest
uploaded since."""
# ruff: noqa: F811 - the fixtures imported from engagement_world are redefined as arguments

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from brokerage.engagement_selectors import engagement_measure_changes
from brokerage.engagement_services import objective_update
from brokerage.engagements import engagement_commission
from categorisation.models import DataRelease, Measure, MeasureValue
from tests.brokerage.engagement_world import engagement_a  # noqa: F401 - fixtures

pytestmark = pytest.mark.django_db


@pytest.fixture
def reading(db):
    return Measure.objects.create(
        code="PTREAD_EXP", label="Reading at the expected standard", unit="percent", source="ks2"
    )


def _value(school, measure, year: str, value: float, *, imported_at) -> MeasureValue:
    release = DataRelease.objects.create(
        source="ks2", academic_year=year, checksum=f"{year}-{value}", imported_at=imported_at
    )
    return MeasureValue.objects.create(
        school=school, measure=measure, academic_year=year, release=release, value=value
    )


def test_the_page_shows_the_value_at_commissioning_and_the_latest_after_new_data(
    as_user, world, engagement_a, reading, officer
):
    objective = engagement_a.objectives.get()
    objective_update(
        objective=objective,
        description=objective.description,
        impact_measure=objective.impact_measure,
        measure=reading,
        by=officer,
    )
    earlier = timezone.now() - timedelta(days=300)
    _value(world.school_a, reading, "2022-2023", 58.0, imported_at=earlier)
    engagement = engagement_commission(engagement=engagement_a, by=officer)
    changes = engagement_measure_changes(engagement=engagement, objectives=[objective])
    assert changes[0].before.value == 58.0 and not changes[0].has_new_data

    _value(world.school_a, reading, "2023-2024", 71.0, imported_at=timezone.now())
    change = engagement_measure_changes(engagement=engagement, objectives=[objective])[0]
    assert (change.before.value, change.after.value) == (58.0, 71.0)
    body = as_user("head_a").get(reverse("brokerage:engagement-detail", args=[engagement.pk]))
    text = body.content.decode()
    assert "58% (2022-2023)" in text
    assert "71% (2023-2024)" in text


def test_another_schools_values_are_never_shown(world, engagement_a, reading, officer):
    objective = engagement_a.objectives.get()
    objective.measure = reading
    objective.save()
    _value(world.school_b, reading, "2022-2023", 90.0, imported_at=timezone.now())
    change = engagement_measure_changes(engagement=engagement_a, objectives=[objective])[0]
    assert change.before is None
