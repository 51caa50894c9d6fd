import pytest

from clusters.models import Cluster
from partnership.models import Alliance
from schools.models import School

# Which schools of the world each persona sees on the register.
SCHOOLS_SEEN = {
    "officer": {"A", "A2", "B", "Z"},
    "board_chair": {"A", "A2", "B", "Z"},
    "board_member": {"A", "A2", "B", "Z"},
    "alliance_chair": {"A", "A2"},
    "cluster_lead": {"A", "A2"},
    "head_a": {"A"},
    "head_b": {"B"},
    "provider": set(),
    "no_role": set(),
}


def _labels(world, schools):
    names = {
        world.school_a.pk: "A",
        world.school_a2.pk: "A2",
        world.school_b.pk: "B",
        world.school_z.pk: "Z",
    }
    return {names[s.pk] for s in schools}


@pytest.mark.parametrize("persona,expected", SCHOOLS_SEEN.items())
def test_each_persona_sees_exactly_their_schools(request, world, persona, expected):
    user = request.getfixturevalue(persona)
    assert _labels(world, School.objects.visible_to(user)) == expected


@pytest.mark.parametrize(
    "persona,expected",
    [
        ("officer", {"North Alliance", "South Alliance"}),
        ("alliance_chair", {"North Alliance"}),
        ("cluster_lead", {"North Alliance"}),
        ("head_b", {"South Alliance"}),
        ("provider", set()),
    ],
)
def test_alliances_visible_by_role(request, world, persona, expected):
    user = request.getfixturevalue(persona)
    assert {a.name for a in Alliance.objects.all().visible_to(user)} == expected


@pytest.mark.parametrize(
    "persona,expected",
    [
        ("board_member", {"Andover Cluster", "Bishops Waltham Cluster"}),
        ("alliance_chair", {"Andover Cluster"}),
        ("head_a", {"Andover Cluster"}),
        ("head_b", {"Bishops Waltham Cluster"}),
        ("no_role", set()),
    ],
)
def test_clusters_visible_by_role(request, world, persona, expected):
    user = request.getfixturevalue(persona)
    assert {c.name for c in Cluster.objects.all().visible_to(user)} == expected


def test_headteacher_may_see_own_school_confidential_data_but_not_another(world, head_a):
    assert head_a.has_perm("schools.view_confidential", world.school_a)
    assert not head_a.has_perm("schools.view_confidential", world.school_a2)
    assert not head_a.has_perm("schools.view_confidential", world.school_b)


def test_cluster_lead_cannot_see_confidential_data_of_cluster_schools(world, cluster_lead):
    assert cluster_lead.has_perm("schools.view_school", world.school_a)
    assert not cluster_lead.has_perm("schools.view_confidential", world.school_a)


@pytest.mark.parametrize("persona", ["officer"])
def test_only_officers_change_the_structure_and_register(request, world, persona):
    user = request.getfixturevalue(persona)
    assert user.has_perm("clusters.change_structure")
    assert user.has_perm("schools.import_register")


@pytest.mark.parametrize(
    "persona",
    ["board_chair", "board_member", "alliance_chair", "cluster_lead", "head_a", "provider"],
)
def test_other_roles_cannot_change_structure_or_register(request, world, persona):
    user = request.getfixturevalue(persona)
    assert not user.has_perm("clusters.change_structure")
    assert not user.has_perm("schools.import_register")
    assert not user.has_perm("partnership.manage_people")


def test_ended_role_gives_no_access(world, head_a):
    from datetime import date, timedelta

    assignment = head_a.role_assignments.get()
    assignment.ends_on = date.today() - timedelta(days=1)
    assignment.starts_on = date.today() - timedelta(days=10)
    assignment.save()
    head_a.refresh_from_db()
    assert not School.objects.visible_to(head_a).exists()
