"""The one way pages check a permission (declared in each app's ``rules.py``): ``requires``
for a view, ``require`` inside one (for an object).

Anonymous visitors are sent to sign in; a signed-in user without the permission gets the 403
page. Which roles hold which permission is decided only in the apps' ``rules.py``.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse


def require(user, perm: str, obj=None) -> None:
    """Raise PermissionDenied (403) unless the user holds the permission (for the object)."""
    if not user.has_perm(perm, obj):
        raise PermissionDenied


def requires(perm: str) -> Callable:
    """A view decorator: sign in first, then the permission, else 403."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        @login_required
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            require(request.user, perm)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
