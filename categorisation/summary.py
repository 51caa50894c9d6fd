"""The summary of the current agreed categorisation for one viewer: counts by category and
support band, by alliance, cluster, phase and type group, and the movement since the agreed run
before it; and ``CountTable``, the rows-by-columns table of counts the what-if comparison uses too.

One grouped query reads the current run (by category, band, cluster, phase and type: a few
thousand rows at national scale, whatever the number of schools), one more names its clusters
and their alliances, and one the movement (a join to the previous run's results); every table
is a roll-up of those rows in Python, so the page runs a fixed number of queries, none of them
per result.
"""

from __future__ import annotations

import functools
from collections import Counter
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Count, F, QuerySet

from clusters.models import Cluster
from schools.models import Phase

from .models import Result, Run
from .selectors import (
    NOT_CATEGORISED,
    NOT_IN_ALLIANCE,
    NOT_IN_CLUSTER,
    TYPE_GROUPS,
    Categories,
    band_label,
    results_for,
    run_agreed_list,
    with_tiers,
)


@dataclass
class CountTable:
    """Counts of schools by a grouping (rows) and category (columns), with totals."""

    key: str
    caption: str
    heading: str
    columns: list[str]
    rows: list[tuple[str, list[int], int]] = field(default_factory=list)
    totals: list[int] = field(default_factory=list)
    total: int = 0


@dataclass
class Summary:
    """The current agreed categorisation as counts, and how it moved since the one before."""

    run: Run
    previous: Run | None
    by_category: list[dict]
    tables: list[CountTable]
    movement: CountTable | None
    total: int


def _count_table(
    key: str, caption: str, heading: str, counter: Counter, codes, order
) -> CountTable:
    table = CountTable(key, caption, heading, columns=[])
    for name in sorted({name for name, _ in counter}, key=order):
        cells = [counter[(name, code)] for code in codes]
        table.rows.append((name, cells, sum(cells)))
    table.totals = [sum(row[1][i] for row in table.rows) for i in range(len(codes))]
    table.total = sum(table.totals)
    return table


def _by_category(rows: list[dict], categories: Categories) -> list[dict]:
    counts, bands = Counter(), Counter()
    for row in rows:
        counts[row["category"]] += row["n"]
        bands[(row["category"], row["support_band"])] += row["n"]
    return [
        {
            "code": code,
            "label": categories.label(code),
            "count": counts[code],
            "focused": code in categories.focused,
            "bands": [(band_label(b), bands[(code, b)]) for b in categories.bands],
        }
        for code in categories.codes_of(counts)
        if counts[code] or code in categories.labels
    ]


def _last_if(last: str, name: str) -> tuple[bool, str]:
    return (name == last, name)


def _group_tables(rows: list[dict], categories: Categories) -> list[CountTable]:
    phase_labels = dict(Phase.choices)
    phases = {label: index for index, label in enumerate(Phase.labels)}
    groupings = [
        ("alliance", "By alliance", "Alliance", NOT_IN_ALLIANCE),
        ("cluster", "By cluster", "Cluster", NOT_IN_CLUSTER),
        ("phase", "By phase", "Phase", ""),
        ("type-group", "By type group", "Type group", ""),
    ]
    by_alliance, by_cluster, by_phase, by_type = Counter(), Counter(), Counter(), Counter()
    # One pass over the rows (a few thousand at national scale), plain lookups only.
    for row in rows:
        category, n = row["category"], row["n"]
        by_alliance[(row["alliance_name"] or NOT_IN_ALLIANCE, category)] += n
        by_cluster[(row["cluster_name"] or NOT_IN_CLUSTER, category)] += n
        by_phase[(phase_labels[row["phase"]], category)] += n
        by_type[(TYPE_GROUPS[row["academy"]], category)] += n
    counters = (by_alliance, by_cluster, by_phase, by_type)
    codes = categories.codes_of(row["category"] for row in rows)
    columns = [categories.label(code) for code in codes]
    tables = []
    for (key, caption, heading, missing), counter in zip(groupings, counters, strict=True):
        order = phases.get if key == "phase" else functools.partial(_last_if, missing)
        table = _count_table(key, caption, heading, counter, codes, order)
        table.columns = columns
        tables.append(table)
    return tables


def _with_tier_names(rows: list[dict]) -> list[dict]:
    """Each row's cluster and alliance names, from the clusters' own table (grouping the results
    by the cluster's id, not by two names joined to every result, is a third quicker)."""
    ids = {row["cluster_id"] for row in rows} - {None}
    names = {
        pk: (name, alliance)
        for pk, name, alliance in Cluster.objects.filter(pk__in=ids).values_list(
            "pk", "name", "alliance__name"
        )
    }
    for row in rows:
        row["cluster_name"], row["alliance_name"] = names.get(row["cluster_id"], (None, None))
    return rows


def movement_pairs(*, results: QuerySet, previous: Run) -> Counter:
    """{(previous category or None, category): schools} over ``results`` (one run's results,
    already scoped to what the viewer may see): one grouped query joining each result to the
    same school's result in the previous run, if any (a join, not a subquery per result, for
    the 22,000 results of a national run). The summary and the board's dashboard both read it."""
    visible = results.order_by().values("pk")
    if visible.query.is_empty():  # a user who may see no result: nothing to join (no SQL)
        return Counter()
    scoped, params = visible.query.sql_with_params()
    table = connection.ops.quote_name(Result._meta.db_table)
    # The ORM has no relation from a result to the same school's result in another run.
    sql = (
        f"SELECT earlier.category, later.category, COUNT(*) FROM {table} later "
        f"LEFT JOIN {table} earlier ON earlier.school_id = later.school_id "
        f"AND earlier.run_id = %s WHERE later.id IN ({scoped}) "
        "GROUP BY earlier.category, later.category"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [previous.pk, *params])
        return Counter({(before, after): n for before, after, n in cursor.fetchall()})


def _movement(*, user, run: Run, previous: Run, categories: Categories) -> CountTable:
    """A from→to table: rows the previous agreed category, columns the current one."""
    visible = results_for(user=user, queryset=Result.objects.filter(run=run))
    counter = Counter()
    for (earlier, later), n in movement_pairs(results=visible, previous=previous).items():
        counter[(earlier or NOT_CATEGORISED, later)] += n
    codes = [c for c in categories.codes_of(to for _, to in counter) if c != NOT_CATEGORISED]
    caption = "Movement since the previous agreed categorisation"
    table = _count_table("movement", caption, "Previous category", counter, codes, categories.rank)
    table.rows = [(categories.label(name), cells, n) for name, cells, n in table.rows]
    table.columns = [categories.label(code) for code in codes]
    return table


def categorisation_summary(*, user) -> Summary | None:
    """Counts of the current agreed categorisation for the schools this user may see."""
    agreed = list(run_agreed_list().select_related("rule_set", "agreed_by")[:2])
    if not agreed:
        return None
    run, previous = agreed[0], (agreed[1] if len(agreed) > 1 else None)
    categories = Categories.of(run.rule_set.definition)
    # One grouped query; every table below is a roll-up of its few hundred rows at most.
    rows = list(
        with_tiers(results_for(user=user, queryset=Result.objects.filter(run=run)))
        .values(
            "category",
            "support_band",
            cluster_id=F("current_membership__cluster_id"),
            phase=F("school__phase"),
            academy=F("school__is_academy"),
        )
        .annotate(n=Count("pk"))
        .order_by()
    )
    rows = _with_tier_names(rows)
    movement = None
    if previous is not None:
        movement = _movement(user=user, run=run, previous=previous, categories=categories)
    return Summary(
        run=run,
        previous=previous,
        by_category=_by_category(rows, categories),
        tables=_group_tables(rows, categories),
        movement=movement,
        total=sum(row["n"] for row in rows),
    )
