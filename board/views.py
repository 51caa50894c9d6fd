"""The pages that span the apps: the home page and the audit trail."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from kernel.access import requires
from kernel.paging import page_number
from kernel.worklist import worklist_for
from partnership.models import User
from partnership.permissions import roles_of

from .audit import audit_trail
from .forms import AuditFilterForm


@login_required
def home(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "home.html",
        {"roles": roles_of(request.user), "worklist": worklist_for(user=request.user)},
    )


@requires("board.view_audit")
def audit(request: HttpRequest) -> HttpResponse:
    """Who changed what, and when, newest first."""
    form = AuditFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    person = filters.get("person") or None
    if person and person != AuditFilterForm.SYSTEM:
        person = User.objects.filter(pk=person).first()
    trail = audit_trail(kind=filters.get("kind") or None, person=person, page=page_number(request))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "board/audit_trail.html",
        {"form": form, "trail": trail, "query": query.urlencode()},
    )
