"""Who reads a peer review's report: the reviewed head decides (private, cluster, alliance,
board), from both sides of each level; and who knows the review happened."""

import pytest

from clusters.peer_review_models import PeerReview, Sharing
from tests.clusters import peer_world

chair_b, head_a2, head_a3 = peer_world.chair_b, peer_world.head_a2, peer_world.head_a3
other_lead, peer, share = peer_world.other_lead, peer_world.peer, peer_world.share

pytestmark = pytest.mark.django_db

# Who reads the report of school A's review at each level (each reaches the levels above it).
ALWAYS = {"head_a", "head_a2"}  # the school and its reviewer
CLUSTER = ALWAYS | {"head_a3", "cluster_lead"}
ALLIANCE = CLUSTER | {"alliance_chair", "other_lead", "officer"}
BOARD = ALLIANCE | {"board_member", "board_chair"}
READERS = {
    Sharing.PRIVATE: ALWAYS,
    Sharing.CLUSTER: CLUSTER,
    Sharing.ALLIANCE: ALLIANCE,
    Sharing.BOARD: BOARD,
}
EVERYONE = sorted(BOARD | {"head_b", "chair_b", "provider", "no_role"})


@pytest.mark.parametrize("level", list(Sharing))
@pytest.mark.parametrize("persona", EVERYONE)
def test_report_is_read_only_by_those_the_sharing_level_reaches(peer, request, level, persona):
    share(peer.review_a, level)
    user = request.getfixturevalue(persona)
    reads = PeerReview.objects.visible_to(user).filter(pk=peer.review_a.pk).exists()
    assert reads == (persona in READERS[level])


def test_headteacher_of_another_cluster_never_reads_a_report_even_shared_with_the_board(
    peer, head_b
):
    share(peer.review_a, Sharing.BOARD)
    assert not PeerReview.objects.visible_to(head_b).exists()


def test_withdrawn_sharing_stops_the_cluster_reading_it(peer, head_a3):
    share(peer.review_a, Sharing.CLUSTER)
    assert PeerReview.objects.visible_to(head_a3).filter(pk=peer.review_a.pk).exists()
    share(peer.review_a, Sharing.PRIVATE)
    assert not PeerReview.objects.visible_to(head_a3).filter(pk=peer.review_a.pk).exists()


def test_reviewers_read_only_their_own_groups_reports(peer, head_a2):
    readable = set(PeerReview.objects.visible_to(head_a2).values_list("school__name", flat=True))
    assert readable == {"Ashdown Primary School", "Abbotts Ann Primary School"}


@pytest.mark.parametrize(
    "persona, listed",
    [
        ("officer", True),
        ("board_member", True),
        ("alliance_chair", True),
        ("cluster_lead", True),
        ("head_a3", True),
        ("other_lead", False),
        ("head_b", False),
        ("chair_b", False),
        ("provider", False),
        ("no_role", False),
    ],
)
def test_who_knows_a_private_review_happened(peer, request, persona, listed):
    user = request.getfixturevalue(persona)
    assert PeerReview.objects.listed_to(user).filter(pk=peer.review_a.pk).exists() == listed
