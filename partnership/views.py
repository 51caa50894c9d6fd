"""The throttled password reset page."""

from __future__ import annotations

from django.contrib.auth.views import PasswordResetView
from django.http import HttpResponse, HttpResponseRedirect

from .forms import PasswordResetIncludingInvitedForm
from .signin import LOCKED_OUT_STATUS, RESET_TOO_MANY, password_reset_throttle


class PasswordResetThrottledView(PasswordResetView):
    """Django's reset page, throttled per client and per address (partnership/signin.py)."""

    form_class = PasswordResetIncludingInvitedForm

    def form_valid(self, form) -> HttpResponse:
        verdict = password_reset_throttle(request=self.request, email=form.cleaned_data["email"])
        if verdict.refuse:
            form.add_error(None, RESET_TOO_MANY)
            context = self.get_context_data(form=form)
            return self.render_to_response(context, status=LOCKED_OUT_STATUS)
        if verdict.send:
            return super().form_valid(form)
        return HttpResponseRedirect(self.get_success_url())
