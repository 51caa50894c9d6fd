"""A headteacher's walk in a real browser: they see their own school and their own cluster, and
nothing of the officers' tools or of other schools."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, log_in, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_headteacher_sees_only_their_own_school_and_cluster(page, live_server, head_a):
    log_in(page, live_server, "head.a@example.org")
    menu = page.get_by_role("navigation", name="Menu")
    expect(menu.get_by_role("link")).to_have_text(
        ["Home", "Schools", "Structure", "Peer reviews", "Support", "Meetings", "API"]
    )
    for officers_only in ("Imports", "People", "Audit trail"):
        expect(menu.get_by_role("link", name=officers_only)).to_have_count(0)

    # Support opens on the head's cases, with the section's own pages alongside
    menu.get_by_role("link", name="Support").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Support cases")
    support = page.get_by_role("navigation", name="Support")
    expect(support.get_by_role("link")).to_have_text(["Cases", "Engagements", "Providers"])
    assert_accessible(page)
    page.goto(f"{live_server.url}/")

    menu.get_by_role("link", name="Schools").click()
    expect(page.locator("#school-count")).to_have_text("1 school")
    rows = page.locator("table tbody tr")
    expect(rows).to_have_count(1)
    expect(rows).to_contain_text("Ashdown Primary School")
    expect(page.get_by_role("link", name="Import from GIAS")).to_have_count(0)
    assert_accessible(page)
    screenshot(page, "head-01-register")

    page.get_by_role("link", name="Ashdown Primary School").click()
    expect(page.get_by_role("heading", name="Ashdown Primary School", level=1)).to_be_visible()
    expect(page.locator("#partnership-facts")).to_contain_text("Andover Cluster")
    # Only officers record an opt-out.
    expect(page.get_by_role("link", name="Change")).to_have_count(0)
    assert_accessible(page)
    screenshot(page, "head-02-school")

    response = page.goto(f"{live_server.url}/schools/100003/")
    assert response.status == 404
    expect(page.get_by_role("heading", name="Page not found")).to_be_visible()
    expect(page.get_by_text("Bramley Infant School")).to_have_count(0)
    assert_accessible(page)
    screenshot(page, "head-03-other-school-not-found")

    menu.get_by_role("link", name="Structure").click()
    expect(
        page.get_by_text("You can see the alliances, clusters and schools you work with.")
    ).to_be_visible()
    cards = page.locator(".govuk-summary-card")
    expect(cards).to_have_count(1)
    expect(cards).to_contain_text("Andover Cluster")
    expect(page.get_by_text("Bishops Waltham Cluster")).to_have_count(0)
    expect(page.get_by_text("South Alliance")).to_have_count(0)
    expect(page.get_by_role("link", name="Add an alliance")).to_have_count(0)
    assert_accessible(page)
    screenshot(page, "head-04-structure")
