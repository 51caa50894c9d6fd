"""The providers proposed for a case: the providers' matching (``brokerage.matching``) for the
case's school, its areas of need and the school's phase, ranked with the reasons, and the
providers it left out with the reason for each."""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlencode

from kernel.audit import url_or_none

from .matching import Excluded, Match, providers_match
from .models import Provider, SupportCase

LIMIT = 10


@dataclass
class Proposals:
    """The ranked providers (each with its ``Match``: score and reasons) and those left out."""

    ranked: list[tuple[Provider, Match]] = field(default_factory=list)
    excluded: list[Excluded] = field(default_factory=list)

    @property
    def choices(self) -> list[tuple[Provider, str]]:
        return [(p, f"{p.name} ({m.score} out of 100)") for p, m in self.ranked]


def case_proposals(case: SupportCase) -> Proposals:
    """The providers proposed for the case, best first, with the reasons, and those left out."""
    result = providers_match(
        school=case.school,
        expertise_ids=[area.pk for area in case.areas_of_need.all()],
        phase=case.school.phase or None,
        concern_is_trust=False,
        limit=LIMIT,
    )
    providers = Provider.objects.in_bulk([m.provider_id for m in result.matches])
    ranked = [(providers[m.provider_id], m) for m in result.matches if m.provider_id in providers]
    return Proposals(ranked=ranked, excluded=result.excluded)


def matching_page_url(case: SupportCase) -> str | None:
    """The providers' matching page for the case's school and areas of need."""
    url = url_or_none("brokerage:provider-match")
    if url is None:
        return None
    query = [("school", case.school.urn)]
    query += [("expertise", area.pk) for area in case.areas_of_need.all()]
    return f"{url}?{urlencode(query)}"


def engagement_page_url(engagement) -> str | None:
    """The engagement's own page (objectives, reviews, impact), if it is installed."""
    if engagement is None:
        return None
    return url_or_none("brokerage:engagement-detail", engagement.pk)
