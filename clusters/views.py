"""Pages for the structure: the board, its area alliances and family clusters, and moving schools.

Everyone with a role reads the parts of the structure they may see (``clusters.view_structure``,
scoped by ``partnership.permissions``); only officers change it (``clusters.change_structure``).
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from clusters.jobs import STRUCTURE_IMPORT
from kernel.access import requires
from kernel.job_expiry import jobs_expire_stale
from kernel.jobs import job_create
from kernel.models import Job
from kernel.paging import page_links
from partnership.models import Alliance
from partnership.permissions import roles_of
from partnership.selectors import partnership_get
from schools.models import School

from . import selectors, services
from .forms import (
    AddSchoolsForm,
    AllianceForm,
    BulkMoveForm,
    CloseForm,
    ClusterForm,
    MergeForm,
    SchoolMoveForm,
    StructureUploadForm,
)
from .models import Cluster
from .tasks import structure_import_task

VIEW, CHANGE = "clusters.view_structure", "clusters.change_structure"
PAGE_SIZE = 50


def _posted(request: HttpRequest, files: bool = False):
    """The form data of a POST (even an empty one, which must still be validated), else None."""
    if request.method != "POST":
        return (None, None) if files else None
    return (request.POST, request.FILES) if files else request.POST


def _alliance_or_404(user, pk: int) -> Alliance:
    queryset = Alliance.objects.select_related("partnership", "merged_into")
    return get_object_or_404(queryset.visible_to(user), pk=pk)


def _cluster_or_404(user, pk: int) -> Cluster:
    queryset = Cluster.objects.select_related("alliance", "communication_lead", "merged_into")
    return get_object_or_404(queryset.visible_to(user), pk=pk)


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


@requires(VIEW)
def structure(request: HttpRequest) -> HttpResponse:
    """The board, its alliances and clusters, and the schools in each, with counts."""
    context = {
        "structure": selectors.structure_for(user=request.user),
        "can_change": request.user.has_perm(CHANGE),
    }
    return render(request, "clusters/structure.html", context)


SCHOOL_LIST_TITLES = {
    "unclustered": "Schools in no cluster",
    "opted-out": "Schools that have opted out",
}


@requires(VIEW)
def structure_school_list(request: HttpRequest, which: str) -> HttpResponse:
    """The open schools in no cluster, or those that have opted out, paged (partnership-wide
    roles only, as on the structure page)."""
    if which not in SCHOOL_LIST_TITLES:
        raise Http404("No such list")
    if not roles_of(request.user).sees_whole_partnership:
        raise PermissionDenied
    schools = selectors.structure_schools(user=request.user, which=which)
    page = Paginator(schools, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "title": SCHOOL_LIST_TITLES[which],
        "which": which,
        "page": page,
        "pagination": page_links(page, lambda page: urlencode({"page": page})),
        "can_change": request.user.has_perm(CHANGE) and which == "unclustered",
    }
    return render(request, "clusters/school_list.html", context)


@requires(CHANGE)
def alliance_create(request: HttpRequest) -> HttpResponse:
    form = AllianceForm(_posted(request))

    def create(data):
        alliance = services.alliance_create(
            partnership=partnership_get(),
            name=data["name"],
            description=data["description"],
            by=request.user,
        )
        form.created = alliance
        return f"{alliance} added"

    if request.method == "POST" and _write(request, form, create):
        return redirect("clusters:alliance-detail", pk=form.created.pk)
    return render(request, "clusters/alliance_form.html", {"form": form})


@requires(VIEW)
def alliance_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """An alliance, its clusters and its earlier names; officers rename it here."""
    alliance = _alliance_or_404(request.user, pk)
    form = AllianceForm(_posted(request), rename=True, initial={"name": alliance.name})
    if request.method == "POST":
        if not request.user.has_perm(CHANGE):
            raise PermissionDenied

        def rename(data):
            renamed = services.alliance_rename(
                alliance=alliance, name=data["name"], by=request.user
            )
            return f"Alliance renamed to {renamed.name}"

        if _write(request, form, rename):
            return redirect("clusters:alliance-detail", pk=alliance.pk)
    clusters, closed = selectors.alliance_clusters(alliance=alliance, user=request.user)
    context = {
        "alliance": alliance,
        "clusters": clusters,
        "closed_clusters": closed,
        "previous_names": selectors.previous_names(instance=alliance),
        "can_change": request.user.has_perm(CHANGE) and alliance.is_open,
        "form": form,
    }
    return render(request, "clusters/alliance_detail.html", context)


def _close_page(request, *, instance, close, noun: str) -> HttpResponse:
    """Confirm, then close an alliance or a cluster."""
    form = CloseForm(_posted(request), button=f"Close {noun}")

    def write(data):
        close(**{noun: instance, "on": data["on"], "by": request.user})
        return f"{instance} closed"

    if request.method == "POST" and _write(request, form, write):
        return redirect(f"clusters:{noun}-detail", pk=instance.pk)
    context = {"form": form, "instance": instance, "noun": noun}
    if noun == "cluster":
        context["school_count"] = instance.memberships.current().count()
    return render(request, "clusters/close.html", context)


def _merge_page(request, *, source, merge, noun: str) -> HttpResponse:
    """Choose what to merge into, confirm on a second page, then merge."""
    form = MergeForm(_posted(request), source=source)
    if request.method == "POST" and form.is_valid() and request.POST.get("confirm") != "yes":
        moving = (
            source.memberships.current().count()
            if noun == "cluster"
            else source.clusters.active().count()
        )
        hidden = [(k, request.POST.get(k, "")) for k in ("target", "on_0", "on_1", "on_2")]
        context = {"source": source, "noun": noun, "moving": moving, "hidden": hidden}
        return render(request, "clusters/merge_confirm.html", {**context, **form.cleaned_data})

    def write(data):
        merge(source=source, target=data["target"], on=data["on"], by=request.user)
        return f"{source} merged into {data['target']}"

    if request.method == "POST" and _write(request, form, write):
        return redirect(f"clusters:{noun}-detail", pk=form.cleaned_data["target"].pk)
    return render(request, "clusters/merge.html", {"form": form, "source": source, "noun": noun})


@requires(CHANGE)
def alliance_close(request: HttpRequest, pk: int) -> HttpResponse:
    alliance = _alliance_or_404(request.user, pk)
    return _close_page(request, instance=alliance, close=services.alliance_close, noun="alliance")


@requires(CHANGE)
def alliance_merge(request: HttpRequest, pk: int) -> HttpResponse:
    alliance = _alliance_or_404(request.user, pk)
    return _merge_page(request, source=alliance, merge=services.alliance_merge, noun="alliance")


@requires(CHANGE)
def cluster_create(request: HttpRequest) -> HttpResponse:
    initial = {"alliance": request.GET.get("alliance")}
    form = ClusterForm(_posted(request), initial=initial)

    def create(data):
        form.created = services.cluster_create(by=request.user, **data)
        return f"{form.created} added to {form.created.alliance}"

    if request.method == "POST" and _write(request, form, create):
        return redirect("clusters:cluster-detail", pk=form.created.pk)
    return render(request, "clusters/cluster_form.html", {"form": form})


def _cluster_forms(
    cluster: Cluster, data=None, action: str | None = None, shown: list | None = None
) -> dict:
    """The cluster page's forms, the one named by ``action`` bound to the posted data."""
    initial = {
        "alliance": cluster.alliance_id,
        "name": cluster.name,
        "communication_lead": cluster.communication_lead_id,
        "linked_hub": cluster.linked_hub,
        "school_improvement_partner": cluster.school_improvement_partner,
    }
    bound = {name: (data if name == action else None) for name in ("update", "move", "add")}
    return {
        "update": ClusterForm(
            bound["update"], initial=initial, button="Save changes", action="update"
        ),
        "move": BulkMoveForm(bound["move"], cluster=cluster, shown=shown, prefix="move"),
        "add": AddSchoolsForm(bound["add"], prefix="add"),
    }


def _cluster_writes(request: HttpRequest, cluster: Cluster) -> dict[str, Callable]:
    by = request.user

    def update(data):
        services.cluster_update(cluster=cluster, by=by, **data)
        return "Cluster details saved"

    def move(data):
        moved = services.schools_move(
            schools=data["schools"], cluster=data["target"], on=data["on"], by=by
        )
        where = data["target"] or "no cluster"
        return f"{moved} school{'s' if moved != 1 else ''} moved to {where}"

    def add(data):
        moved = services.schools_move(schools=data["urns"], cluster=cluster, on=data["on"], by=by)
        return f"{moved} school{'s' if moved != 1 else ''} added to {cluster}"

    return {"update": update, "move": move, "add": add}


def _cluster_pages(request: HttpRequest, cluster: Cluster) -> dict:
    """The cluster's current schools and those that have left, each paged by its own number."""
    current, past = selectors.cluster_memberships(cluster=cluster, user=request.user)
    pages = {
        "current": Paginator(current, PAGE_SIZE).get_page(request.GET.get("page")),
        "past": Paginator(past, PAGE_SIZE).get_page(request.GET.get("left")),
    }
    numbers = {"page": pages["current"].number, "left": pages["past"].number}

    def query(name: str):
        return lambda page: urlencode({**numbers, name: page})

    return {
        "current": pages["current"],
        "past": pages["past"],
        "current_pagination": page_links(pages["current"], query("page")),
        "past_pagination": page_links(pages["past"], query("left")),
    }


@requires(VIEW)
def cluster_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A cluster's facts, schools (paged) and history; officers edit it and move schools here."""
    cluster = _cluster_or_404(request.user, pk)
    can_change = request.user.has_perm(CHANGE) and cluster.is_open
    action = request.POST.get("action") if request.method == "POST" else None
    if request.method == "POST" and not request.user.has_perm(CHANGE):
        raise PermissionDenied
    pages = _cluster_pages(request, cluster)
    shown = [membership.school for membership in pages["current"]]
    forms = _cluster_forms(cluster, request.POST, action, shown) if can_change else {}
    writes = _cluster_writes(request, cluster)
    if action in forms and _write(request, forms[action], writes[action]):
        return redirect("clusters:cluster-detail", pk=cluster.pk)
    context = {
        "cluster": cluster,
        **pages,
        "previous_names": selectors.previous_names(instance=cluster),
        "can_change": can_change,
        "forms": forms,
        "invalid_form": forms.get(action) if action in forms else None,
    }
    return render(request, "clusters/cluster_detail.html", context)


@requires(CHANGE)
def cluster_close(request: HttpRequest, pk: int) -> HttpResponse:
    cluster = _cluster_or_404(request.user, pk)
    return _close_page(request, instance=cluster, close=services.cluster_close, noun="cluster")


@requires(CHANGE)
def cluster_merge(request: HttpRequest, pk: int) -> HttpResponse:
    cluster = _cluster_or_404(request.user, pk)
    return _merge_page(request, source=cluster, merge=services.cluster_merge, noun="cluster")


@requires(CHANGE)
def school_move(request: HttpRequest, urn: int) -> HttpResponse:
    """Move one school to another cluster, or out of any cluster."""
    school = get_object_or_404(School, urn=urn)
    history = selectors.school_memberships(school=school)
    current = next((m for m in history if m.ended_on is None), None)
    form = SchoolMoveForm(_posted(request), initial={"cluster": current and current.cluster_id})

    def move(data):
        services.school_move(school=school, cluster=data["cluster"], on=data["on"], by=request.user)
        return f"{school.name} moved to {data['cluster'] or 'no cluster'}"

    if request.method == "POST" and _write(request, form, move):
        target = form.cleaned_data["cluster"] or (current and current.cluster)
        if target:
            return redirect("clusters:cluster-detail", pk=target.pk)
        return redirect("clusters:structure")
    context = {"school": school, "current": current, "history": history, "form": form}
    return render(request, "clusters/school_move.html", context)


@requires(CHANGE)
def structure_upload(request: HttpRequest) -> HttpResponse:
    """Upload a URN,cluster file; a background job applies it and the job page shows how."""
    form = StructureUploadForm(*_posted(request, files=True))
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        job = job_create(
            kind=STRUCTURE_IMPORT,
            created_by=request.user,
            data=upload.read(),
            filename=upload.name,
            options={"create_missing": form.cleaned_data["create_missing"]},
        )
        transaction.on_commit(lambda: structure_import_task.delay(job.pk))
        return redirect("job-detail", pk=job.pk)
    jobs_expire_stale()
    recent = Job.objects.filter(kind=STRUCTURE_IMPORT).defer("result")
    recent = recent.select_related("created_by")[:5]
    return render(request, "clusters/upload.html", {"form": form, "recent": recent})
