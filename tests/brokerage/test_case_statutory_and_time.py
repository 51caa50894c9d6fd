"""The statutory route by the kind of school, and the arithmetic of time to support."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from brokerage import case_services as services
from brokerage.engagement_services import progress_note_create
from brokerage.models import StatutoryRoute, SupportCase
from brokerage.statutory import statutory_route_for
from brokerage.time_to_support import (
    case_days,
    days_between,
    is_overdue,
    time_to_support_by_alliance,
    time_to_support_by_month,
)
from tests.brokerage.case_helpers import advance, backdate, case_open, provider_create
from tests.factories import SchoolFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("type_group", "is_academy", "route", "who"),
    [
        ("la_maintained", False, StatutoryRoute.WARNING_NOTICE, "The local authority"),
        ("special", False, StatutoryRoute.WARNING_NOTICE, "The local authority"),
        ("academy", True, StatutoryRoute.DFE_REFERRAL, "DfE's regional director"),
        ("free_school", True, StatutoryRoute.DFE_REFERRAL, "DfE's regional director"),
    ],
)
def test_the_statutory_route_follows_the_kind_of_school(type_group, is_academy, route, who):
    school = SchoolFactory.build(type_group=type_group, is_academy=is_academy)
    found = statutory_route_for(school)
    assert found.route == route
    assert found.who_acts.startswith(who)
    assert "Schools causing concern" in found.source


def test_a_statutory_action_is_recorded_on_the_schools_route(world, officer):
    academy = SchoolFactory(is_academy=True, type_group="academy")
    case = case_open(academy, officer)
    action = services.statutory_action_record(
        case=case, by=officer, on=date(2026, 3, 2), outcome="Regional director to visit"
    )
    assert action.route == StatutoryRoute.DFE_REFERRAL
    assert case.events.filter(kind="statutory").exists()


def test_a_statutory_action_needs_an_outcome_and_a_past_date(world, officer):
    case = case_open(world.school_a, officer)
    with pytest.raises(ValidationError, match="Enter the outcome"):
        services.statutory_action_record(case=case, by=officer, on=date(2026, 1, 5), outcome="")
    tomorrow = timezone.localdate() + timedelta(days=1)
    with pytest.raises(ValidationError, match="today or in the past"):
        services.statutory_action_record(case=case, by=officer, on=tomorrow, outcome="Issued")


def test_days_between_counts_calendar_days_between_dates():
    start = datetime(2026, 1, 30, 23, 0, tzinfo=UTC)
    assert days_between(start, date(2026, 3, 1)) == 30
    assert days_between(start, None) is None


def test_a_cases_days_count_from_the_request_to_each_step(world, officer):
    provider_create()
    case = case_open(world.school_a, officer)
    backdate(case, 12)
    advance(case, "commission", officer)
    progress_note_create(
        engagement=case.engagements.get(), note="Visit", visited_on=timezone.localdate(), by=None
    )
    case.refresh_from_db()
    assert case_days(case) == {"diagnosis": 12, "match": 12, "commission": 12, "first_visit": 12}


@pytest.mark.parametrize(
    ("age", "commissioned", "state", "overdue"),
    [
        (30, False, "open", False),
        (31, False, "open", True),
        (31, False, "paused", True),
        (31, False, "closed", False),
        (31, True, "open", True),
        (10, True, "open", False),
    ],
)
def test_a_case_is_past_the_target_after_30_days_without_commissioning(
    world, officer, age, commissioned, state, overdue
):
    case = case_open(world.school_a, officer)
    now = timezone.now()
    SupportCase.objects.filter(pk=case.pk).update(
        requested_at=now - timedelta(days=age),
        state=state,
        commissioned_at=now if commissioned else None,
    )
    case.refresh_from_db()
    assert is_overdue(case) is overdue
    rows = time_to_support_by_alliance(cases=SupportCase.objects.all())
    assert rows[0].overdue == int(overdue)


def test_the_target_is_the_boards_setting(world, officer, settings):
    settings.SUPPORT_TARGET_DAYS = 10
    case = case_open(world.school_a, officer)
    backdate(case, 11)
    case.refresh_from_db()
    assert is_overdue(case)


def test_time_to_support_averages_days_per_alliance_and_month(world, officer):
    provider_create()
    first, second = case_open(world.school_a, officer), case_open(world.school_a2, officer)
    backdate(first, 10)
    backdate(second, 4)
    advance(first, "diagnosis", officer)
    advance(second, "diagnosis", officer)
    third = case_open(world.school_b, officer)
    rows = {row.label: row for row in time_to_support_by_alliance(cases=SupportCase.objects.all())}
    assert rows["North Alliance"].cases == 2
    assert rows["North Alliance"].averages["diagnosis"] == 7.0
    assert rows["North Alliance"].averages["commission"] is None
    assert rows["South Alliance"].averages["diagnosis"] is None
    months = time_to_support_by_month(cases=SupportCase.objects.filter(pk=third.pk))
    assert [row.label for row in months] == [f"{timezone.now():%B %Y}"]
