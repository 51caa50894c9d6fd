"""The fund in a real browser: an officer records income, the board chair sees the effect of
the rule and agrees the allocation, commissioning commits money, and the alliance chair sees
their allocation; every page passes axe's serious and critical checks."""

import pytest
from playwright.sync_api import expect

from brokerage.engagements import engagement_commission
from funding.models import Fund, financial_year_of
from funding.services import fixed_cost_record, fund_create
from tests.browser.conftest import assert_accessible, log_in, screenshot
from tests.categorisation.factories import run_with_results
from tests.funding.conftest import make_engagement

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_income_to_allocation_to_commitment_in_the_browser(
    page, live_server, world, officer, board_chair, alliance_chair
):
    from django.utils import timezone

    placements = {world.school_a: ("3", "medium"), world.school_b: ("4", "high")}
    run_with_results(placements, agreed_days_ago=30, by=officer)
    fund = fund_create(partnership=world.partnership, year=financial_year_of(timezone.localdate()))
    fixed_cost_record(
        fund=fund, amount=4500, description="Independent chair", by=officer, idempotency_key="chair"
    )
    log_in(page, live_server, "officer@example.org")
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Fund").click()
    page.get_by_role("link", name="Record income").click()
    page.get_by_label("Local authority grant").check()
    page.get_by_label("Amount").fill("£34,500")
    page.get_by_role("button", name="Record income").click()
    expect(page.locator(".govuk-summary-list").first).to_contain_text("£30,000.00")
    assert_accessible(page)
    screenshot(page, "fund-01-position")
    page.context.clear_cookies()

    log_in(page, live_server, "chair@example.org")
    page.goto(f"{live_server.url}/fund/{fund.year}/allocation/")
    expect(page.get_by_text("is more than the budget of £30,000.00")).to_be_visible()
    page.get_by_label("By priority: High band schools first", exact=False).first.check()
    page.get_by_role("button", name="Show the effect").click()
    expect(page.locator("tbody tr").first).to_contain_text("£5,000.00")  # North: after High
    assert_accessible(page)
    screenshot(page, "fund-02-allocation-preview")
    # The agree form follows the rule whose effect is shown.
    page.get_by_label("Board decision reference (optional)").fill("Minute 2026/09")
    page.get_by_role("button", name="Agree allocation").click()
    expect(page.locator(".govuk-summary-list").first).to_contain_text("Minute 2026/09")
    assert Fund.objects.get(pk=fund.pk).allocation_rule == "priority"
    page.context.clear_cookies()

    engagement_commission(
        engagement=make_engagement(world.school_a, world.alliance_a, "3000"), by=officer
    )
    log_in(page, live_server, "alliance.chair@example.org")
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Fund").click()
    expect(page.get_by_role("heading", name="North Alliance", level=1)).to_be_visible()
    expect(page.locator(".govuk-summary-list").first).to_contain_text("£2,000.00")  # left
    expect(page.locator("table")).to_contain_text("Ashdown Primary School")
    assert_accessible(page)
    screenshot(page, "fund-03-alliance")
