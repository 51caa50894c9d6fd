# ruff: noqa: F811 - the fund's fixtures (tests/funding/conftest.py) are imported, then requested
"""The whole support journey in a real browser (issue 11): a head's request; the alliance chair
matches a provider and commissions the support (the fund commits its cost); the provider logs a
visit; the chair reviews progress and decides on impact; the fund's position shows the money
paid and released. Every page is checked with axe and screenshotted."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from brokerage.models import Expertise, Provider, SupportCase
from tests.browser.conftest import assert_accessible, log_in, screenshot
from tests.funding.conftest import agreed_run, fund  # noqa: F401 - fixtures

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _step(page, name: str) -> None:
    assert_accessible(page)
    screenshot(page, f"journey-{name}")


def _date(page, day) -> None:
    """Fill the page's first date (day, month, year)."""
    page.get_by_label("Day").first.fill(str(day.day))
    page.get_by_label("Month").first.fill(str(day.month))
    page.get_by_label("Year").first.fill(str(day.year))


def _sign_in_as(page, live_server, email: str) -> None:
    page.get_by_role("button", name="Sign out").click()
    log_in(page, live_server, email)


def _request(page, live_server) -> None:
    log_in(page, live_server, "head.a@example.org")
    page.goto(f"{live_server.url}/support/cases/new/")
    page.get_by_label("Writing").check()
    page.get_by_label("Describe the support the school needs").fill("Writing fell two years")
    page.get_by_label("Soon: within this half term").check()
    page.get_by_role("button", name="Raise the request").click()
    expect(page.get_by_text("Support requested for Ashdown Primary School")).to_be_visible()
    _step(page, "01-request")


def _match(page) -> None:
    page.get_by_role("link", name="Confirm eligibility").click()
    page.get_by_label("Yes").check()
    page.get_by_role("button", name="Save and continue").click()
    page.get_by_role("link", name="Contact the school").click()
    page.get_by_label("Who did you contact, and what did you agree?").fill("The head, by phone")
    page.get_by_role("button", name="Save and continue").click()
    page.get_by_role("link", name="Initial diagnosis").click()
    page.get_by_label("Match with a provider").check()
    page.get_by_role("button", name="Save and continue").click()
    page.get_by_role("link", name="Choose the provider").click()
    expect(page.get_by_text("Covers the area of need: Writing")).to_be_visible()
    expect(page.get_by_text("Declared conflict of interest with this school")).to_be_attached()
    _step(page, "02-choose-provider")
    page.get_by_label("Priya Provider, NLE").check()
    page.get_by_role("button", name="Choose this provider").click()
    page.get_by_role("link", name="Conflict-of-interest and due-diligence checks").click()
    page.get_by_label("No conflict of interest: the provider").check()
    page.get_by_label("Due diligence done").check()
    page.get_by_role("button", name="Save and continue").click()


def _agree_and_commission(page) -> None:
    page.get_by_role("link", name="Agree objectives, impact measures, days and cost").click()
    expect(page.get_by_role("heading", name=re.compile("^Support for Ashdown"))).to_be_visible()
    page.get_by_role("link", name=re.compile("^Change")).first.click()
    page.get_by_label("Days of support").fill("8")
    page.get_by_label("Cost").fill("5000")
    page.get_by_role("button", name="Save days and cost").click()
    page.get_by_role("link", name="Add an objective").click()
    page.get_by_label("Objective", exact=True).fill("Raise the quality of writing in KS2")
    page.get_by_label("How impact will be measured").fill("Book looks each half term")
    page.get_by_role("button", name="Save objective").click()
    _step(page, "03-engagement-terms")
    page.get_by_role("link", name="Commission support").click()
    expect(page.get_by_role("heading", name="Commission the support")).to_be_visible()
    _step(page, "04-commission")
    page.get_by_role("button", name="Commission the support").click()
    expect(page.get_by_role("alert").get_by_text("Support commissioned")).to_be_visible()
    _step(page, "05-case-commissioned")


def _provider_logs_a_visit(page, live_server) -> None:
    _sign_in_as(page, live_server, "provider@example.org")
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Support").click()
    expect(page.get_by_role("heading", name="Engagements", level=1)).to_be_visible()
    page.get_by_role("link", name=re.compile("Ashdown Primary School")).first.click()
    page.get_by_role("link", name="Log progress").click()
    page.get_by_label("What was done").fill("Met the English lead; looked at books in Year 5")
    _date(page, timezone.localdate())
    _step(page, "06-provider-progress")
    page.get_by_role("button", name="Log progress").click()
    expect(page.get_by_role("alert").get_by_text("Progress logged")).to_be_visible()
    expect(page.get_by_text("Money from the fund")).to_have_count(0)


def _review_and_decide(page, live_server, engagement_url: str) -> None:
    _sign_in_as(page, live_server, "alliance.chair@example.org")
    page.goto(engagement_url)
    page.get_by_role("link", name="Record a progress review").first.click()
    _date(page, timezone.localdate())
    page.get_by_role("group", name="Overall rating").get_by_label("Green").check()
    page.get_by_role("group", name=re.compile("^Objective 1")).get_by_label("Green").check()
    page.get_by_label("Overall judgement").fill("Writing is well taught across KS2")
    page.get_by_role("button", name="Record review").click()
    _step(page, "07-review")
    page.get_by_role("link", name="Record the impact decision").first.click()
    page.get_by_label("Complete").check()
    page.get_by_label("Reason for the decision").fill("The objectives are met")
    page.get_by_role("button", name="Record decision").click()
    expect(page.get_by_text("This support has ended")).to_be_visible()
    _step(page, "08-impact-decision")


def test_a_heads_request_to_the_impact_decision_and_the_funds_position(
    page, live_server, world, head_a, alliance_chair, provider, officer, fund
):
    writing = Expertise.objects.get_or_create(name="Writing")[0]
    entry = Provider.objects.create(
        name="Priya Provider, NLE",
        kind="nle",
        person=provider,
        phases=["primary"],
        capacity_days_per_term=20,
    )
    entry.expertise.add(writing)
    other = Provider.objects.create(
        name="Governor's School", kind="school", phases=["primary"], capacity_days_per_term=10
    )
    other.expertise.add(writing)
    other.conflicts.create(school=world.school_a, reason="The head is a governor there")

    _request(page, live_server)
    case = SupportCase.objects.get(school=world.school_a)
    _sign_in_as(page, live_server, "alliance.chair@example.org")
    page.goto(f"{live_server.url}/support/cases/{case.pk}/")
    _match(page)
    _agree_and_commission(page)
    engagement = case.engagements.get()
    engagement_url = f"{live_server.url}/support/engagements/{engagement.pk}/"

    _provider_logs_a_visit(page, live_server)
    case.refresh_from_db()
    assert case.first_visit_on == timezone.localdate()

    _sign_in_as(page, live_server, "officer@example.org")
    page.goto(engagement_url)
    expect(page.locator("#fund + dl")).to_contain_text("£5,000.00")
    page.get_by_role("link", name="Record a payment").click()
    page.get_by_label("Amount before VAT").fill("2000")
    page.get_by_label("VAT (optional)").fill("0")
    page.get_by_role("button", name="Record payment").click()

    _review_and_decide(page, live_server, engagement_url)
    page.goto(f"{live_server.url}/support/cases/{case.pk}/")
    expect(page.get_by_text("The impact decision ended the support")).to_be_visible()
    _step(page, "09-case-ended")

    _sign_in_as(page, live_server, "officer@example.org")
    page.goto(engagement_url)
    money = page.locator("#fund + dl")
    expect(money).to_contain_text("Paid£2,000.00")
    expect(money).to_contain_text("Released£3,000.00")
    page.goto(f"{live_server.url}/fund/{fund.year}/alliances/{world.alliance_a.pk}/")
    expect(page.get_by_text("£2,000.00").first).to_be_visible()
    _step(page, "10-fund-position")
