"""Protections around signing in: how django-axes names the account it counts failures
against, what a locked-out client is told, and the throttle on password reset emails.

django-axes reaches the first two through ``AXES_USERNAME_CALLABLE`` and
``AXES_LOCKOUT_CALLABLE`` (config/settings.py). The throttle counts in Django's cache, which
is shared by every worker when ``CACHE_URL`` (or a Redis broker) is set.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from axes.helpers import get_client_ip_address, get_cool_off
from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from .models import User

API_PREFIX = "/api/"
LOCKED_OUT_STATUS = 429  # Too Many Requests, as django-axes answers by default
LOCKED_OUT_API = "Too many failed sign-in attempts. Try again in {minutes} minutes"
RESET_TOO_MANY = "You have asked for too many password reset emails. Try again in an hour"
RESET_WINDOW_SECONDS = 60 * 60


def axes_username(request: HttpRequest, credentials: dict | None = None) -> str | None:
    """The account failures are counted against: the address in lower case, so that
    ``HEAD@example.org`` and ``head@example.org`` share one count (and one lock)."""
    field = settings.AXES_USERNAME_FORM_FIELD
    if credentials:
        given = credentials.get(field)
    else:
        data = getattr(request, "data", request.POST)
        given = data.get(field) or data.get("email")
    return User.objects.normalize_email(str(given)) if given else None


def _cool_off_minutes(request: HttpRequest) -> int:
    cool_off = get_cool_off(request)
    return round(cool_off.total_seconds() / 60) if cool_off else 0


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials=None
) -> HttpResponse:
    """What a locked-out client gets: JSON for the API (a script reads it), the GOV.UK page
    for everyone else."""
    minutes = _cool_off_minutes(request)
    if request.path.startswith(API_PREFIX):
        return JsonResponse(
            {"detail": LOCKED_OUT_API.format(minutes=minutes)}, status=LOCKED_OUT_STATUS
        )
    return render(
        request,
        settings.AXES_LOCKOUT_TEMPLATE,
        {"minutes": minutes},
        status=LOCKED_OUT_STATUS,
    )


# Password reset throttle ---------------------------------------------------------------------


@dataclass(frozen=True)
class ResetVerdict:
    """What to do with one password reset request."""

    refuse: bool  # the client has asked too often: tell them (it says nothing about the address)
    send: bool  # send the email, if the address has an account


def _count(key: str) -> int:
    """Add one to a counter that starts with the first request and lasts the window."""
    cache.add(key, 0, timeout=RESET_WINDOW_SECONDS)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=RESET_WINDOW_SECONDS)
        return 1


def password_reset_throttle(*, request: HttpRequest, email: str) -> ResetVerdict:
    """Count one reset request from this client for this address and decide.

    A client past its limit is refused whatever the address. Past the address's limit nothing
    is sent, but the page says the same as ever, so nobody learns whether it has an account.
    """
    client = get_client_ip_address(request) or "unknown"
    if _count(f"password-reset:client:{client}") > settings.PASSWORD_RESET_REQUESTS_PER_CLIENT:
        return ResetVerdict(refuse=True, send=False)
    # The address is hashed: the cache need not hold the addresses people typed.
    address = hashlib.sha256(User.objects.normalize_email(email).encode()).hexdigest()
    sent = _count(f"password-reset:address:{address}")
    return ResetVerdict(refuse=False, send=sent <= settings.PASSWORD_RESET_EMAILS_PER_ADDRESS)
