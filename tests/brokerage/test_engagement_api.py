"""The engagements API: scoped like the pages; the provider posts progress notes."""
# ruff: noqa: F811 - the fixtures imported from engagement_world are redefined as arguments

import pytest
from rest_framework.test import APIClient

from tests.brokerage.engagement_world import (  # noqa: F401 - fixtures
    commissioned_a,
    engagement_a,
    engagement_b,
)

pytestmark = pytest.mark.django_db
URL = "/api/engagements/"


@pytest.fixture
def api(request):
    def _client(persona: str) -> APIClient:
        client = APIClient()
        client.force_authenticate(request.getfixturevalue(persona))
        return client

    return _client


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("officer", {"a", "b"}),
        ("alliance_chair", {"a"}),
        ("head_a", {"a"}),
        ("head_b", {"b"}),
        ("provider", {"a"}),
        ("cluster_lead", set()),
        ("no_role", set()),
    ],
)
def test_the_list_is_scoped_like_the_pages(api, commissioned_a, engagement_b, persona, expected):
    names = {commissioned_a.pk: "a", engagement_b.pk: "b"}
    response = api(persona).get(URL)
    assert response.status_code == 200
    assert {names[row["id"]] for row in response.json()["results"]} == expected


def test_an_engagement_comes_with_objectives_and_cost_in_pounds(api, commissioned_a):
    body = api("head_a").get(f"{URL}{commissioned_a.pk}/").json()
    assert body["cost"] == "5000.00"
    assert body["objectives"][0]["description"].startswith("Objective 1")


def test_another_schools_head_gets_404(api, commissioned_a):
    assert api("head_b").get(f"{URL}{commissioned_a.pk}/").status_code == 404


def test_an_anonymous_caller_is_refused(commissioned_a):
    assert APIClient().get(URL).status_code in (401, 403)


def test_the_provider_posts_a_progress_note(api, commissioned_a):
    objective = commissioned_a.objectives.get()
    response = api("provider").post(
        f"{URL}{commissioned_a.pk}/progress/",
        {"note": "Coached the reading lead", "visited_on": "2026-01-05", "objective": objective.pk},
        format="json",
    )
    assert response.status_code == 201, response.content
    assert commissioned_a.progress_notes.get().objective == objective


@pytest.mark.parametrize(
    ("persona", "status"), [("head_a", 403), ("alliance_chair", 403), ("head_b", 404)]
)
def test_others_cannot_post_progress(api, commissioned_a, persona, status):
    response = api(persona).post(
        f"{URL}{commissioned_a.pk}/progress/", {"note": "x"}, format="json"
    )
    assert response.status_code == status
    assert not commissioned_a.progress_notes.exists()


def test_progress_on_a_proposed_engagement_is_refused_with_the_reason(api, engagement_a):
    response = api("provider").post(
        f"{URL}{engagement_a.pk}/progress/", {"note": "x"}, format="json"
    )
    assert response.status_code == 403
