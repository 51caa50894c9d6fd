"""Peer reviews in a real browser: the reviewer writes the findings, the reviewed head shares the
report with the cluster and withdraws it, and the head answers a visit note; each page is
accessible."""

from datetime import date

import pytest
from playwright.sync_api import expect

from clusters.peer_review_models import PeerReview, Sharing
from clusters.visit_services import visit_note_write
from tests.browser.conftest import assert_accessible, log_in, screenshot
from tests.clusters import peer_world

peer, head_a2 = peer_world.peer, peer_world.head_a2
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_reviewer_writes_findings_and_the_head_controls_who_reads_them(
    page, live_server, peer, head_a, head_a2
):
    review_url = f"{live_server.url}/structure/peer-reviews/reviews/{peer.review_a.pk}/"
    log_in(page, live_server, "head.a2@example.org")
    page.goto(review_url + "findings/")
    page.get_by_role("button", name="Save findings").click()
    expect(page.get_by_text("Enter the findings").first).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Findings").fill("Reading is taught well.")
    page.get_by_label("Quality of education").select_option(label="Good")
    page.get_by_role("button", name="Save findings").click()
    expect(page.get_by_text("Findings saved for Ashdown Primary School")).to_be_visible()

    page.get_by_role("button", name="Sign out").click()
    log_in(page, live_server, "head.a@example.org")
    page.goto(review_url)
    expect(page.get_by_text("Reading is taught well.")).to_be_visible()
    assert_accessible(page)
    screenshot(page, "peer-01-review")
    page.get_by_role("link", name="Change who can read the report").click()
    page.get_by_label("Cluster: headteachers in the cluster").check()
    page.get_by_role("button", name="Save sharing").click()
    expect(page.locator("table tbody tr")).to_have_count(1)
    page.get_by_label("Private: the school and its reviewers").check()
    page.get_by_role("button", name="Save sharing").click()
    expect(page.locator("table tbody tr")).to_have_count(2)
    assert_accessible(page)
    screenshot(page, "peer-02-sharing")
    assert PeerReview.objects.get(pk=peer.review_a.pk).sharing == Sharing.PRIVATE


def test_head_marks_a_visit_note_inaccurate(page, live_server, world, head_a, officer):
    note = visit_note_write(
        school=world.school_a,
        visited_on=date(2026, 1, 5),
        focus="Maths",
        notes="Maths is weak.",
        by=officer,
    )
    log_in(page, live_server, "head.a@example.org")
    page.goto(f"{live_server.url}/structure/visits/{note.pk}/")
    assert_accessible(page)
    page.get_by_role("link", name="Respond to this note").click()
    page.get_by_label("No, it is not accurate").check()
    page.get_by_role("button", name="Send response").click()
    expect(page.get_by_text("Enter what is inaccurate in the note").first).to_be_visible()
    page.get_by_label("Comment").fill("Maths improved this year.")
    page.get_by_role("button", name="Send response").click()
    expect(page.locator(".govuk-tag", has_text="Inaccurate").first).to_be_visible()
    assert_accessible(page)
    screenshot(page, "peer-03-visit-note")
