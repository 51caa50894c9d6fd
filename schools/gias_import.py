"""The register import from GIAS: one service behind the command, the upload page and the task.

The reader (``schools.imports``) turns the file into validated School field values; this module
compares them with the register in bulk, then creates and updates schools (and their trusts) in
one transaction, recording the audit trail with the importing user. Schools are never deleted,
and the ``opted_out*`` fields are never touched.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import pandas as pd
from django.db import connection, transaction
from django.db.models import QuerySet
from django.db.models.expressions import RawSQL
from django.db.models.functions import Upper
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from partnership.jobs import job_create
from partnership.models import Job

from .imports import GiasRows, ProgressCallback, gias_file_read
from .models import School, Trust

CHANGE_REASON = "GIAS import"
BATCH_SIZE = 1000
ATTNAMES = [f.attname for f in School._meta.concrete_fields]
DEFAULTS = {f.attname: f.get_default() for f in School._meta.concrete_fields}


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

    def as_dict(self) -> dict:
        return {**self.counts, "errors": self.errors}

    @property
    def summary(self) -> str:
        if self.errors:
            count = len(self.errors)
            return f"The file has {count} problem{'s' if count != 1 else ''}. Nothing was changed."
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
    new: list[School]
    changed: list[School]
    fields: list[str]
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


SQLITE_CHUNK = 900


def _stored(urns: list[int]) -> pd.DataFrame:
    """The register's current values for these URNs, one row per school, indexed by URN."""
    if connection.vendor == "postgresql":
        # One array parameter rather than tens of thousands of IN (...) parameters.
        wanted = RawSQL("SELECT unnest(%s::integer[])", [urns])
        values = list(School.objects.filter(urn__in=wanted).values_list(*ATTNAMES))
    else:  # SQLite (make run) limits the number of parameters in one statement
        values = []
        for start in range(0, len(urns), SQLITE_CHUNK):
            chunk = urns[start : start + SQLITE_CHUNK]
            values += School.objects.filter(urn__in=chunk).values_list(*ATTNAMES)
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
    """Which schools are new and which changed, built as full School objects."""
    frame = rows.frame.drop(columns=["row"])
    attnames = [name if name != "trust" else "trust_id" for name in rows.fields]
    new_trusts, retyped = {}, []
    if "trust_id" in attnames:
        frame["trust_id"], new_trusts, retyped = _trust_ids(frame)
    incoming = frame[attnames].set_index("urn", drop=False)
    stored = _stored(incoming.index.tolist()).reindex(incoming.index)
    is_new = stored["id"].isna()
    changed = pd.Series(False, index=incoming.index)
    for name in attnames:
        changed |= _differs(incoming[name], stored[name])
    changed &= ~is_new
    creating = pd.DataFrame(DEFAULTS, index=incoming.index[is_new]).astype(object)
    creating[attnames] = incoming.loc[is_new, attnames]
    updating = stored[changed].copy()
    updating[attnames] = incoming.loc[changed, attnames]
    return _Plan(
        new=_schools(creating),
        changed=_schools(updating),
        fields=[name for name in rows.fields if name != "urn"],
        new_trusts=new_trusts,
        retyped_trusts=retyped,
    )


def _schools(frame: pd.DataFrame) -> list[School]:
    frame = frame[ATTNAMES].astype(object)
    frame = frame.where(frame.notna(), None)
    return [School(*values) for values in frame.itertuples(index=False, name=None)]


def _write(plan: _Plan, by) -> None:
    """Create new trusts, then create and update schools with their history, in bulk."""
    when = timezone.now()
    user = by if getattr(by, "pk", None) else None
    if plan.new_trusts:
        Trust.objects.bulk_create(plan.new_trusts.values(), batch_size=BATCH_SIZE)
    if plan.retyped_trusts:
        Trust.objects.bulk_update(plan.retyped_trusts, ["trust_type"], batch_size=BATCH_SIZE)
    for school in (*plan.new, *plan.changed):
        if school.trust_id is not None and school.trust_id < 0:
            school.trust_id = plan.new_trusts[school.trust_id].pk
    history = {"default_user": user, "default_change_reason": CHANGE_REASON, "default_date": when}
    if plan.new:
        bulk_create_with_history(plan.new, School, batch_size=BATCH_SIZE, **history)
    if plan.changed:
        bulk_update_with_history(
            plan.changed, School, fields=plan.fields, batch_size=BATCH_SIZE // 2, **history
        )


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
    if dry_run or not (plan.new or plan.changed or plan.retyped_trusts):
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
            kind=Job.Kind.GIAS_IMPORT,
            created_by=by,
            data=data,
            filename=filename,
            options={"la_codes": la_codes},
        )
        transaction.on_commit(lambda: gias_import_task.delay(job_id=job.pk))
    return job


def gias_import_jobs(*, limit: int = 20) -> QuerySet[Job]:
    """Past register imports, newest first, with who started them."""
    return Job.objects.filter(kind=Job.Kind.GIAS_IMPORT).select_related("created_by")[:limit]
