"""Projector mode (/dashboard/present/): one panel a page with links to the next and previous
(each panel its own URL, so they work without JavaScript), school names replaced by the board
year's codes (the published minutes' codes) unless the chair shows them while the meeting takes
a confidential item."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from board.dashboard import PANELS
from board.dashboard_focus import meeting_item_take, meeting_names_show
from board.meeting_agenda import agenda_item_add
from board.models import Meeting
from board.school_codes import board_year, school_codes_for
from tests.board.conftest import make_meeting
from tests.board.dashboard_world import build_dashboard_world

PRESENT = "/dashboard/present/"
REVIEWS = f"{PRESENT}?panel={[key for key, _ in PANELS].index('reviews') + 1}"


@pytest.fixture
def dashboard_world(world, officer):
    return build_dashboard_world(world, officer)


@pytest.fixture
def meeting(board_chair):
    """The board's meeting today, agenda published: a public item and a confidential one."""
    meeting = make_meeting(days_ago=0, state=Meeting.State.AGENDA_PUBLISHED, by=board_chair)
    public = agenda_item_add(meeting=meeting, title="Fund position", by=board_chair)
    secret = agenda_item_add(
        meeting=meeting,
        title="Schools causing concern",
        is_confidential=True,
        exempt_paragraph="1",
        by=board_chair,
    )
    meeting.public, meeting.secret = public, secret
    return meeting


def codes(world) -> dict:
    year = board_year(timezone.localdate())
    return school_codes_for(year=year, school_ids=[world.school_a.pk, world.school_b.pk])


@pytest.mark.parametrize(
    "persona,status",
    [
        ("officer", 200),
        ("board_chair", 200),
        ("board_member", 200),
        ("alliance_chair", 403),
        ("head_a", 403),
        ("provider", 403),
        ("cluster_lead", 403),
    ],
)
def test_board_projector_is_for_officers_and_the_board(as_user, dashboard_world, persona, status):
    assert as_user(persona).get(PRESENT).status_code == status


def test_alliance_chair_projects_their_alliance_only(as_user, world, dashboard_world):
    client = as_user("alliance_chair")
    assert client.get(f"/dashboard/alliances/{world.alliance_a.pk}/present/").status_code == 200
    assert client.get(f"/dashboard/alliances/{world.alliance_b.pk}/present/").status_code == 404


def test_each_panel_is_its_own_page_with_next_and_previous_links(as_user, dashboard_world):
    client = as_user("board_member")
    first = client.get(PRESENT).content.decode()
    assert 'id="next-panel"' in first and 'href="/dashboard/present/?panel=2"' in first
    assert 'id="previous-panel"' not in first
    assert "Schools by category" in first and 'id="table-cases"' not in first
    last = client.get(f"{PRESENT}?panel={len(PANELS)}").content.decode()
    assert 'id="next-panel"' not in last and f"?panel={len(PANELS) - 1}" in last
    assert 'id="table-impact"' in last
    assert client.get(f"{PRESENT}?panel=99").status_code == 200  # the last panel
    assert client.get(f"{PRESENT}?panel=x").status_code == 200  # the first


def test_school_names_are_hidden_by_default(as_user, world, dashboard_world):
    content = as_user("board_chair").get(REVIEWS).content.decode()
    assert "Ashdown Primary School" not in content
    assert "Bramley Infant School" not in content
    found = codes(world)
    assert found[world.school_a.pk] in content and found[world.school_b.pk] in content
    assert "School names hidden" in content


def test_codes_are_the_published_minutes_codes(as_user, world, dashboard_world):
    year = board_year(timezone.localdate())
    given = school_codes_for(year=year, school_ids=[world.school_b.pk, world.school_a.pk])
    content = as_user("officer").get(REVIEWS).content.decode()
    assert given[world.school_b.pk] == "School A"
    assert '<th scope="row" class="govuk-table__header">School B</th>' in content


def test_showing_names_is_refused_outside_a_confidential_item(
    as_user, dashboard_world, meeting, board_chair
):
    meeting_item_take(meeting=meeting, item=meeting.public, by=board_chair)
    with pytest.raises(ValidationError, match="only be shown while the meeting is taking"):
        meeting_names_show(meeting=meeting, show=True, by=board_chair)
    response = as_user("board_chair").post(
        f"/dashboard/meetings/{meeting.pk}/present/?panel=7", {"action": "show"}, follow=True
    )
    content = response.content.decode()
    assert "only be shown while the meeting is taking a confidential item" in content
    assert "Ashdown Primary School" not in content


def test_chair_shows_names_during_a_confidential_item(as_user, dashboard_world, meeting):
    client = as_user("board_chair")
    url = f"/dashboard/meetings/{meeting.pk}/present/?panel=7"
    client.post(url, {"action": "take", "item": meeting.secret.pk})
    response = client.post(url, {"action": "show"}, follow=True)
    content = response.content.decode()
    assert response.redirect_chain[-1][0] == REVIEWS
    assert "Ashdown Primary School" in content and "School names shown" in content
    # Taking the next item hides them again.
    client.post(url, {"action": "take", "item": meeting.public.pk})
    assert "Ashdown Primary School" not in client.get(REVIEWS).content.decode()


def test_names_stay_hidden_for_a_meeting_not_in_progress(dashboard_world, board_chair):
    held = make_meeting(days_ago=0, state=Meeting.State.HELD, by=board_chair)
    with pytest.raises(ValidationError, match="while the meeting is in progress"):
        meeting_item_take(meeting=held, item=None, by=board_chair)


def test_only_the_meetings_chair_controls_the_projector(as_user, dashboard_world, meeting):
    url = f"/dashboard/meetings/{meeting.pk}/present/"
    assert as_user("board_member").post(url, {"action": "show"}).status_code == 403
    assert as_user("head_a").post(url, {"action": "show"}).status_code in (403, 404)
    member_page = as_user("board_member").get(PRESENT).content.decode()
    assert 'id="chair-controls"' not in member_page
    assert 'id="chair-controls"' in as_user("board_chair").get(PRESENT).content.decode()


def test_showing_names_is_in_the_audit_trail(as_user, dashboard_world, meeting, board_chair):
    meeting_item_take(meeting=meeting, item=meeting.secret, by=board_chair)
    meeting_names_show(meeting=meeting, show=True, by=board_chair)
    content = as_user("officer").get("/people/audit/").content.decode()
    assert f"Projector: item {meeting.secret.pk} being taken, school names shown" in content
