"""Peer-review cycles: the proposal respects opt-outs and last cycle's pairs, the cluster lead's
moves keep groups of two or three, and every change of sharing is kept."""

import pytest
from django.core.exceptions import ValidationError

from clusters import peer_services as services
from clusters.peer_review_models import PeerReview, Sharing, SharingChange
from tests.clusters import peer_world
from tests.factories import MembershipFactory, SchoolFactory

peer, head_a2 = peer_world.peer, peer_world.head_a2
pytestmark = pytest.mark.django_db


def _groups(cycle) -> list[set[str]]:
    groups: dict[int, set] = {}
    for name, group in cycle.reviews.values_list("school__name", "group"):
        groups.setdefault(group, set()).add(name)
    return sorted(groups.values(), key=sorted)


def _cycle(world, name="Autumn reviews"):
    return services.cycle_create(
        cluster=world.cluster_a1,
        name=name,
        term="autumn",
        year=2026,
        focus_areas="Reading",
        by=None,
    )


def test_proposal_leaves_out_schools_opted_out_of_the_cycle_or_the_partnership(world):
    extra = [SchoolFactory(name=f"School {n}") for n in range(3)]
    for school in extra:
        MembershipFactory(school=school, cluster=world.cluster_a1)
    extra[0].opted_out = True
    extra[0].save()
    cycle = _cycle(world)
    services.cycle_opt_out_set(cycle=cycle, school=extra[1], opted_out=True, by=None)
    services.cycle_groups_propose(cycle=cycle, by=None)
    reviewed = set(cycle.reviews.values_list("school__name", flat=True))
    assert reviewed == {world.school_a.name, world.school_a2.name, "School 2"}
    assert _groups(cycle) == [reviewed]  # three schools: one triad


def test_proposal_avoids_the_pairs_of_the_clusters_last_cycle(world, peer):
    # Last cycle: A with A2, A3 with A4. This cycle must pair them differently.
    cycle = _cycle(world)
    services.cycle_groups_propose(cycle=cycle, by=None)
    for group in _groups(cycle):
        assert group not in [
            {world.school_a.name, world.school_a2.name},
            {peer.school_a3.name, peer.school_a4.name},
        ]


def test_proposal_needs_two_schools_taking_part(world):
    cycle = _cycle(world)
    services.cycle_opt_out_set(cycle=cycle, school=world.school_a, opted_out=True, by=None)
    with pytest.raises(ValidationError, match="At least 2 schools must take part"):
        services.cycle_groups_propose(cycle=cycle, by=None)


def test_opting_out_after_groups_are_proposed_is_refused(world, peer):
    with pytest.raises(ValidationError, match="ask the cluster lead to propose them again"):
        services.cycle_opt_out_set(cycle=peer.cycle, school=world.school_a, opted_out=True, by=None)


def test_groups_cannot_change_once_findings_are_written(peer):
    services.review_findings_write(
        review=peer.review_a, findings="Strong phonics.", next_steps="", grades={}, by=None
    )
    with pytest.raises(ValidationError, match="can no longer change"):
        services.cycle_groups_propose(cycle=peer.cycle, by=None)


def test_moving_a_school_that_would_leave_one_alone_is_refused(peer):
    with pytest.raises(ValidationError, match="alone in its group"):
        services.review_move(review=peer.review_a, group=2, by=None)


def test_moving_a_school_into_a_triad_from_a_triad_keeps_groups_of_two_or_three(world, peer):
    school = SchoolFactory(name="Anna Valley School")
    MembershipFactory(school=school, cluster=world.cluster_a1)
    PeerReview.objects.create(cycle=peer.cycle, school=school, group=1)
    moved = services.review_move(review=peer.review_a, group=2, by=None)
    assert moved.group == 2
    assert sorted(len(g) for g in _groups(peer.cycle)) == [2, 3]


def test_a_group_of_three_takes_no_fourth_school(world, peer):
    for name in ("Anna Valley School", "Andwell School"):
        school = SchoolFactory(name=name)
        MembershipFactory(school=school, cluster=world.cluster_a1)
        PeerReview.objects.create(cycle=peer.cycle, school=school, group=1 if "Anna" in name else 2)
    with pytest.raises(ValidationError, match="already has 3 schools"):
        services.review_move(review=peer.review_a, group=2, by=None)


def test_every_change_of_sharing_is_kept(peer, head_a):
    services.review_share(review=peer.review_a, sharing=Sharing.CLUSTER, by=head_a)
    services.review_share(review=peer.review_a, sharing=Sharing.PRIVATE, by=head_a)
    changes = list(SharingChange.objects.filter(review=peer.review_a).order_by("pk"))
    assert [(c.was, c.now, c.by) for c in changes] == [
        (Sharing.PRIVATE, Sharing.CLUSTER, head_a),
        (Sharing.CLUSTER, Sharing.PRIVATE, head_a),
    ]
    assert PeerReview.objects.get(pk=peer.review_a.pk).sharing == Sharing.PRIVATE


def test_sharing_at_the_same_level_again_is_refused(peer, head_a):
    with pytest.raises(ValidationError, match="already shared"):
        services.review_share(review=peer.review_a, sharing=Sharing.PRIVATE, by=head_a)


def test_findings_record_the_reviewers_judgements(peer, head_a2):
    services.review_findings_write(
        review=peer.review_a,
        findings="Reading is taught well.",
        next_steps="Share the phonics scheme.",
        grades={"quality": 2, "behaviour": None},
        by=head_a2,
    )
    review = PeerReview.objects.get(pk=peer.review_a.pk)
    assert review.status == PeerReview.Status.WRITTEN
    assert [(j.area, j.grade) for j in review.judgements.all()] == [("quality", 2)]


def test_the_reports_text_stays_out_of_the_audit_history(peer, head_a2):
    services.review_findings_write(
        review=peer.review_a, findings="Confidential finding.", next_steps="", grades={}, by=head_a2
    )
    record = PeerReview.history.filter(id=peer.review_a.pk).first()
    assert not hasattr(record, "findings")
    assert record.written_on is not None
