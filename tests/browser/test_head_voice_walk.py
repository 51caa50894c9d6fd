"""The head's voice in categorisation in a real browser: the head challenges their school's
proposed category with evidence, and the moderating officer reads the challenge beside the
result and marks it resolved."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, log_in, screenshot
from tests.categorisation.factories import build_categorised
from tests.categorisation.test_head_response import PDF

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_head_challenges_and_the_officer_resolves(page, live_server, world, head_a, officer):
    categorised = build_categorised(world, officer)
    log_in(page, live_server, "head.a@example.org")
    page.get_by_role("link", name="Ashdown Primary School").first.click()
    expect(page.get_by_role("heading", name="Your school's proposed category")).to_be_visible()
    expect(page.locator("#proposed-category")).to_contain_text("Universal support")
    page.get_by_label("No, I challenge it").check()
    page.get_by_label("Comment").fill("Our LA review in March found leadership strong.")
    page.get_by_label("Evidence (optional)").set_input_files(
        {"name": "march-review.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    page.get_by_role("button", name="Send your response").click()
    expect(page.locator("#head-response")).to_contain_text("Challenged by the head")
    expect(page.locator("#head-evidence")).to_have_text("march-review.pdf")
    assert_accessible(page)
    screenshot(page, "voice-01-head-proposed")

    page.context.clear_cookies()
    log_in(page, live_server, "officer@example.org")
    page.goto(f"{live_server.url}/categorisation/runs/{categorised.pending.pk}/")
    row = page.locator("#results tbody tr", has_text="Ashdown Primary School")
    expect(row).to_contain_text("Challenged by the head")
    assert_accessible(page)
    screenshot(page, "voice-02-officer-results")
    row.get_by_role("link", name="Ashdown Primary School").click()
    expect(page.locator("#head-comment")).to_contain_text("leadership strong")
    page.get_by_label("How was the challenge resolved?").fill("Met the head; kept at 1.")
    page.get_by_role("button", name="Mark the challenge resolved").click()
    expect(page.locator("#head-resolution")).to_contain_text("Resolved")
    assert_accessible(page)
    screenshot(page, "voice-03-officer-result")
