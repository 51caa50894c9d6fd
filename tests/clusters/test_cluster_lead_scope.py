"""A cluster lead sees their own cluster, read-only, as the register scopes them: never another
cluster of the same alliance, on the structure page, a cluster or alliance page, or the API.
The alliance's chair sees both clusters."""

import pytest
from rest_framework.test import APIClient

from clusters.models import ClusterMembership
from tests.factories import ClusterFactory, MembershipFactory, SchoolFactory

OTHER_CLUSTER = "Appleshaw Cluster"
OTHER_SCHOOL = "Amport Primary School"
OTHER_URN = 100005


@pytest.fixture
def sibling(world):
    """A second cluster in alliance A (North Alliance), with one school."""
    cluster = ClusterFactory(alliance=world.alliance_a, name=OTHER_CLUSTER)
    school = SchoolFactory(name=OTHER_SCHOOL, urn=OTHER_URN)
    membership = MembershipFactory(school=school, cluster=cluster)
    return cluster, membership


def _api(user) -> APIClient:
    client = APIClient()
    client.force_login(user)
    return client


def test_cluster_lead_structure_page_shows_their_cluster_only(as_user, sibling):
    content = as_user("cluster_lead").get("/structure/").content.decode()
    assert "North Alliance" in content and "Andover Cluster" in content
    assert "Ashdown Primary School" in content and "Abbotts Ann Primary School" in content
    assert OTHER_CLUSTER not in content
    assert OTHER_SCHOOL not in content


def test_alliance_chair_structure_page_shows_both_clusters_of_the_alliance(as_user, sibling):
    content = as_user("alliance_chair").get("/structure/").content.decode()
    assert "Andover Cluster" in content and OTHER_CLUSTER in content
    assert OTHER_SCHOOL in content


@pytest.mark.parametrize("persona,status", [("cluster_lead", 404), ("alliance_chair", 200)])
def test_only_the_alliance_chair_opens_the_other_cluster_page(as_user, sibling, persona, status):
    cluster, _ = sibling
    assert as_user(persona).get(f"/structure/clusters/{cluster.pk}/").status_code == status


@pytest.mark.parametrize("persona,sees", [("cluster_lead", False), ("alliance_chair", True)])
def test_the_alliance_page_lists_the_other_cluster_only_for_the_chair(
    as_user, world, sibling, persona, sees
):
    response = as_user(persona).get(f"/structure/alliances/{world.alliance_a.pk}/")
    assert response.status_code == 200
    content = response.content.decode()
    assert "Andover Cluster" in content
    assert (OTHER_CLUSTER in content) is sees


def test_cluster_lead_api_lists_and_opens_their_cluster_only(world, cluster_lead, sibling):
    cluster, membership = sibling
    client = _api(cluster_lead)
    clusters = client.get("/api/clusters/").json()["results"]
    assert [row["name"] for row in clusters] == ["Andover Cluster"]
    assert client.get(f"/api/clusters/{world.cluster_a1.pk}/").status_code == 200
    assert client.get(f"/api/clusters/{cluster.pk}/").status_code == 404
    members = {row["school"] for row in client.get("/api/memberships/").json()["results"]}
    assert members == {100001, 100002}
    assert client.get(f"/api/memberships/{membership.pk}/").status_code == 404
    assert client.get(f"/api/schools/{OTHER_URN}/").status_code == 404


def test_alliance_chair_api_opens_both_clusters_of_the_alliance(world, alliance_chair, sibling):
    cluster, membership = sibling
    client = _api(alliance_chair)
    clusters = {row["name"] for row in client.get("/api/clusters/").json()["results"]}
    assert clusters == {"Andover Cluster", OTHER_CLUSTER}
    assert client.get(f"/api/clusters/{cluster.pk}/").status_code == 200
    assert client.get(f"/api/memberships/{membership.pk}/").status_code == 200
    assert client.get(f"/api/schools/{OTHER_URN}/").status_code == 200
    assert ClusterMembership.objects.filter(cluster=cluster).count() == 1
