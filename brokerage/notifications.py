"""Email at each step of an engagement to the people concerned, review reminders and the weekly
digest of what waits for each person (the home page's "Waiting for you").

Who hears of what: commissioned → the school's headteacher, the provider and the alliance
chair; a review coming due → the reviewer (the alliance chair, or the LA officers when the
alliance has none); an impact decision → the headteacher and the provider. Sent by the Celery
tasks in ``brokerage/tasks.py`` with Django's email (console by default, SMTP by ``EMAIL_URL``).
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from kernel.worklist import worklist_for
from partnership.models import Role, RoleAssignment, User

from .models import Engagement, NotificationPreference

REMIND_DAYS_BEFORE = 7
SUBJECTS = {
    "commissioned": "Support commissioned for {school}",
    "impact_decided": "Impact decision on the support for {school}",
    "review_due": "Progress review due for {school} on {due:%-d %B %Y}",
}


def _users_with(role: str, **scope) -> list[User]:
    assignments = RoleAssignment.objects.current().filter(role=role, user__is_active=True, **scope)
    return list(User.objects.filter(pk__in=assignments.values("user_id")))


def _reviewers(engagement: Engagement) -> list[User]:
    chairs = _users_with(Role.ALLIANCE_CHAIR, alliance_id=engagement.alliance_id)
    return chairs or _users_with(Role.OFFICER)


def engagement_recipients(*, engagement: Engagement, event: str) -> list[User]:
    """The people to tell of ``event`` on the engagement, each once."""
    people = _users_with(Role.HEADTEACHER, school_id=engagement.case.school_id)
    if engagement.provider.person and engagement.provider.person.is_active:
        people.append(engagement.provider.person)
    if event == "commissioned" and engagement.alliance_id:
        people += _users_with(Role.ALLIANCE_CHAIR, alliance_id=engagement.alliance_id)
    if event == "review_due":
        people = _reviewers(engagement)
    unique = {person.pk: person for person in people if person.email}
    return list(unique.values())


def _link(name: str, *args) -> str:
    return settings.SITE_URL.rstrip("/") + reverse(name, args=args)


def _messages(*, engagement: Engagement, event: str, people: list[User]) -> list[EmailMessage]:
    school = engagement.case.school
    context = {
        "engagement": engagement,
        "school": school,
        "link": _link("brokerage:engagement-detail", engagement.pk),
        "preferences": _link("brokerage:email-preferences"),
        "service_name": settings.SERVICE_NAME,
    }
    subject = SUBJECTS[event].format(school=school.name, due=engagement.next_review_due)
    messages = []
    for person in people:
        body = render_to_string(f"email/engagement_{event}.txt", {**context, "person": person})
        messages.append(EmailMessage(subject, body, to=[person.email]))
    return messages


def _send(messages: list[EmailMessage]) -> int:
    if not messages:
        return 0
    return get_connection().send_messages(messages) or 0


def engagement_notify(*, engagement_id: int, event: str) -> int:
    """Email the people concerned with a step of the engagement; the number of emails sent."""
    engagement = (
        Engagement.objects.select_related("case__school", "provider__person", "alliance")
        .filter(pk=engagement_id)
        .first()
    )
    if engagement is None:
        return 0
    people = engagement_recipients(engagement=engagement, event=event)
    return _send(_messages(engagement=engagement, event=event, people=people))


def review_reminders_send(*, today=None) -> int:
    """Remind reviewers of each review due within a week (or overdue), once per due date."""
    today = today or timezone.localdate()
    due = Engagement.objects.commissioned().filter(
        next_review_due__lte=today + timedelta(days=REMIND_DAYS_BEFORE)
    )
    sent = 0
    for engagement in due.select_related("case__school", "provider__person", "alliance"):
        if engagement.review_reminded_for == engagement.next_review_due:
            continue
        people = engagement_recipients(engagement=engagement, event="review_due")
        sent += _send(_messages(engagement=engagement, event="review_due", people=people))
        Engagement.objects.filter(pk=engagement.pk).update(
            review_reminded_for=engagement.next_review_due
        )
    return sent


def digest_wanted(*, user) -> bool:
    """Whether the person gets the weekly digest (yes unless they turned it off)."""
    preference = NotificationPreference.objects.filter(user=user).first()
    return preference is None or preference.weekly_digest


def weekly_digest_send() -> int:
    """Email each person with a role what waits for them, unless they turned the digest off."""
    with_roles = RoleAssignment.objects.current().values("user_id")
    opted_out = NotificationPreference.objects.filter(weekly_digest=False).values("user_id")
    people = (
        User.objects.filter(pk__in=with_roles, is_active=True)
        .exclude(pk__in=opted_out)
        .exclude(email="")
    )
    messages = []
    for person in people:
        items = worklist_for(user=person)
        if not items:
            continue
        body = render_to_string(
            "email/weekly_digest.txt",
            {
                "person": person,
                "items": items,
                "site": settings.SITE_URL.rstrip("/"),
                "preferences": _link("brokerage:email-preferences"),
                "service_name": settings.SERVICE_NAME,
            },
        )
        subject = f"{settings.SERVICE_NAME}: what is waiting for you this week"
        messages.append(EmailMessage(subject, body, to=[person.email]))
    return _send(messages)


def preference_set(*, user, weekly_digest: bool) -> NotificationPreference:
    """Turn the person's weekly digest on or off."""
    preference, _ = NotificationPreference.objects.update_or_create(
        user=user, defaults={"weekly_digest": weekly_digest}
    )
    return preference
