"""The page of each task a case's officer or alliance chair records: one form, one service.

A task that cannot start yet, or is completed, or a case that is paused or closed, shows why
instead of the form (the service refuses it too).
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from kernel.access import require, requires
from kernel.money import pounds

from . import case_selectors as selectors
from . import case_services as services
from .case_forms import (
    ChecksForm,
    CommissionForm,
    ContactForm,
    DiagnosisForm,
    EligibilityForm,
    ProviderForm,
)
from .case_matching import case_proposals, engagement_page_url, matching_page_url
from .case_tasks import FORM_TASKS, case_task_list, current_engagement
from .case_views import _posted, _write
from .models import SupportCase


def _eligibility(request, case, data):
    services.case_eligibility_confirm(
        case=case, by=request.user, eligible=data["eligible"], note=data["note"]
    )
    return "Eligibility recorded"


def _contact(request, case, data):
    services.case_contact_record(case=case, by=request.user, note=data["note"])
    return "Contact recorded"


def _diagnosis(request, case, data):
    services.case_diagnose(case=case, by=request.user, decision=data["decision"], note=data["note"])
    return "Initial diagnosis recorded"


def _provider(request, case, data, proposals):
    chosen = data.get("other")
    if not chosen:
        chosen = next(p for p, _ in proposals.ranked if str(p.pk) == data["provider"])
    services.case_provider_choose(
        case=case,
        by=request.user,
        provider=chosen,
        proposed_ids=[p.pk for p, _ in proposals.ranked],
        outside_reason=data.get("reason") or "",
    )
    return f"{chosen.name} chosen: a proposed engagement was created"


def _checks(request, case, data):
    services.case_checks_complete(case=case, by=request.user, **data)
    return "Checks recorded"


def _commission(request, case, data):
    services.case_commission(
        case=case, by=request.user, decision_reference=data["decision_reference"]
    )
    return "Support commissioned. The head, the provider and the alliance chair have been told."


FORMS = {
    "eligibility": (EligibilityForm, _eligibility),
    "contact": (ContactForm, _contact),
    "diagnosis": (DiagnosisForm, _diagnosis),
    "checks": (ChecksForm, _checks),
    "commission": (CommissionForm, _commission),
}


def _form(request, case: SupportCase, key: str):
    if key == "provider":
        proposals = case_proposals(case)
        outside = request.user.has_perm("brokerage.choose_outside_list", case)
        form = ProviderForm(_posted(request), proposals=proposals.choices, outside_allowed=outside)
        form.proposals = proposals
        return form, lambda data: _provider(request, case, data, proposals)
    form_class, write = FORMS[key]
    return form_class(_posted(request)), lambda data: write(request, case, data)


@requires("brokerage.view_cases")
def case_task(request: HttpRequest, pk: int, task: str) -> HttpResponse:
    """The form of one task of the case's task list."""
    if task not in FORM_TASKS:
        raise Http404("No such task")
    case = selectors.case_get(user=request.user, pk=pk)
    engagement = current_engagement(case)
    if task == "commission" and engagement is not None:
        # the same permission as the engagement page's "Commission support" (one path)
        require(request.user, "brokerage.commission_engagement", engagement)
    else:
        require(request.user, "brokerage.work_case", case)
    current = {t.key: t for t in case_task_list(case)}[task]
    form, write = _form(request, case, task) if current.can_start and case.is_open else (None, None)
    if form is not None and request.method == "POST" and _write(request, form, write):
        return redirect("brokerage:case-detail", case.pk)
    context = {
        "case": case,
        "task": current,
        "form": form,
        "engagement": engagement,
        "engagement_url": engagement_page_url(engagement),
        "matching_url": matching_page_url(case) if task == "provider" else None,
        "proposals": getattr(form, "proposals", None),
        "limit": pounds(services.commission_limit()),
    }
    return render(request, "brokerage/cases/task.html", context)
