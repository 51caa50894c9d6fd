"""Pages of the provider directory and of matching.

Everyone with a role reads the directory (``brokerage.view_providers``); officers change any
entry, providers their own and headteachers their school's offer (``brokerage.change_provider``);
matching is for officers and for alliance chairs for their alliance's schools
(``brokerage.match_providers``). The rules are in ``brokerage/rules.py``.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from kernel.access import require, requires
from kernel.paging import page_links
from partnership.permissions import roles_of
from schools.models import School

from . import provider_selectors as selectors
from . import provider_services as services
from .matching import providers_match
from .models import ConflictDeclaration, Provider
from .provider_forms import (
    ConflictForm,
    DirectoryFilterForm,
    ExpertiseForm,
    MatchForm,
    ProviderForm,
)

VIEW, ADD, CHANGE = (
    "brokerage.view_providers",
    "brokerage.add_provider",
    "brokerage.change_provider",
)
MATCH, CONFLICT = "brokerage.match_providers", "brokerage.declare_conflict"
PAGE_SIZE = 25
EXCLUDED_SHOWN = 50


def _posted(request: HttpRequest):
    """The form data of a POST (even an empty one, which must still be validated), else None."""
    return request.POST if request.method == "POST" else None


def _provider_or_404(user, pk: int) -> Provider:
    provider = selectors.provider_get(user=user, pk=pk)
    if provider is None:
        raise Http404("No such provider")
    return provider


def _filters(form: DirectoryFilterForm) -> selectors.ProviderFilters:
    if not form.is_valid():
        return selectors.ProviderFilters()
    data = form.cleaned_data
    return selectors.ProviderFilters(
        text=data["text"],
        expertise_ids=[e.pk for e in data["expertise"]],
        phase=data["phase"],
        kind=data["kind"],
        spare_capacity=data["spare_capacity"],
        include_inactive=data.get("include_inactive", False),
    )


@requires(VIEW)
def provider_list(request: HttpRequest) -> HttpResponse:
    """The directory, filtered by expertise, phase, kind and spare capacity, paged."""
    officer = roles_of(request.user).is_officer
    form = DirectoryFilterForm(request.GET or None, officer=officer)
    providers = selectors.provider_list(user=request.user, filters=_filters(form))
    page = Paginator(providers, PAGE_SIZE).get_page(request.GET.get("page"))
    kept = {k: v for k, v in request.GET.lists() if k != "page"}

    def query(page: int) -> str:
        return urlencode({**kept, "page": page}, doseq=True)

    context = {
        "form": form,
        "page": page,
        "pagination": page_links(page, query),
        "can_add": request.user.has_perm(ADD),
        "can_match": request.user.has_perm(MATCH),
        "can_change_expertise": request.user.has_perm("brokerage.change_expertise"),
        "kept": selectors.providers_kept_by(user=request.user),
    }
    return render(request, "brokerage/providers/list.html", context)


@requires(VIEW)
def provider_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One entry: what it offers, its capacity this term and its track record."""
    provider = _provider_or_404(request.user, pk)
    sees_conflicts = request.user.has_perm(CONFLICT, provider) or request.user.has_perm(MATCH)
    context = {
        "provider": provider,
        "term": selectors.term_of_today(),
        "can_change": request.user.has_perm(CHANGE, provider),
        "can_declare": request.user.has_perm(CONFLICT, provider),
        "can_withdraw": request.user.has_perm("brokerage.withdraw_conflict", provider),
        "conflicts": selectors.provider_conflicts(provider=provider) if sees_conflicts else None,
    }
    return render(request, "brokerage/providers/detail.html", context)


def _form_page(request, *, form, provider=None) -> HttpResponse:
    context = {"form": form, "provider": provider}
    return render(request, "brokerage/providers/form.html", context)


def _write(request, form, write) -> bool:
    if not form.is_valid():
        return False
    try:
        write(form.service_fields())
    except ValidationError as refused:
        form.add_error(None, refused)
        return False
    return True


@requires(ADD)
def provider_create(request: HttpRequest) -> HttpResponse:
    """Add an entry: officers any; providers their own; headteachers their school's offer."""
    form = ProviderForm(_posted(request), user=request.user, button="Add entry")
    created = []

    def create(fields):
        if not form.officer and not form.head_offer:
            fields["person"] = request.user
        created.append(services.provider_create(by=request.user, **fields))

    if request.method == "POST" and _write(request, form, create):
        messages.success(request, f"{created[0].name} added to the directory")
        return redirect("brokerage:provider-detail", pk=created[0].pk)
    return _form_page(request, form=form)


def _initial(provider: Provider) -> dict:
    return {
        "name": provider.name,
        "kind": provider.kind,
        "own_school": provider.school_id,
        "school_urn": provider.school.urn if provider.school else None,
        "trust_name": provider.trust.name if provider.trust else "",
        "person_email": provider.person.email if provider.person else "",
        "expertise": list(provider.expertise.all()),
        "phases": provider.phases,
        "capacity_days_per_term": provider.capacity_days_per_term,
        "can_be_paid": provider.can_be_paid,
        "vat_registered": provider.vat_registered,
        "description": provider.description,
    }


@requires(VIEW)
def provider_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change an entry (its keeper or an officer)."""
    provider = _provider_or_404(request.user, pk)
    require(request.user, CHANGE, provider)
    form = ProviderForm(
        _posted(request), user=request.user, initial=_initial(provider), button="Save changes"
    )

    def update(fields):
        services.provider_update(provider=provider, by=request.user, **fields)

    if request.method == "POST" and _write(request, form, update):
        messages.success(request, "Entry updated")
        return redirect("brokerage:provider-detail", pk=provider.pk)
    return _form_page(request, form=form, provider=provider)


@require_POST
@requires(VIEW)
def provider_set_active(request: HttpRequest, pk: int) -> HttpResponse:
    """Deactivate (or reactivate) an entry: no longer proposed, its history kept."""
    provider = _provider_or_404(request.user, pk)
    require(request.user, CHANGE, provider)
    active = request.POST.get("active") == "yes"
    services.provider_set_active(provider=provider, active=active, by=request.user)
    messages.success(request, f"{provider.name} is {'active' if active else 'no longer active'}")
    return redirect("brokerage:provider-detail", pk=provider.pk)


@requires(VIEW)
def conflict_declare(request: HttpRequest, pk: int) -> HttpResponse:
    """Declare a conflict of interest between the provider and a school."""
    provider = _provider_or_404(request.user, pk)
    require(request.user, CONFLICT, provider)
    form = ConflictForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.conflict_declare(
                provider=provider,
                school=form.cleaned_data["school_urn"],
                reason=form.cleaned_data["reason"],
                by=request.user,
            )
        except ValidationError as refused:
            form.add_error(None, refused)
        else:
            messages.success(request, "Conflict of interest declared")
            return redirect("brokerage:provider-detail", pk=provider.pk)
    return render(
        request, "brokerage/providers/conflict_form.html", {"form": form, "provider": provider}
    )


@require_POST
@requires(VIEW)
def conflict_withdraw(request: HttpRequest, pk: int, conflict_pk: int) -> HttpResponse:
    provider = _provider_or_404(request.user, pk)
    require(request.user, "brokerage.withdraw_conflict", provider)
    conflict = get_object_or_404(ConflictDeclaration, pk=conflict_pk, provider=provider)
    services.conflict_withdraw(conflict=conflict, by=request.user)
    messages.success(request, "Conflict of interest withdrawn")
    return redirect("brokerage:provider-detail", pk=provider.pk)


@requires("brokerage.change_expertise")
def expertise_list(request: HttpRequest) -> HttpResponse:
    """The shared list of areas of expertise; officers add to it."""
    form = ExpertiseForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            area = services.expertise_create(name=form.cleaned_data["name"], by=request.user)
        except ValidationError as refused:
            form.add_error("name", refused)
        else:
            messages.success(request, f"{area.name} added")
            return redirect("brokerage:expertise-list")
    context = {"form": form, "areas": selectors.expertise_list()}
    return render(request, "brokerage/providers/expertise.html", context)


@requires(MATCH)
def provider_match(request: HttpRequest) -> HttpResponse:
    """Providers ranked for a school's needs, with the reasons, and those left out."""
    form = MatchForm(request.GET or None)
    matching, school = None, None
    if form.is_valid():
        school = School.objects.visible_to(request.user).filter(urn=form.cleaned_data["school"])
        school = school.first()
        if school is None:
            form.add_error("school", f"There is no school with URN {form.cleaned_data['school']}")
        elif not request.user.has_perm(MATCH, school):
            raise PermissionDenied
        else:
            matching = providers_match(
                school=school,
                expertise_ids=[e.pk for e in form.cleaned_data["expertise"]],
                phase=form.cleaned_data["phase"] or None,
                concern_is_trust=form.cleaned_data["concern_is_trust"],
            )
    context = {
        "form": form,
        "school": school,
        "matching": matching,
        "excluded": matching.excluded[:EXCLUDED_SHOWN] if matching else [],
    }
    return render(request, "brokerage/providers/match.html", context)
