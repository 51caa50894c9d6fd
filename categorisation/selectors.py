"""Reads of categorisation runs and results for one viewer: runs, a run's results, one result
and a school's history; the labels and explanations pages show. (The summary of the current
agreed categorisation is in ``categorisation.summary``.)

Results are confidential, so every read of them starts from
``Result.objects.visible_to``; aggregates wrap that scoping in a ``pk IN``
subquery so that the layer's joins can never multiply a count. Every read runs a fixed number of
queries however many schools there are, none of them per result: clusters and alliances come by
joins, and a run's counts are stored with it (``categorisation.counts``) for those who see every
result, and counted in one grouped query for the others.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Exists, F, FilteredRelation, OuterRef, Q, QuerySet

from clusters.models import ClusterMembership

from .counts import run_counts_for
from .models import MissingReason, Result, RuleSet, RuleSetStatus, Run

NOT_IN_ALLIANCE = "Not in an alliance"
NOT_IN_CLUSTER = "Not in a cluster"
# The engine leaves the category empty for a school with too few indicators with data.
INSUFFICIENT_DATA = "Insufficient data"
INSUFFICIENT = "insufficient"  # the results filter's value for it
# A school with no result on one side of a comparison (new, closed, or not in that run).
NOT_CATEGORISED = "Not categorised"
TYPE_GROUPS = {False: "LA maintained", True: "Academies and free schools"}
PENDING = Result.Moderation.PENDING.value


@dataclass(frozen=True)
class Categories:
    """A rule set's categories (best first), support bands and trigger labels."""

    labels: dict[str, str]
    focused: frozenset[str]
    bands: tuple[str, ...]
    triggers: dict[str, str] = field(default_factory=dict)

    @classmethod
    def of(cls, definition: dict) -> Categories:
        categories = definition.get("categories") or []
        return cls(
            labels={str(c["code"]): c.get("label", "") for c in categories if "code" in c},
            focused=frozenset(str(c["code"]) for c in categories if c.get("focused")),
            bands=tuple(b["band"] for b in definition.get("support_bands") or [] if "band" in b),
            triggers={
                t["code"]: t.get("label") or t["code"]
                for t in definition.get("triggers") or []
                if "code" in t
            },
        )

    def label(self, code: str | None) -> str:
        if code == NOT_CATEGORISED:
            return NOT_CATEGORISED
        if not code:
            return INSUFFICIENT_DATA
        name = self.labels.get(code)
        return f"{code}: {name}" if name else code

    def rank(self, code: str | None) -> int:
        """Position from the best category: unknown codes after the rule set's, then
        insufficient data, then no result at all."""
        codes = list(self.labels)
        if code in codes:
            return codes.index(code)
        if code == NOT_CATEGORISED:
            return len(codes) + 2
        return len(codes) + (1 if not code else 0)

    def codes_of(self, codes: Iterable[str | None]) -> list[str]:
        """The rule set's codes, then any others that occur, in rank order."""
        seen = set(self.labels) | {code or "" for code in codes}
        return sorted(seen, key=lambda code: (self.rank(code), code))

    def trigger_label(self, code: str) -> str:
        return self.triggers.get(code, code) if code else ""

    def choices(self) -> list[tuple[str, str]]:
        return [(code, self.label(code)) for code in self.labels]

    def band_choices(self) -> list[tuple[str, str]]:
        return [(band, band_label(band)) for band in self.bands]


def band_label(band: str | None) -> str:
    return (band or "").capitalize()


def label_results(results: Iterable[Result], categories: Categories) -> None:
    """Give each result the labels a template shows (templates cannot call with arguments)."""
    for result in results:
        result.category_label = categories.label(result.category)
        result.computed_label = categories.label(result.computed_category)
        result.band_label = band_label(result.support_band)
        result.computed_band_label = band_label(result.computed_support_band)
        result.trigger_label = categories.trigger_label(result.trigger)


# The explanation (the engine's JSON: categorisation/engine.py _explanations) ----------------


@dataclass(frozen=True)
class IndicatorLine:
    """One indicator of an explanation, ready to show: numbers already formatted."""

    label: str
    measure: str
    years: str
    value: str
    comparator: str
    compared: str
    band: str
    points: str
    missing: str
    not_applicable: bool = False


@dataclass(frozen=True)
class Explanation:
    """A result's explanation as rows a page can show."""

    indicators: list[IndicatorLine]
    triggers: list[dict]
    notes: list[str]


def _missing_label(item: dict) -> str:
    if not item.get("missing"):
        return ""
    if item.get("reason_label"):
        return str(item["reason_label"])
    reason = item.get("reason") or MissingReason.BLANK
    return MissingReason(reason).label if reason in MissingReason.values else str(reason)


def _shown(value) -> str:
    """A number with at most two decimal places; text as given; nothing as an empty string."""
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, int | float):
        return f"{value:,.2f}".rstrip("0").rstrip(".")
    return str(value)


def _comparator(item: dict) -> str:
    """What the value was compared with: England's value, the oldest year, or the bands."""
    comparator = _shown(item.get("comparator"))
    comparison = item.get("comparison")
    if comparison == "national" and comparator:
        return f"England: {comparator}"
    if comparison == "trend" and comparator:
        return f"Oldest year: {comparator}"
    if comparison == "threshold":
        return "The bands' thresholds"
    return comparator


def _indicator(code: str, item: dict) -> IndicatorLine:
    return IndicatorLine(
        label=item.get("label") or code,
        measure=str(item.get("measure") or ""),
        years=str(item.get("years") or ""),
        value=_shown(item.get("value")),
        comparator=_comparator(item),
        compared=_shown(item.get("compared")),
        band=_shown(item.get("band")),
        points=_shown(item.get("points") or 0),
        missing=_missing_label(item),
        not_applicable=bool(item.get("not_applicable")),
    )


def explain(explanation: dict, categories: Categories) -> Explanation:
    """Indicators (value, comparator, band met, points, or why missing) and triggers fired."""
    explanation = explanation or {}
    triggers = [
        {
            "label": item.get("label") or item.get("code", ""),
            "min_category": categories.label(item["min_category"])
            if item.get("min_category")
            else "",
            "support_band": band_label(item.get("support_band")),
        }
        for item in explanation.get("triggers") or []
    ]
    notes = [str(note) for note in explanation.get("notes") or []]
    if explanation.get("category_by_score") and triggers:
        notes.append(f"By score alone: {categories.label(explanation['category_by_score'])}")
    return Explanation(
        indicators=[
            _indicator(str(item.get("code", "")), item)
            for item in explanation.get("indicators") or []
        ],
        triggers=triggers,
        notes=notes,
    )


# Shared querysets ---------------------------------------------------------------------------


def _current_membership() -> QuerySet:
    return ClusterMembership.objects.filter(
        school_id=OuterRef("school_id"), ended_on__isnull=True
    ).order_by()


def with_tiers(queryset: QuerySet) -> QuerySet:
    """Results annotated with their school's current cluster and alliance names, by joins (a
    school has at most one current membership, so they never multiply the rows)."""
    return queryset.annotate(
        current_membership=FilteredRelation(
            "school__cluster_memberships",
            condition=Q(school__cluster_memberships__ended_on__isnull=True),
        ),
        cluster_name=F("current_membership__cluster__name"),
        alliance_name=F("current_membership__cluster__alliance__name"),
    )


def results_for(*, user, queryset: QuerySet) -> QuerySet:
    """The results of ``queryset`` this user may see, safe to aggregate over: the permission
    layer's result scopes join only the run and take an alliance's schools as a subquery of
    ids, so no result is repeated (``queryset`` itself when it keeps every result)."""
    if queryset.unscoped_for(user):
        return queryset
    return queryset.visible_to(user)


def run_agreed_list() -> QuerySet:
    """Agreed official runs, the current categorisation first: the one definition of what the
    board has agreed (``runs.run_current_agreed``, the API and the summary all read it)."""
    return Run.objects.filter(
        purpose=Run.Purpose.OFFICIAL, state=Run.State.SUCCEEDED, agreed_at__isnull=False
    ).order_by("-agreed_at", "-pk")


def run_baseline(*, run: Run) -> Run | None:
    """What a run is compared with: for an agreed run, the run agreed before it; for any other,
    the current agreed categorisation."""
    agreed = run_agreed_list().exclude(pk=run.pk).select_related("rule_set")
    if run.agreed_at is not None:
        agreed = agreed.filter(agreed_at__lte=run.agreed_at)
    return agreed.first()


def rule_set_adopted() -> RuleSet | None:
    """The rule set the board has adopted (at most one), or None."""
    return RuleSet.objects.filter(status=RuleSetStatus.ADOPTED).first()


# Runs and results ---------------------------------------------------------------------------


def run_list(*, user) -> QuerySet:
    """The runs this user may see (an alliance chair no what-if runs), newest first, with what
    the runs page shows of each."""
    runs = Run.objects.all().visible_to(user)
    return runs.select_related("rule_set", "created_by", "agreed_by", "job")


def run_get(*, user, pk: int) -> Run:
    """One run this user may see, with its rule set, job and people; raises Run.DoesNotExist."""
    return run_list(user=user).get(pk=pk)


def run_result_counts(*, user, runs: list[Run]) -> dict[int, dict[str, int]]:
    """Per run: the results this user may see and how many of them await moderation (stored
    counts, or one grouped query for a viewer whose results are scoped)."""
    return {
        pk: {"results": counts["results"], "pending": counts["moderation"][PENDING]}
        for pk, counts in run_counts_for(user=user, runs=runs).items()
    }


def run_moderation_counts(*, user, run: Run) -> dict[str, int]:
    """How many of the run's results (that this user may see) are in each moderation state,
    and how many changed category because of revised data."""
    counts = run_counts_for(user=user, runs=[run])[run.pk]
    found = {state: counts["moderation"].get(state, 0) for state in Result.Moderation.values}
    return {**found, "revised": counts["revised"], "total": counts["results"]}


@dataclass(frozen=True)
class ResultFilters:
    """What the viewer asked a run's results table for."""

    category: str = ""
    alliance_id: int | None = None
    moderation: str = ""
    revised: bool = False


def run_results_count(*, user, run: Run, filters: ResultFilters) -> int | None:
    """How many of the run's results ``run_results`` lists, read from the counts stored on the
    run when they answer it: a user who sees every result (``unscoped_for``), at most one of
    category, moderation state or revised data asked for. Otherwise None (count them)."""
    counts = run.counts
    asked = [bool(filters.category), bool(filters.moderation), filters.revised]
    if not counts or filters.alliance_id or sum(asked) > 1:
        return None
    if not Result.objects.unscoped_for(user):
        return None
    if filters.category:
        category = "" if filters.category == INSUFFICIENT else filters.category
        return counts["category"].get(category, 0)
    if filters.moderation:
        return counts["moderation"].get(filters.moderation, 0)
    return counts["revised"] if filters.revised else counts["results"]


def run_results(*, user, run: Run, filters: ResultFilters) -> QuerySet:
    """The run's results this user may see, filtered, by school name, with school and tiers."""
    results = results_for(user=user, queryset=Result.objects.filter(run=run))
    if filters.category == INSUFFICIENT:
        results = results.filter(category="")
    elif filters.category:
        results = results.filter(category=filters.category)
    if filters.moderation:
        results = results.filter(moderation=filters.moderation)
    if filters.revised:
        results = results.filter(revised_data=True)
    if filters.alliance_id:
        results = results.filter(
            Exists(_current_membership().filter(cluster__alliance_id=filters.alliance_id))
        )
    # The table shows no explanation: leaving it out keeps the sort by name narrow.
    listed = results.select_related("school", "head_response").defer("explanation")
    return with_tiers(listed).order_by("school__name", "school__urn")


def result_get(*, user, run: Run, pk: int) -> Result:
    """One result of the run if this user may see it; raises Result.DoesNotExist."""
    results = results_for(user=user, queryset=Result.objects.filter(run=run))
    related = (
        "school",
        "moderated_by",
        "head_response__responded_by",
        "head_response__resolved_by",
    )
    return with_tiers(results.select_related(*related)).get(pk=pk)


def school_categorisation_history(*, user, school) -> list[Result]:
    """The school's results in agreed runs that this user may see, the latest first."""
    results = results_for(
        user=user,
        queryset=Result.objects.filter(
            school=school, run__agreed_at__isnull=False, run__purpose=Run.Purpose.OFFICIAL
        ),
    )
    history = list(
        results.select_related("run__rule_set", "run__agreed_by", "moderated_by").order_by(
            "-run__agreed_at", "-run_id"
        )
    )
    for result in history:
        categories = Categories.of(result.run.rule_set.definition)
        label_results([result], categories)
        result.explained = explain(result.explanation, categories)
    return history
