"""The school's self-evaluation beside its adviser's and peer reviewers' judgements, on the
school's page and the self-evaluation page, for the head and those allowed to see it."""

from datetime import date

import pytest

from clusters.peer_judgements import judgements_compare, self_evaluation_record
from clusters.peer_review_models import Judgement, PeerReview, Sharing
from clusters.visit_services import visit_note_write
from tests.clusters import peer_world

peer, head_a3 = peer_world.peer, peer_world.head_a3
pytestmark = pytest.mark.django_db


@pytest.fixture
def judged(world, peer, officer, head_a):
    self_evaluation_record(school=world.school_a, grades={"quality": 1}, by=head_a)
    visit_note_write(
        school=world.school_a,
        visited_on=date(2026, 2, 3),
        focus="F",
        notes="N",
        grades={"quality": 2},
        by=officer,
    )
    PeerReview.objects.filter(pk=peer.review_a.pk).update(written_on=date(2026, 3, 1))
    Judgement.objects.create(
        school=world.school_a, source="peer", area="quality", grade=3, peer_review=peer.review_a
    )


def _quality(compare) -> tuple:
    row = compare["areas"][0]
    return tuple(j.grade if j else None for j in (row["self"], row["adviser"], row["peer"]))


def test_the_head_sees_all_three_judgements_side_by_side(world, judged, head_a):
    assert _quality(judgements_compare(school=world.school_a, user=head_a)) == (1, 2, 3)


def test_an_officer_sees_the_peer_judgement_only_once_the_report_is_shared(
    world, judged, officer, peer
):
    assert _quality(judgements_compare(school=world.school_a, user=officer)) == (1, 2, None)
    peer_world.share(peer.review_a, Sharing.ALLIANCE)
    assert _quality(judgements_compare(school=world.school_a, user=officer)) == (1, 2, 3)


def test_a_head_in_the_cluster_sees_only_a_shared_peer_judgement(world, judged, peer, head_a3):
    assert judgements_compare(school=world.school_a, user=head_a3) is None
    peer_world.share(peer.review_a, Sharing.CLUSTER)
    compare = judgements_compare(school=world.school_a, user=head_a3)
    assert compare["sees_notes"] is False
    assert compare["areas"][0]["peer"].grade == 3


def test_the_school_page_shows_the_comparison_to_its_head(world, judged, client, head_a):
    client.force_login(head_a)
    page = client.get(f"/schools/{world.school_a.urn}/").content.decode()
    assert "Self-evaluation beside the adviser" in page
    assert "Record your self-evaluation" in page


def test_the_school_page_hides_the_comparison_from_the_cluster_lead(
    world, judged, client, cluster_lead
):
    client.force_login(cluster_lead)
    response = client.get(f"/schools/{world.school_a.urn}/")
    assert response.status_code == 200
    assert "Self-evaluation beside the adviser" not in response.content.decode()


def test_the_head_records_the_self_evaluation(world, client, head_a):
    client.force_login(head_a)
    url = f"/structure/self-evaluation/{world.school_a.urn}/"
    refused = client.post(url, {})
    assert "Choose a judgement for at least one area" in refused.content.decode()
    client.post(url, {"grade_leadership": "2"})
    judgement = Judgement.objects.get(source="self")
    assert (judgement.area, judgement.grade, judgement.by) == ("leadership", 2, head_a)


@pytest.mark.parametrize("persona", ["officer", "cluster_lead", "head_b"])
def test_only_the_head_records_the_self_evaluation(world, client, request, persona):
    client.force_login(request.getfixturevalue(persona))
    url = f"/structure/self-evaluation/{world.school_a.urn}/"
    assert client.post(url, {"grade_leadership": "2"}).status_code in (403, 404)
    assert not Judgement.objects.exists()
