"""The statutory route for a school causing concern: who may act, and how.

Policy, with its sources:

* A **maintained school**: the local authority's own powers of intervention, starting with a
  warning notice. Education and Inspections Act 2006, sections 60 to 66; DfE, *Schools causing
  concern* (statutory guidance for local authorities), part 2: "Warning notices".
* An **academy** (including free schools): the local authority has no such powers; it raises its
  concern with DfE's regional director, who acts for the Secretary of State under the academy's
  funding agreement. Academies Act 2010, section 2A; DfE, *Schools causing concern*, part 3:
  "Intervention in academies".
"""

from __future__ import annotations

from dataclasses import dataclass

from .models import StatutoryRoute


@dataclass(frozen=True)
class Route:
    """The statutory route for one kind of school, as the case page explains it."""

    route: StatutoryRoute
    title: str
    who_acts: str
    explanation: str
    source: str


WARNING_NOTICE = Route(
    route=StatutoryRoute.WARNING_NOTICE,
    title="The local authority's warning notice",
    who_acts="The local authority",
    explanation=(
        "This is a maintained school. If standards are unacceptably low, the local authority "
        "can give the governing body a warning notice, and then use its powers of intervention "
        "if the school does not comply."
    ),
    source="Education and Inspections Act 2006, sections 60 to 66; DfE, Schools causing "
    "concern, part 2",
)
DFE_REFERRAL = Route(
    route=StatutoryRoute.DFE_REFERRAL,
    title="A referral to DfE's regional director",
    who_acts="DfE's regional director, for the Secretary of State",
    explanation=(
        "This is an academy. The local authority cannot give it a warning notice: it refers its "
        "concern to DfE's regional director, who can act under the academy's funding agreement."
    ),
    source="Academies Act 2010, section 2A; DfE, Schools causing concern, part 3",
)


def statutory_route_for(school) -> Route:
    """The route that applies to the school: DfE's regional director for an academy or free
    school, the LA's warning notice for every maintained school."""
    return DFE_REFERRAL if school.is_academy else WARNING_NOTICE
