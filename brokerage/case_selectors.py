"""Reads of support cases for a viewer: the case list with its filters, one case with what its
page needs, and what waits for whom (the home page's worklist)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Case, CharField, Count, Prefetch, Q, QuerySet, Value, When
from django.shortcuts import get_object_or_404
from django.urls import reverse

from kernel.worklist import WorkItem
from partnership.permissions import roles_of

from .models import CaseEvent, Diagnosis, Engagement, SupportCase
from .time_to_support import overdue_q

# The step a case has reached, as the list filters it (derived from the task list's dates).
STEPS = {
    "undiagnosed": "Not yet diagnosed",
    "eligibility": "Confirm eligibility",
    "contact": "Contact the school",
    "diagnosis": "Initial diagnosis",
    "provider": "Choose the provider",
    "checks": "Checks",
    "commission": "Agree and commission",
    "support": "Support under way",
    "no_support": "No support needed",
}
EXAMPLES = 3
UNDIAGNOSED = ("eligibility", "contact", "diagnosis")


def with_step(cases: QuerySet) -> QuerySet:
    """Annotate ``step``: the first task of the list not yet done."""
    step = Case(
        When(eligibility_confirmed_at__isnull=True, then=Value("eligibility")),
        When(contacted_at__isnull=True, then=Value("contact")),
        When(diagnosed_at__isnull=True, then=Value("diagnosis")),
        When(~Q(diagnosis=Diagnosis.MATCH), then=Value("no_support")),
        When(matched_at__isnull=True, then=Value("provider")),
        When(checks_completed_at__isnull=True, then=Value("checks")),
        When(commissioned_at__isnull=True, then=Value("commission")),
        default=Value("support"),
        output_field=CharField(),
    )
    return cases.annotate(step=step)


@dataclass(frozen=True)
class CaseFilters:
    state: str = ""
    alliance: int | None = None
    step: str = ""
    overdue: bool = False


def case_list(*, user, filters: CaseFilters) -> QuerySet:
    """The cases the user may see, filtered, newest request first, with what the list shows."""
    cases = with_step(SupportCase.objects.visible_to(user))
    if filters.state in SupportCase.State.values:
        cases = cases.filter(state=filters.state)
    if filters.alliance:
        cases = cases.filter(alliance_id=filters.alliance)
    if filters.step == "undiagnosed":
        cases = cases.filter(step__in=UNDIAGNOSED)
    elif filters.step in STEPS:
        cases = cases.filter(step=filters.step)
    if filters.overdue:
        cases = cases.filter(overdue_q())
    return cases.select_related("school", "alliance").order_by("-requested_at", "-pk")


def case_get(*, user, pk: int) -> SupportCase:
    """One case the user may see, with its school, trust, alliance, areas of need, engagements
    and statutory actions (404 for a case out of the user's scope)."""
    engagements = Engagement.objects.select_related("provider").order_by("-pk")
    cases = (
        SupportCase.objects.visible_to(user)
        .select_related("school__trust", "alliance", "opened_by")
        .prefetch_related(
            "areas_of_need",
            Prefetch("engagements", queryset=engagements),
            "statutory__recorded_by",
        )
    )
    return get_object_or_404(cases, pk=pk)


def case_timeline(*, case: SupportCase, limit: int = 50) -> list[CaseEvent]:
    """The case's latest events, newest first, with who did each."""
    return list(case.events.select_related("by")[:limit])


# Who needs to act ---------------------------------------------------------------------------


def _works_cases(user) -> bool:
    roles = roles_of(user)
    return roles.is_officer or bool(roles.alliance_ids)


def _item(
    label: str, cases: QuerySet, query: str, count: int, overdue: bool = False
) -> list[WorkItem]:
    if not count:
        return []
    # The first few chosen before the school is joined: the planner cannot tell how many cases a
    # step's CASE matches, and joined every one of 7,600 to its school before sorting (40 ms).
    ordering = ("requested_at", "pk")
    chosen = cases.order_by(*ordering).values("pk")[:EXAMPLES]
    first = SupportCase.objects.filter(pk__in=chosen).select_related("school").order_by(*ordering)
    examples = tuple(
        (case.school.name, reverse("brokerage:case-detail", args=[case.pk])) for case in first
    )
    href = reverse("brokerage:case-list") + query
    return [WorkItem(label, count, href, examples, overdue=count if overdue else 0)]


def _working(user) -> QuerySet:
    """Open cases of the user's scope that the user works (officers, alliance chairs)."""
    cases = with_step(SupportCase.objects.visible_to(user).filter(state="open"))
    if not roles_of(user).is_officer:
        cases = cases.filter(alliance_id__in=roles_of(user).alliance_ids)
    return cases


def worklist_support_cases(*, user) -> list[WorkItem]:
    """For officers and alliance chairs: open cases to diagnose, cases past the board's
    time-to-support target, and support waiting to be commissioned. The three counts come from
    one pass over the user's open cases; then the first few of each non-empty item."""
    if not _works_cases(user):
        return []
    working = _working(user)
    # (label, the cases it counts, the case list's filter for them, whether they are overdue)
    items = [
        (
            "Support cases to diagnose",
            Q(step__in=UNDIAGNOSED),
            "?state=open&step=undiagnosed",
            False,
        ),
        (
            "Support cases past the target",
            overdue_q() & Q(commissioned_at__isnull=True),
            "?state=open&overdue=1",
            True,
        ),
        ("Support to commission", Q(step="commission"), "?state=open&step=commission", False),
    ]
    counts = working.aggregate(
        **{f"n{n}": Count("pk", filter=cases) for n, (_, cases, _, _) in enumerate(items)}
    )
    return [
        work
        for n, (label, cases, query, overdue) in enumerate(items)
        for work in _item(label, working.filter(cases), query, counts[f"n{n}"], overdue=overdue)
    ]
