"""The demo's peer reviews and visit notes (board/demo_peer.py), in the personas' world."""

import pytest

from board.demo_peer import demo_peer_load
from clusters.peer_review_models import Judgement, PeerReview, PeerReviewCycle, Sharing
from clusters.visit_models import VisitNote
from partnership.models import Role
from tests.clusters.peer_world import persona
from tests.factories import MembershipFactory, SchoolFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_people(world, officer):
    for n in range(3):
        MembershipFactory(school=SchoolFactory(name=f"Demo School {n}"), cluster=world.cluster_a1)
    persona("head@example.org", Role.HEADTEACHER, school=world.school_a)
    persona("cluster.lead@example.org", Role.CLUSTER_LEAD, cluster=world.cluster_a1)
    persona("alliance.chair@example.org", Role.ALLIANCE_CHAIR, alliance=world.alliance_a)


def test_the_demo_has_a_cycle_with_one_report_shared_with_the_cluster_and_one_private(
    world, demo_people
):
    demo_peer_load()
    cycle = PeerReviewCycle.objects.get()
    assert cycle.reviews.count() == 5
    written = PeerReview.objects.filter(written_on__isnull=False)
    assert sorted(written.values_list("sharing", flat=True)) == [Sharing.PRIVATE, Sharing.CLUSTER]
    assert written.get(sharing=Sharing.CLUSTER).school == world.school_a


def test_the_demo_has_two_visit_notes_one_marked_inaccurate_and_corrected(world, demo_people):
    demo_peer_load()
    latest = VisitNote.objects.latest().order_by("visited_on")
    assert [note.version for note in latest] == [1, 2]
    assert latest[0].response.accurate is True
    assert latest[1].previous.response.accurate is False
    assert Judgement.objects.filter(school=world.school_a, source="self").count() == 4


def test_the_demo_loads_once(world, demo_people):
    demo_peer_load()
    demo_peer_load()
    assert PeerReviewCycle.objects.count() == 1
    assert VisitNote.objects.count() == 3
