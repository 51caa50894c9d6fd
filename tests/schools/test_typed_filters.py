"""The register's local authority, trust and cluster filters at national scale: typed names
matched on the server (no list of 1,500 options), with suggestions from a JSON endpoint scoped
to what each user sees."""

import pytest

from clusters.models import ClusterMembership
from schools.models import School, Trust
from tests.factories import ClusterFactory, SchoolFactory, TrustFactory
from tests.schools.test_school_list import LIST, labels, suggested

SUGGEST = f"{LIST}suggestions/"


@pytest.fixture
def named(world):
    """Two trusts, one named inside the other; school Z in Surrey."""
    oak, oak_north = TrustFactory(name="Oak Trust"), TrustFactory(name="Oak Trust North")
    School.objects.filter(pk=world.school_a.pk).update(trust=oak)
    School.objects.filter(pk=world.school_a2.pk).update(trust=oak_north)
    School.objects.filter(pk=world.school_z.pk).update(la_code="936", la_name="Surrey")
    return oak


@pytest.mark.parametrize(
    "query,expected",
    [
        ("?la=Surrey", {"Z"}),
        ("?la=surrey+(936)", {"Z"}),
        ("?la=936", {"Z"}),
        ("?la=hamp", {"A", "A2", "B"}),
        ("?trust=Oak+Trust", {"A"}),
        ("?trust=oak+trust", {"A"}),
        ("?trust=oak", {"A", "A2"}),
        ("?trust=north", {"A2"}),
        ("?cluster=Andover+Cluster+(North+Alliance)", {"A", "A2"}),
        ("?cluster=andover", {"A", "A2"}),
        ("?cluster=cluster", {"A", "A2", "B"}),
        ("?la=Hampshire&trust=oak&cluster=andover", {"A", "A2"}),
        ("?trust=no+such+trust", set()),
        ("?cluster=no+such+cluster", set()),
    ],
)
def test_officer_filters_by_typed_names(as_user, named, query, expected):
    response = as_user("officer").get(LIST + query)
    assert response.status_code == 200
    assert labels(response) == expected


def test_the_typed_filters_are_text_inputs_that_keep_what_was_typed(as_user, named):
    content = as_user("officer").get(f"{LIST}?trust=oak&la=Surrey+(936)").content.decode()
    assert 'name="trust" value="oak"' in content
    assert 'name="la" value="Surrey (936)"' in content
    assert "<option" in content  # the alliance filter is still a list of eight or so
    assert 'data-suggest="/schools/suggestions/trust/"' in content
    assert "Oak Trust North" not in content  # not offered as an option


def test_cluster_lead_cannot_filter_into_another_cluster_by_its_name(as_user, world):
    client = as_user("cluster_lead")
    assert labels(client.get(f"{LIST}?cluster=Bishops+Waltham")) == set()
    assert labels(client.get(f"{LIST}?cluster={world.cluster_b1.pk}")) == set()
    assert suggested(client, "cluster", "bishops") == []


@pytest.mark.parametrize(
    ("persona", "field", "text", "expected"),
    [
        ("officer", "trust", "oak", ["Oak Trust", "Oak Trust North"]),
        ("officer", "trust", "north", ["Oak Trust North"]),
        ("cluster_lead", "trust", "oak", ["Oak Trust", "Oak Trust North"]),
        ("head_a", "trust", "oak", ["Oak Trust"]),
        ("head_b", "trust", "oak", []),
        ("head_a", "la", "s", ["Hampshire (850)"]),
        ("head_a", "la", "surrey", []),
        ("officer", "la", "s", ["Surrey (936)", "Hampshire (850)"]),
        ("head_a", "cluster", "a", ["Andover Cluster (North Alliance)"]),
        ("head_b", "cluster", "a", ["Bishops Waltham Cluster (South Alliance)"]),
        ("provider", "cluster", "a", []),
        ("officer", "cluster", "", []),
    ],
)
def test_suggestions_come_only_from_what_the_persona_sees(
    as_user, named, persona, field, text, expected
):
    assert suggested(as_user(persona), field, text) == expected


def test_suggestions_need_a_signed_in_user_with_the_register(client, as_user, world):
    assert client.get(f"{SUGGEST}trust/?q=oak")["Location"].startswith("/accounts/login/")
    assert as_user("no_role").get(f"{SUGGEST}trust/?q=oak").status_code == 403
    assert as_user("officer").get(f"{SUGGEST}school/?q=oak").status_code == 404


def test_suggestions_put_names_that_start_with_the_text_first_and_stop_at_ten(as_user, world):
    for n in range(12):
        TrustFactory(name=f"The Valley Trust {n:02d}")
    TrustFactory(name="Valley Schools Trust")
    schools = School.objects.bulk_create(
        SchoolFactory.build(urn=400000 + n, trust=trust)
        for n, trust in enumerate(__import__("schools.models").models.Trust.objects.order_by("pk"))
    )
    assert schools
    names = suggested(as_user("officer"), "trust", "valley")
    assert len(names) == 10
    assert names[0] == "Valley Schools Trust"


def _national(first_urn: int, count: int, world) -> None:
    """``count`` schools, each with a trust, LA and cluster of its own: the options a list of
    choices would have to offer grow with them."""
    trusts = Trust.objects.bulk_create(
        TrustFactory.build(name=f"Trust {first_urn + n}") for n in range(count)
    )
    clusters = [
        ClusterFactory(alliance=world.alliance_a, name=f"Cluster {first_urn + n}")
        for n in range(count // 20)
    ]
    schools = School.objects.bulk_create(
        SchoolFactory.build(
            urn=first_urn + n,
            trust=trusts[n],
            la_code=str(100 + (first_urn + n) % 900),
            la_name=f"Authority {(first_urn + n) % 900}",
        )
        for n in range(count)
    )
    ClusterMembership.objects.bulk_create(
        ClusterMembership(school=school, cluster=clusters[n % len(clusters)])
        for n, school in enumerate(schools)
    )


@pytest.mark.parametrize("persona", ["officer", "alliance_chair"])
def test_register_page_does_not_grow_with_the_trusts_las_and_clusters_from_200_to_2000(
    as_user, world, persona, django_assert_max_num_queries
):
    client = as_user(persona)
    _national(600000, 200, world)
    small = client.get(LIST)
    _national(700000, 1800, world)
    with django_assert_max_num_queries(12):
        large = client.get(LIST)
    assert large.content.count(b"<option") == small.content.count(b"<option") <= 10
    assert len(large.content) <= len(small.content) * 1.02
