"""The engagement list page, the API list and the worklist run a fixed number of queries at 20
and at 2,000 engagements."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from brokerage.models import Engagement, Objective, Provider, SupportCase
from kernel.worklist import worklist_for

pytestmark = pytest.mark.django_db
MAX_QUERIES = 14
MAX_WORKLIST = 20  # every app's sources together: cases, engagements, the fund, meetings,
# the dashboard's reminders and a head's proposed category to respond to


def _uncached(user):
    """The user without the roles and seats a request caches on it (count them every time)."""
    for attr in (
        "_partnership_roles",
        "_board_seats",
        "_perm_cache",
        "_user_perm_cache",
        "_group_perm_cache",
    ):
        user.__dict__.pop(attr, None)
    return user


def _engagements(world, person, count: int) -> None:
    provider = Provider.objects.create(name="Reading hub", kind="subject_hub", person=person)
    # closed cases: a school has one live case at a time (the list does not read the case state)
    cases = SupportCase.objects.bulk_create(
        SupportCase(school=world.school_a, origin=SupportCase.Origin.REQUEST, state="closed")
        for _ in range(count)
    )
    now = timezone.now()
    engagements = Engagement.objects.bulk_create(
        Engagement(
            case=case,
            provider=provider,
            alliance=world.alliance_a,
            days=Decimal(5),
            cost=Decimal("2500.00"),
            state=Engagement.State.COMMISSIONED,
            commissioned_at=now,
            progress_since=now,
            next_review_due=timezone.localdate(),
            impact_decision_due=True,
        )
        for case in cases
    )
    Objective.objects.bulk_create(
        Objective(engagement=e, description="Reading", impact_measure="KS2") for e in engagements
    )


def _count(call) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = call()
    if hasattr(response, "status_code"):
        assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("persona", ["officer", "alliance_chair", "provider", "head_a"])
def test_list_page_api_and_worklist_queries_do_not_grow_with_engagements(
    as_user, request, world, provider, persona
):
    user = request.getfixturevalue(persona)
    client = as_user(persona)
    calls = {
        "page": lambda: client.get(reverse("brokerage:engagement-list")),
        "api": lambda: client.get("/api/engagements/"),
        "worklist": lambda: worklist_for(user=_uncached(user)),
    }
    _engagements(world, provider, 20)
    small = {name: _count(call) for name, call in calls.items()}
    _engagements(world, provider, 1980)
    large = {name: _count(call) for name, call in calls.items()}
    assert large == small
    assert max(large["page"], large["api"]) <= MAX_QUERIES
    assert large["worklist"] <= MAX_WORKLIST
