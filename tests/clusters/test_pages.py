"""What an officer does on the structure pages, and what the pages say back."""

import pytest
from django.utils import timezone

from clusters.models import Cluster, ClusterMembership
from partnership.models import Alliance
from tests.factories import SchoolFactory, UserFactory

TODAY = timezone.localdate()


def where(school):
    membership = ClusterMembership.objects.current().filter(school=school).first()
    return membership and membership.cluster


@pytest.fixture
def officer_client(world, as_user):
    return as_user("officer")


def test_officer_adds_an_alliance_and_sees_a_success_banner(officer_client, world):
    response = officer_client.post(
        "/structure/alliances/new/", {"name": "East Alliance", "description": ""}, follow=True
    )
    alliance = Alliance.objects.get(name="East Alliance")
    assert response.redirect_chain[-1][0] == f"/structure/alliances/{alliance.pk}/"
    content = response.content.decode()
    assert "govuk-notification-banner--success" in content
    assert "East Alliance added" in content


def test_duplicate_alliance_name_shows_an_error_summary(officer_client, world):
    response = officer_client.post("/structure/alliances/new/", {"name": "South alliance"})
    content = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: " in content
    assert "govuk-error-summary" in content
    assert "There is already an open alliance called South alliance" in content


def test_blank_alliance_name_is_asked_for(officer_client, world):
    content = officer_client.post("/structure/alliances/new/", {"name": ""}).content.decode()
    assert "Enter the alliance&#x27;s name" in content


def test_officer_renames_an_alliance_and_the_old_name_is_shown(officer_client, world):
    url = f"/structure/alliances/{world.alliance_a.pk}/"
    response = officer_client.post(url, {"action": "rename", "name": "Test Valley"}, follow=True)
    content = response.content.decode()
    assert "Alliance renamed to Test Valley" in content
    assert "Previous names" in content and "North Alliance" in content


def test_cluster_create_form_starts_with_the_alliance_from_the_link(officer_client, world):
    content = officer_client.get(
        f"/structure/clusters/new/?alliance={world.alliance_b.pk}"
    ).content.decode()
    assert f'<option value="{world.alliance_b.pk}" selected>South Alliance</option>' in content


def test_officer_adds_a_cluster_with_its_lead_hub_and_sip(officer_client, world):
    lead = UserFactory(email="lead@example.org")
    response = officer_client.post(
        "/structure/clusters/new/",
        {
            "alliance": world.alliance_b.pk,
            "name": "Fareham Cluster",
            "communication_lead": lead.pk,
            "linked_hub": "Solent Teaching School Hub",
            "school_improvement_partner": "Alex Green",
        },
    )
    cluster = Cluster.objects.get(name="Fareham Cluster")
    assert response["Location"] == f"/structure/clusters/{cluster.pk}/"
    assert cluster.communication_lead == lead
    assert cluster.linked_hub == "Solent Teaching School Hub"
    assert cluster.school_improvement_partner == "Alex Green"


def test_officer_edits_a_cluster_on_its_page(officer_client, world):
    url = f"/structure/clusters/{world.cluster_a1.pk}/"
    response = officer_client.post(
        url,
        {
            "action": "update",
            "alliance": world.alliance_a.pk,
            "name": "Andover and Test Valley",
            "communication_lead": "",
            "linked_hub": "Hub",
            "school_improvement_partner": "",
        },
        follow=True,
    )
    world.cluster_a1.refresh_from_db()
    assert world.cluster_a1.name == "Andover and Test Valley"
    assert "Cluster details saved" in response.content.decode()


def test_editing_a_cluster_to_a_taken_name_shows_the_error_on_its_page(officer_client, world):
    url = f"/structure/clusters/{world.cluster_a1.pk}/"
    response = officer_client.post(
        url,
        {"action": "update", "alliance": world.alliance_b.pk, "name": "Bishops Waltham Cluster"},
    )
    content = response.content.decode()
    assert "<title>Error: " in content
    assert "South Alliance already has an open cluster called Bishops Waltham Cluster" in content


def test_officer_moves_ticked_schools_to_another_cluster(officer_client, world):
    url = f"/structure/clusters/{world.cluster_a1.pk}/"
    response = officer_client.post(
        url,
        {
            "action": "move",
            "move-schools": [world.school_a2.pk],
            "move-target": world.cluster_b1.pk,
        },
        follow=True,
    )
    assert where(world.school_a2) == world.cluster_b1
    assert where(world.school_a) == world.cluster_a1
    content = response.content.decode()
    assert "1 school moved to Bishops Waltham Cluster" in content
    # The school is now listed among those that have left, with its dates.
    assert "Schools that have left" in content and "Abbotts Ann Primary School" in content


def test_bulk_move_without_ticks_asks_for_schools(officer_client, world):
    url = f"/structure/clusters/{world.cluster_a1.pk}/"
    content = officer_client.post(
        url, {"action": "move", "move-target": world.cluster_b1.pk}
    ).content.decode()
    assert "<title>Error: " in content
    assert "Select the schools to move" in content


def test_officer_adds_schools_by_urn(officer_client, world):
    url = f"/structure/clusters/{world.cluster_a1.pk}/"
    response = officer_client.post(
        url, {"action": "add", "add-urns": "100004, 100003\n"}, follow=True
    )
    assert where(world.school_z) == world.cluster_a1
    assert where(world.school_b) == world.cluster_a1
    assert "2 schools added to Andover Cluster" in response.content.decode()


def test_adding_an_unknown_urn_changes_nothing_and_says_which(officer_client, world):
    url = f"/structure/clusters/{world.cluster_a1.pk}/"
    content = officer_client.post(
        url, {"action": "add", "add-urns": "100004 999999 abc"}
    ).content.decode()
    assert "URNs are numbers, like 100001: check abc" in content
    content = officer_client.post(
        url, {"action": "add", "add-urns": "100004 999999"}
    ).content.decode()
    assert "There is no school with URN 999999 in the register" in content
    assert where(world.school_z) is None


def test_adding_an_opted_out_school_is_refused_on_the_page(officer_client, world):
    SchoolFactory(urn=100009, name="Own Way School", opted_out=True)
    url = f"/structure/clusters/{world.cluster_a1.pk}/"
    content = officer_client.post(url, {"action": "add", "add-urns": "100009"}).content.decode()
    assert "Own Way School (100009) has opted out of the partnership" in content


def test_closing_a_cluster_asks_first_then_ends_memberships(officer_client, world):
    url = f"/structure/clusters/{world.cluster_a1.pk}/close/"
    content = officer_client.get(url).content.decode()
    assert "Are you sure you want to close this cluster?" in content
    assert "2 schools will leave Andover Cluster" in content
    response = officer_client.post(url, {}, follow=True)
    world.cluster_a1.refresh_from_db()
    assert world.cluster_a1.closed_on == TODAY
    assert where(world.school_a) is None
    assert "Andover Cluster closed" in response.content.decode()


def test_closing_an_alliance_with_open_clusters_shows_why_not(officer_client, world):
    response = officer_client.post(f"/structure/alliances/{world.alliance_a.pk}/close/", {})
    content = response.content.decode()
    assert "<title>Error: " in content
    assert "North Alliance still has 1 open cluster" in content


def test_closing_with_a_future_date_is_refused(officer_client, world):
    tomorrow = TODAY.replace(year=TODAY.year + 1)
    response = officer_client.post(
        f"/structure/clusters/{world.cluster_a1.pk}/close/",
        {"on_0": tomorrow.day, "on_1": tomorrow.month, "on_2": tomorrow.year},
    )
    assert "The date must be today or in the past" in response.content.decode()
    world.cluster_a1.refresh_from_db()
    assert world.cluster_a1.is_open


def test_merging_clusters_shows_a_check_page_before_merging(officer_client, world):
    url = f"/structure/clusters/{world.cluster_a1.pk}/merge/"
    check = officer_client.post(url, {"target": world.cluster_b1.pk})
    content = check.content.decode()
    assert "Merge Andover Cluster into Bishops Waltham Cluster?" in content
    assert 'name="confirm" value="yes"' in content
    assert where(world.school_a) == world.cluster_a1  # nothing has changed yet
    response = officer_client.post(url, {"target": world.cluster_b1.pk, "confirm": "yes"})
    assert response["Location"] == f"/structure/clusters/{world.cluster_b1.pk}/"
    world.cluster_a1.refresh_from_db()
    assert world.cluster_a1.merged_into == world.cluster_b1
    assert where(world.school_a) == world.cluster_b1


def test_merging_alliances_moves_clusters_after_the_check_page(officer_client, world):
    url = f"/structure/alliances/{world.alliance_a.pk}/merge/"
    check = officer_client.post(url, {"target": world.alliance_b.pk}).content.decode()
    assert "Merge North Alliance into South Alliance?" in check
    officer_client.post(url, {"target": world.alliance_b.pk, "confirm": "yes"})
    world.cluster_a1.refresh_from_db()
    world.alliance_a.refresh_from_db()
    assert world.cluster_a1.alliance == world.alliance_b
    assert world.alliance_a.merged_into == world.alliance_b


def test_officer_moves_one_school_to_no_cluster(officer_client, world):
    url = "/structure/schools/100001/move/"
    content = officer_client.get(url).content.decode()
    assert "It is in Andover Cluster (North Alliance)" in content
    response = officer_client.post(url, {"cluster": "none"}, follow=True)
    assert where(world.school_a) is None
    assert "Ashdown Primary School moved to no cluster" in response.content.decode()


def test_officer_moves_one_school_to_a_cluster(officer_client, world):
    response = officer_client.post(
        "/structure/schools/100004/move/", {"cluster": world.cluster_b1.pk}
    )
    assert where(world.school_z) == world.cluster_b1
    assert response["Location"] == f"/structure/clusters/{world.cluster_b1.pk}/"


def test_moving_a_school_needs_a_choice(officer_client, world):
    content = officer_client.post(
        "/structure/schools/100004/move/", {"cluster": ""}
    ).content.decode()
    assert "Choose a cluster, or no cluster" in content


def test_moving_an_unknown_school_is_not_found(officer_client, world):
    assert officer_client.get("/structure/schools/999999/move/").status_code == 404
