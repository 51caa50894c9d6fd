"""What the head's voice adds to the shared registries: the head's worklist item and the audit
trail's kind for heads' responses."""

from __future__ import annotations

from django.urls import reverse

from kernel.audit import audit_kind_register, url_or_none
from kernel.worklist import WorkItem, worklist_register

from .head_response_models import HeadResponse
from .head_responses import proposed_results_for_head

EXAMPLES = 3


def proposed_to_respond(*, user) -> list[WorkItem]:
    """The head's schools whose proposed category in a moderated run has no response yet (two
    queries: the count, then the first few)."""
    waiting = proposed_results_for_head(user=user).filter(head_response__isnull=True)
    count = waiting.count()
    if not count:
        return []
    first = list(waiting.select_related("school").order_by("school__name")[:EXAMPLES])
    examples = tuple(
        (result.school.name, reverse("categorisation:head-proposed", args=[result.school.urn]))
        for result in first
    )
    return [
        WorkItem(
            label="Your school's proposed category to respond to",
            count=count,
            href=examples[0][1],
            examples=examples,
        )
    ]


def _entry_label(record) -> str:
    result = record.result
    where = f"run {result.run_id}, school {result.school_id}" if result else "a deleted result"
    state = ", resolved" if record.resolved_at else ""
    return f"{record.get_response_display()} ({where}){state}"


def _entry_url(record) -> str | None:
    result = record.result
    return url_or_none("categorisation:result", result.run_id, result.pk) if result else None


def register() -> None:
    worklist_register("categorisation_head_response", proposed_to_respond, order=20)
    audit_kind_register(
        "head_response",
        "Heads' responses to proposed categories",
        HeadResponse,
        order=59,
        related=("result",),
        entry_label=_entry_label,
        entry_url=_entry_url,
    )
