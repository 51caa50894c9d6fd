"""The API's edges: format suffixes on every action, and ids in the query string that are out of
range or malformed (a 400 naming the filter, the same on PostgreSQL and SQLite)."""

import pytest

from clusters.models import Cluster, ClusterMembership
from kernel.api_docs import api_schema
from kernel.api_fields import BIGINT_MAX
from partnership.models import Alliance

Z = 100004


@pytest.mark.parametrize("suffix", [".json", ".json/"])
def test_officer_can_close_and_merge_with_a_format_suffix(api_as, world, suffix):
    client = api_as("officer")
    a, b = world.alliance_a.pk, world.alliance_b.pk
    a1, b1 = world.cluster_a1.pk, world.cluster_b1.pk

    merged = client.post(f"/api/clusters/{b1}/merge{suffix}", {"target": a1}, format="json")
    assert merged.status_code == 200, merged.content
    assert merged.json()["id"] == a1
    closed = client.post(f"/api/clusters/{a1}/close{suffix}", {}, format="json")
    assert closed.status_code == 200, closed.content
    assert closed.json()["is_open"] is False

    alliance_merged = client.post(f"/api/alliances/{b}/merge{suffix}", {"target": a})
    assert alliance_merged.status_code == 200, alliance_merged.content
    assert Alliance.objects.get(pk=b).merged_into_id == a
    Cluster.objects.filter(alliance_id=a).update(closed_on=closed.json()["closed_on"])
    alliance_closed = client.post(f"/api/alliances/{a}/close{suffix}", {})
    assert alliance_closed.status_code == 200, alliance_closed.content
    assert alliance_closed.json()["is_open"] is False


def test_officer_can_move_a_school_with_a_format_suffix(api_as, world):
    response = api_as("officer").post(
        f"/api/schools/{Z}/move.json", {"cluster": world.cluster_b1.pk}, format="json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["cluster"] == world.cluster_b1.pk
    assert ClusterMembership.objects.current().get(school__urn=Z).cluster == world.cluster_b1


def test_an_unknown_format_suffix_is_not_found(api_as, world):
    response = api_as("officer").post(f"/api/clusters/{world.cluster_a1.pk}/close.xml", {})
    assert response.status_code == 404
    assert Cluster.objects.get(pk=world.cluster_a1.pk).is_open


ID_FILTERS = [
    ("/api/schools/", "alliance", "Current alliance id"),
    ("/api/schools/", "cluster", "Current cluster id"),
    ("/api/schools/", "trust", "Trust id"),
    ("/api/clusters/", "alliance", "Alliance id"),
    ("/api/memberships/", "cluster", "Cluster id"),
    ("/api/memberships/", "school", "School URN"),
    ("/api/categorisations/", "alliance", "Current alliance id"),
    ("/api/categorisations/", "urn", "School URN"),
]
AWKWARD_IDS = ["1e30", str(BIGINT_MAX + 1), str(10**30), "-1", "0", "1.5", "abc", "x" * 300]


@pytest.mark.parametrize("value", AWKWARD_IDS)
@pytest.mark.parametrize(("path", "name", "label"), ID_FILTERS)
@pytest.mark.parametrize("persona", ["officer", "head_a"])
def test_out_of_range_or_malformed_id_filter_is_refused_with_its_message(
    api_as, world, persona, path, name, label, value
):
    response = api_as(persona).get(path, {name: value})
    assert response.status_code == 400, response.content
    assert response.json() == {name: [f"{label} must be a whole number from 1 to {BIGINT_MAX}"]}


@pytest.mark.parametrize(("path", "name", "label"), ID_FILTERS)
def test_the_largest_id_a_database_holds_finds_nothing(api_as, world, path, name, label):
    response = api_as("officer").get(path, {name: BIGINT_MAX})
    assert response.status_code == 200, response.content
    assert response.json()["count"] == 0


def test_the_schema_documents_the_bounds_of_id_filters():
    parameters = api_schema()["paths"]["/api/schools/"]["get"]["parameters"]
    alliance = next(p for p in parameters if p["name"] == "alliance")
    assert alliance["description"] == "Current alliance id"
    assert alliance["schema"] == {
        "type": "integer",
        "format": "int64",
        "minimum": 1,
        "maximum": BIGINT_MAX,
    }
