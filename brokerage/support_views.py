"""``/support/``: the Support section's one entry in the service navigation, which opens on what
the person works with: a provider (with the provider role, or keeping a directory entry, and no
officer's, alliance chair's or head's role) on the engagements brokered to them; everyone else
on the cases they may see, else the engagements, else the directory of providers."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from kernel.access import requires
from partnership.models import Role
from partnership.permissions import roles_of

from .models import Provider

LANDINGS = (
    ("brokerage.view_cases", "brokerage:case-list"),
    ("brokerage.view_engagements", "brokerage:engagement-list"),
    ("brokerage.view_providers", "brokerage:provider-list"),
)


@requires("brokerage.view_support")
def support_home(request: HttpRequest) -> HttpResponse:
    """Open the Support section on the first of its pages the user may see."""
    if _is_provider(request.user):
        return redirect("brokerage:engagement-list")
    for permission, url_name in LANDINGS:
        if request.user.has_perm(permission):
            return redirect(url_name)
    raise PermissionDenied


def _is_provider(user) -> bool:
    roles = roles_of(user)
    if roles.is_officer or roles.is_board or roles.alliance_ids or roles.school_ids:
        return False
    return Role.PROVIDER in roles.roles or Provider.objects.filter(person=user).exists()
