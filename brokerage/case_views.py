"""Pages of support cases: the list, raising a request, the case's task list, each task's form,
pausing and closing, the statutory route, and time to support (the first visit is read from
the engagement).

Each page loads the case through ``SupportCase.objects.visible_to`` (404 outside the user's
scope) and checks the action's permission from ``case_rules`` (403).
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from kernel.access import require, requires
from kernel.paging import page_links
from partnership.models import Alliance
from partnership.permissions import roles_of
from schools.models import School

from . import case_selectors as selectors
from . import case_services as services
from .case_forms import CaseRequestForm, StateForm, StatutoryForm
from .case_matching import engagement_page_url, matching_page_url
from .case_tasks import CANNOT_START, COMPLETED, FORM_TASKS, case_task_list, current_engagement
from .models import SupportCase
from .statutory import statutory_route_for
from .time_to_support import (
    STEPS,
    case_days,
    is_overdue,
    target_days,
    time_to_support_by_alliance,
    time_to_support_by_month,
)

VIEW = "brokerage.view_cases"
PAGE_SIZE = 50
STATE_BUTTONS = {"pause": "Pause the case", "resume": "Resume the case", "close": "Close the case"}


def _posted(request: HttpRequest):
    return request.POST if request.method == "POST" else None


def _write(request: HttpRequest, form, write) -> bool:
    """Run the service if the form is valid; show its refusal on the form, or its success."""
    if not form.is_valid():
        return False
    try:
        message = write(form.cleaned_data)
    except ValidationError as refused:
        form.add_error(None, refused)
        return False
    messages.success(request, message)
    return True


def _filters(request: HttpRequest) -> selectors.CaseFilters:
    alliance = request.GET.get("alliance", "")
    return selectors.CaseFilters(
        state=request.GET.get("state", ""),
        alliance=int(alliance) if alliance.isdigit() and len(alliance) < 10 else None,
        step=request.GET.get("step", ""),
        overdue=request.GET.get("overdue") == "1",
    )


@requires(VIEW)
def case_list(request: HttpRequest) -> HttpResponse:
    """The cases the user may see, filtered by state, alliance, step and past the target."""
    filters = _filters(request)
    cases = selectors.case_list(user=request.user, filters=filters)
    page = Paginator(cases, PAGE_SIZE).get_page(request.GET.get("page"))
    for case in page:
        case.overdue = is_overdue(case)
    kept = {k: v for k, v in request.GET.items() if k != "page" and v}
    context = {
        "page": page,
        "pagination": page_links(page, lambda page: urlencode({**kept, "page": page})),
        "filters": filters,
        "states": SupportCase.State.choices,
        "steps": selectors.STEPS.items(),
        "alliances": Alliance.objects.visible_to(request.user).values_list("pk", "name"),
        "can_raise": request.user.has_perm("brokerage.raise_case"),
        "target_days": target_days(),
    }
    return render(request, "brokerage/cases/list.html", context)


@requires("brokerage.raise_case")
def case_create(request: HttpRequest) -> HttpResponse:
    """Raise a support request: a head for their own school, an officer for any school."""
    roles = roles_of(request.user)
    schools = School.objects.in_partnership()
    if not roles.is_officer:
        schools = schools.filter(pk__in=roles.school_ids)
    form = CaseRequestForm(_posted(request), schools=schools, is_officer=roles.is_officer)

    def create(data):
        services.case_open(
            school=data["school"],
            origin=data.get("origin") or SupportCase.Origin.REQUEST,
            by=request.user,
            description=data["description"],
            areas_of_need=data["areas_of_need"],
            urgency=data["urgency"],
        )
        return f"Support requested for {data['school'].name}"

    if request.method == "POST" and _write(request, form, create):
        case = SupportCase.objects.live().get(school=form.cleaned_data["school"])
        return redirect("brokerage:case-detail", case.pk)
    return render(request, "brokerage/cases/create.html", {"form": form})


def _actions(user, case: SupportCase, engagement) -> dict:
    works = user.has_perm("brokerage.work_case", case)
    commissions = engagement is not None and user.has_perm(
        "brokerage.commission_engagement", engagement
    )
    return {
        "can_work": works and case.is_open,
        "can_commission": commissions and case.is_open,
        "can_change_state": user.has_perm("brokerage.change_case_state", case),
        "can_record_statutory": user.has_perm("brokerage.record_statutory", case),
    }


def _task_links(case: SupportCase, engagement, actions: dict) -> list[tuple]:
    """Each task with the link to its page, when the user may work on it now."""
    rows = []
    for task in case_task_list(case, engagement):
        href = None
        allowed = actions["can_commission"] if task.key == "commission" else actions["can_work"]
        if task.can_start and task.key in FORM_TASKS and allowed:
            href = reverse("brokerage:case-task", args=[case.pk, task.key])
        elif task.status != CANNOT_START and task.key not in FORM_TASKS:
            href = engagement_page_url(engagement)
        rows.append((task, href))
    return rows


@requires(VIEW)
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The case as a GOV.UK task list, with its school, statutory route, time to support and
    timeline."""
    case = selectors.case_get(user=request.user, pk=pk)
    engagement = current_engagement(case)
    actions = _actions(request.user, case, engagement)
    days = case_days(case)
    tasks = _task_links(case, engagement, actions)
    support_ended = any(t.key == "impact" and t.status == COMPLETED for t, _ in tasks)
    context = {
        "case": case,
        "engagement": engagement,
        "tasks": tasks,
        "offer_close": support_ended and case.is_open and actions["can_change_state"],
        "route": statutory_route_for(case.school),
        "timeline": selectors.case_timeline(case=case),
        "days": [(label, days[key]) for key, label, _ in STEPS],
        "overdue": is_overdue(case),
        "target_days": target_days(),
        "matching_url": matching_page_url(case),
        "engagement_url": engagement_page_url(engagement),
        "state_actions": [
            (action, STATE_BUTTONS[action])
            for (state, action) in services.STATE_TRANSITIONS
            if state == case.state
        ],
        **actions,
    }
    return render(request, "brokerage/cases/detail.html", context)


@requires(VIEW)
def case_state(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Pause, resume or close the case, with a reason."""
    if action not in STATE_BUTTONS:
        raise Http404("No such action")
    case = selectors.case_get(user=request.user, pk=pk)
    require(request.user, "brokerage.change_case_state", case)
    form = StateForm(_posted(request), button=STATE_BUTTONS[action])

    def change(data):
        services.case_state_change(case=case, by=request.user, action=action, reason=data["reason"])
        return f"{services.STATE_VERBS[action]} the case"

    if request.method == "POST" and _write(request, form, change):
        return redirect("brokerage:case-detail", case.pk)
    context = {"case": case, "form": form, "title": STATE_BUTTONS[action]}
    return render(request, "brokerage/cases/form.html", context)


@requires(VIEW)
def case_statutory(request: HttpRequest, pk: int) -> HttpResponse:
    """Record a statutory action on the route that applies to the school."""
    case = selectors.case_get(user=request.user, pk=pk)
    require(request.user, "brokerage.record_statutory", case)
    form = StatutoryForm(_posted(request))
    route = statutory_route_for(case.school)

    def record(data):
        services.statutory_action_record(
            case=case, by=request.user, on=data["on"], outcome=data["outcome"]
        )
        return f"{route.title} recorded"

    if request.method == "POST" and _write(request, form, record):
        return redirect("brokerage:case-detail", case.pk)
    title = f"Record {route.title[0].lower()}{route.title[1:]}"
    context = {"case": case, "form": form, "title": title, "route": route}
    return render(request, "brokerage/cases/form.html", context)


@requires("brokerage.view_time_to_support")
def time_to_support(request: HttpRequest) -> HttpResponse:
    """Average days from request to each step, per alliance and by month, with the cases past
    the board's target."""
    cases = SupportCase.objects.visible_to(request.user)
    context = {
        "steps": STEPS,
        "tables": [
            ("By alliance", time_to_support_by_alliance(cases=cases)),
            ("By month of the request", time_to_support_by_month(cases=cases)),
        ],
        "target_days": target_days(),
    }
    return render(request, "brokerage/cases/time_to_support.html", context)
