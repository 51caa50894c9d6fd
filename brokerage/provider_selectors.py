"""Reads of the provider directory for a viewer, scoped by ``Provider.objects.visible_to``.

A provider's capacity used this term and its track record are derived, never stored: the days
of its proposed and commissioned engagements whose case opened this term, and the count of its
engagements' impact decisions (complete, continue or extend against stop). The list annotates
both with one GROUP BY, so a page costs the same number of queries for 20 providers as for
2,000.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, DecimalField, F, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from partnership.permissions import roles_of

from .models import ConflictDeclaration, Engagement, Expertise, ImpactDecision, Provider
from .terms import Term, term_of

BUSY_STATES = (Engagement.State.PROPOSED, Engagement.State.COMMISSIONED)
GOOD_DECISIONS = (ImpactDecision.COMPLETE, ImpactDecision.CONTINUE, ImpactDecision.EXTEND)


@dataclass
class ProviderFilters:
    """What the directory is filtered by; empty values filter nothing."""

    text: str = ""
    expertise_ids: list[int] = field(default_factory=list)
    phase: str = ""
    kind: str = ""
    spare_capacity: bool = False
    include_inactive: bool = False


def _days(condition: Q):
    return Coalesce(
        Sum("engagements__days", filter=condition),
        Value(0),
        output_field=DecimalField(max_digits=7, decimal_places=1),
    )


def providers_with_figures(queryset: QuerySet, *, term: Term | None = None) -> QuerySet:
    """Each provider with ``days_used`` this term, ``spare_days`` and its track record
    (``decisions_good``, ``decisions_stop``), from one GROUP BY over its engagements."""
    term = term or term_of(timezone.localdate())
    busy = Q(
        engagements__state__in=BUSY_STATES,
        engagements__case__opened_at__date__gte=term.starts_on,
        engagements__case__opened_at__date__lte=term.ends_on,
    )
    return queryset.annotate(
        days_used=_days(busy),
        decisions_good=Count(
            "engagements", filter=Q(engagements__impact_decision__in=GOOD_DECISIONS)
        ),
        decisions_stop=Count("engagements", filter=Q(engagements__impact_decision="stop")),
    ).annotate(spare_days=F("capacity_days_per_term") - F("days_used"))


def provider_list(*, user, filters: ProviderFilters, today: date | None = None) -> QuerySet:
    """The directory entries this user may see that match the filters, by name, each with its
    figures and its areas of expertise (one more query when the page is read)."""
    providers = Provider.objects.visible_to(user)
    if not filters.include_inactive:
        providers = providers.active()
    if filters.text:
        providers = providers.filter(name__icontains=filters.text.strip())
    if filters.expertise_ids:
        providers = providers.filter(
            pk__in=Provider.expertise.through.objects.filter(
                expertise_id__in=filters.expertise_ids
            ).values("provider_id")
        )
    if filters.phase:
        # The JSON text of the list: '"primary"' matches on PostgreSQL and SQLite alike.
        providers = providers.filter(phases__icontains=f'"{filters.phase}"')
    if filters.kind:
        providers = providers.filter(kind=filters.kind)
    term = term_of(today or timezone.localdate())
    providers = providers_with_figures(providers, term=term)
    if filters.spare_capacity:
        providers = providers.filter(spare_days__gt=0)
    return (
        providers.select_related("school", "trust", "person")
        .prefetch_related("expertise")
        .order_by("name", "pk")
    )


def provider_get(*, user, pk: int) -> Provider | None:
    """One directory entry the user may see, with its figures, or None."""
    providers = Provider.objects.visible_to(user).filter(pk=pk)
    providers = providers_with_figures(providers).select_related("school", "trust", "person")
    return providers.prefetch_related("expertise").first()


def provider_conflicts(*, provider: Provider) -> list[ConflictDeclaration]:
    """The provider's declared conflicts of interest, newest first."""
    return list(provider.conflicts.select_related("school", "declared_by"))


def expertise_list() -> list[Expertise]:
    """The shared list of areas of expertise, with how many active providers offer each."""
    return list(
        Expertise.objects.annotate(
            provider_count=Count("providers", filter=Q(providers__active=True))
        ).order_by("name")
    )


def providers_kept_by(*, user) -> QuerySet:
    """The entries this user keeps: their own, and their school's offer (headteachers)."""
    school_ids = roles_of(user).school_ids
    return Provider.objects.filter(
        Q(person_id=user.pk) | Q(kind="school", school_id__in=school_ids)
    ).order_by("name")


def term_of_today() -> Term:
    """The school term today falls in."""
    return term_of(timezone.localdate())
