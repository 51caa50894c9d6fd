"""Fixtures and builders shared by the support case tests (imported by each test module, so
that they do not clash with the other brokerage tests' conftest)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from brokerage import case_services as services
from brokerage.engagement_services import objective_create
from brokerage.engagements import engagement_terms_update
from brokerage.models import Diagnosis, Engagement, Expertise, Provider, SupportCase
from partnership.models import Role
from tests.factories import RoleAssignmentFactory, UserFactory

# The order of the task list, and what each step's service needs.
STEP_ORDER = ("eligibility", "contact", "diagnosis", "provider", "checks", "terms", "commission")


def provider_create(name: str = "Hill Teaching School Hub", person=None) -> Provider:
    return Provider.objects.create(name=name, kind="teaching_school_hub", person=person)


def case_open(school, by, **options) -> SupportCase:
    options.setdefault("origin", SupportCase.Origin.ADVISER)
    return services.case_open(school=school, by=by, description="Reading at KS2", **options)


def do_step(case: SupportCase, step: str, by, provider: Provider | None = None, **options):
    """Record one task of the case through its service, with answers that complete it."""
    case.refresh_from_db()
    if step == "eligibility":
        return services.case_eligibility_confirm(case=case, by=by, eligible=True)
    if step == "contact":
        return services.case_contact_record(case=case, by=by, note="Spoke to the head")
    if step == "diagnosis":
        decision = options.get("decision", Diagnosis.MATCH)
        return services.case_diagnose(case=case, by=by, decision=decision, note="Reading")
    if step == "provider":
        provider = provider or Provider.objects.first() or provider_create()
        return services.case_provider_choose(case=case, by=by, provider=provider)
    if step == "checks":
        return services.case_checks_complete(
            case=case, by=by, conflict_checked=True, due_diligence_checked=True
        )
    if step == "terms":  # the engagement's page: days and cost, and an objective
        engagement = case.engagements.get()
        cost = options.get("cost", Decimal("4500.00"))
        engagement_terms_update(
            engagement=engagement, days=Decimal("6"), cost=cost, review_every_weeks=6, by=by
        )
        objective_create(
            engagement=engagement,
            description="Improve KS2 reading",
            impact_measure="Reading attainment",
            by=by,
        )
        return engagement
    if step == "commission":
        reference = options.get("decision_reference", "")
        return services.case_commission(case=case, by=by, decision_reference=reference)
    raise AssertionError(step)


def advance(case: SupportCase, until: str, by, **options) -> SupportCase:
    """Do every step of the task list up to and including ``until``."""
    for step in STEP_ORDER[: STEP_ORDER.index(until) + 1]:
        do_step(case, step, by, **options)
    case.refresh_from_db()
    return case


def backdate(case: SupportCase, days: int) -> None:
    """Make the case's request ``days`` days old."""
    SupportCase.objects.filter(pk=case.pk).update(
        requested_at=timezone.now() - timedelta(days=days)
    )


@pytest.fixture
def provider_person(world):
    """The provider persona's own directory entry: the provider user, with an entry."""
    user = UserFactory(email="provider.person@example.org")
    RoleAssignmentFactory(user=user, role=Role.PROVIDER)
    return user


@pytest.fixture
def reading(db) -> Expertise:
    return Expertise.objects.get_or_create(name="KS2 reading")[0]


def engagement_of(case: SupportCase) -> Engagement:
    return case.engagements.order_by("-pk").first()
