"""Moderation and agreement of categorisation runs, and the what-if comparison.

Officers moderate every result of an official run: they confirm the computed category or change
it with a written reason, which is kept (with who and when) in the result's history. The board
then agrees the run, which makes it the current categorisation. Agreement needs every result
moderated: nothing is confirmed implicitly, so the board never agrees a category nobody has
looked at (officers can confirm all pending results at once when they have reviewed them).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, F
from django.utils import timezone

from kernel.history import history_record_rows

from .counts import run_counts_store
from .head_responses import unresolved_challenges
from .models import Result, Run
from .selectors import (
    NOT_CATEGORISED,
    NOT_IN_ALLIANCE,
    TYPE_GROUPS,
    Categories,
    band_label,
    run_agreed_list,
    with_tiers,
)
from .signals import run_agreed
from .summary import CountTable

WHAT_IF_NOT_MODERATED = "A what-if run is a preview: its results cannot be moderated or agreed"
RUN_NOT_SUCCEEDED = "Only a categorisation run that has finished successfully can be {verb}"
RUN_ALREADY_AGREED = "The board has already agreed this categorisation: it can no longer change"
NEWER_RUN_AGREED = "A newer categorisation has already been agreed"
NO_RESULTS = "This run has no results to agree"
PENDING_RESULTS = (
    "{count} result{s} {are} not moderated yet. Confirm or change {them} before the board "
    "agrees the categorisation"
)
REASON_REQUIRED = "Enter the reason for changing the category"
CATEGORY_NOT_OFFERED = "Select a category from the list"
BAND_REQUIRED = "Select a support band: {category} is a focused support category"
BAND_NOT_ALLOWED = "Leave the support band empty: only focused support categories have one"
BAND_NOT_OFFERED = "Select a support band from the list"
NOTHING_CHANGED = "That is the computed category and support band: confirm it instead"
CONFIRMED_WITH_EVERY_PENDING = "Confirmed with every pending result"
MODERATED_FIELDS = [
    "moderation",
    "category",
    "support_band",
    "override_reason",
    "moderated_at",
    "moderated_by",
]


def run_is_open(run: Run) -> bool:
    """Whether the run's results may still be moderated and the run agreed (what _lock_run
    enforces, for pages deciding what to offer)."""
    return (
        run.purpose == Run.Purpose.OFFICIAL
        and run.state == Run.State.SUCCEEDED
        and (not run.is_agreed)
    )


def _lock_run(run: Run, *, verb: str) -> Run:
    """The run, locked so that moderation and agreement cannot interleave, if it may change."""
    locked = Run.objects.select_for_update().select_related("rule_set").get(pk=run.pk)
    if locked.purpose != Run.Purpose.OFFICIAL:
        raise ValidationError(WHAT_IF_NOT_MODERATED)
    if locked.state != Run.State.SUCCEEDED:
        raise ValidationError(RUN_NOT_SUCCEEDED.format(verb=verb))
    if locked.is_agreed:
        raise ValidationError(RUN_ALREADY_AGREED)
    return locked


def _moderate(result: Result, *, run: Run, by, **fields) -> Result:
    for name, value in fields.items():
        setattr(result, name, value)
    result.moderated_at, result.moderated_by = timezone.now(), by
    result._history_user = by
    result.save(update_fields=MODERATED_FIELDS)
    run_counts_store(run=run)
    return result


@transaction.atomic
def result_confirm(*, result: Result, by) -> Result:
    """Confirm a result's computed category and support band as its moderated ones."""
    run = _lock_run(result.run, verb="moderated")
    locked = Result.objects.select_for_update().get(pk=result.pk)
    locked._change_reason = "Confirmed"
    return _moderate(
        locked,
        run=run,
        by=by,
        moderation=Result.Moderation.CONFIRMED,
        category=locked.computed_category,
        support_band=locked.computed_support_band,
        override_reason="",
    )


def _check_override(result: Result, categories: Categories, category: str, band: str) -> None:
    if category not in categories.labels:
        raise ValidationError({"category": CATEGORY_NOT_OFFERED})
    if category in categories.focused and not band:
        label = categories.label(category)
        raise ValidationError({"support_band": BAND_REQUIRED.format(category=label)})
    if category not in categories.focused and band:
        raise ValidationError({"support_band": BAND_NOT_ALLOWED})
    if band and band not in categories.bands:
        raise ValidationError({"support_band": BAND_NOT_OFFERED})
    if (category, band) == (result.computed_category, result.computed_support_band):
        raise ValidationError({"category": NOTHING_CHANGED})


@transaction.atomic
def result_override(*, result: Result, category: str, support_band: str, reason: str, by) -> Result:
    """Change a result's category (and support band) at moderation, keeping the reason."""
    reason, support_band = (reason or "").strip(), support_band or ""
    if not reason:
        raise ValidationError({"reason": REASON_REQUIRED})
    run = _lock_run(result.run, verb="moderated")
    locked = Result.objects.select_for_update().get(pk=result.pk)
    _check_override(locked, Categories.of(run.rule_set.definition), category, support_band)
    locked._change_reason = f"Overridden: {reason}"[:100]
    return _moderate(
        locked,
        run=run,
        by=by,
        moderation=Result.Moderation.OVERRIDDEN,
        category=category,
        support_band=support_band,
        override_reason=reason,
    )


@transaction.atomic
def run_confirm_pending(*, run: Run, by) -> int:
    """Confirm the computed category of every result of the run still awaiting moderation.

    Two statements whatever the number of results: one UPDATE, and one INSERT of their history
    records with who, when and why, as confirming each result would have recorded them."""
    _lock_run(run, verb="moderated")
    now = timezone.now()
    confirmed = Result.objects.filter(run=run, moderation=Result.Moderation.PENDING).update(
        moderation=Result.Moderation.CONFIRMED,
        category=F("computed_category"),
        support_band=F("computed_support_band"),
        override_reason="",
        moderated_at=now,
        moderated_by=by,
    )
    if confirmed:
        # The run is locked, so its results moderated at this instant are the ones just confirmed.
        history_record_rows(
            Result.objects.filter(run=run, moderated_at=now, moderated_by=by),
            user=by,
            date=now,
            reason=CONFIRMED_WITH_EVERY_PENDING,
        )
    run_counts_store(run=run)
    return confirmed


def _pending_message(count: int) -> str:
    one = count == 1
    return PENDING_RESULTS.format(
        count=count, s="" if one else "s", are="is" if one else "are", them="it" if one else "them"
    )


@transaction.atomic
def run_agree(*, run: Run, by, note: str = "") -> Run:
    """Record the board's agreement of a moderated run: it becomes the current categorisation."""
    locked = _lock_run(run, verb="agreed")
    if run_agreed_list().filter(created_at__gt=locked.created_at).exists():
        raise ValidationError(NEWER_RUN_AGREED)
    grouped = locked.results.order_by().values("moderation").annotate(n=Count("pk"))
    states = Counter({row["moderation"]: row["n"] for row in grouped})
    if not sum(states.values()):
        raise ValidationError(NO_RESULTS)
    if states[Result.Moderation.PENDING]:
        raise ValidationError(_pending_message(states[Result.Moderation.PENDING]))
    locked.agreed_at, locked.agreed_by = timezone.now(), by
    locked.agreement_note = (note or "").strip()
    # The heads' challenges no officer resolved are recorded with the agreement.
    challenges = unresolved_challenges(run=locked).order_by("pk").values_list("pk", flat=True)
    locked.unresolved_challenges = list(challenges)
    locked.save(update_fields=["agreed_at", "agreed_by", "agreement_note", "unresolved_challenges"])
    run_agreed.send(sender=Run, run=locked, by=by)
    return locked


# The what-if comparison ---------------------------------------------------------------------


@dataclass(frozen=True)
class Move:
    """A school whose category or support band differs between the baseline and the run."""

    urn: int
    name: str
    alliance: str
    type_group: str
    before: str
    after: str
    direction: str
    reasons: list[str]


@dataclass
class Comparison:
    """What would move: the transition matrix, the moving schools and counts by group."""

    run: Run
    baseline: Run
    matrix: CountTable
    moves: list[Move]
    by_alliance: list[tuple[str, dict[str, int]]]
    by_type_group: list[tuple[str, dict[str, int]]]
    total: int


MORE_SUPPORT, LESS_SUPPORT, BAND_CHANGED = "more", "less", "band"
REVISED_REASON = "A later release revised the published data, which changed the category"
OTHER_CHANGE, UNCHANGED = "other", "unchanged"
NO_RESULT = {"category": NOT_CATEGORISED, "support_band": ""}
COMPARED_FIELDS = (
    "school_id",
    "school__urn",
    "school__name",
    "school__is_academy",
    "alliance_name",
    "run_id",
    "category",
    "support_band",
    "score",
    "trigger",
    "explanation",
    "moderation",
    "override_reason",
    "revised_data",
)


def _indicator_points(explanation: dict) -> dict[str, tuple[str, float, bool]]:
    """Per indicator code: its label, points and whether it was missing."""
    return {
        str(item.get("code", "")): (
            item.get("label") or str(item.get("code", "")),
            float(item.get("points") or 0),
            bool(item.get("missing")),
        )
        for item in (explanation or {}).get("indicators") or []
    }


def _points(value: float) -> str:
    return f"{value:g} point{'' if value == 1 else 's'}"


def _trigger_reasons(before: dict, after: dict, categories: Categories) -> list[str]:
    was, now = before.get("trigger", ""), after.get("trigger", "")
    if was == now:
        return []
    reasons = [f"Trigger fired: {categories.trigger_label(now)}"] if now else []
    if was:
        reasons.append(f"Trigger no longer decides: {categories.trigger_label(was)}")
    return reasons


def _reasons(before: dict | None, after: dict | None, categories: Categories) -> list[str]:
    """Why a school moves: triggers that start or stop deciding, indicators whose points
    change or whose data goes missing, read from the two explanations."""
    before, after = before or {}, after or {}
    reasons = _trigger_reasons(before, after, categories)
    was = _indicator_points(before.get("explanation"))
    now = _indicator_points(after.get("explanation"))
    for code in [*now, *(c for c in was if c not in now)]:
        label, points, missing = now.get(code) or (was[code][0], 0.0, False)
        old = was.get(code, (label, 0.0, False))
        if missing and not old[2]:
            reasons.append(f"{label}: now missing")
        elif points != old[1]:
            reasons.append(f"{label}: {_points(old[1])} to {_points(points)}")
    if after.get("revised_data"):
        reasons.append(REVISED_REASON)
    if before.get("moderation") == Result.Moderation.OVERRIDDEN:
        reasons.append(
            f"The agreed category was changed at moderation: {before['override_reason']}"
        )
    if not reasons and before.get("score") != after.get("score"):
        reasons.append(f"Score {before.get('score')} to {after.get('score')}")
    return reasons


def _direction(before: dict | None, after: dict | None, categories: Categories) -> str:
    old = before["category"] if before else NOT_CATEGORISED
    new = after["category"] if after else NOT_CATEGORISED
    if old != new:
        if not (old in categories.labels and new in categories.labels):
            # Into or out of "insufficient data" or "not categorised": not a step either way.
            return OTHER_CHANGE
        return MORE_SUPPORT if categories.rank(new) > categories.rank(old) else LESS_SUPPORT
    if before and after and before["support_band"] != after["support_band"]:
        return BAND_CHANGED
    return UNCHANGED


def _describe(row: dict | None, categories: Categories) -> str:
    if row is None:
        return NOT_CATEGORISED
    band = band_label(row["support_band"])
    return categories.label(row["category"]) + (f" ({band.lower()} support band)" if band else "")


def _group_counts(counter: Counter) -> list[tuple[str, dict[str, int]]]:
    names = sorted({name for name, _ in counter}, key=lambda n: (n == NOT_IN_ALLIANCE, n))
    keys = (MORE_SUPPORT, LESS_SUPPORT, BAND_CHANGED, OTHER_CHANGE, UNCHANGED)
    return [(name, {k: counter[(name, k)] for k in keys}) for name in names]


def _matrix(pairs: Counter, categories: Categories) -> CountTable:
    codes = categories.codes_of(code for pair in pairs for code in pair)
    table = CountTable(
        "matrix",
        "From the agreed category to the category in this run",
        "Agreed category",
        columns=[categories.label(c) for c in codes],
    )
    for old in codes:
        cells = [pairs[(old, new)] for new in codes]
        if sum(cells) or old in categories.labels:
            table.rows.append((categories.label(old), cells, sum(cells)))
    table.totals = [sum(row[1][i] for row in table.rows) for i in range(len(codes))]
    table.total = sum(table.totals)
    return table


def _results_by_school(run: Run, baseline: Run) -> tuple[dict, dict]:
    rows = with_tiers(Result.objects.filter(run__in=[run.pk, baseline.pk])).values(*COMPARED_FIELDS)
    before, after = {}, {}
    for row in rows:
        (after if row["run_id"] == run.pk else before)[row["school_id"]] = row
    return before, after


def run_compare(*, run: Run, baseline: Run) -> Comparison:
    """Compare a run (typically what-if) with a baseline (typically the agreed categorisation):
    two queries, then a pass over the schools in Python."""
    categories = Categories.of(run.rule_set.definition)
    before, after = _results_by_school(run, baseline)
    pairs, moves, alliances, types = Counter(), [], Counter(), Counter()
    for school_id in sorted(before.keys() | after.keys()):
        old, new = before.get(school_id), after.get(school_id)
        row = new or old
        pairs[(old or NO_RESULT)["category"], (new or NO_RESULT)["category"]] += 1
        direction = _direction(old, new, categories)
        alliance = row["alliance_name"] or NOT_IN_ALLIANCE
        type_group = TYPE_GROUPS[row["school__is_academy"]]
        alliances[(alliance, direction)] += 1
        types[(type_group, direction)] += 1
        if direction == UNCHANGED:
            continue
        moves.append(
            Move(
                urn=row["school__urn"],
                name=row["school__name"],
                alliance=alliance,
                type_group=type_group,
                before=_describe(old, categories),
                after=_describe(new, categories),
                direction=direction,
                reasons=_reasons(old, new, categories),
            )
        )
    moves.sort(key=lambda move: (move.direction != MORE_SUPPORT, move.name))
    return Comparison(
        run=run,
        baseline=baseline,
        matrix=_matrix(pairs, categories),
        moves=moves,
        by_alliance=_group_counts(alliances),
        by_type_group=_group_counts(types),
        total=len(after),
    )
