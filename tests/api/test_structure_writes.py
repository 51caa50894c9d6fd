"""Structure writes through the API: LA officers only, through the structure services."""

import datetime

import pytest
import rules
from django.utils import timezone

from clusters.models import Cluster, ClusterMembership
from partnership.models import Alliance
from tests.factories import AllianceFactory, ClusterFactory

A, A2, B, Z = 100001, 100002, 100003, 100004
REFUSED = [
    "board_chair",
    "board_member",
    "alliance_chair",
    "cluster_lead",
    "head_a",
    "provider",
    "no_role",
]


def non_field_error(response) -> str:
    assert response.status_code == 400, response.content
    return response.json()["non_field_errors"][0]


def write_requests(world) -> list[tuple[str, str, dict]]:
    """Every structure write the API offers, as (method, path, body)."""
    a, b = world.alliance_a.pk, world.alliance_b.pk
    a1, b1 = world.cluster_a1.pk, world.cluster_b1.pk
    return [
        ("post", "/api/alliances/", {"name": "East Alliance"}),
        ("patch", f"/api/alliances/{a}/", {"name": "Renamed"}),
        ("post", f"/api/alliances/{b}/close/", {}),
        ("post", f"/api/alliances/{b}/merge/", {"target": a}),
        ("post", "/api/clusters/", {"alliance": a, "name": "Charlton Cluster"}),
        ("patch", f"/api/clusters/{a1}/", {"name": "Renamed"}),
        ("post", f"/api/clusters/{b1}/close/", {}),
        ("post", f"/api/clusters/{b1}/merge/", {"target": a1}),
        ("post", "/api/memberships/", {"school": Z, "cluster": a1}),
        ("post", f"/api/schools/{A}/move/", {"cluster": b1}),
    ]


def structure_snapshot() -> tuple:
    return (
        sorted(Alliance.objects.values_list("name", "closed_on")),
        sorted(Cluster.objects.values_list("name", "alliance_id", "closed_on")),
        sorted(ClusterMembership.objects.values_list("school_id", "cluster_id", "ended_on")),
    )


@pytest.mark.parametrize("persona", [*REFUSED, "anonymous"])
def test_only_officers_may_change_the_structure(api_as, world, persona):
    client = api_as(persona)
    before = structure_snapshot()
    for method, path, body in write_requests(world):
        response = getattr(client, method)(path, body, format="json")
        expected = (401, 403) if persona == "anonymous" else (403,)
        assert response.status_code in expected, (persona, method, path, response.status_code)
    assert structure_snapshot() == before


def test_api_writes_follow_the_rules_permission_rather_than_a_role_check_of_their_own(
    api_as, world
):
    original = rules.permissions.permissions["clusters.change_structure"]
    rules.set_perm("clusters.change_structure", rules.always_allow)
    try:
        response = api_as("board_member").post(
            "/api/alliances/", {"name": "East Alliance"}, format="json"
        )
    finally:
        rules.set_perm("clusters.change_structure", original)
    assert response.status_code == 201


@pytest.mark.parametrize("persona", ["officer", "head_a"])
@pytest.mark.parametrize(
    ("method", "path"),
    [("post", "/api/schools/"), ("patch", f"/api/schools/{A}/"), ("delete", f"/api/schools/{A}/")],
)
def test_the_register_is_read_only_in_the_api(api_as, world, persona, method, path):
    response = getattr(api_as(persona), method)(path, {"name": "Renamed"}, format="json")
    assert response.status_code in (403, 405)
    assert world.school_a.__class__.objects.get(urn=A).name == "Ashdown Primary School"


def test_officer_cannot_delete_or_replace_structure(api_as, world):
    client = api_as("officer")
    assert client.delete(f"/api/alliances/{world.alliance_a.pk}/").status_code == 405
    assert client.put(f"/api/clusters/{world.cluster_a1.pk}/", {}, format="json").status_code == 405
    assert Alliance.objects.filter(pk=world.alliance_a.pk).exists()


def test_officer_creates_an_alliance_recorded_as_theirs(api_as, world, officer):
    response = api_as("officer").post(
        "/api/alliances/", {"name": "  East   Alliance ", "description": "Coastal"}, format="json"
    )
    assert response.status_code == 201
    body = response.json()
    assert (body["name"], body["is_open"], body["open_cluster_count"]) == ("East Alliance", True, 0)
    alliance = Alliance.objects.get(pk=body["id"])
    assert alliance.partnership == world.partnership
    assert alliance.history.latest().history_user == officer


def test_officer_renames_an_alliance(api_as, world):
    response = api_as("officer").patch(
        f"/api/alliances/{world.alliance_a.pk}/", {"name": "Northern Alliance"}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["name"] == "Northern Alliance"
    world.alliance_a.refresh_from_db()
    assert world.alliance_a.name == "Northern Alliance"


def test_a_duplicate_alliance_name_is_a_400_with_the_services_message(api_as, world):
    response = api_as("officer").post("/api/alliances/", {"name": "south alliance"}, format="json")
    assert non_field_error(response) == "There is already an open alliance called south alliance"
    assert Alliance.objects.count() == 2


def test_a_blank_alliance_name_is_a_400_that_says_what_to_enter(api_as, world):
    response = api_as("officer").post("/api/alliances/", {"name": ""}, format="json")
    assert response.status_code == 400
    assert response.json() == {"name": ["Enter the alliance's name"]}


def test_officer_cannot_close_an_alliance_with_open_clusters(api_as, world):
    response = api_as("officer").post(f"/api/alliances/{world.alliance_a.pk}/close/")
    assert non_field_error(response) == (
        "North Alliance still has 1 open cluster: close them or move them to another alliance first"
    )
    world.alliance_a.refresh_from_db()
    assert world.alliance_a.is_open


def test_officer_closes_an_empty_alliance_on_a_date(api_as, world):
    empty = AllianceFactory(partnership=world.partnership, name="West Alliance")
    response = api_as("officer").post(
        f"/api/alliances/{empty.pk}/close/", {"on": "2025-07-31"}, format="json"
    )
    assert response.status_code == 200
    assert (response.json()["closed_on"], response.json()["is_open"]) == ("2025-07-31", False)


def test_officer_merges_one_alliance_into_another(api_as, world):
    response = api_as("officer").post(
        f"/api/alliances/{world.alliance_b.pk}/merge/",
        {"target": world.alliance_a.pk},
        format="json",
    )
    assert response.status_code == 200
    assert (response.json()["id"], response.json()["open_cluster_count"]) == (
        world.alliance_a.pk,
        2,
    )
    world.alliance_b.refresh_from_db()
    assert world.alliance_b.merged_into == world.alliance_a
    assert world.alliance_b.closed_on == timezone.localdate()
    assert Cluster.objects.get(pk=world.cluster_b1.pk).alliance == world.alliance_a


def test_merging_an_alliance_into_itself_is_a_400(api_as, world):
    response = api_as("officer").post(
        f"/api/alliances/{world.alliance_a.pk}/merge/",
        {"target": world.alliance_a.pk},
        format="json",
    )
    assert non_field_error(response) == "Choose a different alliance to merge into"


def test_officer_creates_a_cluster_with_its_links(api_as, world, officer):
    response = api_as("officer").post(
        "/api/clusters/",
        {
            "alliance": world.alliance_b.pk,
            "name": "Romsey Cluster",
            "linked_hub": "Solent Teaching School Hub",
            "school_improvement_partner": "J. Smith",
            "communication_lead": officer.pk,
        },
        format="json",
    )
    assert response.status_code == 201
    body = response.json()
    assert (body["alliance"], body["school_count"], body["communication_lead"]) == (
        world.alliance_b.pk,
        0,
        officer.pk,
    )
    assert Cluster.objects.get(pk=body["id"]).linked_hub == "Solent Teaching School Hub"


def test_a_cluster_in_an_unknown_alliance_is_a_400(api_as, world):
    response = api_as("officer").post(
        "/api/clusters/", {"alliance": 999999, "name": "Lost Cluster"}, format="json"
    )
    assert response.status_code == 400
    assert response.json() == {"alliance": ["There is no alliance with id 999999"]}


def test_officer_updates_only_the_fields_sent(api_as, world, officer):
    world.cluster_a1.linked_hub = "Test Valley Hub"
    world.cluster_a1.communication_lead = officer
    world.cluster_a1.save()
    response = api_as("officer").patch(
        f"/api/clusters/{world.cluster_a1.pk}/",
        {"school_improvement_partner": "A. Patel", "alliance": world.alliance_b.pk},
        format="json",
    )
    assert response.status_code == 200
    cluster = Cluster.objects.get(pk=world.cluster_a1.pk)
    assert (cluster.name, cluster.linked_hub, cluster.communication_lead) == (
        "Andover Cluster",
        "Test Valley Hub",
        officer,
    )
    assert (cluster.school_improvement_partner, cluster.alliance) == ("A. Patel", world.alliance_b)


def test_officer_removes_a_clusters_communication_lead_with_null(api_as, world, officer):
    world.cluster_a1.communication_lead = officer
    world.cluster_a1.save()
    response = api_as("officer").patch(
        f"/api/clusters/{world.cluster_a1.pk}/", {"communication_lead": None}, format="json"
    )
    assert response.status_code == 200
    assert Cluster.objects.get(pk=world.cluster_a1.pk).communication_lead is None


def test_officer_closes_a_cluster_and_its_memberships_end(api_as, world):
    response = api_as("officer").post(f"/api/clusters/{world.cluster_a1.pk}/close/")
    assert response.status_code == 200
    assert (response.json()["is_open"], response.json()["school_count"]) == (False, 0)
    ended = ClusterMembership.objects.filter(cluster=world.cluster_a1)
    assert {m.ended_on for m in ended} == {timezone.localdate()}


def test_closing_a_cluster_on_a_future_date_is_a_400(api_as, world):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = api_as("officer").post(
        f"/api/clusters/{world.cluster_a1.pk}/close/", {"on": tomorrow.isoformat()}, format="json"
    )
    assert non_field_error(response) == "The date must be today or in the past"


def test_officer_merges_one_cluster_into_another(api_as, world):
    response = api_as("officer").post(
        f"/api/clusters/{world.cluster_b1.pk}/merge/",
        {"target": world.cluster_a1.pk},
        format="json",
    )
    assert response.status_code == 200
    assert (response.json()["id"], response.json()["school_count"]) == (world.cluster_a1.pk, 3)
    assert (
        ClusterMembership.objects.current().get(school=world.school_b).cluster == world.cluster_a1
    )


def test_merging_into_a_closed_cluster_is_a_400(api_as, world):
    closed = ClusterFactory(alliance=world.alliance_a, name="Old Cluster", closed_on="2024-08-31")
    response = api_as("officer").post(
        f"/api/clusters/{world.cluster_b1.pk}/merge/", {"target": closed.pk}, format="json"
    )
    assert non_field_error(response) == "Old Cluster is closed: choose an open cluster"


def test_officer_moves_a_school_by_posting_a_membership(api_as, world):
    response = api_as("officer").post(
        "/api/memberships/", {"school": B, "cluster": world.cluster_a1.pk}, format="json"
    )
    assert response.status_code == 201
    body = response.json()
    assert (body["school"], body["cluster"], body["is_current"]) == (B, world.cluster_a1.pk, True)
    history = ClusterMembership.objects.filter(school=world.school_b).order_by("pk")
    assert [(m.cluster_id, m.ended_on) for m in history] == [
        (world.cluster_b1.pk, timezone.localdate()),
        (world.cluster_a1.pk, None),
    ]


def test_officer_takes_a_school_out_of_its_cluster_with_a_null_cluster(api_as, world):
    response = api_as("officer").post(
        "/api/memberships/", {"school": A, "cluster": None}, format="json"
    )
    assert response.status_code == 204
    assert not ClusterMembership.objects.current().filter(school=world.school_a).exists()
    assert ClusterMembership.objects.filter(school=world.school_a).count() == 1


def test_officer_moves_a_school_through_the_schools_move_action(api_as, world):
    response = api_as("officer").post(
        f"/api/schools/{Z}/move/", {"cluster": world.cluster_b1.pk}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["cluster_name"] == "Bishops Waltham Cluster"
    school = api_as("officer").get(f"/api/schools/{Z}/").json()
    assert school["cluster"] == world.cluster_b1.pk


def test_moving_a_closed_school_is_a_400_with_the_services_message(api_as, world):
    world.school_z.status = "closed"
    world.school_z.save()
    response = api_as("officer").post(
        "/api/memberships/", {"school": Z, "cluster": world.cluster_a1.pk}, format="json"
    )
    assert non_field_error(response) == (
        "Zeals Junior School (100004) is closed: "
        "only open schools in the partnership join a cluster"
    )
    assert not ClusterMembership.objects.filter(school=world.school_z).exists()


@pytest.mark.parametrize(
    ("body", "errors"),
    [
        ({"cluster": None}, {"school": ["Enter the school's URN"]}),
        ({"school": 999999, "cluster": None}, {"school": ["There is no school with URN 999999"]}),
        ({"school": "abc", "cluster": None}, {"school": ["Enter the school's URN as a number"]}),
        ({"school": A, "cluster": 999999}, {"cluster": ["There is no cluster with id 999999"]}),
    ],
)
def test_a_move_with_a_wrong_school_or_cluster_is_a_400(api_as, world, body, errors):
    response = api_as("officer").post("/api/memberships/", body, format="json")
    assert response.status_code == 400
    assert response.json() == errors
