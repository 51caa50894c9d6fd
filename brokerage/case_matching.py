"""The providers proposed for a case, read through the providers' matching
(``brokerage.matching.providers_match``) when it is installed; otherwise every active provider
of the directory, unranked."""

from __future__ import annotations

from kernel.audit import url_or_none

from .models import Provider, SupportCase

try:
    from .matching import providers_match
except ImportError:  # the matching arrives with the providers' directory
    providers_match = None

LIMIT = 10


def case_proposals(case: SupportCase) -> list[tuple[Provider, str]]:
    """The providers proposed for the case, best first, each with the reasons for its rank."""
    if providers_match is None:
        providers = Provider.objects.filter(active=True).order_by("name")[:50]
        return [(provider, provider.name) for provider in providers]
    result = providers_match(
        school=case.school,
        expertise_ids=[area.pk for area in case.areas_of_need.all()],
        phase=case.school.phase,
        concern_is_trust=False,
        limit=LIMIT,
    )
    proposals = []
    for match in getattr(result, "matches", result):
        provider = getattr(match, "provider", match)
        reasons = getattr(match, "reasons", ())
        text = "; ".join(str(reason) for reason in reasons)
        proposals.append((provider, f"{provider.name}: {text}" if text else provider.name))
    return proposals


def matching_page_url(case: SupportCase) -> str | None:
    """The providers' matching page for this case, if it is installed."""
    url = url_or_none("brokerage:provider-match")
    return f"{url}?case={case.pk}&school={case.school.urn}" if url else None


def engagement_page_url(engagement) -> str | None:
    """The engagement's own page (objectives, reviews, impact), if it is installed."""
    if engagement is None:
        return None
    return url_or_none("brokerage:engagement-detail", engagement.pk)
