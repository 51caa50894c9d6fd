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
outside the school's own cluster (5). It reads everything in eight set-based queries and scores
in memory, so it answers in milliseconds for a national directory (``bench/matching.py``).
The caller checks ``brokerage.match_providers`` for the school: the reasons name schools in
focused support.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db.models import (
    Case,
    Count,
    Exists,
    FloatField,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.utils import timezone

from categorisation.models import Result
from categorisation.selectors import run_agreed_list
from schools.extensions import placement
from schools.models import Phase, School

from .models import ConflictDeclaration, Engagement, Expertise, Provider, ProviderKind
from .provider_selectors import BUSY_STATES, GOOD_DECISIONS
from .terms import Term, term_of

WEIGHTS = {"expertise": 40, "phase": 15, "capacity": 15, "distance": 15, "record": 10, "cluster": 5}
W_EXPERTISE, W_PHASE, W_CAPACITY, W_DISTANCE, W_RECORD, W_CLUSTER = WEIGHTS.values()
# The share of a factor that cannot be judged: a little, below any real fit.
UNKNOWN_PHASE, UNKNOWN_DISTANCE, NO_RECORD = 0.3, 0.3, 0.5
# Plain strings, computed once: an enum's ``values`` and ``choices`` are rebuilt on each access,
# which cost more than all the scoring of 5,000 providers.
PHASE_LABELS = {value: str(label).lower() for value, label in Phase.choices}
ALL_THROUGH = Phase.ALL_THROUGH.value
GOOD = tuple(str(decision.value) for decision in GOOD_DECISIONS)
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
    "phase_fit",
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
    record: dict[int, tuple[int, int, int]]  # good, decided, stopped
    conflicts: dict[int, str]
    focused_school_ids: set[int]
    phase: str
    concern_is_trust: bool
    term: Term


def _phase_fit(phase: str) -> Case:
    """1 when the provider works with the phase (or all-through), 0.3 when it has not said,
    else 0: computed by the database from the JSON list's text ('"primary"'), the same on
    PostgreSQL and SQLite, so no row's list is decoded."""
    works = Q(phases__icontains=f'"{phase}"') | Q(phases__icontains=f'"{ALL_THROUGH}"')
    return Case(
        When(works, then=Value(1.0)),
        When(~Q(phases__icontains='"'), then=Value(UNKNOWN_PHASE)),
        default=Value(0.0),
        output_field=FloatField(),
    )


def _candidates(expertise_ids: list[int], phase: str) -> list[tuple]:
    providers = Provider.objects.annotate(phase_fit=_phase_fit(phase))
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
    """The providers' schools with a support band in the current agreed categorisation (the
    run ``run_current_agreed`` returns, chosen inside the query)."""
    current = Subquery(run_agreed_list().values("pk")[:1])
    offering = Provider.objects.filter(school__isnull=False).values("school_id")
    results = Result.objects.filter(run_id=current, school_id__in=offering)
    return set(results.exclude(support_band="").values_list("school_id", flat=True))


def _engagement_figures(term: Term) -> tuple[dict, dict]:
    """Each provider's days used this term, and its track record (good, decided, stopped),
    from one GROUP BY over the engagements."""
    # A range of aware datetimes rather than ``__date``: no time zone conversion of each row.
    starts = timezone.make_aware(datetime.combine(term.starts_on, time.min))
    ends = timezone.make_aware(datetime.combine(term.ends_on + timedelta(days=1), time.min))
    busy = Q(state__in=BUSY_STATES, case__opened_at__gte=starts, case__opened_at__lt=ends)
    rows = (
        Engagement.objects.order_by()
        .values("provider_id")
        .annotate(
            days=Sum("days", filter=busy),
            good=Count("pk", filter=Q(impact_decision__in=GOOD)),
            stop=Count("pk", filter=Q(impact_decision="stop")),
            decided=Count("pk", filter=~Q(impact_decision="")),
        )
        .filter(Q(days__isnull=False) | Q(decided__gt=0))
        .values_list("provider_id", "days", "good", "decided", "stop")
    )
    used, record = {}, {}
    for provider_id, days, good, decided, stop in rows:
        if days is not None:
            used[provider_id] = days
        if decided:
            record[provider_id] = (good, decided, stop)
    return used, record


def _facts(*, school, expertise_ids, phase, concern_is_trust, term) -> _Facts:
    covers: dict[int, set[int]] = defaultdict(set)
    pairs = Provider.expertise.through.objects.filter(expertise_id__in=expertise_ids)
    for provider_id, expertise_id in pairs.values_list("provider_id", "expertise_id"):
        covers[provider_id].add(expertise_id)
    used, record = _engagement_figures(term)
    conflicts = ConflictDeclaration.objects.filter(school=school)
    return _Facts(
        school=school,
        cluster_school_ids=_cluster_school_ids(school),
        areas=dict(Expertise.objects.filter(pk__in=expertise_ids).values_list("pk", "name")),
        covers=covers,
        used=used,
        record=record,
        conflicts=dict(conflicts.values_list("provider_id", "reason")),
        focused_school_ids=_focused_school_ids(),
        phase=str(phase or school.phase),
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
    same_trust = school.trust_id is not None and school.trust_id in (trust_id, school_trust_id)
    if facts.concern_is_trust and same_trust:
        return "In the school's own trust, and the concern is the trust"
    if spare <= 0:
        capacity = row[9]
        return f"No capacity left this {facts.term.name.lower()} term ({capacity} days a term)"
    return None


def _score(row: tuple, facts: _Facts, spare: Decimal, km: float | None) -> float:
    """The provider's score out of 100: the one place the shares of each factor are set.

    Plain arithmetic, no objects: it runs for every provider considered."""
    covers = facts.covers.get(row[0], ())
    record = facts.record.get(row[0])
    return (
        W_EXPERTISE * (len(covers) / len(facts.areas) if facts.areas else 1.0)
        + W_PHASE * row[10]
        + W_CAPACITY * min(float(spare), FULL_CAPACITY_DAYS) / FULL_CAPACITY_DAYS
        + W_DISTANCE * (UNKNOWN_DISTANCE if km is None else max(0.0, 1 - km / FAR_KM))
        + W_RECORD * (record[0] / record[1] if record else NO_RECORD)
        + W_CLUSTER * (row[4] not in facts.cluster_school_ids)
    )


def _distance_km(row: tuple, school: School) -> float | None:
    easting, northing = row[7], row[8]
    if None in (easting, northing, school.easting, school.northing):
        return None
    return math.hypot(easting - school.easting, northing - school.northing) / 1000


def _covered(pk: int, facts: _Facts) -> list[str]:
    return sorted(facts.areas[e] for e in facts.covers.get(pk, ()) if e in facts.areas)


def _phase_words(fit: float, facts: _Facts) -> str:
    label = PHASE_LABELS.get(facts.phase, facts.phase)
    if fit == 1:
        return f"Works with {label} schools"
    return (
        "Has not said which phases it works with" if fit else f"Does not work with {label} schools"
    )


def _record_words(record: tuple[int, int, int] | None) -> str:
    if not record:
        return "No impact decisions yet"
    good, decided, stopped = record
    return (
        f"Track record: {good} of {decided} engagements completed, continued or extended, "
        f"{stopped} stopped"
    )


def _reasons(match: Match, row: tuple, facts: _Facts) -> list[str]:
    """The reasons for the rank, one per factor, in the order of ``WEIGHTS``."""
    term = facts.term.name.lower()
    if not facts.areas:
        expertise = "No areas of need given"
    elif len(facts.areas) == 1:
        expertise = f"Covers the area of need: {', '.join(match.covered)}"
    else:
        covered = f"{len(match.covered)} of {len(facts.areas)} areas"
        expertise = f"Covers {covered}: {', '.join(match.covered)}"
    spare = f"{Decimal(match.spare_days).normalize():f}"
    distance = (
        "Distance unknown (no school location)"
        if match.distance_km is None
        else f"{match.distance_km:.1f} km away"
    )
    in_cluster = row[4] in facts.cluster_school_ids
    return [
        expertise,
        _phase_words(row[10], facts),
        f"{spare} of {row[9]} days free this {term} term",
        distance,
        _record_words(facts.record.get(row[0])),
        "In the school's own cluster" if in_cluster else "Outside the school's own cluster",
    ]


def _match(row: tuple, facts: _Facts, score: float, spare: Decimal, km: float | None) -> Match:
    """A returned match, with its words."""
    match = Match(row[0], row[1], row[2], round(score), [], _covered(row[0], facts), spare, km)
    match.reasons = _reasons(match, row, facts)
    return match


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
    for row in _candidates(expertise_ids, facts.phase):
        result.considered += 1
        spare = row[9] - facts.used.get(row[0], 0)
        reason = _exclusion(row, facts, spare)
        if reason:
            result.excluded.append(Excluded(row[0], row[1], reason))
            continue
        km = _distance_km(row, school)
        ranked.append((-_score(row, facts, spare, km), km is None, km or 0, row[1], row, spare, km))
    ranked.sort(key=lambda entry: entry[:4])
    result.matches = [
        _match(row, facts, -negative, spare, km)
        for negative, _, _, _, row, spare, km in ranked[:limit]
    ]
    result.excluded.sort(key=lambda e: (e.name, e.provider_id))
    return result
