"""The API documentation page in chromium, under the site's own content security policy."""

import pytest

from tests.browser.conftest import (  # noqa: F401 - the fixture is used by pytest-playwright
    assert_accessible,
    browser_type_launch_args,
    log_in,
    screenshot,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_docs_page_renders_with_no_csp_violation(page, live_server, head_a):
    refused = []
    page.on(
        "console", lambda msg: refused.append(msg.text) if "Content Security" in msg.text else None
    )
    log_in(page, live_server, "head.a@example.org")
    page.get_by_role("link", name="API documentation").click()
    assert page.get_by_role("heading", name="API documentation", level=1).is_visible()
    assert page.get_by_role("heading", name="Get an API token", exact=True).is_visible()
    assert page.get_by_role("heading", name="List the schools you can see").is_visible()
    assert refused == []
    screenshot(page, "api-docs")


def test_docs_page_is_accessible(browser, live_server, head_a):
    # axe-core is injected as a script, so this context lets it past the policy.
    context = browser.new_context(bypass_csp=True, locale="en-GB")
    page = context.new_page()
    log_in(page, live_server, "head.a@example.org")
    page.goto(f"{live_server.url}/api/docs/")
    assert_accessible(page)
    context.close()
