"""The register import from GIAS: one service behind the command, the upload page and the task.

The reader (``schools.imports``) turns the file into validated School field values; this module
compares them with the register in bulk, then creates and updates schools (and their trusts) in
one transaction, recording the audit trail with the importing user. Schools are never deleted,
and the ``opted_out*`` fields are never touched.

Writing is set-based, because building a model instance per school (and another per historical
row) was most of the time of a national import: on PostgreSQL each batch of schools is one
``INSERT ... SELECT`` or ``UPDATE ... FROM`` reading one JSON array per column; other databases
(SQLite for ``make run``) use ``bulk_create``/``bulk_update``. Either way the audit trail is
then copied from the written rows by one ``INSERT ... SELECT`` per batch into simple_history's
table, with the same user, date, type and reason that ``bulk_create_with_history`` would give.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

import msgspec
import pandas as pd
from django.conf import settings
from django.db import connection, transaction
from django.db.models import Field, QuerySet
from django.db.models.functions import Upper
from django.utils import timezone

from kernel.bulk import SQLITE_CHUNK, set_based, values_where_in
from kernel.jobs import job_create
from kernel.models import Job
from kernel.uploads import problems_kept
from partnership.models import User
from schools.jobs import GIAS_IMPORT

from .imports import GiasRows, ProgressCallback, gias_file_read
from .models import School, Trust

CHANGE_REASON = "GIAS import"
# Schools per set-based statement on PostgreSQL: big enough that per-statement costs vanish,
# small enough to keep each statement to a few megabytes (1,000 to 20,000 measured the same).
BATCH_SIZE = 5000
TRUST_BATCH_SIZE = 1000
ATTNAMES = [f.attname for f in School._meta.concrete_fields]
DEFAULTS = {f.attname: f.get_default() for f in School._meta.concrete_fields}
HISTORY = School.history.model


@dataclass
class GiasImportResult:
    """What an import did (or, for a dry run, would do), or every problem that stopped it."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    errors: list[dict] = field(default_factory=list)
    dry_run: bool = False

    @property
    def counts(self) -> dict[str, int]:
        return {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "skipped": self.skipped,
        }

    @property
    def problems(self) -> tuple[list[dict], int]:
        """The first problems by row (``PROBLEMS_KEPT``), and how many there are in all."""
        return problems_kept(self.errors)

    def as_dict(self) -> dict:
        errors, total = self.problems
        return {**self.counts, "errors": errors, "problem_total": total}

    @property
    def summary(self) -> str:
        if self.errors:
            count = self.problems[1]
            return (
                f"The file has {count:,} problem{'s' if count != 1 else ''}. Nothing was changed."
            )
        done = (
            f"{self.created:,} created, {self.updated:,} updated, "
            f"{self.unchanged:,} unchanged, {self.skipped:,} skipped"
        )
        if self.dry_run:
            return f"Dry run, nothing was changed: {done}"
        if not (self.created or self.updated):
            return f"The register already matches the file: {done}"
        return done


@dataclass
class _Plan:
    """New schools (every column), changed schools (``id``, ``urn`` and the changed columns),
    and the trusts to create (keyed by the placeholder ids the schools carry) or retype."""

    new: pd.DataFrame
    changed: pd.DataFrame
    changed_fields: list[str]
    new_trusts: dict[int, Trust] = field(default_factory=dict)
    retyped_trusts: list[Trust] = field(default_factory=list)


def _trust_ids(frame: pd.DataFrame) -> tuple[pd.Series, dict[int, Trust], list[Trust]]:
    """Each row's trust id, matching names case-insensitively; a trust not yet on the register
    gets a negative placeholder id until it is created."""
    named = frame.loc[frame["trust_name"].notna(), ["trust_name", "trust_type"]]
    named = named.assign(key=named["trust_name"].astype("str").str.upper())
    # A trust's type is what any of its schools says it is, rather than "other".
    named = named.sort_values("trust_type", key=lambda s: s.eq(Trust.TrustType.OTHER))
    wanted = named.drop_duplicates("key").set_index("key")
    stored = Trust.objects.annotate(key=Upper("name")).filter(key__in=list(wanted.index))
    ids, new, retyped = {}, {}, []
    for key, pk, trust_type in stored.values_list("key", "pk", "trust_type"):
        ids[key] = pk
        incoming = wanted.at[key, "trust_type"]
        if incoming != Trust.TrustType.OTHER and incoming != trust_type:
            retyped.append(Trust(pk=pk, trust_type=incoming))
    for key, row in wanted.loc[~wanted.index.isin(list(ids))].iterrows():
        ids[key] = -(len(new) + 1)
        new[ids[key]] = Trust(name=row["trust_name"], trust_type=row["trust_type"])
    trust_ids = frame["trust_name"].astype("str").str.upper().map(ids).astype("Int64")
    return trust_ids.astype(object).where(trust_ids.notna(), None), new, retyped


def _stored(urns: list[int]) -> pd.DataFrame:
    """The register's current values for these URNs, one row per school, indexed by URN."""
    values = values_where_in(School.objects.all(), "urn", urns, *ATTNAMES)
    columns = list(zip(*values, strict=True)) if values else [[] for _ in ATTNAMES]
    stored = {
        name: pd.Series(col, dtype=object) for name, col in zip(ATTNAMES, columns, strict=True)
    }
    return pd.DataFrame(stored).set_index("urn", drop=False)


def _differs(incoming: pd.Series, stored: pd.Series) -> pd.Series:
    """Vectorised "not equal", where two missing values are equal."""
    same = incoming.eq(stored) | (incoming.isna() & stored.isna())
    return ~same.fillna(False).astype(bool)


def _plan(rows: GiasRows) -> _Plan:
    """Which schools are new and which changed (and in which columns), compared in bulk."""
    frame = rows.frame.drop(columns=["row"])
    attnames = [name if name != "trust" else "trust_id" for name in rows.fields]
    new_trusts, retyped = {}, []
    if "trust_id" in attnames:
        frame["trust_id"], new_trusts, retyped = _trust_ids(frame)
    incoming = frame[attnames].set_index("urn", drop=False)
    stored = _stored(incoming.index.tolist()).reindex(incoming.index)
    is_new = stored["id"].isna()
    differs = pd.DataFrame(
        {name: _differs(incoming[name], stored[name]) for name in attnames if name != "urn"}
    )
    changed = differs.any(axis=1) & ~is_new
    changed_fields = [name for name in differs if differs.loc[changed, name].any()]
    creating = pd.DataFrame(DEFAULTS, index=incoming.index[is_new]).astype(object)
    creating[attnames] = incoming.loc[is_new, attnames]
    updating = incoming.loc[changed, ["urn", *changed_fields]].assign(id=stored.loc[changed, "id"])
    return _Plan(
        new=_plain(creating[ATTNAMES]),
        changed=_plain(updating),
        changed_fields=changed_fields,
        new_trusts=new_trusts,
        retyped_trusts=retyped,
    )


def _plain(frame: pd.DataFrame) -> pd.DataFrame:
    """Plain Python values, None when missing, as the database adapters take them."""
    frame = frame.astype(object)
    return frame.where(frame.notna(), None).reset_index(drop=True)


def _batches(frame: pd.DataFrame) -> Iterable[pd.DataFrame]:
    size = BATCH_SIZE if set_based() else SQLITE_CHUNK
    for start in range(0, len(frame), size):
        yield frame.iloc[start : start + size]


_JSON = msgspec.json.Encoder(enc_hook=str)


def _given(batch: pd.DataFrame, names: list[str]) -> tuple[str, list[str], list[str]]:
    """A subquery of these School columns of the batch, typed, from one JSON array per column;
    its quoted column names; and the parameters. JSON arrays rather than psycopg2's ARRAY[...]
    lists, which PostgreSQL parses value by value: this halves the time of inserting."""
    fields = [School._meta.get_field(name) for name in names]
    columns = [connection.ops.quote_name(f.column) for f in fields]
    typed = ", ".join(f"{c}::{_db_type(f)} AS {c}" for c, f in zip(columns, fields, strict=True))
    arrays = ", ".join(["json_array_elements_text(%s::json)"] * len(fields))
    sql = f"(SELECT {typed} FROM ROWS FROM ({arrays}) AS given ({', '.join(columns)}))"
    # Dates become ISO 8601 text, which PostgreSQL reads whatever its DateStyle; msgspec writes
    # the arrays about three times as fast as json (anything else it does not know, as text).
    params = [_JSON.encode(batch[name].tolist()).decode() for name in names]
    return sql, columns, params


def _db_type(field: Field) -> str:
    # Text stays unbounded so that storing too long a value fails, as a cast to varchar(n)
    # would quietly cut it short.
    if field.get_internal_type() in ("CharField", "TextField"):
        return "text"
    return field.cast_db_type(connection)


def _create(batch: pd.DataFrame) -> None:
    """Insert these schools: one statement on PostgreSQL, ``bulk_create`` elsewhere."""
    if not set_based():
        School.objects.bulk_create([School(**values) for values in batch.to_dict("records")])
        return
    given, columns, params = _given(batch, [name for name in ATTNAMES if name != "id"])
    sql = f"INSERT INTO {_table(School)} ({', '.join(columns)}) SELECT * FROM {given} AS new"
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def _update(batch: pd.DataFrame, names: list[str]) -> None:
    """Write the changed columns of these schools: one statement on PostgreSQL."""
    if not set_based():
        fields = [School._meta.get_field(name).name for name in names]
        schools = [School(**values) for values in batch.to_dict("records")]
        School.objects.bulk_update(schools, fields)
        return
    given, columns, params = _given(batch, ["urn", *names])
    assign = ", ".join(f"{column} = new.{column}" for column in columns[1:])
    urn = columns[0]
    sql = (
        f"UPDATE {_table(School)} AS school SET {assign} FROM {given} AS new "
        f"WHERE school.{urn} = new.{urn}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def _table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _history_copy(urns: list[int], history_type: str, when: datetime, user) -> None:
    """Record these schools as they now are in the audit trail, by one INSERT ... SELECT."""
    if not getattr(settings, "SIMPLE_HISTORY_ENABLED", True):
        return
    quote, meta = connection.ops.quote_name, HISTORY._meta
    # simple_history gives each tracked field the same column in the history table.
    tracked = [quote(f.column) for f in HISTORY.tracked_fields]
    extra = ["history_date", "history_type", "history_user", "history_change_reason"]
    columns = tracked + [quote(meta.get_field(name).column) for name in extra]
    if set_based():
        where, values = "= ANY(%s::integer[])", [urns]
    else:
        where, values = f"IN ({', '.join(['%s'] * len(urns))})", urns
    sql = (
        f"INSERT INTO {_table(HISTORY)} ({', '.join(columns)}) "
        f"SELECT {', '.join(tracked)}, %s, %s, %s, %s FROM {_table(School)} "
        f"WHERE {quote('urn')} {where} ORDER BY {quote('id')}"
    )
    date = meta.get_field("history_date").get_db_prep_value(when, connection)
    params = [date, history_type, getattr(user, "pk", None), CHANGE_REASON, *values]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def _write(plan: _Plan, by: User | None) -> None:
    """Create new trusts, then create and update schools, each batch with its history."""
    when = timezone.now()
    user = by if getattr(by, "pk", None) else None
    if plan.new_trusts:
        Trust.objects.bulk_create(plan.new_trusts.values(), batch_size=TRUST_BATCH_SIZE)
    if plan.retyped_trusts:
        Trust.objects.bulk_update(plan.retyped_trusts, ["trust_type"], batch_size=TRUST_BATCH_SIZE)
    created = {placeholder: trust.pk for placeholder, trust in plan.new_trusts.items()}
    for frame in (plan.new, plan.changed):
        if created and "trust_id" in frame:
            ids = [created.get(pk, pk) for pk in frame["trust_id"]]
            frame["trust_id"] = pd.Series(ids, index=frame.index, dtype=object)
    for batch in _batches(plan.new):
        _create(batch)
        _history_copy(batch["urn"].tolist(), "+", when, user)
    for batch in _batches(plan.changed):
        _update(batch, plan.changed_fields)
        _history_copy(batch["urn"].tolist(), "~", when, user)


def gias_import(
    *,
    data: bytes,
    la_codes: Iterable[str] | None = None,
    dry_run: bool = False,
    by=None,
    progress: ProgressCallback | None = None,
) -> GiasImportResult:
    """Create and update schools and trusts from a GIAS download: all of it, or nothing."""
    report = progress or (lambda percent, stage: None)
    rows = gias_file_read(data=data, la_codes=la_codes, progress=report)
    if rows.errors:
        return GiasImportResult(errors=rows.errors, dry_run=dry_run)
    report(50, f"Comparing {len(rows.frame):,} schools with the register")
    plan = _plan(rows)
    result = GiasImportResult(
        created=len(plan.new),
        updated=len(plan.changed),
        unchanged=len(rows.frame) - len(plan.new) - len(plan.changed),
        skipped=rows.skipped,
        dry_run=dry_run,
    )
    if dry_run or not (result.created or result.updated or plan.retyped_trusts):
        return result
    report(70, f"Saving {result.created + result.updated:,} schools")
    with transaction.atomic():
        _write(plan, by)
    return result


def gias_import_enqueue(*, data: bytes, filename: str, la_codes: list[str], by) -> Job:
    """Keep the uploaded file as a queued import job, and start it once that is committed."""
    from .tasks import gias_import_task

    with transaction.atomic():
        job = job_create(
            kind=GIAS_IMPORT,
            created_by=by,
            data=data,
            filename=filename,
            options={"la_codes": la_codes},
        )
        transaction.on_commit(lambda: gias_import_task.delay(job_id=job.pk))
    return job


def gias_import_jobs(*, limit: int = 20) -> QuerySet[Job]:
    """Past register imports, newest first, with who started them and their counts (not their
    whole result, which lists problems)."""
    jobs = Job.objects.filter(kind=GIAS_IMPORT).outlined(counts="counts")
    return jobs.select_related("created_by")[:limit]
