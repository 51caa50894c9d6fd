"""The engagement journey in a real browser: the alliance chair agrees terms and commissions,
the provider logs a visit, the chair records a review with RAG ratings and decides on impact,
and the head reads it all."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from brokerage.models import Engagement
from tests.brokerage.engagement_world import engagement_make
from tests.browser.conftest import (  # noqa: F401 - chromium's launch fixtures
    assert_accessible,
    browser_context_args,
    browser_type_launch_args,
    log_in,
    screenshot,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_from_agreed_terms_to_the_impact_decision(
    browser, live_server, world, provider, alliance_chair, head_a
):
    engagement = engagement_make(
        school=world.school_a, alliance=world.alliance_a, person=provider, days="0", cost="0"
    )
    detail = f"{live_server.url}/support/engagements/{engagement.pk}/"

    chair = browser.new_context(locale="en-GB", bypass_csp=True).new_page()
    log_in(chair, live_server, "alliance.chair@example.org")
    chair.goto(detail)
    expect(chair.get_by_text("Agree the days, the cost and at least one objective")).to_be_visible()
    chair.get_by_role("link", name="Change days, cost and reviews").click()
    chair.get_by_label("Days of support").fill("10")
    chair.get_by_label("Cost").fill("£4,250.50")
    chair.get_by_label("Review progress every (weeks)").fill("4")
    chair.get_by_role("button", name="Save days and cost").click()
    expect(chair.get_by_text("£4,250.50")).to_be_visible()
    chair.get_by_role("link", name="Commission support").click()
    chair.get_by_role("button", name="Commission the support").click()
    expect(chair.get_by_text("Support commissioned.")).to_be_visible()
    assert_accessible(chair)
    screenshot(chair, "engagement-01-commissioned")

    provider_page = browser.new_context(locale="en-GB", bypass_csp=True).new_page()
    log_in(provider_page, live_server, "provider@example.org")
    expect(provider_page.get_by_role("link", name="Progress to log: 1")).to_be_visible()
    provider_page.goto(detail)
    provider_page.get_by_role("link", name="Log progress").click()
    provider_page.get_by_label("What was done").fill("Team-taught two guided reading lessons")
    provider_page.get_by_role("button", name="Log progress").click()
    expect(provider_page.get_by_text("Team-taught two guided reading lessons")).to_be_visible()
    expect(provider_page.get_by_role("link", name="Record a progress review")).to_have_count(0)

    today = timezone.localdate()
    chair.goto(detail)  # commissioning ends on the case's task list
    chair.get_by_role("link", name="Record a progress review").click()
    chair.get_by_label("Day").first.fill(str(today.day))
    chair.get_by_label("Month").first.fill(str(today.month))
    chair.get_by_label("Year").first.fill(str(today.year))
    chair.get_by_role("group", name="Objective 1").get_by_label("Green: on track").check()
    chair.get_by_role("group", name="Overall rating").get_by_label("Amber").check()
    chair.get_by_label("Overall judgement").fill("Reading is better taught")
    assert_accessible(chair)
    chair.get_by_role("button", name="Record review").click()
    expect(chair.get_by_text("An impact decision is due after the latest review.")).to_be_visible()
    chair.get_by_role("link", name="Record the impact decision").first.click()
    chair.get_by_label("Complete: objectives met").check()
    chair.get_by_label("Reason for the decision").fill("Reading at the expected standard")
    chair.get_by_role("button", name="Record decision").click()
    expect(chair.get_by_text("Decision recorded: Complete: objectives met")).to_be_visible()
    screenshot(chair, "engagement-02-completed")

    head = browser.new_context(locale="en-GB", bypass_csp=True).new_page()
    log_in(head, live_server, "head.a@example.org")
    head.goto(detail)
    expect(head.locator(".govuk-summary-card")).to_contain_text("Reading is better taught")
    expect(head.get_by_role("link", name="Record the impact decision")).to_have_count(0)
    assert_accessible(head)
    assert Engagement.objects.get(pk=engagement.pk).state == Engagement.State.COMPLETED
