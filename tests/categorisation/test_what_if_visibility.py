"""What-if runs (draft rules the board is trying out) are for officers and the board only: an
alliance chair sees official runs and their alliance's results in them, never a what-if run,
on the runs pages, a result's page, the comparison or the API."""

import pytest
from rest_framework.test import APIClient

from categorisation.models import Result, Run
from tests.categorisation.factories import RuleSetFactory, build_categorised, run_with_results

RUNS = "/categorisation/runs/"
WHOLE_PARTNERSHIP = ["officer", "board_chair", "board_member"]


@pytest.fixture
def runs(world, officer):
    """The categorised world, and a newer what-if run of draft rules over the same schools."""
    categorised = build_categorised(world, officer)
    what_if = run_with_results(
        {world.school_a: "4", world.school_a2: "3", world.school_b: "1"},
        rule_set=RuleSetFactory(name="Draft rules for 2027"),
        purpose=Run.Purpose.WHAT_IF,
    )
    return categorised, what_if


def _pages(run: Run, school) -> list[str]:
    result = run.results.get(school=school)
    return [
        f"{RUNS}{run.pk}/",
        f"{RUNS}{run.pk}/?partial=1",
        f"{RUNS}{run.pk}/results/{result.pk}/",
    ]


def test_alliance_chair_cannot_open_a_what_if_run_or_its_results(as_user, runs, world):
    _, what_if = runs
    client = as_user("alliance_chair")
    for path in _pages(what_if, world.school_a):
        assert client.get(path).status_code == 404, path


def test_alliance_chair_still_opens_official_runs_and_their_alliance_results(as_user, runs, world):
    categorised, _ = runs
    client = as_user("alliance_chair")
    for run in (categorised.agreed, categorised.pending):
        for path in _pages(run, world.school_a):
            assert client.get(path).status_code == 200, path
    content = client.get(f"{RUNS}{categorised.pending.pk}/").content.decode()
    assert "Ashdown Primary School" in content and "Bramley Infant School" not in content


@pytest.mark.parametrize("persona", WHOLE_PARTNERSHIP)
def test_officers_and_the_board_open_a_what_if_run_and_its_results(as_user, runs, world, persona):
    _, what_if = runs
    client = as_user(persona)
    for path in _pages(what_if, world.school_b):
        assert client.get(path).status_code == 200, path
    assert "Bramley Infant School" in client.get(f"{RUNS}{what_if.pk}/").content.decode()


def test_alliance_chair_runs_list_leaves_out_what_if_runs(as_user, runs):
    categorised, what_if = runs
    content = as_user("alliance_chair").get(RUNS).content.decode()
    assert f"Run {categorised.pending.pk}<" in content
    assert f"Run {categorised.agreed.pk}<" in content
    assert f"Run {what_if.pk}<" not in content
    assert "What-if (draft rules)" not in content
    assert "Draft rules for 2027" not in content


@pytest.mark.parametrize("persona", WHOLE_PARTNERSHIP)
def test_the_board_runs_list_shows_what_if_runs(as_user, runs, persona):
    _, what_if = runs
    content = as_user(persona).get(RUNS).content.decode()
    assert f"Run {what_if.pk}<" in content
    assert "What-if (draft rules)" in content
    assert "Draft rules for 2027" in content


@pytest.mark.parametrize(
    "persona,status", [("alliance_chair", 403), ("board_member", 200), ("officer", 200)]
)
def test_only_officers_and_the_board_compare_a_what_if_run(as_user, runs, persona, status):
    _, what_if = runs
    assert as_user(persona).get(f"{RUNS}{what_if.pk}/compare/").status_code == status


def test_alliance_chair_api_shows_official_agreed_results_never_a_what_if_run(
    runs, world, alliance_chair
):
    categorised, what_if = runs
    # Even a what-if run marked agreed (which the service refuses) stays hidden.
    Run.objects.filter(pk=what_if.pk).update(agreed_at=categorised.agreed.agreed_at)
    client = APIClient()
    client.force_login(alliance_chair)
    current = client.get("/api/categorisations/").json()["results"]
    assert {row["run"] for row in current} == {categorised.agreed.pk}
    history = client.get(f"/api/schools/{world.school_a.urn}/categorisations/").json()["results"]
    assert what_if.pk not in {row["run"] for row in history}
    assert {row["run"] for row in history} == {categorised.agreed.pk, categorised.previous.pk}


@pytest.mark.parametrize(
    "persona,sees_what_if",
    [
        ("officer", True),
        ("board_chair", True),
        ("board_member", True),
        ("alliance_chair", False),
        ("cluster_lead", False),
        ("head_a", False),
        ("no_role", False),
    ],
)
def test_the_permission_layer_gives_what_if_runs_and_results_to_the_board_only(
    request, runs, persona, sees_what_if
):
    _, what_if = runs
    user = request.getfixturevalue(persona)
    assert Run.objects.filter(pk=what_if.pk).visible_to(user).exists() is sees_what_if
    results = Result.objects.filter(run=what_if).visible_to(user)
    assert results.exists() is sees_what_if
