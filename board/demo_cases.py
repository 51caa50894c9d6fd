"""Demo support cases: after the demo's agreed run has opened a case for each focused-support
school, move some of them along the task list through the real services, and add one head's
request, so each role sees cases at every step. Safe to run again: it does nothing once any
demo case has moved."""

from __future__ import annotations

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Case, When
from django.utils import timezone

from board.demo_engagements import agree_terms
from brokerage import case_services as services
from brokerage.engagement_services import progress_note_create
from brokerage.models import Diagnosis, Expertise, Provider, SupportCase
from partnership.models import Role, RoleAssignment, User

DEMO_ALLIANCE = "North Hampshire Alliance"  # the demo alliance chair's (board/demo_data.py)
DEMO_EXPERTISE = ("Leadership", "KS2 reading", "KS2 maths", "Writing", "Attendance", "SEND")
# How far along the task list each demo case goes, and how many days ago it was requested.
PLAN = [
    (None, 5),
    ("eligibility", 9),
    ("contact", 14),
    ("diagnosis", 21),
    ("provider", 26),
    ("checks", 33),
    ("terms", 38),
    ("commission", 45),
    ("commission", 60),
    ("review", 24),
    ("pause", 50),
]
STEPS = ("eligibility", "contact", "diagnosis", "provider", "checks", "terms", "commission")


def _providers() -> list[Provider]:
    """The directory's providers; two minimal ones if the directory is still empty."""
    providers = list(Provider.objects.filter(active=True).order_by("pk")[:5])
    if providers:
        return providers
    return [
        Provider.objects.create(name="Test Valley Teaching School Hub", kind="teaching_school_hub"),
        Provider.objects.create(name="Hampshire LA adviser team", kind="la_adviser"),
    ]


def _step(case: SupportCase, step: str, by, provider: Provider) -> None:
    case.refresh_from_db()
    if step == "eligibility":
        services.case_eligibility_confirm(case=case, by=by, eligible=True)
    elif step == "contact":
        services.case_contact_record(
            case=case, by=by, note="Met the headteacher and the chair of governors."
        )
    elif step == "diagnosis":
        services.case_diagnose(
            case=case, by=by, decision=Diagnosis.MATCH, note="Reading in KS2 is the priority."
        )
    elif step == "provider":
        services.case_provider_choose(case=case, by=by, provider=provider)
    elif step == "checks":
        services.case_checks_complete(
            case=case, by=by, conflict_checked=True, due_diligence_checked=True
        )
    elif step == "terms":  # on the engagement's page: days, cost, objectives
        agree_terms(case.engagements.get(), by)
    elif step == "commission":
        engagement = services.case_commission(case=case, by=by)
        progress_note_create(  # the provider's first visit, which the case's time to support reads
            engagement=engagement,
            note="First visit: met the headteacher and the English lead.",
            visited_on=timezone.localdate() - timedelta(days=3),
            by=engagement.provider.person or by,
        )


def _move(case: SupportCase, until: str | None, by, provider: Provider) -> None:
    if until is None:
        return
    if until == "review":
        for step in STEPS[:2]:
            _step(case, step, by, provider)
        services.case_diagnose(
            case=case, by=by, decision=Diagnosis.REVIEW, note="New leadership: review at Easter."
        )
        return
    if until == "pause":
        _step(case, "eligibility", by, provider)
        services.case_state_change(
            case=case, by=by, action="pause", reason="The school is being inspected this month."
        )
        return
    for step in STEPS[: STEPS.index(until) + 1]:
        try:
            _step(case, step, by, provider)
        except ValidationError:  # e.g. the fund has no allocation for the alliance yet
            return


STEP_DATES = (
    ("eligibility_confirmed_at", 0.1),
    ("contacted_at", 0.2),
    ("diagnosed_at", 0.35),
    ("matched_at", 0.5),
    ("checks_completed_at", 0.6),
    ("commissioned_at", 0.75),
)


def _spread(case_id: int, age: int) -> None:
    """Spread the steps done at once over the days since the demo request, so that time to
    support shows plausible figures (demo data only)."""
    case = SupportCase.objects.get(pk=case_id)
    changes = {
        field: case.requested_at + timedelta(days=round(age * share))
        for field, share in STEP_DATES
        if getattr(case, field)
    }
    if case.first_visit_on and case.commissioned_at:
        visit = (case.requested_at + timedelta(days=round(age * 0.85))).date()
        changes["first_visit_on"] = min(visit, timezone.localdate())
    SupportCase.objects.filter(pk=case_id).update(**changes)


def _head_request(areas: list[Expertise]) -> None:
    head = User.objects.filter(email="head@example.org").first()
    assignment = RoleAssignment.objects.current().filter(user=head, role=Role.HEADTEACHER).first()
    if assignment is None or SupportCase.objects.live().filter(school=assignment.school).exists():
        return
    services.case_open(
        school=assignment.school,
        origin=SupportCase.Origin.REQUEST,
        by=head,
        description="Our writing results fell for two years; we would like help from a school "
        "that has turned writing round.",
        areas_of_need=[a for a in areas if a.name in ("Writing", "Leadership")],
        urgency="soon",
        requested_at=timezone.now() - timedelta(days=3),
    )


def demo_cases_load() -> int:
    """Move the demo's categorisation cases along the task list and add a head's request;
    returns how many cases were moved (0 when the demo already has them)."""
    if SupportCase.objects.exclude(eligibility_confirmed_at=None).exists():
        return 0
    officer = User.objects.get(email="officer@example.org")
    areas = [Expertise.objects.get_or_create(name=name)[0] for name in DEMO_EXPERTISE]
    providers = _providers()
    cases = list(
        SupportCase.objects.live()
        .filter(origin=SupportCase.Origin.CATEGORISATION)
        .annotate(elsewhere=Case(When(alliance__name=DEMO_ALLIANCE, then=0), default=1))
        .order_by("elsewhere", "alliance__name", "school__name")[: len(PLAN)]
    )
    now = timezone.now()
    for index, (case, (until, age)) in enumerate(zip(cases, PLAN, strict=False)):
        with transaction.atomic():
            SupportCase.objects.filter(pk=case.pk).update(requested_at=now - timedelta(days=age))
            case.areas_of_need.set(areas[index % 3 : index % 3 + 2])
            _move(case, until, officer, providers[index % len(providers)])
            _spread(case.pk, age)
    _head_request(areas)
    return len(cases)
