"""What engagements add to the shared registries: navigation, the home page's "Waiting for you"
(reviews due, progress to log, impact decisions due) and the audit trail."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Exists, OuterRef, QuerySet
from django.urls import reverse
from django.utils import timezone

from kernel.audit import audit_kind_register, url_or_none
from kernel.navigation import subnav_register
from kernel.worklist import WorkItem, worklist_register
from partnership.permissions import roles_of

from . import engagement_rules  # noqa: F401 - declares the permissions
from .models import Engagement, ProgressNote, ProgressReview

EXAMPLES = 3
REVIEW_SOON_DAYS = 7


def _managed_by(user) -> QuerySet:
    """Commissioned engagements the user reviews and decides on: every one for an officer, an
    alliance chair's alliance's."""
    roles = roles_of(user)
    engagements = Engagement.objects.commissioned().select_related("case__school", "provider")
    if roles.is_officer:
        return engagements
    if roles.alliance_ids:
        return engagements.filter(alliance_id__in=roles.alliance_ids)
    return engagements.none()


def _detail(pk: int) -> str:
    return reverse("brokerage:engagement-detail", args=[pk])


def _engagement_label(record) -> str:
    return f"Engagement {record.id}: {record.provider} for {record.case.school}"


def _review_label(record) -> str:
    return f"Review of engagement {record.engagement_id} on {record.reviewed_on}"


def _item(label: str, queryset: QuerySet, *, overdue: int = 0) -> list[WorkItem]:
    count = queryset.count()
    if not count:
        return []
    examples = tuple(
        (f"{e.case.school.name}: {e.provider.name}", _detail(e.pk)) for e in queryset[:EXAMPLES]
    )
    href = reverse("brokerage:engagement-list") + "?show=commissioned"
    return [WorkItem(label, count, href, examples, overdue)]


def reviews_due(*, user) -> list[WorkItem]:
    """Progress reviews due within a week or overdue, for their reviewers."""
    today = timezone.localdate()
    due = _managed_by(user).filter(next_review_due__lte=today + timedelta(days=REVIEW_SOON_DAYS))
    due = due.order_by("next_review_due", "pk")
    return _item("Progress reviews due", due, overdue=due.filter(next_review_due__lt=today).count())


def impact_decisions_due(*, user) -> list[WorkItem]:
    """Engagements reviewed since their last impact decision."""
    return _item("Impact decisions due", _managed_by(user).filter(impact_decision_due=True))


def progress_to_log(*, user) -> list[WorkItem]:
    """A provider's commissioned engagements with no progress logged since the last review."""
    if not user.is_authenticated:
        return []
    logged = ProgressNote.objects.filter(
        engagement_id=OuterRef("pk"), created_at__gte=OuterRef("progress_since")
    )
    waiting = (
        Engagement.objects.commissioned()
        .filter(provider__person=user)
        .exclude(Exists(logged))
        .select_related("case__school", "provider")
    )
    return _item("Progress to log", waiting)


def register() -> None:
    subnav_register(
        "brokerage:home",
        "Engagements",
        "brokerage:engagement-list",
        permission="brokerage.view_engagements",
        order=20,
    )
    worklist_register("brokerage.reviews_due", reviews_due, order=40)
    worklist_register("brokerage.impact_decisions_due", impact_decisions_due, order=41)
    worklist_register("brokerage.progress_to_log", progress_to_log, order=42)
    audit_kind_register(
        "engagement",
        "Engagements",
        Engagement,
        order=74,
        related=("case__school", "provider"),
        entry_label=lambda record: (
            f"Engagement {record.id}: {record.provider} for {record.case.school}"
        ),
        entry_url=lambda record: url_or_none("brokerage:engagement-detail", record.id),
    )
    audit_kind_register(
        "progress_review",
        "Progress reviews",
        ProgressReview,
        order=75,
        related=("engagement",),
        entry_label=lambda record: (
            f"Review of engagement {record.engagement_id} on {record.reviewed_on}"
        ),
        entry_url=lambda record: url_or_none("brokerage:engagement-detail", record.engagement_id),
    )
