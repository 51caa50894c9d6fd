"""The board pack in a real browser: the officer creates the pack from the meeting's page,
follows the job to its end and downloads the PDF; the pages pass axe's checks."""

import pytest
from playwright.sync_api import expect

from tests.board.pack_fixtures import pack_meeting_make
from tests.browser.conftest import (  # noqa: F401 - chromium's launch fixtures
    assert_accessible,
    browser_context_args,
    browser_type_launch_args,
    log_in,
    screenshot,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_officer_creates_and_downloads_the_board_pack(page, live_server, world, officer):
    meeting = pack_meeting_make(world=world, officer=officer)
    log_in(page, live_server, officer.email)
    page.goto(f"{live_server.url}/meetings/{meeting.pk}/")
    page.get_by_role("button", name="Create board pack").click()
    expect(page.get_by_text("Board pack complete")).to_be_visible()
    assert_accessible(page)
    screenshot(page, "pack-01-job-done")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the members' pack (PDF)").click()
    assert download.value.suggested_filename.startswith("board-pack-members-")
    page.goto(f"{live_server.url}/meetings/{meeting.pk}/pack/")
    expect(page.get_by_text("Not created yet")).to_be_visible()  # the public pack
    assert_accessible(page)
    screenshot(page, "pack-02-pack-page")
