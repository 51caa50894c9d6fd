"""Pages for what people see of categorisation: the summary, runs and their results,
moderating one result, the board's agreement and the what-if comparison."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from kernel.access import require, requires
from kernel.job_expiry import jobs_expire_stale
from kernel.paging import CountedPaginator, page_links
from partnership.models import Alliance

from .forms import AgreeForm, OverrideForm, ResultFilterForm
from .head_response_forms import ResolveForm
from .head_responses import agreed_challenges_for, unresolved_challenges
from .models import Result, Run
from .moderation import (
    result_confirm,
    result_override,
    run_agree,
    run_compare,
    run_confirm_pending,
    run_is_open,
)
from .runs import run_create_official
from .selectors import (
    Categories,
    explain,
    label_results,
    result_get,
    rule_set_adopted,
    run_baseline,
    run_get,
    run_list,
    run_moderation_counts,
    run_result_counts,
    run_results,
    run_results_count,
)
from .summary import categorisation_summary

RUNS_PAGE_SIZE = 25
RESULTS_PAGE_SIZE = 50
FINISHED = (Run.State.SUCCEEDED, Run.State.FAILED)


def get_run_or_404(user, pk: int) -> Run:
    """The run if this user may see it (an alliance chair no what-if run); otherwise 404."""
    try:
        return run_get(user=user, pk=pk)
    except Run.DoesNotExist:
        raise Http404("No such run") from None


@requires("categorisation.view_categories")
def summary(request: HttpRequest) -> HttpResponse:
    """The current agreed categorisation in numbers, for the schools this user may see."""
    found = categorisation_summary(user=request.user)
    chart = None
    if found is not None:
        chart = {
            "title": "Schools by category",
            "labels": [row["label"] for row in found.by_category],
            "counts": [row["count"] for row in found.by_category],
        }
    return render(request, "categorisation/summary.html", {"summary": found, "chart": chart})


def _start_run(request: HttpRequest) -> HttpResponse:
    require(request.user, "categorisation.start_run")
    try:
        run = run_create_official(by=request.user, trigger=f"Started by {request.user}")
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("categorisation:runs")
    if run is None:
        messages.error(request, "Adopt a rule set before starting a categorisation run")
        return redirect("categorisation:runs")
    messages.success(request, f"Categorisation run {run.pk} started with {run.rule_set}")
    return redirect("categorisation:run", pk=run.pk)


@requires("categorisation.view_categories")
def runs(request: HttpRequest) -> HttpResponse:
    """Every run with its state and counts; officers start an official run from here."""
    if request.method == "POST":
        return _start_run(request)
    jobs_expire_stale()
    page = Paginator(run_list(user=request.user), RUNS_PAGE_SIZE).get_page(request.GET.get("page"))
    counts = run_result_counts(user=request.user, runs=list(page.object_list))
    for run in page.object_list:
        run.counts = counts[run.pk]
    can_start = request.user.has_perm("categorisation.start_run")
    context = {
        "page": page,
        "pagination": page_links(page, lambda **q: f"page={q['page']}"),
        "can_start": can_start,
        "adopted": rule_set_adopted() if can_start else None,
    }
    return render(request, "categorisation/run_list.html", context)


def _confirm_pending(request: HttpRequest, run: Run) -> HttpResponse:
    require(request.user, "categorisation.moderate")
    try:
        count = run_confirm_pending(run=run, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"{count} result{'s' if count != 1 else ''} confirmed")
    return redirect("categorisation:run", pk=run.pk)


def _results_context(request: HttpRequest, run: Run) -> dict:
    categories = Categories.of(run.rule_set.definition)
    alliances = Alliance.objects.active().visible_to(request.user).values_list("pk", "name")
    form = ResultFilterForm(request.GET, categories=categories, alliances=list(alliances))
    filters = form.filters()
    results = run_results(user=request.user, run=run, filters=filters)
    # The stored counts spare a COUNT over the run's results where they answer it
    known = run_results_count(user=request.user, run=run, filters=filters)
    paginator = (
        Paginator(results, RESULTS_PAGE_SIZE)
        if known is None
        else CountedPaginator(results, RESULTS_PAGE_SIZE, count=known)
    )
    page = paginator.get_page(request.GET.get("page"))
    label_results(page.object_list, categories)
    return {
        "form": form,
        "page": page,
        "pagination": page_links(page, form.query_string),
        "counts": run_moderation_counts(user=request.user, run=run),
    }


@requires("categorisation.view_categories")
def run(request: HttpRequest, pk: int) -> HttpResponse:
    """A run's progress, then its results (filtered and paged) and what may be done next."""
    jobs_expire_stale()
    found = get_run_or_404(request.user, pk)
    if request.GET.get("partial"):
        return render(request, "categorisation/run_status.html", {"run": found})
    if request.method == "POST":
        return _confirm_pending(request, found)
    context = {"run": found, "finished": found.state in FINISHED}
    if found.is_agreed and found.unresolved_challenges:
        context["agreed_challenges"] = agreed_challenges_for(user=request.user, run=found)
    if found.state == Run.State.SUCCEEDED:
        context.update(_results_context(request, found))
        user = request.user
        context["can_moderate"] = run_is_open(found) and user.has_perm("categorisation.moderate")
        context["can_agree"] = run_is_open(found) and user.has_perm("categorisation.agree_run")
        context["can_compare"] = user.has_perm("categorisation.view_rules")
    return render(request, "categorisation/run_detail.html", context)


def _moderate(request: HttpRequest, found: Result, form: OverrideForm) -> HttpResponse | None:
    """Confirm or override; the redirect on success, or None to show the form's errors."""
    require(request.user, "categorisation.moderate")
    school = found.school.name
    try:
        if "confirm" in request.POST:
            result_confirm(result=found, by=request.user)
            messages.success(request, f"{school}: category {found.computed_label} confirmed")
        elif form.is_valid():
            result_override(result=found, by=request.user, **form.cleaned_data)
            messages.success(request, f"{school}: category changed at moderation")
        else:
            return None
    except ValidationError as exc:
        if "confirm" in request.POST:
            messages.error(request, " ".join(exc.messages))
            return redirect(request.path)
        form.add_error(None, exc)
        return None
    url = reverse("categorisation:run", kwargs={"pk": found.run_id})
    return redirect(f"{url}?moderation={Result.Moderation.PENDING}")


@requires("categorisation.view_categories")
def result(request: HttpRequest, run_pk: int, pk: int) -> HttpResponse:
    """One school's result with its full explanation; officers confirm or change it here."""
    found_run = get_run_or_404(request.user, run_pk)
    try:
        found = result_get(user=request.user, run=found_run, pk=pk)
    except Result.DoesNotExist:
        raise Http404("No such result") from None
    categories = Categories.of(found_run.rule_set.definition)
    label_results([found], categories)
    posted = request.method == "POST" and "confirm" not in request.POST
    form = OverrideForm(request.POST if posted else None, categories=categories, result=found)
    if request.method == "POST":
        response = _moderate(request, found, form)
        if response is not None:
            return response
    context = {
        "run": found_run,
        "result": found,
        "explanation": explain(found.explanation, categories),
        "form": form,
        "can_moderate": run_is_open(found_run) and request.user.has_perm("categorisation.moderate"),
        "can_resolve": run_is_open(found_run)
        and request.user.has_perm("categorisation.resolve_challenge"),
        "resolve_form": ResolveForm(),
    }
    return render(request, "categorisation/result_detail.html", context)


@requires("categorisation.agree_run")
def agree(request: HttpRequest, pk: int) -> HttpResponse:
    """The board agrees a moderated run: who and when are recorded, with a note."""
    found = get_run_or_404(request.user, pk)
    form = AgreeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            run_agree(run=found, by=request.user, note=form.cleaned_data["note"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request, f"Run {found.pk} is agreed: it is now the current categorisation"
            )
            return redirect("categorisation:run", pk=found.pk)
    context = {
        "run": found,
        "form": form,
        "counts": run_moderation_counts(user=request.user, run=found),
        "challenges": unresolved_challenges(run=found).count(),
    }
    return render(request, "categorisation/run_agree.html", context)


@requires("categorisation.view_rules")
def compare(request: HttpRequest, pk: int) -> HttpResponse:
    """What would move: the run against the current agreed categorisation (or, for an agreed
    run, the one agreed before it)."""
    # The comparison covers every school, so it is for officers and the board only.
    found = get_run_or_404(request.user, pk)
    baseline = run_baseline(run=found)
    comparison = None
    if found.state == Run.State.SUCCEEDED and baseline is not None:
        comparison = run_compare(run=found, baseline=baseline)
    context = {"run": found, "baseline": baseline, "comparison": comparison}
    return render(request, "categorisation/compare.html", context)
