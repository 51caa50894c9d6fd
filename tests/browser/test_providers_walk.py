"""A headteacher offers their school's strengths; an officer finds it when matching providers
to another school, with the reasons for its rank (Playwright, axe-core)."""

import re

import pytest
from playwright.sync_api import expect

from tests.brokerage.providers_support import areas, provider_make

from .conftest import assert_accessible, log_in, screenshot

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_headteachers_offer_is_proposed_by_matching_with_reasons(
    page, live_server, world, head_a, officer
):
    areas("KS2 reading", "Phonics")
    provider_make("LA phonics adviser", expertise=["Phonics"], active=False)
    log_in(page, live_server, "head.a@example.org")
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Support").click()
    page.get_by_role("navigation", name="Support").get_by_role("link", name="Providers").click()
    expect(page.get_by_role("heading", name="Support providers")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Add an entry").click()
    expect(page.get_by_role("heading", name="Offer your school's strengths")).to_be_visible()
    page.get_by_label("Phonics").check()
    page.get_by_label("KS2 reading").check()
    page.get_by_label("Primary", exact=True).check()
    page.get_by_label("Capacity in days per term").fill("6")
    screenshot(page, "providers-offer")
    assert_accessible(page)
    page.get_by_role("button", name="Add entry").click()
    expect(page.get_by_role("heading", name="Ashdown Primary School")).to_be_visible()
    expect(page.get_by_text("6 days a term; 0 used and 6 free")).to_be_visible()
    screenshot(page, "providers-detail")
    page.get_by_role("link", name="Support providers").click()
    expect(page.get_by_text("Entries you keep up to date")).to_be_visible()
    screenshot(page, "providers-list")

    page.context.clear_cookies()
    log_in(page, live_server, "officer@example.org")
    page.goto(f"{live_server.url}/support/providers/match/")
    page.get_by_label("School's URN").fill(str(world.school_b.urn))
    page.get_by_label("Phonics").check()
    page.get_by_role("button", name="Find providers").click()
    card = page.locator(".govuk-summary-card").first
    expect(card).to_contain_text("Ashdown Primary School")
    expect(card).to_contain_text("Covers the area of need: Phonics")
    expect(card).to_contain_text("Outside the school's own cluster")
    expect(page.get_by_role("table")).to_contain_text(
        re.compile("LA phonics adviser\\s*Not active in the directory")
    )
    screenshot(page, "providers-match")
    assert_accessible(page)
