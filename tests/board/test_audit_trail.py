"""The audit trail: who changed schools, the structure and roles, what changed, and when."""

from datetime import timedelta

import pytest
from django.utils import timezone

from board.audit import PAGE_SIZE, audit_trail
from clusters.models import ClusterMembership
from kernel.audit import audit_kinds
from tests.factories import SchoolFactory, UserFactory

TODAY = timezone.localdate()


def _rename(school, name: str, by=None, reason: str | None = None):
    school.name = name
    school._history_user = by
    if reason:
        school._change_reason = reason
    school.save()


def _entries(response):
    return response.context["trail"].entries


def test_audit_trail_shows_a_school_rename_with_who_and_the_old_and_new_name(
    as_user, officer, world
):
    _rename(world.school_a, "Ashdown Church of England Primary School", by=officer)
    response = as_user("officer").get("/people/audit/", {"kind": "school"})
    entry = _entries(response)[0]
    assert entry.who == officer
    assert entry.action == "Changed"
    assert [(c.field, c.old, c.new) for c in entry.changes] == [
        ("Name", "Ashdown Primary School", "Ashdown Church of England Primary School")
    ]
    content = response.content.decode()
    assert str(officer) in content
    assert "Ashdown Primary School → Ashdown Church of England Primary School" in content
    assert 'href="/schools/100001/"' in content


def test_audit_trail_shows_who_gave_a_role(as_user, officer, world):
    person = UserFactory(email="new.head@example.org", first_name="Ria", last_name="Patel")
    as_user("officer").post(f"/people/{person.pk}/", {"role": "headteacher", "school": "100003"})
    response = as_user("officer").get("/people/audit/", {"kind": "role"})
    entry = _entries(response)[0]
    assert entry.action == "Created"
    assert entry.who == officer
    assert entry.object_label == "Ria Patel: Headteacher, Bramley Infant School (100003)"
    assert entry.object_url == f"/people/{person.pk}/"


def test_audit_trail_shows_a_school_moving_cluster(as_user, officer, world):
    membership = ClusterMembership.objects.get(school=world.school_a)
    membership.ended_on = TODAY
    membership._history_user = officer
    membership.save()
    moved = ClusterMembership(school=world.school_a, cluster=world.cluster_b1)
    moved._history_user = officer
    moved.save()

    response = as_user("officer").get("/people/audit/", {"kind": "membership"})
    created, ended = _entries(response)[:2]
    assert created.action == "Created"
    assert created.object_label == "Ashdown Primary School (100001) in Bishops Waltham Cluster"
    assert ended.action == "Changed"
    assert ended.object_label == "Ashdown Primary School (100001) in Andover Cluster"
    assert [(c.field, c.old) for c in ended.changes] == [("Ended on", "–")]
    assert {created.who, ended.who} == {officer}


def test_a_change_of_cluster_names_the_old_and_new_alliance(world, officer):
    cluster = world.cluster_a1
    cluster.alliance = world.alliance_b
    cluster._history_user = officer
    cluster.save()
    entry = audit_trail(kind="cluster").entries[0]
    assert [(c.field, c.old, c.new) for c in entry.changes] == [
        ("Alliance", "North Alliance", "South Alliance")
    ]


def test_changes_with_no_one_signed_in_are_shown_as_the_system_or_their_reason(world):
    _rename(world.school_b, "Bramley Church of England Infant School", reason="GIAS import")
    _rename(world.school_z, "Zeals Junior", by=None)
    entries = audit_trail(kind="school").entries
    assert (entries[0].object_label, entries[0].who_label) == ("Zeals Junior (100004)", "System")
    assert entries[1].who_label == "GIAS import"


def test_audit_trail_filters_by_person_and_by_system(as_user, officer, world):
    _rename(world.school_a, "Renamed by the officer", by=officer)
    _rename(world.school_b, "Renamed by an import", reason="GIAS import")
    client = as_user("officer")
    by_officer = _entries(client.get("/people/audit/", {"person": officer.pk}))
    assert [e.object_label for e in by_officer] == ["Renamed by the officer (100001)"]
    by_system = _entries(client.get("/people/audit/", {"person": "system"}))
    assert by_system and all(e.who is None for e in by_system)
    assert "Renamed by the officer (100001)" not in [e.object_label for e in by_system]


def test_audit_trail_filters_by_kind_of_record(as_user, officer, world):
    entries = _entries(as_user("officer").get("/people/audit/", {"kind": "alliance"}))
    assert {e.object_label for e in entries} == {"North Alliance", "South Alliance"}
    assert {e.kind for e in entries} == {"alliance"}


def test_audit_trail_is_newest_first_across_kinds(world, officer):
    _rename(world.school_a, "First change", by=officer)
    world.alliance_a.description = "Second change"
    world.alliance_a._history_user = officer
    world.alliance_a.save()
    entries = audit_trail().entries
    assert [e.kind for e in entries[:2]] == ["alliance", "school"]
    assert entries[0].when >= entries[1].when


def test_a_deleted_record_is_shown_as_deleted_without_a_link(world, officer):
    school = SchoolFactory(name="Opened in error", urn=199999)
    school._history_user = officer
    school.delete()
    entry = audit_trail(kind="school").entries[0]
    assert (entry.action, entry.object_label, entry.object_url) == (
        "Deleted",
        "Opened in error (199999)",
        None,
    )


def test_audit_trail_pages_through_older_changes(world, officer):
    for n in range(PAGE_SIZE + 5):
        _rename(world.school_a, f"Name {n}", by=officer)
    first = audit_trail(kind="school")
    second = audit_trail(kind="school", page=2)
    assert first.has_next and not first.has_previous
    assert second.has_previous
    assert first.entries[0].changes[0].new == f"Name {PAGE_SIZE + 4}"
    assert {id(e) for e in first.entries}.isdisjoint({id(e) for e in second.entries})
    assert second.entries[0].changes[0].new == "Name 4"


def _make_changes(world, officer, count: int):
    for n in range(count):
        _rename(world.school_a, f"School name {n}", by=officer)
        world.cluster_a1.name = f"Cluster name {n}"
        world.cluster_a1._history_user = officer
        world.cluster_a1.save()
        membership = ClusterMembership.objects.get(school=world.school_b, ended_on__isnull=True)
        membership.started_on = TODAY - timedelta(days=n)
        membership._history_user = officer
        membership.save()


@pytest.mark.parametrize("changes", [2, 40])
def test_audit_trail_queries_do_not_grow_with_the_changes_shown(
    as_user, officer, world, django_assert_max_num_queries, changes
):
    _make_changes(world, officer, changes)
    client = as_user("officer")
    # One query per kind of record (each app registers its history tables), their previous
    # versions, names for changed keys, the filter's people, and the session and roles of the
    # signed-in officer: fixed for an installation, whatever the number of changes.
    ceiling = 16 + len(audit_kinds())
    with django_assert_max_num_queries(ceiling):
        response = client.get("/people/audit/")
    assert response.status_code == 200
    assert len(_entries(response)) == min(PAGE_SIZE, 3 * changes + 13)
    with django_assert_max_num_queries(ceiling):
        assert client.get("/people/audit/", {"page": 2}).status_code == 200


@pytest.mark.parametrize(
    "persona",
    ["board_chair", "alliance_chair", "cluster_lead", "head_a", "provider"],
)
def test_only_officers_see_the_audit_trail(as_user, persona):
    assert as_user(persona).get("/people/audit/").status_code == 403


def test_officer_sees_the_audit_trail(as_user, officer):
    assert as_user("officer").get("/people/audit/").status_code == 200


def test_anonymous_visitor_is_sent_to_sign_in_from_the_audit_trail(client, db):
    response = client.get("/people/audit/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/people/audit/"


def test_audit_link_shows_in_the_navigation_only_for_officers(as_user, officer, board_chair):
    assert 'href="/people/audit/"' in as_user("officer").get("/").content.decode()
    assert 'href="/people/audit/"' not in as_user("board_chair").get("/").content.decode()
