"""Decisions with their votes (substitutes in their member's place; observers and declared
members not at all), and decisions written back: the board agreeing a categorisation run."""

import pytest
from django.core.exceptions import ValidationError

from board.decisions import decision_for
from board.meeting_agenda import agenda_item_add
from board.meeting_attendance import attendance_record, declaration_record
from board.meeting_decisions import decision_record, voters
from board.models import Attendance, Decision, Meeting, Vote
from categorisation.measures import measures_ensure
from categorisation.models import RuleSetStatus
from categorisation.moderation import run_confirm_pending
from categorisation.runs import rule_set_create_draft
from tests.board.conftest import make_meeting
from tests.categorisation.factories import build_categorised

S = Attendance.Status
V = Vote.Choice


@pytest.fixture
def item(seats):
    meeting = make_meeting(days_ago=0, state=Meeting.State.AGENDA_PUBLISHED)
    item = agenda_item_add(meeting=meeting, title="Maths hub proposal", by=None)
    Meeting.objects.filter(pk=meeting.pk).update(state=Meeting.State.HELD)
    meeting.refresh_from_db()
    attendance_record(
        meeting=meeting,
        records={
            seats.chair: (S.PRESENT, None),
            seats.member: (S.SUBSTITUTE, seats.substitute),
            seats.diocese: (S.PRESENT, None),
            seats.co_opted: (S.PRESENT, None),
            seats.observer: (S.PRESENT, None),
        },
        by=None,
    )
    declaration_record(
        item=item, seat=seats.diocese, interest="Governor of the hub school", by=None
    )
    return item


def test_the_substitute_votes_for_their_member_and_observers_and_declared_do_not(item, seats):
    allowed, refused = voters(item=item)
    assert {(v.seat, v.cast_by) for v in allowed} == {
        (seats.chair, seats.chair),
        (seats.co_opted, seats.co_opted),
        (seats.member, seats.substitute),
    }
    assert refused == {
        seats.observer.pk: "observers do not vote",
        seats.diocese.pk: "they declared an interest",
    }


def test_votes_decide_the_outcome_and_are_kept_per_member(item, seats):
    decision = decision_record(
        item=item,
        text="The board supports the proposal",
        votes={seats.substitute.pk: V.FOR, seats.chair.pk: V.FOR, seats.co_opted.pk: V.AGAINST},
        by=None,
    )
    assert decision.outcome == Decision.Outcome.CARRIED
    vote = decision.votes.get(cast_by=seats.substitute)
    assert (vote.seat, vote.choice) == (seats.member, V.FOR)


def test_a_tie_is_not_agreed(item, seats):
    decision = decision_record(
        item=item,
        text="Fund the bid",
        votes={seats.chair.pk: V.FOR, seats.co_opted.pk: V.AGAINST},
        by=None,
    )
    assert decision.outcome == Decision.Outcome.LOST


@pytest.mark.parametrize(
    ("who", "reason"),
    [("observer", "observers do not vote"), ("diocese", "they declared an interest")],
)
def test_an_observer_or_a_declared_member_cannot_vote(item, seats, who, reason):
    seat = getattr(seats, who)
    with pytest.raises(ValidationError) as refused:
        decision_record(item=item, text="Agree", votes={seat.pk: V.FOR}, by=None)
    assert refused.value.messages == [f"{seat.user} cannot vote on this item: {reason}"]
    assert not Decision.objects.exists()


def test_the_member_cannot_vote_when_their_substitute_stands_in(item, seats):
    with pytest.raises(ValidationError, match="not a voting member present"):
        decision_record(item=item, text="Agree", votes={seats.member.pk: V.FOR}, by=None)


def test_without_votes_the_outcome_is_needed(item):
    with pytest.raises(ValidationError) as refused:
        decision_record(item=item, text="Noted", by=None)
    assert refused.value.message_dict == {"outcome": ["Select the outcome, or record the votes"]}
    noted = decision_record(item=item, text="Noted", outcome=Decision.Outcome.NOTED, by=None)
    assert noted.outcome == Decision.Outcome.NOTED


def test_decisions_wait_for_the_published_agenda(seats):
    meeting = make_meeting(days_ago=-3)
    item = agenda_item_add(meeting=meeting, title="Early", by=None)
    with pytest.raises(ValidationError, match="once the agenda is published"):
        decision_record(item=item, text="Agree", outcome=Decision.Outcome.CARRIED, by=None)


# Written back ------------------------------------------------------------------------------


@pytest.fixture
def categorised(world, officer):
    return build_categorised(world, officer)


def _agree_run(item, run, by, **votes):
    return decision_record(
        item=item,
        text="The board agrees the categorisation",
        kind="agree_run",
        subject=run,
        by=by,
        **votes,
    )


def test_agreeing_a_run_writes_the_agreement_back_with_the_decision(item, categorised, officer):
    run_confirm_pending(run=categorised.pending, by=officer)
    decision = _agree_run(item, categorised.pending, officer, outcome=Decision.Outcome.CARRIED)
    run = categorised.pending
    run.refresh_from_db()
    assert run.agreed_at is not None and run.agreed_by == officer
    assert f"(decision {decision.pk})" in run.agreement_note
    assert decision.applied_at is not None and decision.subject == run
    assert decision_for(run) == decision


def test_a_refused_agreement_refuses_the_decision(item, categorised, officer):
    with pytest.raises(ValidationError, match="not moderated yet"):
        _agree_run(item, categorised.pending, officer, outcome=Decision.Outcome.CARRIED)
    assert not Decision.objects.exists()
    categorised.pending.refresh_from_db()
    assert categorised.pending.agreed_at is None


def test_a_run_the_board_voted_down_is_not_agreed(item, categorised, officer, seats):
    run_confirm_pending(run=categorised.pending, by=officer)
    decision = _agree_run(item, categorised.pending, officer, votes={seats.chair.pk: V.AGAINST})
    categorised.pending.refresh_from_db()
    assert decision.outcome == Decision.Outcome.LOST and categorised.pending.agreed_at is None
    assert decision_for(categorised.pending) is None


def test_only_a_run_waiting_for_agreement_can_be_the_subject(item, categorised, officer):
    with pytest.raises(ValidationError) as refused:
        _agree_run(item, categorised.agreed, officer, outcome=Decision.Outcome.CARRIED)
    assert refused.value.message_dict == {"subject": ["Select a run from the list"]}


def test_adopting_a_rule_set_writes_back_and_starts_a_run(item, officer):
    measures_ensure()  # the measure catalogue the rules are checked against
    draft = rule_set_create_draft(based_on=None, by=officer)
    decision = decision_record(
        item=item,
        text="The board adopts the new rules",
        kind="adopt_rule_set",
        subject=draft,
        outcome=Decision.Outcome.CARRIED,
        by=officer,
    )
    draft.refresh_from_db()
    assert draft.status == RuleSetStatus.ADOPTED and draft.adopted_by == officer
    assert draft.runs.count() == 1 and decision_for(draft) == decision
