"""The case's task list and the engagement are one journey: the terms, reviews and impact
decision are the engagement's, its first visit is the case's, commissioning has one path, and a
case with support still commissioned cannot be closed."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from brokerage import case_services as services
from brokerage.case_tasks import COMPLETED, IN_PROGRESS, NOT_STARTED, case_task_list
from brokerage.engagement_services import progress_note_create, progress_review_record
from brokerage.engagements import engagement_impact_decide
from brokerage.models import CaseEvent, Engagement, ImpactDecision, SupportCase
from tests.brokerage.case_helpers import advance, case_open, engagement_of, provider_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(world, officer):
    provider_create()
    return case_open(world.school_a, officer)


def statuses(case):
    case.refresh_from_db()
    return {task.key: task.status for task in case_task_list(case)}


def review(engagement, by, visited_on=None):
    objective = engagement.objectives.get()
    return progress_review_record(
        engagement=engagement,
        by=by,
        reviewed_on=timezone.localdate(),
        visited_on=visited_on,
        overall="amber",
        judgement="Reading is better taught",
        ratings={objective.pk: "amber"},
    )


def test_the_terms_task_links_to_the_engagements_page_and_has_no_form_of_its_own(
    case, officer, as_user
):
    advance(case, "checks", officer)
    page = as_user("officer").get(reverse("brokerage:case-detail", args=[case.pk])).content
    engagement_url = reverse("brokerage:engagement-detail", args=[engagement_of(case).pk])
    assert f'href="{engagement_url}"'.encode() in page
    task_url = reverse("brokerage:case-task", args=[case.pk, "terms"])
    assert as_user("officer").get(task_url).status_code == 404


def test_reviews_and_impact_follow_the_engagement_to_its_end(case, officer):
    advance(case, "commission", officer)
    engagement = engagement_of(case)
    assert (statuses(case)["reviews"], statuses(case)["impact"]) == (NOT_STARTED, NOT_STARTED)
    review(engagement, officer)
    assert statuses(case)["reviews"] == IN_PROGRESS
    engagement_impact_decide(
        engagement=engagement, decision=ImpactDecision.CONTINUE, reason="Early signs", by=officer
    )
    assert (statuses(case)["reviews"], statuses(case)["impact"]) == (IN_PROGRESS, IN_PROGRESS)
    engagement_impact_decide(
        engagement=engagement, decision=ImpactDecision.COMPLETE, reason="Met", by=officer
    )
    assert (statuses(case)["reviews"], statuses(case)["impact"]) == (COMPLETED, COMPLETED)


def test_the_earliest_visit_on_the_engagement_is_the_cases_first_visit(case, officer):
    advance(case, "commission", officer)
    engagement = engagement_of(case)
    today = timezone.localdate()
    progress_note_create(engagement=engagement, note="Plan agreed", by=officer)
    case.refresh_from_db()
    assert case.first_visit_on is None  # a note without a visit is not a visit
    progress_note_create(engagement=engagement, note="Visit", visited_on=today, by=officer)
    SupportCase.objects.filter(pk=case.pk).update(requested_at=timezone.now() - timedelta(days=9))
    review(engagement, officer, visited_on=today - timedelta(days=4))
    progress_note_create(engagement=engagement, note="Later", visited_on=today, by=officer)
    case.refresh_from_db()
    assert case.first_visit_on == today - timedelta(days=4)
    texts = CaseEvent.objects.filter(case=case, kind="first_visit").values_list("text", flat=True)
    assert len(texts) == 2


def test_a_visit_dated_before_the_request_is_not_the_cases_first_visit(case, officer):
    advance(case, "commission", officer)
    before = timezone.localdate(case.requested_at) - timedelta(days=1)
    progress_note_create(engagement=engagement_of(case), note="Old", visited_on=before, by=officer)
    case.refresh_from_db()
    assert case.first_visit_on is None


def test_a_case_with_support_still_commissioned_cannot_be_closed(case, officer):
    advance(case, "commission", officer)
    with pytest.raises(ValidationError, match="is still commissioned: record its impact decision"):
        services.case_state_change(case=case, by=officer, action="close", reason="Done")
    engagement_impact_decide(
        engagement=engagement_of(case), decision=ImpactDecision.STOP, reason="No impact", by=officer
    )
    services.case_state_change(case=case, by=officer, action="close", reason="Support stopped")
    case.refresh_from_db()
    assert case.state == "closed"


def test_the_case_and_the_engagement_offer_to_close_once_the_support_has_ended(
    case, officer, as_user
):
    advance(case, "commission", officer)
    close_url = reverse("brokerage:case-state", args=[case.pk, "close"])
    case_url = reverse("brokerage:case-detail", args=[case.pk])
    engagement_url = reverse("brokerage:engagement-detail", args=[engagement_of(case).pk])
    assert (
        close_url not in as_user("alliance_chair").get(case_url).content.decode().split("Tasks")[0]
    )
    engagement_impact_decide(
        engagement=engagement_of(case), decision=ImpactDecision.COMPLETE, reason="Met", by=officer
    )
    for url in (case_url, engagement_url):
        page = as_user("alliance_chair").get(url).content.decode()
        assert "This support has ended" in page or "The impact decision ended the support" in page
        assert close_url in page
    assert close_url not in as_user("head_a").get(engagement_url).content.decode()


def test_the_case_step_and_the_engagement_page_commission_with_the_same_permission(
    case, officer, as_user
):
    advance(case, "terms", officer)
    step = reverse("brokerage:case-task", args=[case.pk, "commission"])
    assert as_user("head_a").get(step).status_code == 403
    assert as_user("provider").get(step).status_code in (403, 404)
    response = as_user("alliance_chair").post(step, {"decision_reference": ""})
    assert response.status_code == 302
    assert engagement_of(case).state == Engagement.State.COMMISSIONED
    # once commissioned, commission_engagement (proposed only) refuses the step
    assert as_user("alliance_chair").get(step).status_code == 403


def test_a_closed_case_cannot_have_its_proposed_support_commissioned(case, officer):
    advance(case, "terms", officer, cost=Decimal("4000"))
    services.case_state_change(case=case, by=officer, action="close", reason="School academised")
    with pytest.raises(ValidationError, match="This case is closed"):
        services.case_commission(case=case, by=officer)
