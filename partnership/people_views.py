"""Pages for LA officers: people, their roles, invitations and the audit trail."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from kernel.access import requires

from . import selectors, services
from .forms import (
    PeopleFilterForm,
    PersonInviteForm,
    RoleAssignForm,
    RoleEndForm,
)
from .models import User

PEOPLE_PER_PAGE = 50


officer_required = requires("partnership.manage_people")


def _posted(request: HttpRequest):
    # An empty POST is still a submission: the form must show its "required" errors.
    return request.POST if request.method == "POST" else None


@officer_required
def people(request: HttpRequest) -> HttpResponse:
    """Everyone with an account and the roles they hold now."""
    form = PeopleFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    people = selectors.person_list(search=filters.get("q", ""), role=filters.get("role", ""))
    page = Paginator(people, PEOPLE_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "partnership/people_list.html",
        {"form": form, "page": page, "query": query.urlencode()},
    )


@officer_required
def invite(request: HttpRequest) -> HttpResponse:
    """Invite someone: they get an email with a link to choose a password."""
    form = PersonInviteForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            person = services.user_invite(**form.cleaned_data, by=request.user, request=request)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"Invitation sent to {person.email}")
            return redirect("partnership:person", pk=person.pk)
    return render(request, "partnership/invite.html", {"form": form})


def _person_page(request: HttpRequest, person: User, form: RoleAssignForm) -> HttpResponse:
    return render(
        request,
        "partnership/person_detail.html",
        {
            "person": person,
            "roles": selectors.person_roles(person=person),
            "form": form,
            "invitation_pending": services.invitation_is_pending(person),
        },
    )


@officer_required
def person(request: HttpRequest, pk: int) -> HttpResponse:
    """A person's roles now and in the past, and a form to give them another."""
    person = selectors.person_get(pk=pk)
    form = RoleAssignForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            assignment = services.role_assign(
                user=person, **form.service_arguments(), by=request.user
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"{person} is now {assignment}")
            return redirect("partnership:person", pk=person.pk)
    return _person_page(request, person, form)


@officer_required
def role_end(request: HttpRequest, pk: int, assignment_pk: int) -> HttpResponse:
    """Confirm, then end one of a person's roles."""
    person = selectors.person_get(pk=pk)
    assignment = selectors.role_assignment_get(person=person, pk=assignment_pk)
    form = RoleEndForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.role_end(
                assignment=assignment, on=form.cleaned_data["ends_on"], by=request.user
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"{person} is no longer {assignment}")
            return redirect("partnership:person", pk=person.pk)
    return render(
        request,
        "partnership/role_end.html",
        {
            "person": person,
            "assignment": assignment,
            "form": form,
            "substitutes": selectors.substitutes_of(assignment=assignment),
        },
    )


@officer_required
@require_POST
def invitation_resend(request: HttpRequest, pk: int) -> HttpResponse:
    """Send a pending invitation again, with a new link."""
    person = selectors.person_get(pk=pk)
    try:
        services.user_invitation_resend(user=person, by=request.user, request=request)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"Invitation sent again to {person.email}")
    return redirect("partnership:person", pk=person.pk)


@officer_required
def person_deactivate(request: HttpRequest, pk: int) -> HttpResponse:
    """Confirm, then close a person's account and end their roles."""
    person = selectors.person_get(pk=pk)
    error_messages: list[str] = []
    if request.method == "POST":
        try:
            services.user_deactivate(user=person, by=request.user)
        except ValidationError as error:
            error_messages = error.messages
        else:
            messages.success(request, f"{person}'s account is closed")
            return redirect("partnership:person", pk=person.pk)
    return render(
        request,
        "partnership/person_deactivate.html",
        {"person": person, "error_messages": error_messages},
    )
