"""The structure pages at national scale: above ``INLINE_LIMIT`` schools the structure page
summarises with counts, a cluster's schools are paged on its page, and no page grows with the
number of schools (size and queries), whoever is looking."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from clusters import selectors
from clusters.models import ClusterMembership
from schools.models import Phase, School, TypeGroup
from tests.factories import ClusterFactory, SchoolFactory

# Room for the counts' digits and the elided page links, which differ a little in length.
SLACK = 1.02
SCHOOL_LINK = re.compile(r'href="/schools/(\d+)/"')


def grow(world, total: int) -> None:
    """Bring the register to ``total`` schools: nine in ten in a cluster (half of them in the
    Andover Cluster, the rest over eight more), one in ten in none, one in fifty opted out."""
    clusters = [world.cluster_a1] * 8 + [
        ClusterFactory(alliance=world.alliance_a if i % 2 else world.alliance_b) for i in range(8)
    ]
    phases = [Phase.PRIMARY, Phase.SECONDARY, Phase.FIRST, Phase.MIDDLE]
    first = School.objects.count()
    schools = School.objects.bulk_create(
        SchoolFactory.build(
            urn=300000 + first + i,
            name=f"Grown School {first + i:05d}",
            phase=phases[i % 4],
            type_group=TypeGroup.ACADEMY if i % 3 else TypeGroup.LA_MAINTAINED,
            opted_out=i % 50 == 1,
        )
        for i in range(total - first)
    )
    ClusterMembership.objects.bulk_create(
        ClusterMembership(school=school, cluster=clusters[i % 16])
        for i, school in enumerate(schools)
        if i % 10 and i % 50 != 1
    )


def measure(client, path: str) -> tuple[int, int, str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200
    content = response.content.decode()
    return len(response.content), len(captured), content


PAGES = [
    ("officer", lambda world: "/structure/"),
    ("alliance_chair", lambda world: "/structure/"),
    ("cluster_lead", lambda world: "/structure/"),
    ("head_a", lambda world: "/structure/"),
    ("officer", lambda world: f"/structure/alliances/{world.alliance_a.pk}/"),
    ("alliance_chair", lambda world: f"/structure/alliances/{world.alliance_a.pk}/"),
    ("officer", lambda world: f"/structure/clusters/{world.cluster_a1.pk}/"),
    ("cluster_lead", lambda world: f"/structure/clusters/{world.cluster_a1.pk}/"),
]


@pytest.mark.parametrize(
    ("persona", "path"), PAGES, ids=[f"{p}-{i}" for i, (p, _) in enumerate(PAGES)]
)
def test_structure_pages_do_not_grow_in_size_or_queries_from_200_to_2000_schools(
    world, as_user, persona, path, django_assert_max_num_queries
):
    client = as_user(persona)
    grow(world, 200)
    small_size, small_queries, _ = measure(client, path(world))
    grow(world, 2000)
    with django_assert_max_num_queries(small_queries):
        large_size, _, content = measure(client, path(world))
    assert large_size <= small_size * SLACK
    assert len(SCHOOL_LINK.findall(content)) <= 120


@pytest.mark.parametrize("which", ["unclustered", "opted-out"])
def test_lists_of_schools_outside_the_clusters_stay_one_page_long(
    world, as_user, which, django_assert_max_num_queries
):
    client = as_user("officer")
    path = f"/structure/schools/{which}/"
    grow(world, 200)
    _, small_queries, _ = measure(client, path)
    grow(world, 1000)
    middle_size, _, _ = measure(client, path)
    grow(world, 2000)
    with django_assert_max_num_queries(small_queries):
        large_size, _, content = measure(client, path)
    assert len(SCHOOL_LINK.findall(content)) <= 50
    if which == "unclustered":  # a full page at 1,000 schools already
        assert large_size <= middle_size * SLACK


def test_structure_page_lists_schools_while_there_are_at_most_500(world, as_user):
    grow(world, 480)
    response = as_user("officer").get("/structure/")
    content = response.content.decode()
    structure = response.context["structure"]
    assert structure.inline
    assert "There are too many schools to list on one page" not in content
    assert "Grown School 00479" in content or "Grown School 00478" in content
    assert len(structure.unclustered) == structure.unclustered_counts.total
    assert "See all" not in content


def test_above_500_schools_the_structure_page_shows_counts_and_links_to_each_cluster(
    world, as_user
):
    grow(world, 600)
    response = as_user("officer").get("/structure/")
    content = response.content.decode()
    structure = response.context["structure"]
    assert not structure.inline
    assert "There are too many schools to list on one page." in content
    assert (
        structure.counts.total + structure.unclustered_counts.total + (structure.opted_out_total)
        == School.objects.open().count()
    )
    andover = next(n for n in structure.alliances[0].clusters if n.cluster == world.cluster_a1)
    assert andover.schools == []
    assert f'href="/structure/clusters/{world.cluster_a1.pk}/">Andover Cluster</a>' in content
    assert f">{andover.counts.total}</td>" in content
    assert len(structure.unclustered) == selectors.SUMMARY_LIST_LIMIT
    total = structure.unclustered_counts.total
    assert f"The first {selectors.SUMMARY_LIST_LIMIT}, by name:" in content
    assert f"See all {total} schools in no cluster" in content
    assert f"See all {structure.opted_out_total} schools that have opted out" in content


def test_counts_on_the_summary_come_from_the_database_as_on_the_listed_page(world, as_user):
    grow(world, 600)
    structure = as_user("officer").get("/structure/").context["structure"]
    in_a_cluster = School.objects.filter(
        pk__in=ClusterMembership.objects.current().values("school_id")
    )
    assert structure.counts.total == in_a_cluster.count()
    assert dict(structure.counts.phases) == {
        phase: in_a_cluster.filter(phase=phase).count()
        for phase in in_a_cluster.values_list("phase", flat=True).distinct()
    }


def test_alliance_chair_summary_counts_only_their_alliance(world, as_user):
    grow(world, 600)
    structure = as_user("alliance_chair").get("/structure/").context["structure"]
    assert [node.alliance for node in structure.alliances] == [world.alliance_a]
    in_north = ClusterMembership.objects.current().filter(cluster__alliance=world.alliance_a)
    assert structure.counts.total == in_north.count()
    assert structure.unclustered == [] and structure.opted_out_total == 0


def test_a_cluster_page_shows_fifty_schools_a_page_with_links_to_the_rest(world, as_user):
    grow(world, 1000)
    client = as_user("officer")
    url = f"/structure/clusters/{world.cluster_a1.pk}/"
    in_cluster = ClusterMembership.objects.current().filter(cluster=world.cluster_a1).count()
    first = client.get(url).content.decode()
    assert f"Showing 1 to 50 of {in_cluster} schools." in first
    assert 'href="?page=2&amp;left=1" rel="next"' in first
    assert first.count('name="move-schools"') == 50
    second = client.get(url + "?page=2").content.decode()
    assert f"Showing 51 to 100 of {in_cluster} schools." in second


def test_a_school_on_another_page_of_the_cluster_can_still_be_moved(world, as_user):
    grow(world, 1000)
    last = (
        ClusterMembership.objects.current()
        .filter(cluster=world.cluster_a1)
        .order_by("-school__name")
        .first()
        .school
    )
    response = as_user("officer").post(
        f"/structure/clusters/{world.cluster_a1.pk}/",
        {"action": "move", "move-schools": [last.pk], "move-target": world.cluster_b1.pk},
    )
    assert response.status_code == 302
    assert ClusterMembership.objects.current().get(school=last).cluster == world.cluster_b1


def test_cluster_lead_sees_only_their_clusters_schools_on_the_paged_page(world, as_user):
    grow(world, 1000)
    client = as_user("cluster_lead")
    content = client.get(f"/structure/clusters/{world.cluster_a1.pk}/").content.decode()
    assert "Ashdown Primary School" in content
    assert client.get(f"/structure/clusters/{world.cluster_b1.pk}/").status_code == 404


@pytest.mark.parametrize("persona", ["alliance_chair", "cluster_lead", "head_a"])
def test_only_partnership_wide_roles_open_the_lists_of_schools_outside_the_clusters(
    world, as_user, persona
):
    client = as_user(persona)
    assert client.get("/structure/schools/unclustered/").status_code == 403
    assert client.get("/structure/schools/opted-out/").status_code == 403


def test_the_list_of_schools_in_no_cluster_is_paged_and_offers_a_move(world, as_user):
    grow(world, 1000)
    content = as_user("officer").get("/structure/schools/unclustered/").content.decode()
    in_a_cluster = ClusterMembership.objects.current().values("school_id")
    total = School.objects.in_partnership().exclude(pk__in=in_a_cluster).count()
    assert f"Showing 1 to 50 of {total} schools" in content
    assert "Zeals Junior School" not in content or total <= 50
    assert "/move/" in content
    assert as_user("officer").get("/structure/schools/elsewhere/").status_code == 404
