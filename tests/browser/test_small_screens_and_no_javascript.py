"""The pages on a 375px-wide phone, and without JavaScript at all."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, log_in, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 812}
# Only a table's own wrapper may scroll sideways; the page itself must fit the screen.
PAGE_FITS = "() => document.documentElement.scrollWidth <= window.innerWidth"


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport=PHONE, bypass_csp=True, locale="en-GB")
    yield context.new_page()
    context.close()


@pytest.fixture
def no_javascript(browser):
    context = browser.new_context(java_script_enabled=False, locale="en-GB")
    yield context.new_page()
    context.close()


def _fits(page) -> bool:
    for summary in page.locator(".govuk-details__summary").all():
        summary.click()  # open every folded list: tables are the widest content
    return page.evaluate(PAGE_FITS)


def test_register_and_structure_fit_a_phone_screen_and_the_menu_opens(
    phone, live_server, officer, world
):
    page = phone
    log_in(page, live_server, "officer@example.org")
    menu_button = page.get_by_role("button", name="Menu")
    expect(menu_button).to_be_visible()
    expect(menu_button).to_have_attribute("aria-expanded", "false")
    expect(page.locator("#navigation")).to_be_hidden()
    menu_button.click()
    expect(menu_button).to_have_attribute("aria-expanded", "true")
    expect(page.locator("#navigation").get_by_role("link", name="Schools")).to_be_visible()
    screenshot(page, "phone-01-menu-open")

    page.locator("#navigation").get_by_role("link", name="Schools").click()
    expect(page.locator("#school-count")).to_have_text("4 schools")
    assert _fits(page), "the school list is wider than the phone's screen"
    wrapper = page.locator(".app-table-wrapper").first
    assert wrapper.evaluate("el => el.scrollWidth > el.clientWidth"), "the table should scroll"
    assert_accessible(page)
    screenshot(page, "phone-02-register")

    page.goto(f"{live_server.url}/structure/")
    assert _fits(page), "the structure page is wider than the phone's screen"
    assert_accessible(page)
    screenshot(page, "phone-03-structure")


def test_other_pages_fit_a_phone_screen(phone, live_server, officer, world):
    page = phone
    log_in(page, live_server, "officer@example.org")
    for path in (
        f"/schools/{world.school_a.urn}/",
        f"/structure/clusters/{world.cluster_a1.pk}/",
        f"/structure/alliances/{world.alliance_a.pk}/",
        f"/structure/schools/{world.school_a.urn}/move/",
        "/structure/upload/",
        "/schools/import/",
        "/people/",
        "/people/audit/",
        "/api/docs/",
    ):
        page.goto(f"{live_server.url}{path}")
        assert _fits(page), f"{path} is wider than the phone's screen"
    screenshot(page, "phone-04-api-docs")


def test_officer_filters_the_register_without_javascript(no_javascript, live_server, officer):
    page = no_javascript
    log_in(page, live_server, "officer@example.org")
    expect(page.get_by_role("heading", name="Your roles")).to_be_visible()
    # Without JavaScript the menu is a plain list of links, with no toggle button.
    expect(page.get_by_role("button", name="Menu")).to_be_hidden()
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Schools").click()
    expect(page.locator("#school-count")).to_have_text("4 schools")

    page.get_by_label("Search by name, URN or postcode").fill("Bramley")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.locator("#school-count")).to_have_text("1 school")
    expect(page.get_by_role("link", name="Bramley Infant School")).to_be_visible()

    # The folded filters are a native <details>, so they open without a script.
    page.get_by_text("Phase, type group, status and opt-out").click()
    page.get_by_label("Closed", exact=True).check()
    page.get_by_role("button", name="Apply filters").click()
    expect(page.locator("#school-count")).to_have_text("0 schools")
    expect(page.get_by_text("No schools match.")).to_be_visible()
    screenshot(page, "no-js-register-filtered")


def test_a_standing_items_wide_table_scrolls_inside_the_meeting_page(
    phone, live_server, officer, world
):
    """A standing item's table (five columns of school, URN, alliance, date and days) scrolls
    sideways in its own wrapper; the agenda itself fits the phone."""
    from board.meeting_agenda import agenda_item_add, agenda_publish
    from board.models import AgendaItem
    from tests.board.conftest import make_meeting

    meeting = make_meeting(days_ago=-7, title="Board meeting on a phone")
    item = agenda_item_add(meeting=meeting, title="Support cases past the target", by=None)
    agenda_publish(meeting=meeting, by=None)
    rows = [
        [
            f"Basingstoke Academy sponsor led {n}",
            str(111000 + n),
            "Alliance 7",
            "7 December 2025",
            "365",
        ]
        for n in range(12)
    ]
    snapshot = {
        "summary": "12 support cases not commissioned within 30 days of the request.",
        "columns": ["School", "URN", "Alliance", "Requested", "Days waiting"],
        "rows": rows,
        "school_ids": [],
    }
    AgendaItem.objects.filter(pk=item.pk).update(snapshot=snapshot)
    page = phone
    log_in(page, live_server, "officer@example.org")
    page.goto(f"{live_server.url}/meetings/{meeting.pk}/")
    expect(page.get_by_text("Showing the first 10 of 12 rows.")).to_be_visible()
    assert _fits(page), "the meeting page is wider than the phone's screen"
    wrapper = page.get_by_role("region", name="Support cases past the target")
    assert wrapper.evaluate("el => el.scrollWidth > el.clientWidth"), "the table should scroll"
    screenshot(page, "phone-05-meeting-standing-item")
