"""Emails at each step (commissioned, review due, impact decision) and the weekly digest."""
# ruff: noqa: F811 - the fixtures imported from engagement_world are redefined as arguments

from datetime import timedelta

import pytest
from django.utils import timezone

from brokerage.engagements import engagement_commission, engagement_impact_decide
from brokerage.models import Engagement, ImpactDecision
from brokerage.notifications import preference_set, review_reminders_send, weekly_digest_send
from tests.brokerage.engagement_world import (  # noqa: F401 - fixtures
    commissioned_a,
    engagement_a,
)

pytestmark = pytest.mark.django_db


def _to(mailoutbox) -> set[str]:
    return {address for message in mailoutbox for address in message.to}


def test_commissioning_emails_the_head_provider_and_alliance_chair_once_committed(
    engagement_a,
    officer,
    head_a,
    head_b,
    alliance_chair,
    provider,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        engagement_commission(engagement=engagement_a, by=officer)
    assert _to(mailoutbox) == {head_a.email, provider.email, alliance_chair.email}
    assert mailoutbox[0].subject == "Support commissioned for Ashdown Primary School"
    assert "£5,000.00" in mailoutbox[0].body


def test_no_email_is_sent_when_commissioning_is_rolled_back(
    engagement_a, officer, head_a, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        engagement_commission(engagement=engagement_a, by=officer)
    assert len(callbacks) == 1
    assert mailoutbox == []


def test_an_impact_decision_emails_the_head_and_provider(
    commissioned_a,
    officer,
    head_a,
    alliance_chair,
    provider,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        engagement_impact_decide(
            engagement=commissioned_a,
            decision=ImpactDecision.COMPLETE,
            reason="Reading at the expected standard rose to 72%",
            by=officer,
        )
    assert _to(mailoutbox) == {head_a.email, provider.email}
    assert "Reading at the expected standard rose to 72%" in mailoutbox[0].body


def test_reviewers_are_reminded_of_a_review_due_once_per_due_date(
    commissioned_a, alliance_chair, officer, mailoutbox
):
    soon = timezone.localdate() + timedelta(days=3)
    Engagement.objects.filter(pk=commissioned_a.pk).update(next_review_due=soon)
    assert review_reminders_send() == 1
    assert review_reminders_send() == 0
    assert _to(mailoutbox) == {alliance_chair.email}
    assert "Progress review due" in mailoutbox[0].subject


def test_a_review_far_off_is_not_reminded(commissioned_a, alliance_chair, mailoutbox):
    assert review_reminders_send() == 0
    assert mailoutbox == []


def test_the_weekly_digest_lists_what_waits_and_respects_the_opt_out(
    commissioned_a, alliance_chair, officer, provider, mailoutbox
):
    overdue = timezone.localdate() - timedelta(days=1)
    Engagement.objects.filter(pk=commissioned_a.pk).update(next_review_due=overdue)
    preference_set(user=officer, weekly_digest=False)
    weekly_digest_send()
    assert alliance_chair.email in _to(mailoutbox)
    assert provider.email in _to(mailoutbox)  # progress to log
    assert officer.email not in _to(mailoutbox)
    chair_mail = next(m for m in mailoutbox if m.to == [alliance_chair.email])
    assert "Progress reviews due: 1 (1 overdue)" in chair_mail.body


def test_nobody_gets_an_empty_digest(world, head_b, mailoutbox):
    assert weekly_digest_send() == 0
    assert mailoutbox == []


def test_the_officers_are_reminded_when_the_alliance_has_no_chair(
    commissioned_a, officer, head_a, mailoutbox
):
    Engagement.objects.filter(pk=commissioned_a.pk).update(
        next_review_due=timezone.localdate() - timedelta(days=1)
    )
    assert review_reminders_send() == 1
    assert _to(mailoutbox) == {officer.email}


def test_the_email_task_takes_ids_and_ignores_a_deleted_engagement(world, mailoutbox):
    from brokerage.tasks import engagement_notify_task

    assert engagement_notify_task.delay(engagement_id=999_999, event="commissioned").get() == 0
    assert mailoutbox == []
