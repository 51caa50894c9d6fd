"""Matching: which providers could support a school, ranked, with the reason for each rank and
the providers left out with the reason for each.

The one entry point, stable for the support case's "choose the provider" step::

    providers_match(*, school, expertise_ids, phase=None, concern_is_trust=False, limit=10,
                    today=None) -> Matching

- ``school``: the ``schools.School`` needing support; ``expertise_ids``: ids of the areas of
  need (``Expertise``); ``phase``: the phase to match (the school's own when None);
  ``concern_is_trust``: leave out providers in the school's trust; ``limit``: how many ranked
  matches to return; ``today``: the day whose term counts capacity (today when None).
- ``Matching.matches``: at most ``limit`` ``Match`` objects, best first, each with
  ``provider_id``, ``name``, ``kind`` (a ``ProviderKind`` value), ``score`` (0 to 100),
  ``reasons`` (sentences, one per factor), ``covered`` (the areas it covers), ``spare_days``
  and ``distance_km`` (None when unknown).
- ``Matching.excluded``: every provider offering one of the areas that was left out, as
  ``Excluded(provider_id, name, reason)``, by name; ``Matching.considered`` counts both.

Only providers offering at least one of the areas are considered (all of them when no area is
given). Left out, with the first reason that applies: the school itself; an inactive entry; a
declared conflict of interest with the school; a provider whose own school is in a focused-
support category (a support band) in the current agreed categorisation; a provider of the
school's trust when the concern is the trust; no capacity left this term.

The rest are scored out of 100: expertise fit (40), phase (15), spare capacity this term (15),
distance between the schools' grid references (15), track record of impact decisions (10),
outside the school's own cluster (5). It reads everything in nine set-based queries and scores
in memory, so it answers in milliseconds for a national directory (``bench/matching.py``).
The caller checks ``brokerage.match_providers`` for the school: the reasons name schools in
focused support.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Sum
from django.utils import timezone

from categorisation.models import Result
from categorisation.runs import run_current_agreed
from schools.extensions import placement
from schools.models import Phase, School

from .models import ConflictDeclaration, Engagement, Expertise, Provider, ProviderKind
from .provider_selectors import BUSY_STATES, GOOD_DECISIONS
from .terms import Term, term_of

WEIGHTS = {"expertise": 40, "phase": 15, "capacity": 15, "distance": 15, "record": 10, "cluster": 5}
FULL_CAPACITY_DAYS = 10  # spare days at which capacity scores in full
FAR_KM = 60  # distance at which nearness scores nothing
ROW = (
    "pk",
    "name",
    "kind",
    "active",
    "school_id",
    "trust_id",
    "school__trust_id",
    "school__easting",
    "school__northing",
    "capacity_days_per_term",
    "phases",
)


@dataclass
class Match:
    provider_id: int
    name: str
    kind: str
    score: int
    reasons: list[str]
    covered: list[str]
    spare_days: Decimal
    distance_km: float | None

    @property
    def kind_label(self) -> str:
        return ProviderKind(self.kind).label


@dataclass
class Excluded:
    provider_id: int
    name: str
    reason: str


@dataclass
class Matching:
    matches: list[Match] = field(default_factory=list)
    excluded: list[Excluded] = field(default_factory=list)
    considered: int = 0
    term: Term | None = None


@dataclass
class _Facts:
    """What the queries found, keyed by provider id (or school id)."""

    school: School
    cluster_school_ids: set[int]
    areas: dict[int, str]
    covers: dict[int, set[int]]
    used: dict[int, Decimal]
    record: dict[int, Counter]
    conflicts: dict[int, str]
    focused_school_ids: set[int]
    phase: str
    concern_is_trust: bool
    term: Term


def _candidates(expertise_ids: list[int]) -> list[tuple]:
    providers = Provider.objects.all()
    if expertise_ids:
        offers = Provider.expertise.through.objects.filter(
            provider_id=OuterRef("pk"), expertise_id__in=expertise_ids
        )
        providers = providers.filter(Exists(offers))
    return list(providers.order_by().values_list(*ROW))


def _cluster_school_ids(school: School) -> set[int]:
    """The schools in the school's own cluster now, through the register's placement port."""
    port = placement()
    placed = port.annotate(School.objects.filter(pk=school.pk)).values("current_cluster_id").first()
    cluster_id = placed["current_cluster_id"] if placed else None
    if cluster_id is None:
        return set()
    return set(School.objects.filter(port.in_cluster(cluster_id)).values_list("pk", flat=True))


def _focused_school_ids() -> set[int]:
    run = run_current_agreed()
    if run is None:
        return set()
    offering = Provider.objects.filter(school__isnull=False).values("school_id")
    results = Result.objects.filter(run=run, school_id__in=offering).exclude(support_band="")
    return set(results.values_list("school_id", flat=True))


def _facts(*, school, expertise_ids, phase, concern_is_trust, term) -> _Facts:
    covers: dict[int, set[int]] = defaultdict(set)
    pairs = Provider.expertise.through.objects.filter(expertise_id__in=expertise_ids)
    for provider_id, expertise_id in pairs.values_list("provider_id", "expertise_id"):
        covers[provider_id].add(expertise_id)
    busy = Engagement.objects.filter(
        state__in=BUSY_STATES,
        case__opened_at__date__gte=term.starts_on,
        case__opened_at__date__lte=term.ends_on,
    )
    used = busy.order_by().values("provider_id").annotate(days=Sum("days"))
    decided = Engagement.objects.exclude(impact_decision="").order_by()
    record: dict[int, Counter] = defaultdict(Counter)
    for provider_id, decision, number in decided.values_list(
        "provider_id", "impact_decision"
    ).annotate(n=Count("pk")):
        record[provider_id][decision] += number
    conflicts = ConflictDeclaration.objects.filter(school=school)
    return _Facts(
        school=school,
        cluster_school_ids=_cluster_school_ids(school),
        areas=dict(Expertise.objects.filter(pk__in=expertise_ids).values_list("pk", "name")),
        covers=covers,
        used={row["provider_id"]: row["days"] for row in used},
        record=record,
        conflicts=dict(conflicts.values_list("provider_id", "reason")),
        focused_school_ids=_focused_school_ids(),
        phase=phase or school.phase,
        concern_is_trust=concern_is_trust,
        term=term,
    )


def _exclusion(row: tuple, facts: _Facts, spare: Decimal) -> str | None:
    pk, _, _, active, school_id, trust_id, school_trust_id = row[:7]
    school = facts.school
    if school_id is not None and school_id == school.pk:
        return "This is the school itself"
    if not active:
        return "Not active in the directory"
    if pk in facts.conflicts:
        return f"Declared conflict of interest with this school: {facts.conflicts[pk]}"
    if school_id in facts.focused_school_ids:
        return "Its own school is in focused support in the agreed categorisation"
    trusts = {trust_id, school_trust_id} - {None}
    if facts.concern_is_trust and school.trust_id and school.trust_id in trusts:
        return "In the school's own trust, and the concern is the trust"
    if spare <= 0:
        capacity = row[9]
        return f"No capacity left this {facts.term.name.lower()} term ({capacity} days a term)"
    return None


def _expertise_part(pk: int, facts: _Facts) -> tuple[float, str, list[str]]:
    if not facts.areas:
        return 1.0, "No areas of need given", []
    covered = sorted(facts.areas[e] for e in facts.covers.get(pk, ()) if e in facts.areas)
    share = len(covered) / len(facts.areas)
    reason = f"Covers {len(covered)} of {len(facts.areas)} areas: {', '.join(covered)}"
    return share, reason, covered


def _phase_part(phases: list, facts: _Facts) -> tuple[float, str]:
    label = Phase(facts.phase).label.lower() if facts.phase in Phase.values else facts.phase
    if facts.phase in phases or Phase.ALL_THROUGH in phases:
        return 1.0, f"Works with {label} schools"
    if not phases:
        return 0.3, "Has not said which phases it works with"
    return 0.0, f"Does not work with {label} schools"


def _capacity_part(spare: Decimal, capacity: int, facts: _Facts) -> tuple[float, str]:
    share = min(float(spare), FULL_CAPACITY_DAYS) / FULL_CAPACITY_DAYS
    term = facts.term.name.lower()
    return share, f"{Decimal(spare).normalize():f} of {capacity} days free this {term} term"


def _record_part(pk: int, facts: _Facts) -> tuple[float, str]:
    counts = facts.record.get(pk)
    if not counts:
        return 0.5, "No impact decisions yet"
    good = sum(counts[d] for d in GOOD_DECISIONS)
    total = sum(counts.values())
    return good / total, (
        f"Track record: {good} of {total} engagements completed, continued or extended, "
        f"{counts['stop']} stopped"
    )


def _distance_km(row: tuple, school: School) -> float | None:
    easting, northing = row[7], row[8]
    if None in (easting, northing, school.easting, school.northing):
        return None
    return math.hypot(easting - school.easting, northing - school.northing) / 1000


def _distance_part(km: float | None) -> tuple[float, str]:
    if km is None:
        return 0.3, "Distance unknown (no school location)"
    return max(0.0, 1 - km / FAR_KM), f"{km:.1f} km away"


def _cluster_part(school_id: int | None, facts: _Facts) -> tuple[float, str]:
    if school_id is not None and school_id in facts.cluster_school_ids:
        return 0.0, "In the school's own cluster"
    return 1.0, "Outside the school's own cluster"


def _match(row: tuple, facts: _Facts, spare: Decimal) -> Match:
    pk, name, kind, school_id = row[0], row[1], row[2], row[4]
    expertise, expertise_reason, covered = _expertise_part(pk, facts)
    km = _distance_km(row, facts.school)
    parts = {
        "expertise": (expertise, expertise_reason),
        "phase": _phase_part(row[10] or [], facts),
        "capacity": _capacity_part(spare, row[9], facts),
        "distance": _distance_part(km),
        "record": _record_part(pk, facts),
        "cluster": _cluster_part(school_id, facts),
    }
    score = round(sum(WEIGHTS[key] * share for key, (share, _) in parts.items()))
    reasons = [reason for _, reason in parts.values()]
    return Match(pk, name, kind, score, reasons, covered, spare, km)


def providers_match(
    *,
    school: School,
    expertise_ids,
    phase: str | None = None,
    concern_is_trust: bool = False,
    limit: int = 10,
    today: date | None = None,
) -> Matching:
    """The providers that could support the school, best first with the reasons for each rank,
    and those left out with the reason (see the module's docstring)."""
    expertise_ids = sorted({int(pk) for pk in expertise_ids or ()})
    term = term_of(today or timezone.localdate())
    facts = _facts(
        school=school,
        expertise_ids=expertise_ids,
        phase=phase,
        concern_is_trust=concern_is_trust,
        term=term,
    )
    result = Matching(term=term)
    ranked = []
    for row in _candidates(expertise_ids):
        result.considered += 1
        spare = Decimal(row[9]) - facts.used.get(row[0], Decimal(0))
        reason = _exclusion(row, facts, spare)
        if reason:
            result.excluded.append(Excluded(row[0], row[1], reason))
        else:
            ranked.append(_match(row, facts, spare))
    ranked.sort(key=lambda m: (-m.score, m.distance_km is None, m.distance_km or 0, m.name))
    result.matches = ranked[:limit]
    result.excluded.sort(key=lambda e: (e.name, e.provider_id))
    return result
