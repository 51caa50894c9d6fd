"""The structure services: every write, its refusals, its history and its dates."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from clusters import services
from clusters.models import Cluster, ClusterMembership
from clusters.selectors import previous_names
from partnership.models import Alliance
from schools.models import Status
from tests.factories import ClusterFactory, MembershipFactory, SchoolFactory, UserFactory

TODAY = timezone.localdate()
LAST_MONTH = TODAY - datetime.timedelta(days=30)
LAST_WEEK = TODAY - datetime.timedelta(days=7)


def current_cluster(school):
    membership = ClusterMembership.objects.current().filter(school=school).first()
    return membership.cluster if membership else None


@pytest.fixture
def officer_user(db):
    return UserFactory(email="structure.officer@example.org")


def test_alliance_create_adds_an_open_alliance_and_records_who(world, officer_user):
    alliance = services.alliance_create(
        partnership=world.partnership,
        name="  East   Alliance ",
        description="Coast",
        by=officer_user,
    )
    assert alliance.name == "East Alliance"
    assert alliance.is_open and alliance.partnership == world.partnership
    assert alliance.history.get().history_user == officer_user


def test_alliance_create_refuses_a_name_already_open_in_any_case(world, officer_user):
    with pytest.raises(ValidationError, match="There is already an open alliance called north"):
        services.alliance_create(
            partnership=world.partnership, name="north alliance", by=officer_user
        )
    assert Alliance.objects.count() == 2


def test_alliance_create_refuses_a_blank_name(world, officer_user):
    with pytest.raises(ValidationError, match="Enter the alliance's name"):
        services.alliance_create(partnership=world.partnership, name="   ", by=officer_user)


def test_alliance_rename_keeps_the_old_name_in_its_history(world, officer_user):
    services.alliance_rename(
        alliance=world.alliance_a, name="Test Valley Alliance", by=officer_user
    )
    world.alliance_a.refresh_from_db()
    assert world.alliance_a.name == "Test Valley Alliance"
    assert [p["name"] for p in previous_names(instance=world.alliance_a)] == ["North Alliance"]
    assert world.alliance_a.history.latest().history_user == officer_user


def test_alliance_rename_refuses_the_name_of_another_open_alliance(world, officer_user):
    with pytest.raises(ValidationError, match="already an open alliance called South Alliance"):
        services.alliance_rename(alliance=world.alliance_a, name="South Alliance", by=officer_user)


def test_alliance_close_is_refused_while_it_has_open_clusters(world, officer_user):
    with pytest.raises(ValidationError, match="still has 1 open cluster"):
        services.alliance_close(alliance=world.alliance_a, by=officer_user)
    world.alliance_a.refresh_from_db()
    assert world.alliance_a.is_open


def test_alliance_close_closes_an_alliance_without_open_clusters(world, officer_user):
    services.cluster_close(cluster=world.cluster_a1, by=officer_user)
    services.alliance_close(alliance=world.alliance_a, on=LAST_WEEK, by=officer_user)
    world.alliance_a.refresh_from_db()
    assert world.alliance_a.closed_on == LAST_WEEK


def test_closed_alliance_name_can_be_used_again(world, officer_user):
    services.cluster_close(cluster=world.cluster_a1, by=officer_user)
    services.alliance_close(alliance=world.alliance_a, by=officer_user)
    again = services.alliance_create(
        partnership=world.partnership, name="North Alliance", by=officer_user
    )
    assert again.pk != world.alliance_a.pk


def test_alliance_merge_moves_open_clusters_and_closes_the_source(world, officer_user):
    target = services.alliance_merge(
        source=world.alliance_a, target=world.alliance_b, by=officer_user
    )
    world.alliance_a.refresh_from_db()
    world.cluster_a1.refresh_from_db()
    assert target == world.alliance_b
    assert world.cluster_a1.alliance == world.alliance_b
    assert world.alliance_a.closed_on == TODAY
    assert world.alliance_a.merged_into == world.alliance_b
    assert world.cluster_a1.history.latest().history_user == officer_user
    # Schools stay in their cluster: merging alliances does not touch memberships.
    assert current_cluster(world.school_a) == world.cluster_a1


def test_alliance_merge_refuses_when_cluster_names_would_clash(world, officer_user):
    ClusterFactory(alliance=world.alliance_b, name="ANDOVER CLUSTER")
    with pytest.raises(ValidationError, match="already has clusters called Andover Cluster"):
        services.alliance_merge(source=world.alliance_a, target=world.alliance_b, by=officer_user)
    world.alliance_a.refresh_from_db()
    assert world.alliance_a.is_open


def test_alliance_merge_into_itself_is_refused(world, officer_user):
    with pytest.raises(ValidationError, match="Choose a different alliance"):
        services.alliance_merge(source=world.alliance_a, target=world.alliance_a, by=officer_user)


def test_cluster_create_records_its_links_and_lead(world, officer_user):
    lead = UserFactory()
    cluster = services.cluster_create(
        alliance=world.alliance_a,
        name="Romsey Cluster",
        linked_hub="Test Valley Teaching School Hub",
        school_improvement_partner="Jo Bloggs",
        communication_lead=lead,
        by=officer_user,
    )
    assert (cluster.alliance, cluster.communication_lead) == (world.alliance_a, lead)
    assert cluster.linked_hub == "Test Valley Teaching School Hub"
    assert cluster.history.get().history_user == officer_user


def test_cluster_create_refuses_a_duplicate_name_in_the_same_alliance(world, officer_user):
    with pytest.raises(ValidationError, match="North Alliance already has an open cluster"):
        services.cluster_create(alliance=world.alliance_a, name="andover cluster", by=officer_user)


def test_cluster_create_allows_the_same_name_in_another_alliance(world, officer_user):
    cluster = services.cluster_create(
        alliance=world.alliance_b, name="Andover Cluster", by=officer_user
    )
    assert cluster.alliance == world.alliance_b


def test_cluster_create_refuses_a_closed_alliance(world, officer_user):
    services.cluster_close(cluster=world.cluster_a1, by=officer_user)
    services.alliance_close(alliance=world.alliance_a, by=officer_user)
    with pytest.raises(ValidationError, match="North Alliance is closed"):
        services.cluster_create(alliance=world.alliance_a, name="New", by=officer_user)


def test_cluster_update_renames_and_keeps_history(world, officer_user):
    services.cluster_update(cluster=world.cluster_a1, name="Andover and Romsey", by=officer_user)
    world.cluster_a1.refresh_from_db()
    assert world.cluster_a1.name == "Andover and Romsey"
    assert [p["name"] for p in previous_names(instance=world.cluster_a1)] == ["Andover Cluster"]


def test_cluster_update_leaves_the_lead_unless_given(world, officer_user):
    lead = UserFactory()
    services.cluster_update(cluster=world.cluster_a1, communication_lead=lead, by=officer_user)
    services.cluster_update(cluster=world.cluster_a1, linked_hub="Hub", by=officer_user)
    world.cluster_a1.refresh_from_db()
    assert world.cluster_a1.communication_lead == lead
    services.cluster_update(cluster=world.cluster_a1, communication_lead=None, by=officer_user)
    world.cluster_a1.refresh_from_db()
    assert world.cluster_a1.communication_lead is None
    assert world.cluster_a1.linked_hub == "Hub"


def test_cluster_update_moves_the_cluster_to_another_alliance(world, officer_user):
    services.cluster_update(cluster=world.cluster_a1, alliance=world.alliance_b, by=officer_user)
    world.cluster_a1.refresh_from_db()
    assert world.cluster_a1.alliance == world.alliance_b


def test_cluster_update_refuses_a_name_taken_in_the_new_alliance(world, officer_user):
    with pytest.raises(ValidationError, match="already has an open cluster called"):
        services.cluster_update(
            cluster=world.cluster_a1,
            alliance=world.alliance_b,
            name="Bishops Waltham Cluster",
            by=officer_user,
        )


def test_cluster_close_ends_its_memberships_on_the_date(world, officer_user):
    services.cluster_close(cluster=world.cluster_a1, by=officer_user)
    world.cluster_a1.refresh_from_db()
    assert world.cluster_a1.closed_on == TODAY
    ended = ClusterMembership.objects.filter(cluster=world.cluster_a1)
    assert sorted(m.ended_on for m in ended) == [TODAY, TODAY]
    assert current_cluster(world.school_a) is None
    assert ended.first().history.latest().history_user == officer_user


def test_cluster_close_refuses_a_closed_cluster(world, officer_user):
    services.cluster_close(cluster=world.cluster_a1, by=officer_user)
    with pytest.raises(ValidationError, match="Andover Cluster is closed"):
        services.cluster_close(cluster=world.cluster_a1, by=officer_user)


def test_cluster_merge_moves_current_schools_and_closes_the_source(world, officer_user):
    target = services.cluster_merge(
        source=world.cluster_a1, target=world.cluster_b1, by=officer_user
    )
    world.cluster_a1.refresh_from_db()
    assert target == world.cluster_b1
    assert world.cluster_a1.merged_into == world.cluster_b1 and world.cluster_a1.closed_on == TODAY
    assert current_cluster(world.school_a) == world.cluster_b1
    assert current_cluster(world.school_a2) == world.cluster_b1
    old = ClusterMembership.objects.get(school=world.school_a, cluster=world.cluster_a1)
    assert old.ended_on == TODAY


def test_cluster_merge_into_a_closed_cluster_is_refused(world, officer_user):
    services.cluster_close(cluster=world.cluster_b1, by=officer_user)
    with pytest.raises(ValidationError, match="Bishops Waltham Cluster is closed"):
        services.cluster_merge(source=world.cluster_a1, target=world.cluster_b1, by=officer_user)
    assert current_cluster(world.school_a) == world.cluster_a1


def test_school_move_ends_the_old_membership_and_starts_a_new_one(world, officer_user):
    old = ClusterMembership.objects.get(school=world.school_a)
    old.started_on = LAST_MONTH
    old.save()
    new = services.school_move(
        school=world.school_a, cluster=world.cluster_b1, on=LAST_WEEK, by=officer_user
    )
    old.refresh_from_db()
    assert (old.started_on, old.ended_on) == (LAST_MONTH, LAST_WEEK)
    assert (new.cluster, new.started_on, new.ended_on) == (world.cluster_b1, LAST_WEEK, None)
    assert new.history.get().history_user == officer_user
    assert old.history.latest().history_user == officer_user
    assert old.history.latest().ended_on == LAST_WEEK


def test_school_move_to_its_own_cluster_changes_nothing(world, officer_user):
    membership = services.school_move(
        school=world.school_a, cluster=world.cluster_a1, by=officer_user
    )
    assert membership.ended_on is None
    assert ClusterMembership.objects.filter(school=world.school_a).count() == 1


def test_school_move_to_no_cluster_removes_it(world, officer_user):
    assert services.school_move(school=world.school_a, cluster=None, by=officer_user) is None
    assert current_cluster(world.school_a) is None
    assert ClusterMembership.objects.get(school=world.school_a).ended_on == TODAY


def test_school_move_puts_a_school_in_no_cluster_into_one(world, officer_user):
    services.school_move(school=world.school_z, cluster=world.cluster_b1, by=officer_user)
    assert current_cluster(world.school_z) == world.cluster_b1


def test_school_move_refuses_a_date_in_the_future(world, officer_user):
    with pytest.raises(ValidationError, match="today or in the past"):
        services.school_move(
            school=world.school_a,
            cluster=world.cluster_b1,
            on=TODAY + datetime.timedelta(days=1),
            by=officer_user,
        )


def test_school_move_refuses_a_date_before_the_school_joined(world, officer_user):
    with pytest.raises(ValidationError, match="the date must be on or after that"):
        services.school_move(
            school=world.school_a, cluster=world.cluster_b1, on=LAST_WEEK, by=officer_user
        )
    assert current_cluster(world.school_a) == world.cluster_a1


def test_school_move_refuses_a_closed_school(world, officer_user):
    closed = SchoolFactory(status=Status.CLOSED, name="Old School")
    with pytest.raises(ValidationError, match="Old School .* is closed"):
        services.school_move(school=closed, cluster=world.cluster_a1, by=officer_user)


def test_school_move_refuses_an_opted_out_school(world, officer_user):
    out = SchoolFactory(opted_out=True, name="Independent Minded School")
    with pytest.raises(ValidationError, match="has opted out of the partnership"):
        services.school_move(school=out, cluster=world.cluster_a1, by=officer_user)


def test_school_move_into_a_closed_cluster_is_refused(world, officer_user):
    services.cluster_close(cluster=world.cluster_b1, by=officer_user)
    with pytest.raises(ValidationError, match="Bishops Waltham Cluster is closed"):
        services.school_move(school=world.school_a, cluster=world.cluster_b1, by=officer_user)


def test_schools_move_counts_only_schools_that_changed_cluster(world, officer_user):
    moved = services.schools_move(
        schools=[world.school_a, world.school_b, world.school_z],
        cluster=world.cluster_b1,
        by=officer_user,
    )
    assert moved == 2  # school B was already there
    for school in (world.school_a, world.school_b, world.school_z):
        assert current_cluster(school) == world.cluster_b1
    assert ClusterMembership.objects.filter(school=world.school_b).count() == 1


def test_schools_move_is_all_or_nothing(world, officer_user):
    closed = SchoolFactory(status=Status.CLOSED)
    with pytest.raises(ValidationError):
        services.schools_move(
            schools=[world.school_a, closed], cluster=world.cluster_b1, by=officer_user
        )
    assert current_cluster(world.school_a) == world.cluster_a1


def test_database_refuses_a_second_open_membership_for_a_school(world):
    with (
        pytest.raises(IntegrityError, match="one_current_cluster_per_school"),
        transaction.atomic(),
    ):
        MembershipFactory(school=world.school_a, cluster=world.cluster_b1)


def test_database_refuses_a_membership_that_ends_before_it_starts(world):
    with pytest.raises(IntegrityError, match="membership_ends_after_start"), transaction.atomic():
        MembershipFactory(
            school=world.school_z,
            cluster=world.cluster_b1,
            started_on=TODAY,
            ended_on=LAST_WEEK,
        )


def test_database_refuses_two_open_clusters_of_one_name_in_an_alliance(world):
    with (
        pytest.raises(IntegrityError, match="cluster_open_name_unique_in_alliance"),
        transaction.atomic(),
    ):
        Cluster.objects.create(alliance=world.alliance_a, name="Andover Cluster")
