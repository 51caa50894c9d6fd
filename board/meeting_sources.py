"""What the board's meetings read from categorisation: the standing items "Category changes
since the last meeting" and "Schools newly in focused support" (``board.agenda_sources``), and
the decisions "Agree a categorisation run" and "Adopt a rule set" (``board.decisions``),
written back through ``categorisation.moderation.run_agree`` and
``categorisation.runs.rule_set_adopt``.

Registered from ``BoardConfig.ready``; brokerage and funding register theirs the same way.
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.formats import date_format

from categorisation.models import Result, RuleSet, RuleSetStatus, Run
from categorisation.moderation import run_agree, run_compare
from categorisation.runs import rule_set_adopt
from categorisation.selectors import (
    Categories,
    band_label,
    run_agreed_list,
    run_baseline,
    with_tiers,
)
from schools.models import School

from .agenda_sources import agenda_source_register
from .decisions import decision_kind_register

NONE_AGREED = "No categorisation has been agreed since the last meeting."
FIRST_AGREED = "The categorisation agreed on {date} is the first: there is none to compare it with."


def _day(moment) -> str:
    return date_format(timezone.localtime(moment).date(), "j F Y")


def _agreed_since(since) -> Run | None:
    runs = run_agreed_list().select_related("rule_set")
    return (runs.filter(agreed_at__gt=since) if since else runs).first()


def _in_body(meeting, alliance_name: str | None) -> bool:
    return meeting.alliance_id is None or alliance_name == meeting.alliance.name


def category_changes(*, meeting, since) -> dict:
    """Schools whose category or support band changed in the categorisation agreed since the
    body's last meeting, against the one agreed before it."""
    run = _agreed_since(since)
    if run is None:
        return {"summary": NONE_AGREED}
    agreed_on = _day(run.agreed_at)
    baseline = run_baseline(run=run)
    if baseline is None:
        return {"summary": FIRST_AGREED.format(date=agreed_on)}
    moves = [
        move
        for move in run_compare(run=run, baseline=baseline).moves
        if _in_body(meeting, None if move.alliance.startswith("Not in") else move.alliance)
    ]
    ids = dict(School.objects.filter(urn__in=[m.urn for m in moves]).values_list("urn", "pk"))
    s = "" if len(moves) == 1 else "s"
    return {
        "summary": f"{len(moves):,} school{s} changed category or support band in the "
        f"categorisation agreed on {agreed_on}.",
        "columns": ["School", "URN", "Agreed before", "Agreed now"],
        "rows": [[m.name, m.urn, m.before, m.after] for m in moves],
        "school_ids": [ids[m.urn] for m in moves if m.urn in ids],
    }


def _focused(run: Run) -> tuple[Categories, set[int]]:
    categories = Categories.of(run.rule_set.definition)
    ids = Result.objects.filter(run=run, category__in=categories.focused).values_list(
        "school_id", flat=True
    )
    return categories, set(ids)


def newly_focused(*, meeting, since) -> dict:
    """Schools in focused support in the categorisation agreed since the last meeting that were
    not in the one agreed before it."""
    run = _agreed_since(since)
    if run is None:
        return {"summary": NONE_AGREED}
    categories, _ = _focused(run)
    baseline = run_baseline(run=run)
    before = _focused(baseline)[1] if baseline else set()
    results = (
        with_tiers(Result.objects.filter(run=run, category__in=categories.focused))
        .exclude(school_id__in=before)
        .select_related("school")
        .order_by("school__name")
    )
    rows, ids = [], []
    for result in results:
        if not _in_body(meeting, result.alliance_name):
            continue
        rows.append(
            [
                result.school.name,
                result.school.urn,
                categories.label(result.category),
                band_label(result.support_band) or "–",
            ]
        )
        ids.append(result.school_id)
    s = "" if len(rows) == 1 else "s"
    return {
        "summary": f"{len(rows):,} school{s} newly in focused support in the categorisation "
        f"agreed on {_day(run.agreed_at)}.",
        "columns": ["School", "URN", "Category", "Support band"],
        "rows": rows,
        "school_ids": ids,
    }


def runs_to_agree(*, meeting):
    """Official runs that finished and are newer than the agreed categorisation: those the
    board can still agree (``run_agree`` refuses older ones)."""
    runs = Run.objects.filter(
        purpose=Run.Purpose.OFFICIAL, state=Run.State.SUCCEEDED, agreed_at__isnull=True
    ).select_related("rule_set")
    current = run_agreed_list().first()
    return runs.filter(created_at__gt=current.created_at) if current else runs


def run_label(run: Run) -> str:
    return f"Categorisation run {run.pk} of {_day(run.created_at)} ({run.rule_set})"


def agree_run(*, subject: Run, decision, by) -> None:
    """Write the board's agreement back: the run becomes the current categorisation."""
    meeting = decision.item.meeting
    body = meeting.body_name if meeting.alliance_id else "the board"
    note = f"Agreed by {body} at {meeting}, item {decision.item.position} (decision {decision.pk})"
    run_agree(run=subject, by=by, note=note)


def rule_sets_to_adopt(*, meeting):
    """Draft rule sets: those the board can adopt."""
    return RuleSet.objects.filter(status=RuleSetStatus.DRAFT)


def adopt_rule_set(*, subject: RuleSet, decision, by) -> None:
    """Write the board's adoption back: the draft becomes the rules, and an official run
    starts with them."""
    rule_set_adopt(rule_set=subject, by=by)


def register() -> None:
    agenda_source_register(
        "category_changes",
        category_changes,
        title="Category changes since the last meeting",
        order=10,
    )
    agenda_source_register(
        "newly_focused", newly_focused, title="Schools newly in focused support", order=20
    )
    decision_kind_register(
        "agree_run",
        label="Agree a categorisation run",
        model=Run,
        subjects=runs_to_agree,
        apply=agree_run,
        subject_label=run_label,
    )
    decision_kind_register(
        "adopt_rule_set",
        label="Adopt a rule set",
        model=RuleSet,
        subjects=rule_sets_to_adopt,
        apply=adopt_rule_set,
        subject_label=lambda rule_set: f"{rule_set.name}, version {rule_set.version} (draft)",
    )
