"""``/support/``: the Support section's one entry in the service navigation, which opens on what
the person works with: the cases they may see, else the engagements brokered to them (a
provider), else the directory of providers."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from kernel.access import requires

LANDINGS = (
    ("brokerage.view_cases", "brokerage:case-list"),
    ("brokerage.view_engagements", "brokerage:engagement-list"),
    ("brokerage.view_providers", "brokerage:provider-list"),
)


@requires("brokerage.view_support")
def support_home(request: HttpRequest) -> HttpResponse:
    """Open the Support section on the first of its pages the user may see."""
    for permission, url_name in LANDINGS:
        if request.user.has_perm(permission):
            return redirect(url_name)
    raise PermissionDenied
