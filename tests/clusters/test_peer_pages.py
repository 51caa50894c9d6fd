"""The peer-review pages from both sides: cycle list and detail, the review page, the findings
form for reviewers, the move and schedule forms for the cluster lead, and the sharing controls
only the reviewed head holds."""

from datetime import date

import pytest

from clusters.peer_review_models import PeerReview, PeerReviewCycle, Sharing, SharingChange
from tests.clusters import peer_world

peer, head_a2, head_a3 = peer_world.peer, peer_world.head_a2, peer_world.head_a3
share = peer_world.share
pytestmark = pytest.mark.django_db


@pytest.fixture
def client_of(request, client):
    def _client(persona: str):
        client.force_login(request.getfixturevalue(persona))
        return client

    return _client


def review_url(review, tail="") -> str:
    return f"/structure/peer-reviews/reviews/{review.pk}/{tail}"


@pytest.mark.parametrize("persona", ["officer", "cluster_lead", "alliance_chair", "head_a"])
def test_cycle_list_shows_the_cycles_of_the_users_clusters(peer, client_of, persona):
    response = client_of(persona).get("/structure/peer-reviews/")
    assert response.status_code == 200
    assert "Spring reviews" in response.content.decode()


@pytest.mark.parametrize("persona", ["head_b", "provider"])
def test_cycle_list_hides_other_clusters_cycles(peer, client_of, persona):
    response = client_of(persona).get("/structure/peer-reviews/")
    assert "Spring reviews" not in response.content.decode()


def test_a_user_with_no_role_cannot_open_peer_reviews(peer, client_of):
    assert client_of("no_role").get("/structure/peer-reviews/").status_code == 403


def test_cycle_detail_of_another_cluster_is_not_found(peer, client_of):
    response = client_of("head_b").get(f"/structure/peer-reviews/{peer.cycle.pk}/")
    assert response.status_code == 404


@pytest.mark.parametrize(
    "persona, allowed",
    [("cluster_lead", True), ("officer", True), ("head_a", False), ("alliance_chair", False)],
)
def test_only_the_cluster_lead_and_officers_start_or_propose_cycles(
    peer, client_of, persona, allowed
):
    client = client_of(persona)
    assert (client.get("/structure/peer-reviews/new/").status_code == 200) == allowed
    response = client.post(f"/structure/peer-reviews/{peer.cycle.pk}/propose/")
    assert (response.status_code == 302) == allowed


def test_cluster_lead_starts_a_cycle_in_their_cluster(world, client_of):
    response = client_of("cluster_lead").post(
        "/structure/peer-reviews/new/",
        {
            "cluster": world.cluster_a1.pk,
            "name": "Summer reviews",
            "term": "summer",
            "year": "2026",
            "focus_areas": "Reading\nWriting",
        },
    )
    cycle = PeerReviewCycle.objects.get(name="Summer reviews")
    assert response["Location"] == f"/structure/peer-reviews/{cycle.pk}/"
    assert cycle.focus_list == ["Reading", "Writing"]


def test_cluster_lead_cannot_start_a_cycle_in_another_cluster(world, client_of):
    response = client_of("cluster_lead").post(
        "/structure/peer-reviews/new/",
        {"cluster": world.cluster_b1.pk, "name": "X", "term": "summer", "year": "2026"},
    )
    assert response.status_code == 200
    assert response.content.decode().count("Error: ") == 1
    assert not PeerReviewCycle.objects.filter(name="X").exists()


@pytest.mark.parametrize("persona", ["head_a", "head_a2"])
def test_the_school_and_its_reviewer_read_a_private_report(peer, client_of, persona):
    PeerReview.objects.filter(pk=peer.review_a.pk).update(
        findings="Reading is taught well.", written_on=date(2026, 3, 1)
    )
    response = client_of(persona).get(review_url(peer.review_a))
    assert "Reading is taught well." in response.content.decode()


@pytest.mark.parametrize("persona", ["head_a3", "head_b", "board_member", "provider"])
def test_others_cannot_open_a_private_report(peer, client_of, persona):
    assert client_of(persona).get(review_url(peer.review_a)).status_code == 404


def test_officer_sees_a_private_reviews_status_but_not_its_findings(peer, client_of):
    PeerReview.objects.filter(pk=peer.review_a.pk).update(
        findings="Reading is taught well.", written_on=date(2026, 3, 1)
    )
    page = client_of("officer").get(review_url(peer.review_a)).content.decode()
    assert "Findings written" in page
    assert "Reading is taught well." not in page
    assert "has not shared this report with you" in page


def test_a_head_in_the_cluster_reads_a_report_shared_with_the_cluster(peer, client_of):
    PeerReview.objects.filter(pk=peer.review_a.pk).update(
        findings="Reading is taught well.", written_on=date(2026, 3, 1), sharing=Sharing.CLUSTER
    )
    page = client_of("head_a3").get(review_url(peer.review_a)).content.decode()
    assert "Reading is taught well." in page


def test_the_reviewer_writes_the_findings(peer, client_of):
    response = client_of("head_a2").post(
        review_url(peer.review_a, "findings/"),
        {"findings": "Strong phonics.", "next_steps": "Visit Year 1.", "grade_quality": "2"},
    )
    assert response.status_code == 302
    review = PeerReview.objects.get(pk=peer.review_a.pk)
    assert review.findings == "Strong phonics."


@pytest.mark.parametrize("persona", ["head_a", "head_a3", "cluster_lead", "officer"])
def test_only_reviewers_write_findings(peer, client_of, persona):
    assert client_of(persona).get(review_url(peer.review_a, "findings/")).status_code in (403, 404)


def test_the_reviewed_head_shares_and_withdraws_and_sees_the_history(peer, client_of):
    client = client_of("head_a")
    client.post(review_url(peer.review_a, "sharing/"), {"sharing": Sharing.CLUSTER})
    response = client.post(review_url(peer.review_a, "sharing/"), {"sharing": Sharing.PRIVATE})
    assert response.status_code == 302
    assert PeerReview.objects.get(pk=peer.review_a.pk).sharing == Sharing.PRIVATE
    page = client.get(review_url(peer.review_a, "sharing/")).content.decode()
    assert page.count("Cluster: headteachers in the cluster</td>") == 2
    assert SharingChange.objects.count() == 2


@pytest.mark.parametrize("persona", ["head_a2", "cluster_lead", "officer", "alliance_chair"])
def test_nobody_but_the_reviewed_head_controls_sharing(peer, client_of, persona):
    share(peer.review_a, Sharing.BOARD)
    client = client_of(persona)
    response = client.post(review_url(peer.review_a, "sharing/"), {"sharing": Sharing.PRIVATE})
    assert response.status_code == 403
    assert PeerReview.objects.get(pk=peer.review_a.pk).sharing == Sharing.BOARD


def test_cluster_lead_schedules_a_review(peer, client_of):
    response = client_of("cluster_lead").post(
        review_url(peer.review_a, "schedule/"),
        {"scheduled_on_0": "14", "scheduled_on_1": "3", "scheduled_on_2": "2027", "focus": "Maths"},
    )
    assert response.status_code == 302
    assert PeerReview.objects.get(pk=peer.review_a.pk).scheduled_on == date(2027, 3, 14)


@pytest.mark.parametrize("persona", ["head_a", "head_a2", "alliance_chair"])
def test_only_the_cluster_lead_and_officers_arrange_reviews(peer, client_of, persona):
    assert client_of(persona).get(review_url(peer.review_a, "schedule/")).status_code in (403, 404)
    assert client_of(persona).get(review_url(peer.review_a, "move/")).status_code in (403, 404)


def test_a_refused_move_is_shown_on_the_form(peer, client_of):
    response = client_of("cluster_lead").post(review_url(peer.review_a, "move/"), {"group": "2"})
    page = response.content.decode()
    assert "alone in its group" in page
    assert "<title>Error: " in page


def test_the_reviewed_head_is_offered_a_support_request_from_a_finding(peer, client_of):
    PeerReview.objects.filter(pk=peer.review_a.pk).update(
        findings="Maths needs help.", written_on=date(2026, 3, 1)
    )
    page = client_of("head_a").get(review_url(peer.review_a)).content.decode()
    assert f"/support/cases/new/?peer_review={peer.review_a.pk}" in page


def test_a_head_opts_their_school_out_before_groups_are_proposed(world, client_of):
    cycle = PeerReviewCycle.objects.create(
        cluster=world.cluster_a1, name="Autumn", term="autumn", year=2026
    )
    client = client_of("head_a")
    client.post(
        f"/structure/peer-reviews/{cycle.pk}/opt-out/{world.school_a.urn}/", {"opted_out": "yes"}
    )
    assert cycle.opt_outs.filter(school=world.school_a).exists()
    response = client.post(
        f"/structure/peer-reviews/{cycle.pk}/opt-out/{world.school_a2.urn}/", {"opted_out": "yes"}
    )
    assert response.status_code == 403


def test_cycle_list_runs_a_bounded_number_of_queries(
    world, client_of, django_assert_max_num_queries
):
    for n in range(30):
        PeerReviewCycle.objects.create(
            cluster=world.cluster_a1, name=f"C{n}", term="autumn", year=2000 + n
        )
    client = client_of("cluster_lead")
    with django_assert_max_num_queries(12):
        assert client.get("/structure/peer-reviews/").status_code == 200


def test_cycle_detail_shows_groups_and_which_reports_the_user_reads(peer, client_of):
    page = client_of("head_a3").get(f"/structure/peer-reviews/{peer.cycle.pk}/").content.decode()
    assert "Group 1" in page and "Group 2" in page
    assert page.count("You can read it") == 2  # its own review and the one it writes
    assert page.count("Not shared with you") == 2


def test_cluster_lead_proposes_groups_from_the_cycle_page(world, client_of):
    cycle = PeerReviewCycle.objects.create(
        cluster=world.cluster_a1, name="Autumn", term="autumn", year=2026
    )
    client = client_of("cluster_lead")
    response = client.post(f"/structure/peer-reviews/{cycle.pk}/propose/", follow=True)
    assert "Groups proposed for 2 schools" in response.content.decode()
    assert cycle.reviews.count() == 2
