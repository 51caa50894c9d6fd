"""Engagement pages: the scoped list (the provider's view of the work brokered to them), one
engagement with its objectives, measures, reviews and progress, and the forms that change it.

Each view loads the engagement through ``Engagement.objects.visible_to`` (404 if the user may not
see it), checks the action's permission from ``brokerage/engagement_rules.py`` (403), then calls
one service.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone

from kernel.access import require, requires
from kernel.paging import page_links

from . import engagement_selectors as selectors
from . import engagement_services as work
from . import engagements as states
from .engagement_forms import (
    ConfirmForm,
    ImpactForm,
    ObjectiveForm,
    ProgressNoteForm,
    ReviewForm,
    TermsForm,
)
from .extensions import engagement_page_parts
from .models import Engagement, ImpactDecision, Objective

PAGE_SIZE = 50
SHOW_CHOICES = [
    ("", "All"),
    ("active", "Proposed or commissioned"),
    ("commissioned", "Commissioned"),
    ("ended", "Ended"),
]


def _engagement_or_404(user, pk: int) -> Engagement:
    try:
        return selectors.engagement_get(user=user, pk=pk)
    except Engagement.DoesNotExist:
        raise Http404("No such engagement") from None


def _posted(request: HttpRequest):
    return request.POST if request.method == "POST" else None


def _write(request: HttpRequest, form, write: Callable[[dict], str]) -> bool:
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


def _form_page(request, engagement, form, *, title: str, intro: str = "", extra=None):
    context = {"engagement": engagement, "form": form, "title": title, "intro": intro}
    return render(request, "brokerage/engagements/form.html", {**context, **(extra or {})})


@requires("brokerage.view_engagements")
def engagement_list(request: HttpRequest) -> HttpResponse:
    """The engagements the user may see, newest first, paged."""
    show = request.GET.get("show", "")
    show = show if show in selectors.LIST_FILTERS else ""
    engagements = selectors.engagement_list(user=request.user, show=show)
    page = Paginator(engagements, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "show": show,
        "show_choices": SHOW_CHOICES,
        "today": timezone.localdate(),
        "pagination": page_links(page, lambda page: urlencode({"show": show, "page": page})),
    }
    return render(request, "brokerage/engagements/list.html", context)


def _permissions(user, engagement: Engagement) -> dict[str, bool]:
    names = {
        "can_change_terms": "brokerage.change_engagement_terms",
        "can_change_objectives": "brokerage.change_objectives",
        "can_commission": "brokerage.commission_engagement",
        "can_review": "brokerage.record_review",
        "can_decide": "brokerage.decide_impact",
        "can_log": "brokerage.log_progress",
    }
    return {key: user.has_perm(perm, engagement) for key, perm in names.items()}


@login_required
def engagement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One engagement: terms, objectives with their measures' before and after values, the
    review schedule, reviews with their ratings, progress notes and the impact decision."""
    engagement = _engagement_or_404(request.user, pk)
    objectives = selectors.engagement_objectives(engagement=engagement)
    changes = selectors.engagement_measure_changes(engagement=engagement, objectives=objectives)
    context = {
        "engagement": engagement,
        "objectives": objectives,
        "changes": changes,
        "reviews": selectors.engagement_reviews(engagement=engagement),
        "notes": selectors.engagement_progress_notes(engagement=engagement)[:50],
        "variations": list(engagement.variations.all()),
        "overdue": selectors.review_is_overdue(engagement=engagement),
        "terms_agreed": bool(engagement.days and engagement.cost and objectives),
        "can_see_case": request.user.has_perm("brokerage.view_cases"),
        "can_close_case": engagement.is_ended
        and engagement.case.is_open
        and request.user.has_perm("brokerage.change_case_state", engagement.case),
        **_permissions(request.user, engagement),
    }
    context["parts"] = _page_parts(request, engagement)
    return render(request, "brokerage/engagements/detail.html", context)


def _page_parts(request: HttpRequest, engagement: Engagement) -> list[str]:
    """What the apps above brokerage show on the page (the fund's money), for this viewer."""
    parts = []
    for part in engagement_page_parts():
        part_context = part.context(user=request.user, engagement=engagement)
        if part_context is not None:
            part_context = {**part_context, "engagement": engagement}
            parts.append(render_to_string(part.template, part_context, request))
    return parts


@login_required
def engagement_terms(request: HttpRequest, pk: int) -> HttpResponse:
    """Change the proposed engagement's days, cost and review schedule."""
    engagement = _engagement_or_404(request.user, pk)
    require(request.user, "brokerage.change_engagement_terms", engagement)
    initial = {
        "days": engagement.days,
        "cost": engagement.cost,
        "review_every_weeks": engagement.review_every_weeks,
    }
    form = TermsForm(_posted(request), initial=initial)

    def save(data):
        states.engagement_terms_update(engagement=engagement, by=request.user, **data)
        return "Days and cost saved"

    if request.method == "POST" and _write(request, form, save):
        return redirect("brokerage:engagement-detail", pk=pk)
    return _form_page(request, engagement, form, title="Days, cost and reviews")


@login_required
def objective_create(request: HttpRequest, pk: int) -> HttpResponse:
    engagement = _engagement_or_404(request.user, pk)
    require(request.user, "brokerage.change_objectives", engagement)
    form = ObjectiveForm(_posted(request))

    def save(data):
        work.objective_create(engagement=engagement, by=request.user, **data)
        return "Objective added"

    if request.method == "POST" and _write(request, form, save):
        return redirect("brokerage:engagement-detail", pk=pk)
    return _form_page(request, engagement, form, title="Add an objective")


def _objective_or_404(engagement: Engagement, objective_pk: int) -> Objective:
    return get_object_or_404(engagement.objectives.select_related("measure"), pk=objective_pk)


@login_required
def objective_edit(request: HttpRequest, pk: int, objective_pk: int) -> HttpResponse:
    engagement = _engagement_or_404(request.user, pk)
    require(request.user, "brokerage.change_objectives", engagement)
    objective = _objective_or_404(engagement, objective_pk)
    initial = {
        "description": objective.description,
        "impact_measure": objective.impact_measure,
        "measure": objective.measure_id,
    }
    form = ObjectiveForm(_posted(request), initial=initial)

    def save(data):
        work.objective_update(objective=objective, by=request.user, **data)
        return "Objective saved"

    if request.method == "POST" and _write(request, form, save):
        return redirect("brokerage:engagement-detail", pk=pk)
    extra = {"delete_href": f"{request.path}delete/"}
    return _form_page(request, engagement, form, title="Change an objective", extra=extra)


@login_required
def objective_delete(request: HttpRequest, pk: int, objective_pk: int) -> HttpResponse:
    engagement = _engagement_or_404(request.user, pk)
    require(request.user, "brokerage.change_objectives", engagement)
    objective = _objective_or_404(engagement, objective_pk)
    form = ConfirmForm(_posted(request), button="Delete objective", warning=True)

    def delete(data):
        work.objective_delete(objective=objective, by=request.user)
        return "Objective deleted"

    if request.method == "POST" and _write(request, form, delete):
        return redirect("brokerage:engagement-detail", pk=pk)
    intro = f"Are you sure you want to delete the objective “{objective.description}”?"
    return _form_page(request, engagement, form, title="Delete an objective", intro=intro)


@login_required
def engagement_commission(request: HttpRequest, pk: int) -> HttpResponse:
    """Commissioning has one page, the case's "Commission the support" task (the same
    permission, the commission limit and the fund's commitment): go there."""
    engagement = _engagement_or_404(request.user, pk)
    require(request.user, "brokerage.commission_engagement", engagement)
    return redirect("brokerage:case-task", engagement.case_id, "commission")


@login_required
def progress_note_create(request: HttpRequest, pk: int) -> HttpResponse:
    """The provider logs work done or a visit."""
    engagement = _engagement_or_404(request.user, pk)
    require(request.user, "brokerage.log_progress", engagement)
    form = ProgressNoteForm(_posted(request), engagement=engagement)

    def save(data):
        work.progress_note_create(engagement=engagement, by=request.user, **data)
        return "Progress logged"

    if request.method == "POST" and _write(request, form, save):
        return redirect("brokerage:engagement-detail", pk=pk)
    return _form_page(request, engagement, form, title="Log progress")


@login_required
def review_create(request: HttpRequest, pk: int) -> HttpResponse:
    """The alliance chair or an officer records a progress review with RAG ratings."""
    engagement = _engagement_or_404(request.user, pk)
    require(request.user, "brokerage.record_review", engagement)
    objectives = selectors.engagement_objectives(engagement=engagement)
    form = ReviewForm(_posted(request), objectives=objectives)

    def save(data):
        work.progress_review_record(
            engagement=engagement,
            by=request.user,
            reviewed_on=data["reviewed_on"],
            visited_on=data["visited_on"],
            overall=data["overall"],
            judgement=data["judgement"],
            notes=data["notes"],
            ratings=form.ratings(),
        )
        return "Progress review recorded. An impact decision is now due."

    if request.method == "POST" and _write(request, form, save):
        return redirect("brokerage:engagement-detail", pk=pk)
    return _form_page(request, engagement, form, title="Record a progress review")


@login_required
def impact_decide(request: HttpRequest, pk: int) -> HttpResponse:
    """Record the impact decision: continue, extend, complete or stop, with its reason."""
    engagement = _engagement_or_404(request.user, pk)
    require(request.user, "brokerage.decide_impact", engagement)
    form = ImpactForm(_posted(request))

    def save(data):
        decided = states.engagement_impact_decide(engagement=engagement, by=request.user, **data)
        return f"Decision recorded: {ImpactDecision(decided.impact_decision).label}"

    if request.method == "POST" and _write(request, form, save):
        return redirect("brokerage:engagement-detail", pk=pk)
    intro = (
        "Complete or stop ends the support and releases the money not spent. Extend adds days "
        "and cost, which the fund commits again."
    )
    return _form_page(request, engagement, form, title="Impact decision", intro=intro)
