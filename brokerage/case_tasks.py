"""The case's task list: each task's status, and why a task cannot start yet.

The statuses are the GOV.UK task list's: completed, in progress, not started, cannot start yet.
The services check the same statuses before they record a task, so the page and the rules never
disagree about what may be done next.
"""

from __future__ import annotations

from dataclasses import dataclass

from .engagement_selectors import engagement_terms_agreed
from .models import Diagnosis, Engagement, ImpactDecision, SupportCase

COMPLETED, IN_PROGRESS, NOT_STARTED, CANNOT_START = (
    "completed",
    "in_progress",
    "not_started",
    "cannot_start",
)
STATUS_LABELS = {
    COMPLETED: "Completed",
    IN_PROGRESS: "In progress",
    NOT_STARTED: "Not started",
    CANNOT_START: "Cannot start yet",
}
TASK_TITLES = {
    "eligibility": "Confirm eligibility",
    "contact": "Contact the school or its responsible body",
    "diagnosis": "Initial diagnosis",
    "provider": "Choose the provider",
    "checks": "Conflict-of-interest and due-diligence checks",
    "terms": "Agree objectives, impact measures, days and cost",
    "commission": "Commission the support",
    "reviews": "Progress reviews",
    "impact": "Impact decision",
}
# Tasks this app records through its own forms; the terms (objectives, impact measures, days and
# cost), the reviews and the impact decision are the engagement's pages.
FORM_TASKS = ("eligibility", "contact", "diagnosis", "provider", "checks", "commission")
ENDED = (Engagement.State.COMPLETED, Engagement.State.STOPPED)
FINAL_DECISIONS = (ImpactDecision.COMPLETE, ImpactDecision.STOP)


@dataclass(frozen=True)
class Task:
    key: str
    title: str
    status: str
    reason: str = ""  # why it cannot start yet

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def can_start(self) -> bool:
        return self.status in (NOT_STARTED, IN_PROGRESS)


def current_engagement(case: SupportCase) -> Engagement | None:
    """The case's latest engagement that was not stopped before commissioning (read from the
    prefetched ``engagements`` when the caller prefetched them)."""
    engagements = sorted(case.engagements.all(), key=lambda e: e.pk, reverse=True)
    return engagements[0] if engagements else None


def terms_agreed(engagement: Engagement | None) -> bool:
    """Days, cost and at least one objective agreed on the engagement's page."""
    return engagement is not None and engagement_terms_agreed(engagement=engagement)


def _contact_title(case: SupportCase) -> str:
    trust = case.school.trust if case.school.is_academy else None
    return f"Contact the school's trust, {trust.name}" if trust else "Contact the school"


def _first(case, engagement) -> list[Task]:
    tasks = [
        Task("eligibility", TASK_TITLES["eligibility"], _done(case.eligibility_confirmed_at)),
        _after(case.eligibility_confirmed_at, "contact", case.contacted_at, "Confirm eligibility"),
        _after(case.contacted_at, "diagnosis", case.diagnosed_at, "Contact the school"),
    ]
    return [
        Task(t.key, _contact_title(case), t.status, t.reason) if t.key == "contact" else t
        for t in tasks
    ]


def _done(at) -> str:
    return COMPLETED if at else NOT_STARTED


def _after(needed, key: str, done_at, first: str) -> Task:
    if not needed:
        return Task(key, TASK_TITLES[key], CANNOT_START, f"{first} first")
    return Task(key, TASK_TITLES[key], _done(done_at))


def _support_tasks(case, engagement) -> list[Task]:
    if case.diagnosis and case.diagnosis != Diagnosis.MATCH:
        reason = f"The initial diagnosis decided: {case.get_diagnosis_display().lower()}"
        keys = ("provider", "checks", "terms", "commission", "reviews", "impact")
        return [Task(key, TASK_TITLES[key], CANNOT_START, reason) for key in keys]
    terms = terms_agreed(engagement)
    terms_status = COMPLETED if terms else (IN_PROGRESS if _terms_begun(engagement) else None)
    tasks = [
        _after(case.diagnosed_at, "provider", case.matched_at, "Record the initial diagnosis"),
        _after(case.matched_at, "checks", case.checks_completed_at, "Choose the provider"),
        _after(case.checks_completed_at, "terms", terms, "Complete the checks"),
        _after(terms, "commission", case.commissioned_at, "Agree objectives, days and cost"),
    ]
    if terms_status and case.checks_completed_at:
        tasks[2] = Task("terms", TASK_TITLES["terms"], terms_status)
    return tasks + _after_commission(case, engagement)


def _terms_begun(engagement) -> bool:
    if engagement is None:
        return False
    return bool(engagement.days or engagement.cost) or engagement.objectives.exists()


def _after_commission(case, engagement) -> list[Task]:
    if not case.commissioned_at or engagement is None:
        reason = "Commission the support first"
        return [Task(k, TASK_TITLES[k], CANNOT_START, reason) for k in ("reviews", "impact")]
    if engagement.state in ENDED:
        reviews = COMPLETED
    else:
        reviews = IN_PROGRESS if engagement.reviews.exists() else NOT_STARTED
    if engagement.impact_decision in FINAL_DECISIONS:
        impact = COMPLETED  # complete or stop: the support has ended
    else:  # continue or extend: decided for now, the support goes on
        impact = IN_PROGRESS if engagement.impact_decision else NOT_STARTED
    return [
        Task("reviews", TASK_TITLES["reviews"], reviews),
        Task("impact", TASK_TITLES["impact"], impact),
    ]


def case_task_list(case: SupportCase, engagement: Engagement | None = None) -> list[Task]:
    """Every task of the case in order, with its status and why it cannot start yet."""
    if engagement is None:
        engagement = current_engagement(case)
    return _first(case, engagement) + _support_tasks(case, engagement)


def case_task(case: SupportCase, key: str) -> Task:
    """One task of the case (KeyError for a task that does not exist)."""
    tasks = {task.key: task for task in case_task_list(case)}
    return tasks[key]
