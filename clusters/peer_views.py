"""Pages for peer-review cycles: the cycle list and detail (cluster leads and officers arrange
them; the cluster's heads see their groups), the review page for the reviewers and the reviewed
head, the findings form, and the sharing controls the reviewed head holds."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from kernel.access import require, requires
from kernel.paging import page_links, page_number
from partnership.permissions import roles_of
from schools.models import School

from . import peer_selectors as selectors
from . import peer_services as services
from .models import Cluster
from .peer_forms import CycleForm, FindingsForm, MoveForm, ScheduleForm, SharingForm
from .peer_review_models import PeerReview, PeerReviewCycle, Sharing

PAGE_SIZE = 25


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


def _cycle_or_404(user, pk: int) -> PeerReviewCycle:
    return get_object_or_404(selectors.cycle_list(user=user), pk=pk)


def _review_or_404(user, pk: int) -> PeerReview:
    queryset = PeerReview.objects.listed_to(user).select_related("cycle__cluster", "school")
    return get_object_or_404(queryset, pk=pk)


def _readable(user, review: PeerReview) -> bool:
    return PeerReview.objects.visible_to(user).filter(pk=review.pk).exists()


@requires("clusters.view_peer_cycles")
def cycle_list(request: HttpRequest) -> HttpResponse:
    """The peer-review cycles of the clusters the user may see."""
    page = Paginator(selectors.cycle_list(user=request.user), PAGE_SIZE).get_page(
        page_number(request)
    )
    return render(
        request,
        "clusters/peer/cycle_list.html",
        {
            "page": page,
            "pagination": page_links(page, lambda page: f"page={page}"),
            "can_create": request.user.has_perm("clusters.create_peer_cycle"),
        },
    )


@requires("clusters.create_peer_cycle")
def cycle_create(request: HttpRequest) -> HttpResponse:
    """Start a cycle in a cluster the user leads (any open cluster for an officer)."""
    roles = roles_of(request.user)
    clusters = Cluster.objects.active().select_related("alliance")
    if not roles.is_officer:
        clusters = clusters.filter(pk__in=roles.cluster_ids)
    form = CycleForm(_posted(request), clusters=clusters)
    created = {}

    def create(data):
        created["cycle"] = services.cycle_create(**data, by=request.user)
        return f"{data['name']} started: record any opt-outs, then propose the groups"

    if request.method == "POST" and _write(request, form, create):
        return redirect("clusters:peer-cycle-detail", created["cycle"].pk)
    return render(request, "clusters/peer/cycle_form.html", {"form": form})


@login_required
def cycle_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A cycle's schools, opt-outs and groups, and what the user may do with them."""
    require(request.user, "clusters.view_peer_cycles")
    cycle = _cycle_or_404(request.user, pk)
    reviews = selectors.cycle_reviews(cycle=cycle, user=request.user)
    groups: dict[int, list] = {}
    for review in reviews:
        groups.setdefault(review.group, []).append(review)
    opted = set(cycle.opt_outs.values_list("school_id", flat=True))
    schools = services.cycle_schools(cycle=cycle)
    can_manage = request.user.has_perm("clusters.manage_peer_cycle", cycle)
    own = roles_of(request.user).school_ids
    rows = [
        {
            "school": school,
            "out_of_cycle": school.pk in opted,
            "can_toggle": not reviews and (can_manage or school.pk in own),
        }
        for school in schools
    ]
    return render(
        request,
        "clusters/peer/cycle_detail.html",
        {"cycle": cycle, "groups": groups, "rows": rows, "can_manage": can_manage},
    )


@require_POST
@login_required
def cycle_propose(request: HttpRequest, pk: int) -> HttpResponse:
    """Replace the cycle's groups with the product's proposal."""
    cycle = _cycle_or_404(request.user, pk)
    require(request.user, "clusters.manage_peer_cycle", cycle)
    try:
        reviews = services.cycle_groups_propose(cycle=cycle, by=request.user)
    except ValidationError as refused:
        messages.error(request, " ".join(refused.messages))
    else:
        messages.success(request, f"Groups proposed for {len(reviews)} schools")
    return redirect("clusters:peer-cycle-detail", cycle.pk)


@require_POST
@login_required
def cycle_opt_out(request: HttpRequest, pk: int, urn: int) -> HttpResponse:
    """Take a school out of the cycle or back in: its head, the cluster lead or an officer."""
    cycle = _cycle_or_404(request.user, pk)
    school = next((s for s in services.cycle_schools(cycle=cycle) if s.urn == urn), None)
    if school is None:
        raise Http404("No such school in this cluster")
    may = request.user.has_perm("clusters.manage_peer_cycle", cycle)
    if not (may or school.pk in roles_of(request.user).school_ids):
        raise PermissionDenied
    opted_out = request.POST.get("opted_out") == "yes"
    try:
        services.cycle_opt_out_set(cycle=cycle, school=school, opted_out=opted_out, by=request.user)
    except ValidationError as refused:
        messages.error(request, " ".join(refused.messages))
    else:
        verb = "opted out of" if opted_out else "back in"
        messages.success(request, f"{school.name} is {verb} {cycle.name}")
    return redirect("clusters:peer-cycle-detail", cycle.pk)


@login_required
def review_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The review page: its arrangement for the cluster lead, and its report for the school,
    its reviewers and those it is shared with."""
    review = _review_or_404(request.user, pk)
    user = request.user
    readable = _readable(user, review)
    can_arrange = user.has_perm("clusters.arrange_peer_review", review)
    if not (readable or can_arrange):
        raise Http404("No peer review found")
    context = {
        "review": review,
        "readable": readable,
        "reviewers": selectors.review_reviewers(review=review),
        "judgements": review.judgements.order_by("area") if readable else [],
        "can_arrange": can_arrange and not review.written_on,
        "can_write": user.has_perm("clusters.write_peer_findings", review),
        "can_share": user.has_perm("clusters.share_peer_review", review),
        "sharing": Sharing(review.sharing),
    }
    return render(request, "clusters/peer/review_detail.html", context)


def _review_form_page(
    request: HttpRequest, pk: int, *, perm: str, form_class, template: str, write, **form_args
) -> HttpResponse:
    review = _review_or_404(request.user, pk)
    require(request.user, perm, review)
    extra = form_args.pop("extra", lambda review: {})(review)
    form = form_class(_posted(request), **form_args, **extra)
    if request.method == "POST" and _write(request, form, lambda data: write(review, form, data)):
        return redirect("clusters:peer-review-detail", review.pk)
    return render(request, template, {"form": form, "review": review})


@login_required
def review_move(request: HttpRequest, pk: int) -> HttpResponse:
    """Move the school to another group of the cycle (the cluster lead)."""

    def write(review, form, data):
        services.review_move(review=review, group=data["group"], by=request.user)
        return f"{review.school.name} moved to group {data['group']}"

    def groups(review):
        numbers = sorted(set(review.cycle.reviews.values_list("group", flat=True)))
        return {"groups": [n for n in numbers if n != review.group]}

    return _review_form_page(
        request,
        pk,
        perm="clusters.arrange_peer_review",
        form_class=MoveForm,
        template="clusters/peer/review_move.html",
        write=write,
        extra=groups,
    )


@login_required
def review_schedule(request: HttpRequest, pk: int) -> HttpResponse:
    """Set the date and focus of the review (the cluster lead)."""

    def write(review, form, data):
        services.review_schedule(review=review, **data, by=request.user)
        return f"Review of {review.school.name} scheduled"

    def initial(review):
        return {"initial": {"scheduled_on": review.scheduled_on, "focus": review.focus}}

    return _review_form_page(
        request,
        pk,
        perm="clusters.arrange_peer_review",
        form_class=ScheduleForm,
        template="clusters/peer/review_schedule.html",
        write=write,
        extra=initial,
    )


@login_required
def review_findings(request: HttpRequest, pk: int) -> HttpResponse:
    """The reviewers write the findings, next steps and their judgements."""

    def write(review, form, data):
        services.review_findings_write(
            review=review,
            findings=data["findings"],
            next_steps=data["next_steps"],
            grades=form.grades(),
            by=request.user,
        )
        return f"Findings saved for {review.school.name}"

    def initial(review):
        values = {"findings": review.findings, "next_steps": review.next_steps}
        values |= {f"grade_{j.area}": j.grade for j in review.judgements.all()}
        return {"initial": values}

    return _review_form_page(
        request,
        pk,
        perm="clusters.write_peer_findings",
        form_class=FindingsForm,
        template="clusters/peer/review_findings.html",
        write=write,
        extra=initial,
    )


@login_required
def review_sharing(request: HttpRequest, pk: int) -> HttpResponse:
    """The reviewed head chooses who reads the report; every change is listed."""
    review = _review_or_404(request.user, pk)
    require(request.user, "clusters.share_peer_review", review)
    form = SharingForm(_posted(request), initial={"sharing": review.sharing})

    def share(data):
        services.review_share(review=review, sharing=data["sharing"], by=request.user)
        return f"Sharing changed: {Sharing(data['sharing']).label}"

    if request.method == "POST" and _write(request, form, share):
        return redirect("clusters:peer-review-sharing", review.pk)
    changes = review.sharing_changes.select_related("by")[:100]
    return render(
        request,
        "clusters/peer/review_sharing.html",
        {"form": form, "review": review, "changes": changes, "sharing": Sharing(review.sharing)},
    )


def school_for_page(user, urn: int) -> School:
    """The school, if the user may see it, else 404."""
    return get_object_or_404(School.objects.visible_to(user), urn=urn)
