"""The dashboard's categorisation panels: schools by category, the movement since the agreed
run before, and the schools in focused support by band.

For the whole partnership, seen by someone who sees every result, the distribution comes from
the counts stored on the run (``Run.counts``, no query); for an alliance, or a viewer whose view
is scoped, from one grouped query over the results ``results_for`` lets them see. The movement
is one grouped query joining each result to the same school's result in the previous agreed run
(``categorisation.summary.movement_pairs``, which the summary reads too, scoped here to an
alliance when asked).
"""

from __future__ import annotations

from collections import Counter

from django.db.models import Count, QuerySet

from categorisation.models import Result, Run
from categorisation.selectors import (
    NOT_CATEGORISED,
    Categories,
    band_label,
    results_for,
    run_agreed_list,
)
from categorisation.summary import movement_pairs
from clusters.models import school_ids_now_in

from .dashboard import Panel, Table, chart_of, plural

NO_RUN = "The board has not agreed a categorisation yet."


def _results(*, user, run: Run, alliance) -> QuerySet:
    results = results_for(user=user, queryset=Result.objects.filter(run=run))
    if alliance is not None:
        results = results.filter(school_id__in=school_ids_now_in(alliance_ids=[alliance.pk]))
    return results


def _counts(*, user, run: Run, alliance) -> tuple[Counter, Counter]:
    """(schools by category, focused schools by band) for the run."""
    if alliance is None and run.counts and Result.objects.unscoped_for(user):
        return Counter(run.counts["category"]), Counter(run.counts["support_band"])
    rows = (
        _results(user=user, run=run, alliance=alliance)
        .order_by()
        .values("category", "support_band")
        .annotate(n=Count("pk"))
    )
    categories, bands = Counter(), Counter()
    for row in rows:
        categories[row["category"]] += row["n"]
        bands[row["support_band"]] += row["n"]
    return categories, bands


def _category_panel(run: Run, categories: Categories, counts: Counter) -> Panel:
    codes = [c for c in categories.codes_of(counts) if counts[c] or c in categories.labels]
    labels = [categories.label(code) for code in codes]
    values = [counts[code] for code in codes]
    table = Table(
        "category",
        "Schools by category",
        ["Category", "Schools"],
        [[label, n] for label, n in zip(labels, values, strict=True)],
        numeric=frozenset({1}),
    )
    table.rows.append(["Total", sum(values)])
    agreed = f"Agreed {run.agreed_at:%-d %B %Y}" if run.agreed_at else ""
    return Panel(
        "categories",
        "Schools by category",
        [table],
        chart_of("Schools by category", labels, values),
        summary=f"{plural(sum(values), 'school', 'schools')}. {agreed}".strip(),
    )


def _focused_panel(categories: Categories, bands: Counter) -> Panel:
    labels = [band_label(band) for band in categories.bands]
    values = [bands[band] for band in categories.bands]
    rows = [[label, n] for label, n in zip(labels, values, strict=True)]
    table = Table("focused", "Schools in focused support by band", ["Band", "Schools"], rows)
    table.numeric = frozenset({1})
    table.rows.append(["Total", sum(values)])
    return Panel(
        "focused",
        "Schools in focused support by band",
        [table],
        chart_of("Schools in focused support by band", labels, values),
        summary=f"{plural(sum(values), 'school', 'schools')} in focused support.",
    )


def _movement_panel(*, user, run: Run, previous: Run | None, categories, alliance) -> Panel:
    title = "Movement since the last agreed categorisation"
    if previous is None:
        return Panel("movement", title, empty="This is the first agreed categorisation.")
    results = _results(user=user, run=run, alliance=alliance)
    pairs = movement_pairs(results=results, previous=previous)
    columns = categories.codes_of(after for _, after in pairs)
    rows_by = categories.codes_of(NOT_CATEGORISED if b is None else b for b, _ in pairs)
    table = Table(
        "movement",
        title,
        ["Previous category", *(categories.label(c) for c in columns), "Total"],
        hint="Rows: the category agreed before. Columns: the category agreed now.",
        numeric=frozenset(range(1, len(columns) + 2)),
    )
    for before in rows_by:
        key = None if before == NOT_CATEGORISED else before
        cells = [pairs[(key, after)] for after in columns]
        if sum(cells):
            table.rows.append([categories.label(before), *cells, sum(cells)])
    changed = [(b, a, n) for (b, a), n in pairs.items() if b is not None and a != b]
    better = sum(n for b, a, n in changed if categories.rank(a) < categories.rank(b))
    worse = sum(n for b, a, n in changed if categories.rank(a) > categories.rank(b))
    moved = sum(n for _, _, n in changed)
    labels = ["Moved to a better category", "Moved to a worse category"]
    chart = chart_of(title, labels, [better, worse])
    summary = (
        f"{plural(moved, 'school', 'schools')} changed category: "
        f"{better:,} better, {worse:,} worse."
    )
    return Panel("movement", title, [table], chart, summary=summary)


def category_panels(*, user, alliance=None) -> list[Panel]:
    """Schools by category, the movement since the agreed run before, and focused support by
    band, for the current agreed categorisation and the schools this user may see."""
    agreed = list(run_agreed_list().select_related("rule_set")[:2])
    if not agreed:
        return [Panel("categories", "Schools by category", empty=NO_RUN)]
    run, previous = agreed[0], (agreed[1] if len(agreed) > 1 else None)
    categories = Categories.of(run.rule_set.definition)
    counts, bands = _counts(user=user, run=run, alliance=alliance)
    return [
        _category_panel(run, categories, counts),
        _movement_panel(
            user=user, run=run, previous=previous, categories=categories, alliance=alliance
        ),
        _focused_panel(categories, bands),
    ]
