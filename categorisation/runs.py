"""Services for rule sets and categorisation runs.

A run applies one rule set to the latest current data of every open school in the partnership:
a few queries load the data into pandas (``run_data``), ``engine.categorise`` places every
school at once, and the results are written in bulk in one transaction at the end, together
with the run's state. A run that fails (or a worker that dies) writes no results, so what users
see, the latest agreed run, never changes; running it again gives the same results.
"""

from __future__ import annotations

import copy
import hashlib
import json
import logging
import time
from collections.abc import Callable

import pandas as pd
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from categorisation.jobs import CATEGORISATION_RUN
from kernel.jobs import job_create, job_fail, job_start, job_succeed

from . import run_data
from .counts import run_counts_store
from .definition import validate_definition
from .engine import categorise
from .models import Result, RuleSet, RuleSetStatus, Run
from .run_data import result_rows, results_revised, run_data_load
from .selectors import rule_set_adopted, run_agreed_list

logger = logging.getLogger(__name__)
ProgressCallback = Callable[[int, str], None]
ONLY_DRAFTS = "Only a draft can be changed: make a copy of these rules to change them"
CHANGED_MEANWHILE = (
    "Someone else changed these rules while you were editing them, so your changes were not "
    "saved. Check the rules and make your change again"
)
ONLY_DRAFTS_TRIED = (
    "Only a draft can be tried in a what-if run: make a copy of these rules to try them"
)
DRAFT_HAS_PROBLEMS = "Fix the problems with this draft before you try it"


# Rule sets ----------------------------------------------------------------------------------


def _raise_if_invalid(definition: dict) -> None:
    if problems := validate_definition(definition):
        raise ValidationError(problems)


@transaction.atomic
def rule_set_create_draft(*, based_on: RuleSet | None, by, name: str | None = None) -> RuleSet:
    """Create a draft with the next version number, copying another rule set's definition
    (or the default rules when ``based_on`` is None)."""
    from .default_rules import DEFAULT_NAME, default_definition

    # Locking the newest version serialises concurrent copies on PostgreSQL.
    newest = RuleSet.objects.select_for_update().order_by("-version").first()
    definition = copy.deepcopy(based_on.definition) if based_on else default_definition()
    draft = RuleSet(
        name=name or (based_on.name if based_on else DEFAULT_NAME),
        version=(newest.version if newest else 0) + 1,
        status=RuleSetStatus.DRAFT,
        definition=definition,
        based_on=based_on,
        notes=f"A copy of version {based_on.version}." if based_on else "",
        created_by=by,
    )
    draft._history_user = by
    draft.save()
    return draft


def definition_checksum(definition: dict) -> str:
    """A fingerprint of a definition, to notice that it changed between showing and saving."""
    text = json.dumps(definition, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


@transaction.atomic
def rule_set_save(
    *,
    rule_set: RuleSet,
    definition: dict,
    by,
    name: str | None = None,
    notes: str | None = None,
    seen: str | None = None,
) -> RuleSet:
    """Replace a draft's definition (and name or notes) once it validates.

    ``seen`` is the ``definition_checksum`` of the definition the editor showed: each editor
    page rebuilds the whole definition from it, so the save is refused if someone else saved
    in between, or their change would be silently undone. It is compared under the row lock,
    so of two saves from the same page only the first is written.
    """
    status, stored = (
        RuleSet.objects.select_for_update().values_list("status", "definition").get(pk=rule_set.pk)
    )
    if seen is not None and seen != definition_checksum(stored):
        raise ValidationError(CHANGED_MEANWHILE, code="changed_meanwhile")
    if status != RuleSetStatus.DRAFT:
        raise ValidationError(ONLY_DRAFTS)
    _raise_if_invalid(definition)
    rule_set.definition = definition
    rule_set.name = name if name is not None else rule_set.name
    rule_set.notes = notes if notes is not None else rule_set.notes
    rule_set._history_user = by
    rule_set.save()
    return rule_set


@transaction.atomic
def rule_set_adopt(*, rule_set: RuleSet, by) -> RuleSet:
    """Adopt a draft, retire the rules it replaces, and start an official run with it."""
    status = (
        RuleSet.objects.select_for_update().values_list("status", flat=True).get(pk=rule_set.pk)
    )
    if status != RuleSetStatus.DRAFT:
        raise ValidationError("Only a draft can be adopted: make a copy of these rules first")
    _raise_if_invalid(rule_set.definition)
    for previous in RuleSet.objects.select_for_update().filter(status=RuleSetStatus.ADOPTED):
        previous.status = RuleSetStatus.RETIRED
        previous._history_user = by
        previous.save(update_fields=["status"])
    rule_set.status, rule_set.adopted_at, rule_set.adopted_by = (
        RuleSetStatus.ADOPTED,
        timezone.now(),
        by,
    )
    rule_set._history_user = by
    rule_set.save(update_fields=["status", "adopted_at", "adopted_by"])
    run_create(
        rule_set=rule_set,
        purpose=Run.Purpose.OFFICIAL,
        by=by,
        trigger=f"Rules version {rule_set.version} adopted",
    )
    return rule_set


# Creating and finding runs -------------------------------------------------------------------


def run_create(
    *, rule_set: RuleSet, purpose: str = Run.Purpose.OFFICIAL, by, trigger: str, enqueue=True
) -> Run:
    """Record a queued run (and its job) and start it once that is committed."""
    from .tasks import categorisation_run_task

    if purpose == Run.Purpose.OFFICIAL and rule_set.status != RuleSetStatus.ADOPTED:
        raise ValidationError(
            "A categorisation uses the adopted rules: adopt these rules first, or try them in a "
            "what-if run"
        )
    _raise_if_invalid(rule_set.definition)
    user = by if getattr(by, "pk", None) else None
    with transaction.atomic():
        job = job_create(
            kind=CATEGORISATION_RUN,
            created_by=user,
            options={"rule_set": rule_set.pk, "version": rule_set.version, "purpose": purpose},
        )
        run = Run.objects.create(
            rule_set=rule_set, purpose=purpose, job=job, trigger=trigger[:200], created_by=user
        )
        if enqueue:
            transaction.on_commit(lambda: categorisation_run_task.delay(run_id=run.pk))
    return run


@transaction.atomic
def run_create_what_if(*, rule_set: RuleSet, by) -> Run:
    """Start a what-if run of a draft: it categorises with the draft and changes no one's
    category. Adopted and retired rules are not tried: a copy of them is."""
    # Locked so that a draft adopted or changed meanwhile is tried as it now stands, or not.
    rule_set = RuleSet.objects.select_for_update().get(pk=rule_set.pk)
    if rule_set.status != RuleSetStatus.DRAFT:
        raise ValidationError(ONLY_DRAFTS_TRIED, code="not_draft")
    if validate_definition(rule_set.definition):
        raise ValidationError(DRAFT_HAS_PROBLEMS, code="invalid")
    return run_create(
        rule_set=rule_set,
        purpose=Run.Purpose.WHAT_IF,
        by=by,
        trigger=f"What-if run of draft version {rule_set.version}",
    )


def run_create_official(*, by, trigger: str) -> Run | None:
    """Start an official run with the adopted rules (by an officer or after an upload); None
    if no rules are adopted."""
    rule_set = rule_set_adopted()
    if rule_set is None:
        return None
    return run_create(rule_set=rule_set, purpose=Run.Purpose.OFFICIAL, by=by, trigger=trigger)


def run_current_agreed() -> Run | None:
    """The categorisation users see: the official run the board agreed most recently."""
    return run_agreed_list().select_related("rule_set").first()


# Executing a run ----------------------------------------------------------------------------


class _Stopwatch:
    def __init__(self, progress: ProgressCallback):
        self.timings: dict[str, float] = {}
        self.progress, self.started, self.last = progress, time.perf_counter(), time.perf_counter()

    def stage(self, name: str, percent: int, message: str) -> None:
        self.progress(percent, message)
        self.lap(name)

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        self.timings[name] = round(now - self.last, 3)
        self.last = now

    def total(self) -> dict[str, float]:
        return {**self.timings, "total": round(time.perf_counter() - self.started, 3)}


def _stats(run: Run, definition: dict, results: pd.DataFrame) -> dict:
    codes = [str(c["code"]) for c in definition["categories"]]
    counts = results.loc[~results["insufficient_data"], "category"].value_counts()
    bands = results.loc[results["support_band"].ne(""), "support_band"].value_counts()
    triggers = results.loc[results["trigger"].ne(""), "trigger"].value_counts()
    return {
        "schools": len(results),
        "by_category": {code: int(counts.get(code, 0)) for code in codes},
        "by_support_band": {band: int(n) for band, n in sorted(bands.items())},
        "insufficient_data": int(results["insufficient_data"].sum()),
        "triggers": {code: int(n) for code, n in sorted(triggers.items())},
        "revised_data": int(results["revised_data"].sum()),
        "notes": list(results.attrs.get("notes", [])),
        "years": results.attrs.get("years", {}),
        "rule_set": {
            "id": run.rule_set_id,
            "version": run.rule_set.version,
            "name": run.rule_set.name,
            "status": run.rule_set.status,
        },
        "definition": definition,
    }


def _work(run: Run, watch: _Stopwatch) -> tuple[pd.DataFrame, dict]:
    """Load, categorise and check revisions: everything before the write."""
    definition = copy.deepcopy(run.rule_set.definition)
    data = run_data_load(definition)
    watch.stage("load", 35, f"Categorising {len(data['schools']):,} schools")
    results = categorise(
        definition=definition,
        values=data["values"],
        national=data["national"],
        schools=data["schools"],
        measures=data["measures"],
    )
    watch.stage("categorise", 70, "Checking for revised data")
    results["revised_data"] = results_revised(definition, data, results)
    watch.stage("revised_data", 80, f"Saving {len(results):,} results")
    return results, definition


def _write(run: Run, results: pd.DataFrame, stats: dict, watch: _Stopwatch) -> None:
    """All results, the run's state and the job's outcome, in one transaction."""
    with transaction.atomic():
        Result.objects.filter(run_id=run.pk).delete()
        run_data.results_save(result_rows(run, results))
        run_counts_store(run=run)
        watch.lap("write")
        run.state, run.finished_at, run.stats = Run.State.SUCCEEDED, timezone.now(), stats
        run.timings, run.error = watch.total(), ""
        run.save(update_fields=["state", "finished_at", "stats", "timings", "error"])
        if run.job_id:
            summary = {key: stats[key] for key in ("schools", "by_category", "insufficient_data")}
            job_succeed(job=run.job, result={**summary, "run": run.pk})


def _fail(run: Run, exc: Exception, watch: _Stopwatch) -> None:
    logger.exception("Categorisation run %s stopped", run.pk)
    error = (
        f"The run stopped unexpectedly ({type(exc).__name__}: {exc}). "
        "No results were saved and the agreed categorisation has not changed."
    )
    run.state, run.finished_at, run.error = Run.State.FAILED, timezone.now(), error[:2000]
    run.timings = watch.total()
    Run.objects.filter(pk=run.pk).update(
        state=run.state, finished_at=run.finished_at, error=run.error, timings=run.timings
    )
    if run.job_id:
        job_fail(job=run.job, error=run.error)


def run_execute(*, run: Run, progress: ProgressCallback | None = None) -> Run:
    """Categorise every open school under the run's rules and save the results, or nothing.

    A run that already succeeded is left as it is; a failed one can be executed again.
    """
    run = Run.objects.select_related("rule_set", "job").get(pk=run.pk)
    if run.state == Run.State.SUCCEEDED:
        return run
    watch = _Stopwatch(progress or (lambda percent, stage: None))
    run.state, run.started_at, run.error = Run.State.RUNNING, timezone.now(), ""
    Run.objects.filter(pk=run.pk).update(state=run.state, started_at=run.started_at, error="")
    if run.job_id:
        job_start(job=run.job)
    try:
        watch.progress(5, "Loading the latest data")
        results, definition = _work(run, watch)
        _write(run, results, _stats(run, definition, results), watch)
    except Exception as exc:  # noqa: BLE001 (any failure must leave the agreed results alone)
        _fail(run, exc, watch)
    return run
