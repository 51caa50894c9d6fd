"""The permission layer's tier scopes (an alliance chair's alliance, a cluster lead's cluster, a
head's cluster) are subqueries of ids, not joins through the memberships: each scoped user
sees exactly the rows of the schools *now* in their tier (a school that has moved out is not
theirs, one that has moved in is), and no row is repeated, so a count over ``visible_to`` is the
count of what the user may see."""

from datetime import date, timedelta

import pytest

from brokerage.models import SupportCase
from categorisation.counts import run_counts_for
from categorisation.models import Result, Run
from clusters.models import Cluster, ClusterMembership
from schools.models import School
from tests.categorisation.factories import RuleSetFactory, run_with_results
from tests.categorisation.test_pages_at_scale import _schools
from tests.factories import ClusterFactory, MembershipFactory, SchoolFactory

SCOPED = ["alliance_chair", "cluster_lead", "head_a", "head_b"]


@pytest.fixture
def moved(world):
    """A school that was in cluster A1 and is now in B1, and one that moved the other way;
    each with its ended membership kept, as the product keeps them."""
    last_year = date.today() - timedelta(days=365)
    ended = {"started_on": last_year - timedelta(days=365), "ended_on": last_year}
    out_of_a = SchoolFactory(name="Moved South School", urn=100101)
    into_a = SchoolFactory(name="Moved North School", urn=100102)
    MembershipFactory(school=out_of_a, cluster=world.cluster_a1, **ended)
    MembershipFactory(school=out_of_a, cluster=world.cluster_b1)
    MembershipFactory(school=into_a, cluster=world.cluster_b1, **ended)
    MembershipFactory(school=into_a, cluster=world.cluster_a1)
    return out_of_a, into_a


@pytest.fixture
def runs(world, moved, officer):
    schools = [*_schools(world, 20, 600000), world.school_a, world.school_b, *moved]
    placements = {school: "2" for school in schools}
    agreed = run_with_results(placements, rule_set=RuleSetFactory(), agreed_days_ago=1, by=officer)
    proposed = run_with_results(placements, rule_set=agreed.rule_set)
    what_if = run_with_results(placements, rule_set=RuleSetFactory(), purpose=Run.Purpose.WHAT_IF)
    return agreed, proposed, what_if


def _now_in(*, alliance=None, cluster=None) -> set[int]:
    """The schools now in a tier, read from the memberships in Python."""
    found = set()
    for membership in ClusterMembership.objects.select_related("cluster"):
        if membership.ended_on is not None:
            continue
        if cluster is not None and membership.cluster_id == cluster.pk:
            found.add(membership.school_id)
        if alliance is not None and membership.cluster.alliance_id == alliance.pk:
            found.add(membership.school_id)
    return found


def _expected_results(persona: str, world, runs) -> set[int]:
    agreed, proposed, what_if = runs
    if persona == "alliance_chair":  # the alliance's schools now, official runs only
        schools = _now_in(alliance=world.alliance_a)
        return {
            r.pk
            for r in Result.objects.filter(run__in=[agreed, proposed])
            if r.school_id in schools
        }
    if persona.startswith("head_"):  # their own school, agreed runs only
        school = world.school_a if persona == "head_a" else world.school_b
        return set(Result.objects.filter(run=agreed, school=school).values_list("pk", flat=True))
    return set()  # a cluster lead sees no categorisation


@pytest.mark.parametrize("persona", SCOPED)
def test_results_are_the_schools_now_in_the_tier_each_once(request, world, runs, moved, persona):
    user = request.getfixturevalue(persona)
    visible = list(Result.objects.visible_to(user).values_list("pk", flat=True))
    expected = _expected_results(persona, world, runs)
    assert sorted(visible) == sorted(expected)
    assert len(visible) == len(set(visible))  # no result repeated
    if persona == "alliance_chair":
        out_of_a, into_a = moved
        schools = set(Result.objects.filter(pk__in=visible).values_list("school_id", flat=True))
        assert into_a.pk in schools and out_of_a.pk not in schools
        assert 0 < len(visible) < Result.objects.exclude(run=runs[2]).count()


@pytest.mark.parametrize("persona", ["officer", "board_member", *SCOPED])
def test_a_scoped_users_run_counts_are_what_they_may_see(request, world, runs, persona):
    user = request.getfixturevalue(persona)
    counted = run_counts_for(user=user, runs=list(runs))
    for run in runs:
        seen = Result.objects.filter(run=run).visible_to(user).values_list("pk", flat=True)
        assert counted[run.pk]["results"] == len(set(seen))
    if persona in ("officer", "board_member"):
        assert counted[runs[0].pk]["results"] == Result.objects.filter(run=runs[0]).count()


@pytest.mark.parametrize("persona", SCOPED)
def test_schools_are_the_schools_now_in_the_tier(request, world, moved, persona):
    user = request.getfixturevalue(persona)
    visible = list(School.objects.visible_to(user).values_list("pk", flat=True))
    assert len(visible) == len(set(visible))
    expected = {
        "alliance_chair": _now_in(alliance=world.alliance_a),
        "cluster_lead": _now_in(cluster=world.cluster_a1),
        "head_a": {world.school_a.pk},
        "head_b": {world.school_b.pk},
    }[persona]
    assert set(visible) == expected
    if persona in ("alliance_chair", "cluster_lead"):
        out_of_a, into_a = moved
        assert into_a.pk in visible and out_of_a.pk not in visible


@pytest.mark.parametrize(
    "persona, expected",
    [
        ("alliance_chair", {"a1", "a2"}),
        ("cluster_lead", {"a1"}),
        ("head_a", {"a1"}),
        ("head_b", {"b1"}),
    ],
)
def test_clusters_each_once(request, world, persona, expected):
    """A head's cluster through their school's current membership; no cluster repeated for
    the schools in it (it held three schools here)."""
    cluster_a2 = ClusterFactory(alliance=world.alliance_a, name="Alton Cluster")
    names = {"a1": world.cluster_a1.pk, "a2": cluster_a2.pk, "b1": world.cluster_b1.pk}
    MembershipFactory(school=SchoolFactory(urn=100201), cluster=world.cluster_a1)
    user = request.getfixturevalue(persona)
    visible = list(Cluster.objects.visible_to(user).values_list("pk", flat=True))
    assert len(visible) == len(set(visible))
    assert set(visible) == {names[key] for key in expected}


def test_a_cluster_leads_cases_are_their_clusters_schools_now(world, moved, cluster_lead):
    out_of_a, into_a = moved
    cases = {
        school: SupportCase.objects.create(
            school=school, alliance=school_alliance, origin=SupportCase.Origin.REQUEST
        )
        for school, school_alliance in [
            (world.school_a, world.alliance_a),
            (into_a, world.alliance_a),
            (out_of_a, world.alliance_b),
            (world.school_b, world.alliance_b),
        ]
    }
    visible = list(SupportCase.objects.visible_to(cluster_lead).values_list("pk", flat=True))
    assert len(visible) == len(set(visible))
    assert set(visible) == {cases[world.school_a].pk, cases[into_a].pk}
