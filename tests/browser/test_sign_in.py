import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, log_in, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_login_page_is_accessible(page, live_server):
    page.goto(f"{live_server.url}/accounts/login/")
    assert page.get_by_role("heading", name="Sign in").is_visible()
    assert_accessible(page)
    screenshot(page, "login")


def test_wrong_password_shows_error_summary_that_is_accessible(page, live_server, head_a):
    log_in(page, live_server, "head.a@example.org", "not the password")
    # Waits for the page the click loads (the title is empty while it navigates).
    expect(page).to_have_title(re.compile(r"^Error: "))
    assert page.locator(".govuk-error-summary").is_visible()
    assert_accessible(page)


def test_headteacher_signs_in_and_sees_their_role(page, live_server, head_a):
    log_in(page, live_server, "head.a@example.org")
    assert page.get_by_text("Headteacher, Ashdown Primary School (100001)").is_visible()
    assert_accessible(page)
    screenshot(page, "home-headteacher")
