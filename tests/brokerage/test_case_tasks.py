"""The task list: each task allowed once its earlier tasks are done, and refused (with the reason
a user sees) before then, after it is done, and while the case is paused or closed."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from brokerage import case_services as services
from brokerage import extensions
from brokerage.case_tasks import CANNOT_START, COMPLETED, IN_PROGRESS, NOT_STARTED, case_task_list
from brokerage.models import CaseEvent, Diagnosis, Engagement, SupportCase
from tests.brokerage.case_helpers import (
    STEP_ORDER,
    advance,
    case_open,
    do_step,
    engagement_of,
    provider_create,
)
from tests.factories import SchoolFactory, TrustFactory

pytestmark = pytest.mark.django_db
# The steps the case's own services record (the terms are the engagement's page).
CASE_STEPS = tuple(step for step in STEP_ORDER if step != "terms")


@pytest.fixture
def case(world, officer):
    provider_create()
    return case_open(world.school_a, officer)


def statuses(case) -> dict[str, str]:
    case = SupportCase.objects.get(pk=case.pk)
    return {task.key: task.status for task in case_task_list(case)}


@pytest.mark.parametrize("step", STEP_ORDER)
def test_each_task_is_allowed_once_the_tasks_before_it_are_done(case, officer, step):
    index = STEP_ORDER.index(step)
    if index:
        advance(case, STEP_ORDER[index - 1], officer)
    do_step(case, step, officer)
    assert statuses(case)[step] == COMPLETED


@pytest.mark.parametrize(
    ("step", "message"),
    [
        ("contact", "cannot start yet: Confirm eligibility first"),
        ("diagnosis", "cannot start yet: Contact the school first"),
        ("provider", "cannot start yet: Record the initial diagnosis first"),
        ("checks", "cannot start yet: Choose the provider first"),
        ("commission", "cannot start yet: Agree objectives, days and cost first"),
    ],
)
def test_a_task_is_refused_before_the_task_it_needs(case, officer, step, message):
    index = STEP_ORDER.index(step)
    if index > 1:
        advance(case, STEP_ORDER[index - 2], officer)
    with pytest.raises(ValidationError, match=message):
        do_step(case, step, officer)


@pytest.mark.parametrize("step", CASE_STEPS)
def test_a_completed_task_cannot_be_recorded_twice(case, officer, step):
    advance(case, step, officer)
    with pytest.raises(ValidationError, match="already completed"):
        do_step(case, step, officer)


@pytest.mark.parametrize("state", ["pause", "close"])
@pytest.mark.parametrize("step", CASE_STEPS)
def test_a_paused_or_closed_case_is_read_only(case, officer, step, state):
    index = STEP_ORDER.index(step)
    if index:
        advance(case, STEP_ORDER[index - 1], officer)
    services.case_state_change(case=case, by=officer, action=state, reason="Headteacher ill")
    with pytest.raises(ValidationError, match=r"This case is (paused|closed)"):
        do_step(case, step, officer)


def test_a_new_case_says_why_each_later_task_cannot_start_yet(case):
    tasks = {task.key: task for task in case_task_list(SupportCase.objects.get(pk=case.pk))}
    assert tasks["eligibility"].status == NOT_STARTED
    assert tasks["contact"].status == CANNOT_START
    assert tasks["contact"].reason == "Confirm eligibility first"
    assert tasks["impact"].reason == "Commission the support first"


@pytest.mark.parametrize("decision", [Diagnosis.REVIEW, Diagnosis.UNABLE])
def test_a_diagnosis_without_a_match_stops_the_provider_tasks(case, officer, decision):
    advance(case, "contact", officer)
    do_step(case, "diagnosis", officer, decision=decision)
    assert statuses(case)["provider"] == CANNOT_START
    with pytest.raises(ValidationError, match="The initial diagnosis decided"):
        do_step(case, "provider", officer)


def test_choosing_the_provider_creates_a_proposed_engagement_for_the_case(case, officer, world):
    advance(case, "provider", officer)
    engagement = engagement_of(case)
    assert engagement.state == Engagement.State.PROPOSED
    assert engagement.alliance == world.alliance_a


def test_terms_are_in_progress_until_days_cost_and_an_objective_are_agreed(case, officer):
    advance(case, "checks", officer)
    Engagement.objects.filter(case=case).update(days=Decimal("3"))
    assert statuses(case)["terms"] == IN_PROGRESS
    Engagement.objects.filter(case=case).update(cost=Decimal("1500"))
    assert statuses(case)["terms"] == IN_PROGRESS
    engagement_of(case).objectives.create(description="Reading", impact_measure="KS2 reading")
    assert statuses(case)["terms"] == COMPLETED


def test_an_officer_may_choose_a_provider_outside_the_list_with_a_reason(case, officer):
    advance(case, "diagnosis", officer)
    proposed, other = provider_create("Proposed"), provider_create("Other")
    with pytest.raises(ValidationError, match="Enter why you chose"):
        services.case_provider_choose(
            case=case, by=officer, provider=other, proposed_ids=[proposed.pk]
        )
    services.case_provider_choose(
        case=case, by=officer, provider=other, proposed_ids=[proposed.pk], outside_reason="Local"
    )
    case.refresh_from_db()
    assert case.outside_list_reason == "Local"


def test_an_alliance_chair_cannot_choose_a_provider_outside_the_list(case, officer, alliance_chair):
    advance(case, "diagnosis", officer)
    proposed, other = provider_create("Proposed"), provider_create("Other")
    with pytest.raises(ValidationError, match="Only an LA officer"):
        services.case_provider_choose(
            case=case,
            by=alliance_chair,
            provider=other,
            proposed_ids=[proposed.pk],
            outside_reason="I know them",
        )
    services.case_provider_choose(
        case=case, by=alliance_chair, provider=proposed, proposed_ids=[proposed.pk]
    )


def test_commissioning_above_the_limit_needs_the_boards_decision(case, officer, settings):
    settings.SUPPORT_COMMISSION_LIMIT = "15000"
    advance(case, "checks", officer)
    do_step(case, "terms", officer, cost=Decimal("15000.01"))
    with pytest.raises(ValidationError, match=r"above £15,000.00: enter the reference"):
        do_step(case, "commission", officer)
    do_step(case, "commission", officer, decision_reference="SSIB/2026/14")
    case.refresh_from_db()
    assert case.board_decision_reference == "SSIB/2026/14"


def test_commissioning_at_the_limit_needs_no_decision(case, officer):
    advance(case, "terms", officer, cost=Decimal("15000.00"))
    do_step(case, "commission", officer)
    assert engagement_of(case).state == Engagement.State.COMMISSIONED


def test_commissioning_calls_the_funds_hooks_and_their_refusal_keeps_nothing(
    case, officer, monkeypatch
):
    calls = []

    def refuse(*, engagement, by, decision=None):
        calls.append(engagement.pk)
        raise ValidationError("The alliance's allocation has £0.00 left")

    monkeypatch.setattr(extensions, "_COMMISSION_HOOKS", [refuse])
    advance(case, "terms", officer)
    with pytest.raises(ValidationError, match="allocation has £0.00 left"):
        do_step(case, "commission", officer)
    case.refresh_from_db()
    assert calls == [engagement_of(case).pk]
    assert case.commissioned_at is None
    assert engagement_of(case).state == Engagement.State.PROPOSED


def test_after_commissioning_reviews_and_impact_are_not_started(case, officer):
    advance(case, "commission", officer)
    assert statuses(case)["reviews"] == NOT_STARTED
    assert statuses(case)["impact"] == NOT_STARTED


def test_an_ineligible_school_closes_the_case_with_the_reason(case, officer):
    with pytest.raises(ValidationError, match="Enter the reason"):
        services.case_eligibility_confirm(case=case, by=officer, eligible=False)
    services.case_eligibility_confirm(
        case=case, by=officer, eligible=False, note="Already supported by its trust"
    )
    case.refresh_from_db()
    assert case.state == SupportCase.State.CLOSED
    assert case.state_reason == "Not eligible: Already supported by its trust"


def test_the_contact_task_names_an_academys_trust(world, officer):
    trust = TrustFactory(name="Solent Learning Trust")
    academy = SchoolFactory(is_academy=True, type_group="academy", trust=trust)
    case = case_open(academy, officer)
    tasks = {task.key: task for task in case_task_list(case)}
    assert tasks["contact"].title == "Contact the school's trust, Solent Learning Trust"


@pytest.mark.parametrize(
    ("state", "action", "allowed"),
    [
        ("open", "pause", True),
        ("open", "close", True),
        ("open", "resume", False),
        ("paused", "resume", True),
        ("paused", "close", True),
        ("paused", "pause", False),
        ("closed", "resume", False),
        ("closed", "pause", False),
        ("closed", "close", False),
    ],
)
def test_state_changes_follow_the_table(case, officer, state, action, allowed):
    SupportCase.objects.filter(pk=case.pk).update(state=state)
    if allowed:
        services.case_state_change(case=case, by=officer, action=action, reason="Agreed")
        case.refresh_from_db()
        assert case.state == services.STATE_TRANSITIONS[(state, action)]
    else:
        with pytest.raises(ValidationError, match=f"A case that is {state} cannot be"):
            services.case_state_change(case=case, by=officer, action=action, reason="Agreed")


def test_a_state_change_needs_a_reason(case, officer):
    with pytest.raises(ValidationError, match="Enter the reason"):
        services.case_state_change(case=case, by=officer, action="pause", reason=" ")


def test_every_change_is_kept_with_who_and_when(case, officer):
    advance(case, "diagnosis", officer)
    services.case_state_change(case=case, by=officer, action="pause", reason="Ofsted visit")
    events = list(CaseEvent.objects.filter(case=case).order_by("pk"))
    assert [e.kind for e in events] == ["opened", "eligibility", "contact", "diagnosis", "pause"]
    assert {e.by for e in events} == {officer}
    history = case.history.order_by("history_date")
    assert history.last().state == "paused"
    assert history.last().history_user == officer


def test_a_school_gets_no_second_live_case(case, officer, world):
    with pytest.raises(ValidationError, match="already has an open support case"):
        case_open(world.school_a, officer)
    services.case_state_change(case=case, by=officer, action="close", reason="Done")
    assert case_open(world.school_a, officer).pk != case.pk


def test_a_visit_logged_on_the_engagement_is_the_cases_first_visit(case, officer):
    from django.utils import timezone

    from brokerage.engagement_services import progress_note_create

    advance(case, "commission", officer)
    today = timezone.localdate()
    progress_note_create(engagement=engagement_of(case), note="Visit", visited_on=today, by=officer)
    case.refresh_from_db()
    assert case.first_visit_on == today
