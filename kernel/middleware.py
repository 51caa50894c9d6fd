"""Keep private pages out of browser and proxy caches.

A page shown to a signed-in person may carry a confidential category or a school's records: on a
shared computer, the back button or the browser's cache must not show it to the next person. So
every response to a signed-in user, and every API response (token clients are only known to the
view), is marked ``no-store``. Static files never reach this middleware (WhiteNoise answers them
first in production, runserver's static handler in development) and stay cacheable.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers

API_PREFIX = "/api/"


def _is_private(request: HttpRequest) -> bool:
    if request.path_info.startswith(settings.STATIC_URL):
        return False
    if request.path_info.startswith(API_PREFIX):
        return True
    user = getattr(request, "user", None)
    return bool(user and user.is_authenticated)


class NoStoreMiddleware:
    """Adds ``Cache-Control: no-store`` (and ``Pragma: no-cache``) to private responses."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if _is_private(request):
            add_never_cache_headers(response)
            response.headers["Pragma"] = "no-cache"
        return response
