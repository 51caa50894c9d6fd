"""Celery tasks for brokerage's emails: ids in, one service each; safe to run twice (a review
reminder is sent once per due date)."""

from __future__ import annotations

from celery import shared_task

from .notifications import engagement_notify, review_reminders_send, weekly_digest_send


@shared_task(name="brokerage.engagement_notify")
def engagement_notify_task(*, engagement_id: int, event: str) -> int:
    """Email the people concerned with a step of the engagement (commissioned, decided)."""
    return engagement_notify(engagement_id=engagement_id, event=event)


@shared_task(name="brokerage.review_reminders")
def review_reminders_task() -> int:
    """Remind reviewers of the progress reviews coming due this week."""
    return review_reminders_send()


@shared_task(name="brokerage.weekly_digest")
def weekly_digest_task() -> int:
    """Send each person who wants it the weekly digest of what waits for them."""
    return weekly_digest_send()
