"""The "Email preferences" page: each person turns the weekly digest on or off."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from .engagement_forms import PreferencesForm
from .notifications import digest_wanted, preference_set


@login_required
def email_preferences(request: HttpRequest) -> HttpResponse:
    """Turn the weekly digest on or off for the signed-in person."""
    initial = {"weekly_digest": "yes" if digest_wanted(user=request.user) else "no"}
    form = PreferencesForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        preference_set(user=request.user, weekly_digest=form.cleaned_data["weekly_digest"])
        wanted = form.cleaned_data["weekly_digest"]
        messages.success(
            request, "You will get the weekly digest" if wanted else "Weekly digest turned off"
        )
        return redirect("brokerage:email-preferences")
    return render(request, "brokerage/engagements/preferences.html", {"form": form})
