"""Who may reach each structure page: every rule from both sides."""

import pytest

from partnership.models import Role
from tests.factories import RoleAssignmentFactory, UserFactory

READERS = [
    "officer",
    "board_chair",
    "board_member",
    "alliance_chair",
    "cluster_lead",
    "head_a",
    "head_b",
    "provider",
]
NOT_OFFICERS = [p for p in READERS if p != "officer"]

WRITE_PAGES = [
    "/structure/alliances/new/",
    "/structure/alliances/{alliance_a}/merge/",
    "/structure/alliances/{alliance_a}/close/",
    "/structure/clusters/new/?alliance={alliance_a}",
    "/structure/clusters/{cluster_a1}/merge/",
    "/structure/clusters/{cluster_a1}/close/",
    "/structure/schools/100001/move/",
    "/structure/upload/",
]


def url(template: str, world) -> str:
    return template.format(alliance_a=world.alliance_a.pk, cluster_a1=world.cluster_a1.pk)


@pytest.mark.parametrize("persona", READERS)
def test_everyone_with_a_role_can_see_the_structure_page(world, as_user, persona):
    assert as_user(persona).get("/structure/").status_code == 200


def test_a_user_with_no_role_cannot_see_the_structure_page(world, as_user):
    assert as_user("no_role").get("/structure/").status_code == 403


@pytest.mark.parametrize("page", ["/structure/", *WRITE_PAGES])
def test_anonymous_visitor_is_sent_to_sign_in(world, client, page):
    response = client.get(url(page, world))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("page", WRITE_PAGES)
def test_officer_can_open_every_write_page(world, as_user, page):
    assert as_user("officer").get(url(page, world)).status_code == 200


@pytest.mark.parametrize("page", WRITE_PAGES)
@pytest.mark.parametrize("persona", [*NOT_OFFICERS, "no_role"])
def test_only_officers_can_open_write_pages(world, as_user, persona, page):
    client = as_user(persona)
    assert client.get(url(page, world)).status_code == 403
    assert client.post(url(page, world), {"name": "X", "confirm": "yes"}).status_code == 403


@pytest.mark.parametrize("persona", NOT_OFFICERS)
def test_only_officers_can_post_to_the_detail_pages(world, as_user, persona):
    client = as_user(persona)
    cluster_post = client.post(
        f"/structure/clusters/{world.cluster_b1.pk}/", {"action": "update", "name": "Renamed"}
    )
    alliance_post = client.post(
        f"/structure/alliances/{world.alliance_b.pk}/", {"action": "rename", "name": "Renamed"}
    )
    assert {cluster_post.status_code, alliance_post.status_code} <= {403, 404}
    world.cluster_b1.refresh_from_db()
    world.alliance_b.refresh_from_db()
    assert world.cluster_b1.name == "Bishops Waltham Cluster"
    assert world.alliance_b.name == "South Alliance"


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("officer", 200),
        ("board_chair", 200),
        ("board_member", 200),
        ("alliance_chair", 200),
        ("cluster_lead", 200),
        ("head_a", 200),
        ("head_b", 404),
        ("provider", 404),
        ("no_role", 403),
    ],
)
def test_cluster_a1_page_is_seen_only_by_those_who_work_with_it(world, as_user, persona, status):
    assert as_user(persona).get(f"/structure/clusters/{world.cluster_a1.pk}/").status_code == status


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("officer", 200),
        ("board_member", 200),
        ("alliance_chair", 200),
        ("cluster_lead", 200),
        ("head_a", 200),
        ("head_b", 404),
        ("no_role", 403),
    ],
)
def test_alliance_a_page_is_seen_only_by_those_who_work_in_it(world, as_user, persona, status):
    assert (
        as_user(persona).get(f"/structure/alliances/{world.alliance_a.pk}/").status_code == status
    )


def test_alliance_chair_of_a_cannot_see_alliance_b_or_its_cluster(world, as_user):
    client = as_user("alliance_chair")
    assert client.get(f"/structure/alliances/{world.alliance_b.pk}/").status_code == 404
    assert client.get(f"/structure/clusters/{world.cluster_b1.pk}/").status_code == 404


def test_readers_see_no_editing_controls_on_a_cluster_page(world, as_user):
    content = as_user("cluster_lead").get(f"/structure/clusters/{world.cluster_a1.pk}/")
    content = content.content.decode()
    assert "Ashdown Primary School" in content
    assert "Move schools to another cluster" not in content
    assert "Change the cluster&#x27;s details" not in content
    assert "/close/" not in content


def test_an_ended_officer_role_no_longer_allows_writes(world, client):
    import datetime

    user = UserFactory(email="former.officer@example.org")
    RoleAssignmentFactory(
        user=user,
        role=Role.OFFICER,
        starts_on=datetime.date(2020, 1, 1),
        ends_on=datetime.date(2021, 1, 1),
    )
    client.force_login(user)
    assert client.get("/structure/upload/").status_code == 403
