"""/api/alliances/, /api/clusters/ and /api/memberships/: each persona sees its own part."""

import datetime

import pytest

from clusters.models import ClusterMembership
from tests.factories import AllianceFactory, ClusterFactory, MembershipFactory, SchoolFactory

A, A2, B, Z = 100001, 100002, 100003, 100004
NORTH, SOUTH = "North Alliance", "South Alliance"
ANDOVER, BISHOPS = "Andover Cluster", "Bishops Waltham Cluster"

STRUCTURE_SEEN = [
    ("officer", {NORTH, SOUTH}, {ANDOVER, BISHOPS}, {A, A2, B}),
    ("board_chair", {NORTH, SOUTH}, {ANDOVER, BISHOPS}, {A, A2, B}),
    ("board_member", {NORTH, SOUTH}, {ANDOVER, BISHOPS}, {A, A2, B}),
    ("alliance_chair", {NORTH}, {ANDOVER}, {A, A2}),
    ("cluster_lead", {NORTH}, {ANDOVER}, {A, A2}),
    ("head_a", {NORTH}, {ANDOVER}, {A}),
    ("head_b", {SOUTH}, {BISHOPS}, {B}),
    ("provider", set(), set(), set()),
    ("no_role", set(), set(), set()),
]


def results(response) -> list[dict]:
    assert response.status_code == 200, response.content
    return response.json()["results"]


@pytest.mark.parametrize(("persona", "alliances", "clusters", "members"), STRUCTURE_SEEN)
def test_each_persona_lists_only_their_part_of_the_structure(
    api_as, persona, alliances, clusters, members
):
    client = api_as(persona)
    assert {a["name"] for a in results(client.get("/api/alliances/"))} == alliances
    assert {c["name"] for c in results(client.get("/api/clusters/"))} == clusters
    assert {m["school"] for m in results(client.get("/api/memberships/"))} == members


def test_headteacher_cannot_retrieve_the_other_alliance_cluster_or_membership(api_as, world):
    client = api_as("head_a")
    assert client.get(f"/api/alliances/{world.alliance_a.pk}/").status_code == 200
    assert client.get(f"/api/alliances/{world.alliance_b.pk}/").status_code == 404
    assert client.get(f"/api/clusters/{world.cluster_a1.pk}/").status_code == 200
    assert client.get(f"/api/clusters/{world.cluster_b1.pk}/").status_code == 404
    own = ClusterMembership.objects.get(school=world.school_a)
    other = ClusterMembership.objects.get(school=world.school_b)
    assert client.get(f"/api/memberships/{own.pk}/").status_code == 200
    assert client.get(f"/api/memberships/{other.pk}/").status_code == 404


@pytest.mark.parametrize("path", ["/api/alliances/", "/api/clusters/", "/api/memberships/"])
def test_anonymous_visitor_cannot_read_the_structure(api_as, world, path):
    assert api_as("anonymous").get(path).status_code in (401, 403)


def test_alliance_counts_only_its_open_clusters(api_as, world):
    ClusterFactory(alliance=world.alliance_a, name="Closed Cluster", closed_on="2024-08-31")
    ClusterFactory(alliance=world.alliance_a, name="Charlton Cluster")
    north = api_as("head_a").get(f"/api/alliances/{world.alliance_a.pk}/").json()
    assert north["open_cluster_count"] == 2
    assert north["is_open"] is True


def test_cluster_shows_its_alliance_current_school_count_and_lead(api_as, world, officer):
    world.cluster_a1.communication_lead = officer
    world.cluster_a1.save()
    cluster = api_as("head_a").get(f"/api/clusters/{world.cluster_a1.pk}/").json()
    assert cluster["alliance"] == world.alliance_a.pk
    assert cluster["alliance_name"] == NORTH
    assert cluster["school_count"] == 2
    assert cluster["communication_lead"] == officer.pk
    assert cluster["communication_lead_name"] == str(officer)


def test_officer_filters_alliances_and_clusters(api_as, world):
    AllianceFactory(partnership=world.partnership, name="Old Alliance", closed_on="2024-08-31")
    ClusterFactory(alliance=world.alliance_b, name="Old Cluster", closed_on="2024-08-31")
    client = api_as("officer")
    names = lambda path: {row["name"] for row in results(client.get(path))}  # noqa: E731
    assert names("/api/alliances/?open=false") == {"Old Alliance"}
    assert names("/api/alliances/?open=true") == {NORTH, SOUTH}
    assert names("/api/alliances/?search=nor") == {NORTH}
    assert names(f"/api/clusters/?alliance={world.alliance_b.pk}") == {BISHOPS, "Old Cluster"}
    assert names(f"/api/clusters/?alliance={world.alliance_b.pk}&open=true") == {BISHOPS}
    assert names("/api/clusters/?search=andover") == {ANDOVER}
    ordered = results(client.get("/api/clusters/?ordering=-name"))
    assert [c["name"] for c in ordered] == ["Old Cluster", BISHOPS, ANDOVER]


@pytest.fixture
def history(world):
    """School A was in Bishops Waltham cluster until last summer, then joined Andover."""
    current = ClusterMembership.objects.get(school=world.school_a)
    current.started_on = datetime.date(2024, 9, 1)
    current.save()
    return MembershipFactory(
        school=world.school_a,
        cluster=world.cluster_b1,
        started_on=datetime.date(2020, 9, 1),
        ended_on=datetime.date(2024, 8, 31),
    )


def test_memberships_keep_a_schools_history(api_as, history, world):
    rows = results(api_as("officer").get(f"/api/memberships/?school={A}"))
    assert [(r["cluster_name"], r["is_current"]) for r in rows] == [
        (ANDOVER, True),
        (BISHOPS, False),
    ]
    assert rows[1]["ended_on"] == "2024-08-31"


def test_memberships_filter_by_cluster_and_current(api_as, history, world):
    client = api_as("officer")
    past = results(client.get("/api/memberships/?current=false"))
    assert [(r["school"], r["cluster"]) for r in past] == [(A, world.cluster_b1.pk)]
    in_b1 = results(client.get(f"/api/memberships/?cluster={world.cluster_b1.pk}&current=true"))
    assert [r["school"] for r in in_b1] == [B]


def test_headteacher_sees_own_schools_whole_history_but_no_other_school(api_as, history):
    rows = results(api_as("head_a").get("/api/memberships/"))
    assert {r["school"] for r in rows} == {A}
    assert len(rows) == 2
    assert results(api_as("head_a").get(f"/api/memberships/?school={B}")) == []


@pytest.mark.parametrize(
    "path", ["/api/alliances/", "/api/clusters/", "/api/memberships/", "/api/trusts/"]
)
@pytest.mark.parametrize("size", [5, 60])
def test_structure_lists_run_a_fixed_number_of_queries(
    api_as, world, officer, django_assert_max_num_queries, path, size
):
    for _ in range(size):
        alliance = AllianceFactory(partnership=world.partnership)
        cluster = ClusterFactory(alliance=alliance, communication_lead=officer)
        MembershipFactory(school=SchoolFactory(), cluster=cluster)
    client = api_as("officer")
    with django_assert_max_num_queries(10):
        response = client.get(path)
    assert response.status_code == 200
