"""The board's meetings in a real browser: the chair publishes an agenda and records attendance;
a headteacher reads the published minutes, with the school named by its code and the
confidential item left out."""

import pytest
from playwright.sync_api import expect

from board.meeting_agenda import agenda_item_add
from board.meeting_minutes import minutes_draft
from board.meeting_seats import seat_add
from board.models import ExemptParagraph, Meeting, SeatKind
from tests.board.conftest import SEATED_FROM, make_meeting
from tests.browser.conftest import assert_accessible, log_in, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_chair_runs_a_meeting_and_a_head_reads_the_published_minutes(
    page, live_server, board_chair, board_member, head_a, world
):
    since = {"starts_on": SEATED_FROM, "by": None}
    seat_add(alliance=None, user=board_chair, kind=SeatKind.CHAIR, **since)
    seat_add(alliance=None, user=board_member, kind=SeatKind.MEMBER, group_name="NAHT", **since)
    meeting = make_meeting(days_ago=1, title="Spring board")
    item = agenda_item_add(
        meeting=meeting,
        title="Support for Ashdown Primary School",
        schools=[world.school_a],
        by=None,
    )
    agenda_item_add(
        meeting=meeting,
        title="Staffing at Ashdown",
        is_confidential=True,
        exempt_paragraph=ExemptParagraph.P1,
        by=None,
    )

    log_in(page, live_server, "chair@example.org")
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Meetings").click()
    page.get_by_role("link", name="Spring board").click()
    page.get_by_role("button", name="Publish the agenda").click()
    expect(page.get_by_text("The agenda is published")).to_be_visible()
    page.get_by_role("button", name="Mark as held").click()
    page.get_by_role("link", name="Record attendance").click()
    page.get_by_role("group", name=f"{board_member}, member").get_by_label("Apologies").check()
    page.get_by_role("button", name="Save attendance").click()
    expect(page.locator("table").last).to_contain_text("Apologies")
    assert_accessible(page)
    screenshot(page, "meetings-01-meeting")

    minutes_draft(item=item, text="Ashdown Primary School has a new head.", by=None)
    Meeting.objects.filter(pk=meeting.pk).update(
        state=Meeting.State.MINUTES_APPROVED, minutes_published_at=meeting.starts_at
    )
    page.context.clear_cookies()
    log_in(page, live_server, "head.a@example.org")
    page.goto(f"{live_server.url}/meetings/{meeting.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Minutes: Spring board")
    expect(page.get_by_text("School A has a new head.")).to_be_visible()
    expect(page.get_by_text("Ashdown")).to_have_count(0)
    assert_accessible(page)
    screenshot(page, "meetings-02-published-minutes")
