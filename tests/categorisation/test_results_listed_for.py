"""``results_listed_for`` (ids first, for list pages) keeps exactly the results ``results_for``
keeps, for every persona, and falls back to the subquery past its cap."""

import pytest

from categorisation import selectors
from categorisation.models import Result
from tests.categorisation.factories import RuleSetFactory, run_with_results
from tests.categorisation.test_pages_at_scale import _schools

PERSONAS = [
    "officer",
    "board_member",
    "alliance_chair",
    "cluster_lead",
    "head_a",
    "provider",
]


@pytest.fixture
def run(world, officer):
    schools = [*_schools(world, 40, 600000), world.school_a, world.school_b]
    placements = {school: "2" for school in schools}
    return run_with_results(placements, rule_set=RuleSetFactory(), agreed_days_ago=1, by=officer)


def _ids(queryset) -> list[int]:
    return sorted(queryset.values_list("pk", flat=True))


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_same_results_as_the_permission_layers_subquery(request, run, persona):
    user = request.getfixturevalue(persona)
    results = Result.objects.filter(run=run)
    expected = _ids(selectors.results_for(user=user, queryset=results))
    listed = _ids(selectors.results_listed_for(user=user, queryset=results))
    assert listed == expected
    if persona in ("officer", "board_member"):
        assert len(listed) == 42
    elif persona in ("provider", "cluster_lead"):  # no categorisation for these roles
        assert listed == []
    else:
        assert 0 < len(listed) < 42  # scoped: the check can tell the two apart


@pytest.mark.parametrize("persona", ["alliance_chair", "head_a"])
def test_past_the_cap_the_subquery_is_used(request, run, persona, monkeypatch):
    user = request.getfixturevalue(persona)
    results = Result.objects.filter(run=run)
    expected = _ids(selectors.results_for(user=user, queryset=results))
    assert expected
    monkeypatch.setattr(selectors, "LISTED_IDS_FIRST_CAP", len(expected) - 1)
    listed = selectors.results_listed_for(user=user, queryset=results)
    assert "IN (SELECT" in str(listed.query)
    assert _ids(listed) == expected
