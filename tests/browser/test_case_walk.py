"""A support case in a real browser: a head raises a request for their own school; the
alliance chair works through the task list to the choice of provider; each page is accessible."""

import re

import pytest
from playwright.sync_api import expect

from brokerage.models import Expertise, Provider, SupportCase
from tests.browser.conftest import assert_accessible, log_in, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_heads_request_becomes_a_case_the_alliance_chair_works_on(
    page, live_server, head_a, alliance_chair, world
):
    writing = Expertise.objects.get_or_create(name="Writing")[0]
    hub = Provider.objects.create(
        name="Hill Teaching School Hub",
        kind="teaching_school_hub",
        phases=["primary"],
        capacity_days_per_term=10,
    )
    hub.expertise.add(writing)  # the matching proposes providers offering the areas of need

    log_in(page, live_server, "head.a@example.org")
    page.goto(f"{live_server.url}/support/cases/new/")
    page.get_by_label("Writing").check()
    page.get_by_label("Describe the support the school needs").fill("Writing fell two years")
    page.get_by_label("Soon: within this half term").check()
    assert_accessible(page)
    screenshot(page, "case-01-request")
    page.get_by_role("button", name="Raise the request").click()
    expect(page.get_by_text("Support requested for Ashdown Primary School")).to_be_visible()
    expect(page.locator(".govuk-task-list")).to_be_visible()
    expect(page.get_by_role("link", name="Confirm eligibility")).to_have_count(0)
    case = SupportCase.objects.get(school=world.school_a)

    page.get_by_role("button", name="Sign out").click()
    log_in(page, live_server, "alliance.chair@example.org")
    page.goto(f"{live_server.url}/support/cases/{case.pk}/")
    expect(page.get_by_text("Confirm eligibility first")).to_be_visible()
    page.get_by_role("link", name="Confirm eligibility").click()
    page.get_by_label("Yes").check()
    page.get_by_role("button", name="Save and continue").click()
    page.get_by_role("link", name="Contact the school").click()
    page.get_by_role("button", name="Save and continue").click()
    expect(page).to_have_title(re.compile(r"^Error: Contact the school – "))
    expect(page.get_by_text("Enter who you contacted and what you agreed").first).to_be_visible()
    assert_accessible(page)
    screenshot(page, "case-02-task-error")
    page.get_by_label("Who did you contact, and what did you agree?").fill("The head, by phone")
    page.get_by_role("button", name="Save and continue").click()
    page.get_by_role("link", name="Initial diagnosis").click()
    page.get_by_label("Match with a provider").check()
    page.get_by_role("button", name="Save and continue").click()
    page.get_by_role("link", name="Choose the provider").click()
    page.get_by_label("Hill Teaching School Hub").check()
    page.get_by_role("button", name="Choose this provider").click()
    expect(page.get_by_text("Hill Teaching School Hub chosen")).to_be_visible()
    assert_accessible(page)
    screenshot(page, "case-03-task-list")

    page.goto(f"{live_server.url}/support/cases/")
    expect(page.locator("table tbody tr")).to_have_count(1)
    assert_accessible(page)
    screenshot(page, "case-04-list")
    page.goto(f"{live_server.url}/support/cases/time-to-support/")
    expect(page.get_by_role("row", name="North Alliance")).to_be_visible()
    assert_accessible(page)
    screenshot(page, "case-05-time-to-support")
