"""/api/schools/ and /api/trusts/: scoped by the same permission layer as the register pages."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from clusters.models import ClusterMembership
from schools.models import School
from tests.factories import SchoolFactory, TrustFactory

A, A2, B, Z = 100001, 100002, 100003, 100004

SCHOOLS_SEEN = [
    ("officer", {A, A2, B, Z}),
    ("board_chair", {A, A2, B, Z}),
    ("board_member", {A, A2, B, Z}),
    ("alliance_chair", {A, A2}),
    ("cluster_lead", {A, A2}),
    ("head_a", {A}),
    ("head_b", {B}),
    ("provider", set()),
    ("no_role", set()),
]


def urns(response) -> set[int]:
    assert response.status_code == 200, response.content
    return {row["urn"] for row in response.json()["results"]}


@pytest.mark.parametrize(("persona", "expected"), SCHOOLS_SEEN)
def test_each_persona_lists_only_the_schools_they_may_see(api_as, persona, expected):
    assert urns(api_as(persona).get("/api/schools/")) == expected


@pytest.mark.parametrize(("persona", "expected"), SCHOOLS_SEEN)
def test_each_persona_retrieves_a_school_only_if_they_may_see_it(api_as, persona, expected):
    client = api_as(persona)
    for urn in (A, A2, B, Z):
        response = client.get(f"/api/schools/{urn}/")
        assert response.status_code == (200 if urn in expected else 404), (persona, urn)


def test_headteacher_sees_own_school_but_not_school_b(api_as):
    client = api_as("head_a")
    own = client.get(f"/api/schools/{A}/")
    assert own.status_code == 200
    assert own.json()["name"] == "Ashdown Primary School"
    assert client.get(f"/api/schools/{B}/").status_code == 404


@pytest.mark.parametrize("path", ["/api/schools/", f"/api/schools/{A}/", "/api/trusts/"])
def test_anonymous_visitor_is_refused(api_as, world, path):
    response = api_as("anonymous").get(path)
    assert response.status_code in (401, 403)
    assert "results" not in response.json()


def test_school_shows_its_current_cluster_alliance_and_trust(api_as, trusts, world):
    school = api_as("officer").get(f"/api/schools/{A}/").json()
    assert school["cluster"] == world.cluster_a1.pk
    assert school["cluster_name"] == "Andover Cluster"
    assert school["alliance"] == world.alliance_a.pk
    assert school["alliance_name"] == "North Alliance"
    assert school["trust"] == {
        "id": trusts.oak.pk,
        "name": "OAK LEARNING TRUST",
        "trust_type": "mat",
    }
    assert school["intervention_route"] == "The local authority may intervene"


def test_school_outside_any_cluster_shows_no_cluster(api_as, world):
    school = api_as("officer").get(f"/api/schools/{Z}/").json()
    assert (school["cluster"], school["alliance"], school["cluster_name"]) == (None, None, None)


def test_a_past_membership_is_not_shown_as_the_current_cluster(api_as, world):
    ClusterMembership.objects.filter(school=world.school_b).update(
        started_on="2020-09-01", ended_on="2024-08-31"
    )
    school = api_as("officer").get(f"/api/schools/{B}/").json()
    assert school["cluster"] is None


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("phase=secondary", {Z}),
        ("phase=primary", {A, A2, B}),
        ("type_group=academy", {Z}),
        ("la_code=936", {B}),
        ("status=closed", {Z}),
        ("status=open", {A, A2, B}),
        ("opted_out=true", {Z}),
        ("opted_out=false", {A, A2, B}),
        ("search=Ashdown", {A}),
        ("search=100003", {B}),
        ("search=sp11", {A2}),
        ("search=Primary", {A, A2}),
    ],
)
def test_officer_filters_and_searches_the_register(api_as, trusts, query, expected):
    assert urns(api_as("officer").get(f"/api/schools/?{query}")) == expected


def test_officer_filters_schools_by_trust_alliance_and_cluster(api_as, trusts, world):
    client = api_as("officer")
    assert urns(client.get(f"/api/schools/?trust={trusts.elm.pk}")) == {Z}
    assert urns(client.get(f"/api/schools/?alliance={world.alliance_a.pk}")) == {A, A2}
    assert urns(client.get(f"/api/schools/?cluster={world.cluster_b1.pk}")) == {B}


def test_a_filter_cannot_widen_what_a_persona_sees(api_as, world):
    client = api_as("alliance_chair")
    assert urns(client.get(f"/api/schools/?cluster={world.cluster_b1.pk}")) == set()
    assert urns(client.get(f"/api/schools/?alliance={world.alliance_b.pk}")) == set()


def test_an_unknown_phase_is_a_400(api_as, world):
    response = api_as("officer").get("/api/schools/?phase=kindergarten")
    assert response.status_code == 400
    assert "phase" in response.json()


@pytest.mark.parametrize(
    ("ordering", "expected"),
    [("name", [A2, A, B, Z]), ("-urn", [Z, B, A2, A]), (None, [A2, A, B, Z])],
)
def test_officer_orders_the_register(api_as, world, ordering, expected):
    query = f"?ordering={ordering}" if ordering else ""
    results = api_as("officer").get(f"/api/schools/{query}").json()["results"]
    assert [row["urn"] for row in results] == expected


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("officer", {"OAK LEARNING TRUST", "ELM ACADEMY TRUST", "WILLOW TRUST"}),
        ("board_member", {"OAK LEARNING TRUST", "ELM ACADEMY TRUST", "WILLOW TRUST"}),
        ("alliance_chair", {"OAK LEARNING TRUST"}),
        ("head_a", {"OAK LEARNING TRUST"}),
        ("head_b", set()),
        ("no_role", set()),
    ],
)
def test_trusts_are_those_of_the_schools_a_persona_may_see(api_as, trusts, persona, expected):
    response = api_as(persona).get("/api/trusts/")
    assert response.status_code == 200
    assert {row["name"] for row in response.json()["results"]} == expected


def test_headteacher_cannot_retrieve_another_schools_trust(api_as, trusts):
    client = api_as("head_a")
    assert client.get(f"/api/trusts/{trusts.oak.pk}/").status_code == 200
    assert client.get(f"/api/trusts/{trusts.elm.pk}/").status_code == 404


def test_trusts_filter_by_type_and_search_by_name(api_as, trusts):
    TrustFactory(name="ST MARY FOUNDATION", trust_type="foundation")
    client = api_as("officer")
    by_type = client.get("/api/trusts/?trust_type=foundation").json()["results"]
    assert [row["name"] for row in by_type] == ["ST MARY FOUNDATION"]
    found = client.get("/api/trusts/?search=oak").json()["results"]
    assert [row["name"] for row in found] == ["OAK LEARNING TRUST"]


def _register_of(size: int, world) -> None:
    """`size` extra schools, half in cluster A1 and each fifth in a trust, written in bulk."""
    trust = TrustFactory()
    schools = School.objects.bulk_create(
        [SchoolFactory.build(trust=trust if n % 5 == 0 else None) for n in range(size)]
    )
    ClusterMembership.objects.bulk_create(
        ClusterMembership(school=s, cluster=world.cluster_a1) for s in schools[::2]
    )


@pytest.mark.parametrize("size", [20, 2000])
@pytest.mark.parametrize("persona", ["officer", "alliance_chair"])
def test_schools_list_runs_a_fixed_number_of_queries(
    api_as, world, django_assert_max_num_queries, size, persona
):
    _register_of(size, world)
    client = api_as(persona)
    with django_assert_max_num_queries(10):
        response = client.get("/api/schools/?ordering=urn")
    assert response.status_code == 200
    body = response.json()
    expected = size + 4 if persona == "officer" else size // 2 + 2
    assert body["count"] == expected
    assert len(body["results"]) == min(50, expected)


def test_one_page_of_schools_costs_the_same_as_another(api_as, world):
    _register_of(200, world)
    client = api_as("officer")
    counts = []
    for page in (1, 4):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"/api/schools/?page={page}").status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
