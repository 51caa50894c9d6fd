"""Moderating results (confirm, or override with a reason) and the board's agreement of a run:
the services, then the pages that call them."""

import pytest
from django.core.exceptions import ValidationError

from categorisation.models import Result, Run
from categorisation.moderation import (
    result_confirm,
    result_override,
    run_agree,
    run_confirm_pending,
)
from categorisation.runs import run_current_agreed
from tests.categorisation.factories import RunFactory, build_categorised, run_with_results


@pytest.fixture
def categorised(world, officer):
    return build_categorised(world, officer)


def _result(run: Run, school) -> Result:
    return Result.objects.get(run=run, school=school)


# The services ------------------------------------------------------------------------------


def test_confirming_keeps_the_computed_category_and_records_who_and_when(
    categorised, world, officer
):
    result = _result(categorised.pending, world.school_b)
    confirmed = result_confirm(result=result, by=officer)
    confirmed.refresh_from_db()
    assert confirmed.moderation == Result.Moderation.CONFIRMED
    assert (confirmed.category, confirmed.support_band) == ("4", "high")
    assert confirmed.moderated_by == officer and confirmed.moderated_at is not None
    assert confirmed.history.first().history_user == officer


@pytest.mark.parametrize("reason", ["", "   "])
def test_an_override_needs_a_reason(categorised, world, officer, reason):
    result = _result(categorised.pending, world.school_a)
    with pytest.raises(ValidationError) as caught:
        result_override(result=result, category="2", support_band="", reason=reason, by=officer)
    assert caught.value.message_dict == {"reason": ["Enter the reason for changing the category"]}
    result.refresh_from_db()
    assert result.moderation == Result.Moderation.PENDING and result.category == "1"


def test_an_override_keeps_the_category_the_reason_and_who_and_when(categorised, world, officer):
    result = _result(categorised.pending, world.school_a)
    reason = "New headteacher and an LA review in March show leadership is weak"
    result_override(result=result, category="3", support_band="low", reason=reason, by=officer)
    result.refresh_from_db()
    assert result.moderation == Result.Moderation.OVERRIDDEN
    assert (result.category, result.support_band) == ("3", "low")
    assert (result.computed_category, result.computed_support_band) == ("1", "")
    assert result.override_reason == reason
    assert result.moderated_by == officer and result.moderated_at is not None
    latest = result.history.first()
    assert latest.history_user == officer and latest.override_reason == reason


@pytest.mark.parametrize(
    "category,band,field,message",
    [
        ("9", "", "category", "Select a category from the list"),
        ("3", "", "support_band", "Select a support band: 3: Focused support is a focused"),
        ("2", "high", "support_band", "Leave the support band empty"),
        ("4", "extreme", "support_band", "Select a support band from the list"),
        ("1", "", "category", "That is the computed category and support band"),
    ],
)
def test_an_override_must_be_a_category_and_band_the_rules_offer(
    categorised, world, officer, category, band, field, message
):
    result = _result(categorised.pending, world.school_a)
    with pytest.raises(ValidationError) as caught:
        result_override(
            result=result, category=category, support_band=band, reason="Because", by=officer
        )
    assert caught.value.message_dict[field][0].startswith(message)


@pytest.mark.parametrize("which", ["agreed", "what_if", "failed"])
def test_only_a_succeeded_official_run_not_yet_agreed_can_be_moderated(
    categorised, world, officer, which
):
    if which == "agreed":
        run = categorised.agreed
    elif which == "what_if":
        run = run_with_results({world.school_a: "2"}, purpose=Run.Purpose.WHAT_IF)
    else:
        run = run_with_results({world.school_a: "2"})
        Run.objects.filter(pk=run.pk).update(state=Run.State.FAILED)
    result = _result(run, world.school_a)
    with pytest.raises(ValidationError):
        result_confirm(result=result, by=officer)
    with pytest.raises(ValidationError):
        result_override(result=result, category="4", support_band="high", reason="x", by=officer)
    assert _result(run, world.school_a).moderated_at == result.moderated_at


def test_confirm_all_pending_leaves_overridden_results_alone(categorised, world, officer):
    run = categorised.pending
    result_override(
        result=_result(run, world.school_a),
        category="2",
        support_band="",
        reason="Known context",
        by=officer,
    )
    assert run_confirm_pending(run=run, by=officer) == 3
    states = dict(run.results.values_list("school__urn", "moderation"))
    assert states == {
        100001: "overridden",
        100002: "confirmed",
        100003: "confirmed",
        100004: "confirmed",
    }
    assert _result(run, world.school_a).category == "2"
    confirmed = _result(run, world.school_b)
    assert confirmed.moderated_by == officer
    assert confirmed.history.first().history_user == officer


def test_agreement_is_refused_while_results_are_pending_and_says_how_many(
    categorised, world, board_chair, officer
):
    run = categorised.pending
    result_confirm(result=_result(run, world.school_a), by=officer)
    result_confirm(result=_result(run, world.school_b), by=officer)
    with pytest.raises(ValidationError) as caught:
        run_agree(run=run, by=board_chair)
    assert caught.value.messages == [
        "2 results are not moderated yet. Confirm or change them before the board agrees the "
        "categorisation"
    ]
    result_confirm(result=_result(run, world.school_z), by=officer)
    with pytest.raises(
        ValidationError, match="1 result is not moderated yet. Confirm or change it"
    ):
        run_agree(run=run, by=board_chair)
    run.refresh_from_db()
    assert run.agreed_at is None


def test_agreement_records_who_when_and_the_note_and_becomes_current(
    categorised, board_chair, officer
):
    run = categorised.pending
    assert run_current_agreed() == categorised.agreed
    run_confirm_pending(run=run, by=officer)
    run_agree(run=run, by=board_chair, note="  Board meeting 12 March, minute 4  ")
    run.refresh_from_db()
    assert run.agreed_by == board_chair and run.agreed_at is not None
    assert run.agreement_note == "Board meeting 12 March, minute 4"
    assert run_current_agreed() == run


@pytest.mark.parametrize(
    "which,message",
    [
        ("agreed", "The board has already agreed this categorisation"),
        ("what_if", "A what-if run is a preview"),
        ("running", "Only a categorisation run that has finished successfully can be agreed"),
        ("older", "A newer categorisation has already been agreed"),
    ],
)
def test_agreement_is_refused_for_a_run_that_cannot_become_current(
    categorised, world, board_chair, which, message
):
    if which == "agreed":
        run = categorised.agreed
    elif which == "what_if":
        run = run_with_results({world.school_a: "2"}, purpose=Run.Purpose.WHAT_IF)
    elif which == "running":
        run = RunFactory(rule_set=categorised.rule_set, state=Run.State.RUNNING)
    else:
        run = run_with_results({world.school_a: "2"}, agreed_days_ago=None)
        Run.objects.filter(pk=run.pk).update(created_at=categorised.previous.created_at)
        Result.objects.filter(run=run).update(moderation=Result.Moderation.CONFIRMED)
    with pytest.raises(ValidationError, match=message):
        run_agree(run=run, by=board_chair)
    assert run_current_agreed() == categorised.agreed


# The pages ---------------------------------------------------------------------------------


def _result_url(run: Run, school) -> str:
    return f"/categorisation/runs/{run.pk}/results/{_result(run, school).pk}/"


def test_officer_confirms_a_result_from_its_page(as_user, categorised, world, officer):
    url = _result_url(categorised.pending, world.school_b)
    page = as_user("officer").get(url)
    assert "Confirm the computed category" in page.content.decode()
    response = as_user("officer").post(url, {"confirm": ""}, follow=True)
    assert "Bramley Infant School: category 4: Intensive support confirmed" in (
        response.content.decode()
    )
    assert _result(categorised.pending, world.school_b).moderation == "confirmed"


def test_an_override_without_a_reason_shows_the_error_above_the_heading(
    as_user, categorised, world
):
    url = _result_url(categorised.pending, world.school_a)
    response = as_user("officer").post(url, {"category": "3", "support_band": "low"})
    content = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: " in content
    assert content.index("govuk-error-summary") < content.index("<h1")
    assert "Enter the reason for changing the category" in content
    assert _result(categorised.pending, world.school_a).moderation == "pending"


def test_officer_overrides_a_result_with_a_reason_that_the_page_then_shows(
    as_user, categorised, world, officer
):
    url = _result_url(categorised.pending, world.school_a)
    data = {"category": "3", "support_band": "low", "reason": "Safeguarding concerns in May"}
    response = as_user("officer").post(url, data)
    assert response.status_code == 302
    assert response["Location"].endswith("?moderation=pending")
    content = as_user("board_member").get(url).content.decode()
    assert "Reason: Safeguarding concerns in May" in content
    assert "3: Focused support, low support band" in content
    assert str(officer) in content


@pytest.mark.parametrize("persona", ["board_chair", "board_member", "alliance_chair"])
def test_only_officers_may_moderate(as_user, categorised, world, persona):
    url = _result_url(categorised.pending, world.school_a)
    page = as_user(persona).get(url)
    assert page.status_code == 200
    assert "Confirm the computed category" not in page.content.decode()
    assert as_user(persona).post(url, {"confirm": ""}).status_code == 403
    run_url = f"/categorisation/runs/{categorised.pending.pk}/"
    assert as_user(persona).post(run_url, {"confirm_pending": ""}).status_code == 403
    assert _result(categorised.pending, world.school_a).moderation == "pending"


def test_officer_confirms_every_pending_result_from_the_run_page(as_user, categorised):
    url = f"/categorisation/runs/{categorised.pending.pk}/"
    assert "Confirm all 4 pending results" in as_user("officer").get(url).content.decode()
    response = as_user("officer").post(url, {"confirm_pending": ""}, follow=True)
    assert "4 results confirmed" in response.content.decode()
    assert not categorised.pending.results.filter(moderation="pending").exists()


def test_agree_page_refuses_a_run_with_pending_results(as_user, categorised):
    url = f"/categorisation/runs/{categorised.pending.pk}/agree/"
    response = as_user("board_chair").post(url, {"note": "Meeting 3"})
    content = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: " in content
    assert "4 results are not moderated yet" in content


def test_board_chair_records_the_agreement_and_the_run_page_shows_it(
    as_user, categorised, officer, board_chair
):
    run_confirm_pending(run=categorised.pending, by=officer)
    url = f"/categorisation/runs/{categorised.pending.pk}/agree/"
    response = as_user("board_chair").post(url, {"note": "Board meeting, minute 7"}, follow=True)
    content = response.content.decode()
    assert "it is now the current categorisation" in content
    assert "Board meeting, minute 7" in content
    assert str(board_chair) in content
    assert run_current_agreed() == categorised.pending


@pytest.mark.parametrize("persona", ["board_member", "alliance_chair", "head_a", "cluster_lead"])
def test_only_an_officer_or_the_board_chair_records_the_agreement(
    as_user, categorised, officer, persona
):
    run_confirm_pending(run=categorised.pending, by=officer)
    url = f"/categorisation/runs/{categorised.pending.pk}/agree/"
    assert as_user(persona).get(url).status_code == 403
    assert as_user(persona).post(url, {"note": ""}).status_code == 403
    assert run_current_agreed() == categorised.agreed
