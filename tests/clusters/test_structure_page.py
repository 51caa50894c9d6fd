"""The structure page: board, alliances, clusters and schools, scoped to the viewer, with counts,
in a fixed number of queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from clusters.models import ClusterMembership
from schools.models import Phase, School, TypeGroup
from tests.factories import ClusterFactory, SchoolFactory, UserFactory

ALL_SCHOOLS = [
    "Ashdown Primary School",
    "Abbotts Ann Primary School",
    "Bramley Infant School",
]


def page(as_user, persona: str) -> str:
    response = as_user(persona).get("/structure/")
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("persona", ["officer", "board_chair", "board_member"])
def test_partnership_wide_roles_see_every_alliance_cluster_and_school(world, as_user, persona):
    content = page(as_user, persona)
    for name in ["North Alliance", "South Alliance", "Andover Cluster", "Bishops Waltham Cluster"]:
        assert name in content
    for school in ALL_SCHOOLS:
        assert school in content
    assert "Schools in no cluster" in content
    assert "Zeals Junior School" in content


@pytest.mark.parametrize("persona", ["alliance_chair", "cluster_lead"])
def test_alliance_chair_and_cluster_lead_see_only_alliance_a(world, as_user, persona):
    content = page(as_user, persona)
    assert "North Alliance" in content and "Andover Cluster" in content
    assert "Ashdown Primary School" in content and "Abbotts Ann Primary School" in content
    assert "South Alliance" not in content and "Bramley Infant School" not in content
    assert "Zeals Junior School" not in content
    assert "Schools in no cluster" not in content


def test_headteacher_sees_their_cluster_and_only_their_own_school(world, as_user):
    content = page(as_user, "head_a")
    assert "North Alliance" in content and "Andover Cluster" in content
    assert "Ashdown Primary School" in content
    assert "Abbotts Ann Primary School" not in content
    assert "South Alliance" not in content and "Bramley Infant School" not in content


def test_headteacher_of_b_sees_nothing_of_alliance_a(world, as_user):
    content = page(as_user, "head_b")
    assert "Bramley Infant School" in content and "Bishops Waltham Cluster" in content
    assert "North Alliance" not in content and "Andover Cluster" not in content
    assert "Ashdown Primary School" not in content


def test_provider_sees_no_alliances(world, as_user):
    content = page(as_user, "provider")
    assert "There are no area alliances you can see" in content
    assert "Ashdown Primary School" not in content


def test_each_cluster_shows_its_lead_hub_and_sip(world, as_user):
    lead = UserFactory(first_name="Priya", last_name="Shah")
    world.cluster_a1.communication_lead = lead
    world.cluster_a1.linked_hub = "Test Valley Teaching School Hub"
    world.cluster_a1.school_improvement_partner = "Sam Jones"
    world.cluster_a1.save()
    content = page(as_user, "officer")
    assert "Priya Shah" in content
    assert "Test Valley Teaching School Hub" in content
    assert "Sam Jones" in content


def test_counts_by_phase_and_type_at_board_alliance_and_cluster(world, as_user):
    secondary = SchoolFactory(
        name="Harrow Way Academy", phase=Phase.SECONDARY, type_group=TypeGroup.ACADEMY
    )
    ClusterMembership.objects.create(school=secondary, cluster=world.cluster_a1)
    response = as_user("officer").get("/structure/")
    structure = response.context["structure"]
    assert structure.counts.total == 4
    assert structure.counts.phase_items == [("Primary", 3), ("Secondary", 1)]
    assert structure.counts.type_items == [("LA maintained", 3), ("Academy", 1)]
    north, south = structure.alliances
    assert (north.alliance.name, north.counts.total) == ("North Alliance", 3)
    assert north.clusters[0].counts.phase_items == [("Primary", 2), ("Secondary", 1)]
    assert south.counts.type_items == [("LA maintained", 1)]
    content = response.content.decode()
    assert "Primary: 3, Secondary: 1" in content
    assert "LA maintained: 3, Academy: 1" in content


def test_unclustered_and_opted_out_schools_are_listed_apart(world, as_user):
    SchoolFactory(name="Opted Out Junior School", opted_out=True)
    SchoolFactory(name="Long Closed School", status="closed")
    response = as_user("officer").get("/structure/")
    structure = response.context["structure"]
    assert [s.name for s in structure.unclustered] == ["Zeals Junior School"]
    assert [s.name for s in structure.opted_out] == ["Opted Out Junior School"]
    assert "Long Closed School" not in response.content.decode()


def test_officer_sees_links_to_change_the_structure(world, as_user):
    content = page(as_user, "officer")
    assert "/structure/alliances/new/" in content
    assert "/structure/upload/" in content
    assert "/structure/schools/100001/move/" in content


def test_board_member_sees_no_links_to_change_the_structure(world, as_user):
    content = page(as_user, "board_member")
    assert "/structure/alliances/new/" not in content
    assert "/move/" not in content


def _add_schools(world, number: int) -> None:
    """Spread ``number`` more schools over 10 clusters (8 of them new) in the two alliances; one
    in ten stays outside any cluster and one in fifty has opted out."""
    clusters = [world.cluster_a1, world.cluster_b1] + [
        ClusterFactory(alliance=world.alliance_a if i % 2 else world.alliance_b) for i in range(8)
    ]
    phases = [Phase.PRIMARY, Phase.SECONDARY, Phase.FIRST, Phase.MIDDLE]
    first = School.objects.count()
    schools = School.objects.bulk_create(
        SchoolFactory.build(urn=200000 + first + i, phase=phases[i % 4], opted_out=i % 50 == 0)
        for i in range(number)
    )
    ClusterMembership.objects.bulk_create(
        ClusterMembership(school=school, cluster=clusters[i % 10])
        for i, school in enumerate(schools)
        if i % 10
    )


def _queries(client) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get("/structure/").status_code == 200
    return len(captured)


@pytest.mark.parametrize("persona", ["officer", "alliance_chair", "head_a"])
def test_structure_page_queries_do_not_grow_with_the_number_of_schools(
    world, as_user, persona, django_assert_max_num_queries
):
    client = as_user(persona)
    _add_schools(world, 20)
    with django_assert_max_num_queries(15):
        small = client.get("/structure/")
    with_20 = _queries(client)
    _add_schools(world, 1980)
    with django_assert_max_num_queries(15):
        large = client.get("/structure/")
    # Past the inline limit the schools are no longer listed: one query fewer, never more.
    assert _queries(client) <= with_20
    if persona == "officer":
        assert small.context["structure"].counts.total == 3 + 18
        assert large.context["structure"].counts.total == 3 + 18 + 1782
