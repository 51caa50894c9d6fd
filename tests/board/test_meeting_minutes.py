"""Minutes drafted per item, approved at the next meeting, then published without confidential
items and with school names replaced by stable codes where the board decides."""

import pytest
from django.core.exceptions import ValidationError

from board.meeting_agenda import agenda_item_add
from board.meeting_decisions import decision_record
from board.meeting_minutes import (
    minutes_approve,
    minutes_draft,
    minutes_names_hide,
    minutes_publish,
)
from board.models import AgendaItem, Decision, ExemptParagraph, Meeting
from board.school_codes import code_label, school_codes_for
from tests.board.conftest import make_meeting

SECRET = "The headteacher of Bramley Infant School is on long-term sick leave"


@pytest.fixture
def held(world):
    """A meeting with a public item about school A and a confidential one about school B,
    minuted and decided, then held."""
    meeting = make_meeting(days_ago=30, title="Autumn board")
    public = agenda_item_add(
        meeting=meeting,
        title="Support for Ashdown Primary School",
        schools=[world.school_a],
        by=None,
    )
    private = agenda_item_add(
        meeting=meeting,
        title="Leadership at Bramley Infant School",
        is_confidential=True,
        exempt_paragraph=ExemptParagraph.P1,
        schools=[world.school_b],
        by=None,
    )
    Meeting.objects.filter(pk=meeting.pk).update(state=Meeting.State.HELD)
    meeting.refresh_from_db()
    minutes_draft(
        item=public,
        text="The board heard that ASHDOWN PRIMARY SCHOOL has a new maths lead. "
        "Ashdown Primary School's network was mentioned too.",
        by=None,
    )
    minutes_draft(item=private, text=SECRET, by=None)
    decision_record(
        item=public,
        text="Broker an NLE for Ashdown Primary School",
        outcome=Decision.Outcome.CARRIED,
        by=None,
    )
    decision_record(
        item=private,
        text="Ask HR about Bramley Infant School",
        outcome=Decision.Outcome.CARRIED,
        by=None,
    )
    return meeting


@pytest.fixture
def next_meeting(held):
    return make_meeting(days_ago=0, state=Meeting.State.AGENDA_PUBLISHED, title="Winter board")


def _minutes_item(meeting) -> AgendaItem:
    return meeting.items.get(kind=AgendaItem.Kind.MINUTES)


def test_the_next_meeting_approves_the_minutes_as_a_correct_record(held, next_meeting, officer):
    item = _minutes_item(next_meeting)
    assert item.minutes_of == held
    decision = minutes_approve(item=item, by=officer)
    held.refresh_from_db()
    assert held.state == Meeting.State.MINUTES_APPROVED
    assert decision.item == item
    assert (
        decision.text == "The minutes of Autumn board were approved and signed as a correct record."
    )
    assert held.transitions.last().note == "Approved at Winter board"


def test_approved_minutes_cannot_change(held, next_meeting):
    minutes_approve(item=_minutes_item(next_meeting), by=None)
    with pytest.raises(ValidationError, match="minutes approved cannot be changed"):
        minutes_draft(item=held.items.last(), text="Rewritten", by=None)


def test_minutes_are_approved_only_through_the_next_meetings_minutes_item(held, next_meeting):
    with pytest.raises(ValidationError, match="next meeting's item"):
        minutes_approve(item=next_meeting.items.first(), by=None)
    later = make_meeting(days_ago=-30)
    assert _minutes_item(later).minutes_of == next_meeting  # not held yet
    Meeting.objects.filter(pk=later.pk).update(state=Meeting.State.AGENDA_PUBLISHED)
    with pytest.raises(ValidationError, match="a meeting that was held"):
        minutes_approve(item=_minutes_item(later), by=None)


def test_minutes_are_published_only_once_approved(held, next_meeting):
    with pytest.raises(ValidationError, match="Approve the minutes at the next meeting"):
        minutes_publish(meeting=held, by=None)
    minutes_approve(item=_minutes_item(next_meeting), by=None)
    minutes_publish(meeting=held, by=None)
    assert held.minutes_published


def _published_page(as_user, held, next_meeting, who="head_a") -> str:
    minutes_approve(item=_minutes_item(next_meeting), by=None)
    minutes_publish(meeting=held, by=None)
    response = as_user(who).get(f"/meetings/{held.pk}/minutes/")
    assert response.status_code == 200
    return response.content.decode()


def test_published_minutes_never_contain_a_confidential_item_or_a_hidden_name(
    as_user, held, next_meeting
):
    page = _published_page(as_user, held, next_meeting)
    for hidden in (SECRET, "Leadership at", "Ask HR", "Bramley", "Ashdown", "ASHDOWN"):
        assert hidden not in page
    assert "Support for School A" in page and "School A has a new maths lead" in page
    assert "School A&#x27;s network" in page
    assert "Broker an NLE for School A (agreed)" in page
    assert "exempt information under paragraph 1 of Schedule 12A" in page


def test_a_board_member_can_still_read_the_full_minutes(as_user, held, next_meeting):
    _published_page(as_user, held, next_meeting, who="board_member")
    page = as_user("board_member").get(f"/meetings/{held.pk}/minutes/?version=draft")
    assert SECRET in page.content.decode()


def test_names_stay_where_the_board_decides_not_to_hide_them(as_user, held, next_meeting):
    Meeting.objects.filter(pk=held.pk).update(hide_school_names=False)
    page = _published_page(as_user, held, next_meeting)
    assert "Support for Ashdown Primary School" in page
    assert SECRET not in page


def test_a_schools_code_is_stable_within_a_board_year(world):
    first = school_codes_for(year=2025, school_ids=[world.school_b.pk, world.school_a.pk])
    again = school_codes_for(year=2025, school_ids=[world.school_a.pk, world.school_z.pk])
    assert first == {world.school_b.pk: "School A", world.school_a.pk: "School B"}
    assert again == {world.school_a.pk: "School B", world.school_z.pk: "School C"}
    assert school_codes_for(year=2026, school_ids=[world.school_z.pk]) == {
        world.school_z.pk: "School A"
    }


@pytest.mark.parametrize(
    ("position", "label"),
    [(0, "School A"), (25, "School Z"), (26, "School AA"), (701, "School ZZ")],
)
def test_codes_run_on_past_z(position, label):
    assert code_label(position) == label


def test_the_board_decides_whether_the_published_minutes_name_schools(
    as_user, officer, held, next_meeting
):
    client = as_user("officer")
    client.post(f"/meetings/{held.pk}/state/", {"action": "show-names"})
    held.refresh_from_db()
    assert not held.hide_school_names
    assert (
        as_user("board_member")
        .post(f"/meetings/{held.pk}/state/", {"action": "hide-names"})
        .status_code
        == 403
    )
    minutes_approve(item=_minutes_item(next_meeting), by=None)
    minutes_publish(meeting=held, by=None)
    with pytest.raises(ValidationError, match="can no longer change"):
        minutes_names_hide(meeting=held, hide=True, by=officer)
