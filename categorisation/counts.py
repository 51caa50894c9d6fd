"""A run's counts: its results by moderation state, category and support band, and how many
changed because of revised data.

They are stored on the run (``Run.counts``) when they change: when the run writes its results
and after every moderation, each time with one grouped query over the run's results (a few dozen
rows whatever the number of schools). Pages for officers and the board read them from there;
anyone whose view of results is scoped (an alliance chair) gets the same counts from one grouped
query over the results ``Result.objects.visible_to`` gives them, so no stored figure ever shows
more than the permission layer allows.

Why not store counts per alliance too: a chair sees the schools *currently* in their alliance,
and schools move between clusters (``clusters``, a layer below, knows nothing of runs), so
stored per-alliance counts would drift from what the permission layer lets the chair see. The
grouped query reads only the covering index ``result_run_counts``, never the results' rows.
"""

from __future__ import annotations

from django.db.models import Count, QuerySet

from .models import Result, Run


def counts_empty() -> dict:
    return {
        "results": 0,
        "moderation": dict.fromkeys(Result.Moderation.values, 0),
        "category": {},
        "support_band": {},
        "revised": 0,
    }


def counts_by_run(results: QuerySet) -> dict[int, dict]:
    """The counts of each run among these results, in one grouped query."""
    rows = (
        results.order_by()
        .values("run_id", "moderation", "category", "support_band", "revised_data")
        .annotate(n=Count("pk"))
    )
    found: dict[int, dict] = {}
    for row in rows:
        counts, n = found.setdefault(row["run_id"], counts_empty()), row["n"]
        counts["results"] += n
        counts["moderation"][row["moderation"]] = counts["moderation"].get(row["moderation"], 0) + n
        for key in ("category", "support_band"):
            counts[key][row[key]] = counts[key].get(row[key], 0) + n
        counts["revised"] += n if row["revised_data"] else 0
    return found


def run_counts_store(*, run: Run) -> dict:
    """Count the run's results and store the counts on the run (one query and one update)."""
    counts = counts_by_run(Result.objects.filter(run_id=run.pk)).get(run.pk) or counts_empty()
    Run.objects.filter(pk=run.pk).update(counts=counts)
    run.counts = counts
    return counts


def run_counts_for(*, user, runs: list[Run]) -> dict[int, dict]:
    """Each run's counts of the results this user may see: the stored ones when the user sees
    every result, else (or for a run whose counts were never stored) one grouped query over
    the results visible to them. A run that has not succeeded has none."""
    found = {run.pk: counts_empty() for run in runs}
    finished = [run for run in runs if run.state == Run.State.SUCCEEDED]
    unscoped = Result.objects.unscoped_for(user)
    if unscoped:
        found.update({run.pk: run.counts for run in finished if run.counts})
    to_count = [run.pk for run in finished if not (unscoped and run.counts)]
    if to_count:
        # The permission layer's scopes never join a row to more than one other (an alliance's
        # schools are a subquery of ids), so its results are safe to count as they come.
        found.update(counts_by_run(Result.objects.filter(run__in=to_count).visible_to(user)))
    return found
