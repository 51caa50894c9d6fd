"""An LA officer changes the board's rules in a real browser, without JavaScript tricks: copy the
adopted rules to a draft, change a category, refuse a band without points, add a trigger, and
try the draft in a what-if run. Every page passed through is checked with axe-core."""

import pytest
from playwright.sync_api import expect

from categorisation.default_rules import default_rules_load
from categorisation.measures import measures_ensure
from categorisation.models import RuleSet
from tests.browser.conftest import assert_accessible, log_in, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _check(page, name: str) -> None:
    assert_accessible(page)
    screenshot(page, name)


def test_officer_edits_a_draft_of_the_rules(page, live_server, officer):
    measures_ensure()
    default_rules_load(by=officer)
    log_in(page, live_server, officer.email)
    page.goto(f"{live_server.url}/categorisation/rules/")
    expect(page.get_by_role("heading", name="Categorisation rules")).to_be_visible()
    _check(page, "rules-01-list")

    page.get_by_role("link", name="Version 1").click()
    _check(page, "rules-02-adopted")
    page.get_by_role("button", name="Copy to a new draft").click()
    expect(page.get_by_text("Version 2 is a new draft copied from version 1")).to_be_visible()

    page.get_by_role("link", name="Change the settings, categories and support bands").click()
    expect(page.get_by_role("heading", name="Settings and categories")).to_be_visible()
    _check(page, "rules-03-settings")
    page.locator("#id_categories-1-min_score").fill("4")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Settings and categories saved")).to_be_visible()
    expect(page.get_by_text("Score 4 to under 6")).to_be_visible()

    page.get_by_role("link", name="Change indicator 1", exact=True).click()
    _check(page, "rules-04-indicator")
    page.locator("#id_bands-0-points").fill("")
    page.get_by_role("button", name="Save the indicator").click()
    expect(page).to_have_title(f"Error: Change an indicator – version 2 – {_service()}")
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Band 1: Enter the points for the band")
    _check(page, "rules-05-indicator-error")

    page.goto(page.url.split("/indicators/")[0] + "/triggers/add/")
    _check(page, "rules-06-trigger")
    page.get_by_label("Code").fill("attendance")
    page.get_by_label("Description").fill("Latest Ofsted judgement requires improvement")
    page.get_by_label("Put the school in at least category").select_option("2")
    page.locator("#id_conditions-0-group").fill("1")
    page.locator("#id_conditions-0-measure").select_option("OFSTED_OE")
    page.locator("#id_conditions-0-op").select_option("eq")
    page.locator("#id_conditions-0-value").fill("3")
    page.get_by_role("button", name="Save the trigger").click()
    expect(page.get_by_text("Trigger attendance saved")).to_be_visible()
    draft = RuleSet.objects.get(version=2)
    assert draft.definition["triggers"][-1]["all_of"] == [
        [{"measure": "OFSTED_OE", "op": "eq", "value": 3}]
    ]
    _check(page, "rules-07-draft")

    page.get_by_role("button", name="Try it: what-if run").click()
    expect(page).to_have_url(f"{live_server.url}/categorisation/runs/{draft.runs.get().pk}/")


def _service() -> str:
    from django.conf import settings

    return settings.SERVICE_NAME
