"""The dashboard and its projector mode in a real browser: the chair opens the dashboard, moves
between panels with the keyboard, sees schools by code, and shows their names only while the
meeting takes a confidential item; a member follows on a 375px phone; the links work without
JavaScript. Screenshots: dashboard-*.png in SCREENSHOT_DIR."""

import pytest
from playwright.sync_api import expect

from board.dashboard import PANELS
from board.meeting_agenda import agenda_item_add
from board.models import ExemptParagraph, Meeting
from tests.board.conftest import make_meeting
from tests.board.dashboard_world import build_dashboard_world
from tests.browser.conftest import assert_accessible, log_in, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 812}
PAGE_FITS = "() => document.documentElement.scrollWidth <= window.innerWidth"
REVIEWS = [key for key, _ in PANELS].index("reviews") + 1


@pytest.fixture
def meeting_today(world, officer, board_chair, board_member):
    build_dashboard_world(world, officer)
    meeting = make_meeting(days_ago=0, state=Meeting.State.AGENDA_PUBLISHED, title="Spring board")
    agenda_item_add(meeting=meeting, title="Fund position", by=None)
    agenda_item_add(
        meeting=meeting,
        title="Schools causing concern",
        is_confidential=True,
        exempt_paragraph=ExemptParagraph.P1,
        by=None,
    )
    return meeting


def test_chair_projects_the_dashboard_and_shows_names_only_in_a_confidential_item(
    page, live_server, meeting_today
):
    page.set_viewport_size({"width": 1366, "height": 900})
    log_in(page, live_server, "chair@example.org")
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Dashboard").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("The board's dashboard")
    expect(page.locator("#chart-categories")).to_be_visible()  # drawn by chart.js
    expect(page.locator("#table-category")).to_be_visible()
    assert_accessible(page)
    screenshot(page, "dashboard-01-board")

    page.get_by_role("link", name="Show on a projector").click()
    expect(page.get_by_role("heading", level=1, name="Schools by category")).to_be_visible()
    assert_accessible(page)
    screenshot(page, "dashboard-02-projector")
    keys = page.locator('#projector[data-keys="on"]')
    expect(keys).to_have_count(1)
    page.keyboard.press("ArrowRight")
    expect(page).to_have_url(f"{live_server.url}/dashboard/present/?panel=2")
    expect(keys).to_have_count(1)
    page.keyboard.press("PageDown")
    expect(page).to_have_url(f"{live_server.url}/dashboard/present/?panel=3")
    expect(keys).to_have_count(1)
    page.keyboard.press("ArrowLeft")
    expect(page).to_have_url(f"{live_server.url}/dashboard/present/?panel=2")
    page.get_by_role("link", name="Previous panel").click()
    expect(page).to_have_url(f"{live_server.url}/dashboard/present/?panel=1")

    page.goto(f"{live_server.url}/dashboard/present/?panel={REVIEWS}")
    reviews = page.locator("#table-reviews")
    expect(reviews).to_contain_text("School A")
    expect(page.get_by_text("Ashdown Primary School")).to_have_count(0)
    screenshot(page, "dashboard-03-projector-codes")

    page.get_by_text("Chair's controls").click()
    page.get_by_role("button", name="Show school names").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "only be shown while the meeting is taking a confidential item"
    )
    expect(page.get_by_text("Ashdown Primary School")).to_have_count(0)

    page.get_by_text("Chair's controls").click()
    choice = page.locator("#item option", has_text="Schools causing concern (confidential)")
    page.get_by_label("The item being taken").select_option(choice.get_attribute("value"))
    page.get_by_role("button", name="Mark as being taken").click()
    page.get_by_text("Chair's controls").click()
    page.get_by_role("button", name="Show school names").click()
    expect(reviews).to_contain_text("Ashdown Primary School")
    expect(page.locator("#names-state")).to_contain_text("School names shown")
    assert_accessible(page)
    screenshot(page, "dashboard-04-projector-names-shown")


def test_a_member_follows_the_projector_on_a_phone(browser, live_server, meeting_today):
    context = browser.new_context(viewport=PHONE, bypass_csp=True, locale="en-GB")
    phone = context.new_page()
    log_in(phone, live_server, "member@example.org")
    for number in (1, 2, 6, REVIEWS):
        phone.goto(f"{live_server.url}/dashboard/present/?panel={number}")
        assert phone.evaluate(PAGE_FITS), f"panel {number} is wider than a phone's screen"
        assert_accessible(phone)
    expect(phone.get_by_text("Ashdown Primary School")).to_have_count(0)
    screenshot(phone, "dashboard-05-phone-reviews")
    phone.goto(f"{live_server.url}/dashboard/present/?panel=1")
    box = phone.locator("#chart-categories").bounding_box()
    assert box and box["height"] >= 250, f"the chart is too small to read on a phone: {box}"
    screenshot(phone, "dashboard-06-phone-categories")
    phone.goto(f"{live_server.url}/dashboard/")
    assert phone.evaluate(PAGE_FITS), "the dashboard is wider than a phone's screen"
    context.close()


def test_panels_move_without_javascript(browser, live_server, meeting_today):
    context = browser.new_context(java_script_enabled=False, locale="en-GB")
    page = context.new_page()
    log_in(page, live_server, "member@example.org")
    page.goto(f"{live_server.url}/dashboard/present/")
    page.get_by_role("link", name="Next panel").click()
    expect(page).to_have_url(f"{live_server.url}/dashboard/present/?panel=2")
    expect(page.locator("#table-movement")).to_be_visible()
    context.close()
