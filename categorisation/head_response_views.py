"""Pages for the head's voice: the head's page for their school's proposed category (read it with
its explanation, agree or challenge it), the evidence served through a permission check, and
the officer marking a challenge resolved."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from kernel.access import require
from kernel.uploads import UploadRefused
from schools.models import School

from .head_response_forms import HeadResponseForm, ResolveForm
from .head_response_models import HeadResponse
from .head_responses import (
    evidence_response_get,
    head_response_of,
    head_response_record,
    head_response_resolve,
    proposed_result_get,
)
from .models import Result
from .moderation import run_is_open
from .selectors import Categories, explain, label_results, result_get
from .views import get_run_or_404


def _proposed_or_404(user, urn: int) -> Result:
    school = School.objects.filter(urn=urn).first()
    found = proposed_result_get(user=user, school=school) if school else None
    if found is None:
        raise Http404("No proposed category to respond to")
    return found


def _record(request: HttpRequest, found: Result, form: HeadResponseForm) -> bool:
    if not form.is_valid():
        return False
    data = form.cleaned_data
    try:
        head_response_record(
            result=found,
            by=request.user,
            response=data["response"],
            comment=data["comment"],
            evidence=data["evidence"],
        )
    except ValidationError as exc:
        form.add_error("evidence" if isinstance(exc, UploadRefused) else None, exc)
        return False
    messages.success(request, "Your response has been sent to the moderating officer")
    return True


@login_required
def proposed(request: HttpRequest, urn: int) -> HttpResponse:
    """The head's own school's proposed category with its explanation, and their response."""
    found = _proposed_or_404(request.user, urn)
    categories = Categories.of(found.run.rule_set.definition)
    label_results([found], categories)
    response = head_response_of(found)
    form = HeadResponseForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and _record(request, found, form):
        return redirect("categorisation:head-proposed", urn=urn)
    context = {
        "result": found,
        "run": found.run,
        "school": found.school,
        "explanation": explain(found.explanation, categories),
        "response": response,
        "form": form,
    }
    return render(request, "categorisation/head_response/proposed.html", context)


@login_required
def evidence(request: HttpRequest, pk: int) -> FileResponse:
    """The head's evidence, as a download, to the head and those who see the school's result."""
    try:
        found = evidence_response_get(user=request.user, pk=pk)
    except HeadResponse.DoesNotExist:
        raise Http404("No such evidence") from None
    try:
        upload = found.evidence.open("rb")
    except FileNotFoundError:
        raise Http404("The evidence is no longer kept") from None
    return FileResponse(upload, as_attachment=True, filename=found.evidence_filename)


@require_POST
@login_required
def resolve(request: HttpRequest, run_pk: int, pk: int) -> HttpResponse:
    """The moderating officer marks the head's challenge of this result resolved."""
    require(request.user, "categorisation.resolve_challenge")
    found_run = get_run_or_404(request.user, run_pk)
    try:
        found = result_get(user=request.user, run=found_run, pk=pk)
    except Result.DoesNotExist:
        raise Http404("No such result") from None
    response = getattr(found, "head_response", None)
    if response is None or not run_is_open(found_run):
        raise Http404("No challenge to resolve")
    form = ResolveForm(request.POST)
    if form.is_valid():
        try:
            head_response_resolve(response=response, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, f"{found.school.name}: the head's challenge is resolved")
    else:
        messages.error(request, " ".join(form.errors["note"]))
    return redirect("categorisation:result", run_pk=found_run.pk, pk=found.pk)
