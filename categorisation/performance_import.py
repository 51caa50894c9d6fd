"""The performance data import: one service behind the command, the upload page and the task.

The readers (``categorisation.imports``) turn a file into validated values; this module matches
URNs to the register in one query and writes the release, its values and England's values in
bulk, in one transaction. A later release of the same year and measure supersedes the earlier
one for the schools it covers (``is_current``) without deleting it; a release of an earlier
stage than the current one (a provisional file after the final one) is kept but not current.
The same file twice (by SHA-256) is recognised and changes nothing.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

import pandas as pd
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import QuerySet
from django.utils import timezone

from categorisation.jobs import PERFORMANCE_IMPORT
from kernel.bulk import values_where_in
from kernel.jobs import JobInputInvalid, file_checksum, job_create, job_progress, job_run
from kernel.models import Job
from kernel.uploads import problems_kept
from schools.models import School

from .imports import PerformanceRows, ProgressCallback, ReadOptions, performance_file_read
from .measures import measures_ensure
from .models import (
    DataRelease,
    Measure,
    MissingReason,
    NationalValue,
    ReleaseStage,
    Source,
    Unit,
)
from .value_writes import STAGE_RANK, release_values_write

logger = logging.getLogger(__name__)
# Serialises imports so that two never make the same school's value current at once.
LOCK_KEY = 4_041_987_311


@dataclass
class PerformanceImportResult:
    """What an import did (or, for a dry run, would do), or every problem that stopped it."""

    kind: str = ""
    year: str = ""
    stage: str = ""
    filename: str = ""
    rows: int = 0
    schools_matched: int = 0
    unknown_urns: list[int] = field(default_factory=list)
    values_written: int = 0
    national_values_written: int = 0
    superseded: int = 0
    missing_by_reason: dict[str, int] = field(default_factory=dict)
    errors: list[dict] = field(default_factory=list)
    dry_run: bool = False
    already_imported: DataRelease | None = None
    release_id: int | None = None
    run_id: int | None = None

    @property
    def problems(self) -> tuple[list[dict], int]:
        """The first problems by row (``PROBLEMS_KEPT``), and how many there are in all."""
        return problems_kept(self.errors)

    @property
    def message(self) -> str:
        if self.errors:
            count = self.problems[1]
            return (
                f"The file has {count:,} problem{'s' if count != 1 else ''}. Nothing was changed."
            )
        if self.already_imported is not None:
            when = timezone.localtime(self.already_imported.imported_at)
            return (
                f"This file was already imported on {when:%d %B %Y at %H:%M} "
                f"({self.already_imported}). Nothing was changed."
            )
        unknown = len(self.unknown_urns)
        done = (
            f"{self.values_written:,} values for {self.schools_matched:,} schools"
            f"{f'; {unknown:,} URNs are not on the register' if unknown else ''}"
        )
        if self.dry_run:
            return f"Dry run, nothing was changed: the import would write {done}"
        superseded = f"; {self.superseded:,} earlier values superseded" if self.superseded else ""
        return f"Written: {done}{superseded}"

    def as_dict(self) -> dict:
        errors, total = self.problems
        return {
            "kind": self.kind,
            "year": self.year,
            "stage": self.stage,
            "rows": self.rows,
            "schools_matched": self.schools_matched,
            "unknown_urns": self.unknown_urns,
            "values_written": self.values_written,
            "missing_by_reason": self.missing_by_reason,
            "errors": errors,
            "problem_total": total,
            "dry_run": self.dry_run,
            "message": self.message,
        }

    @property
    def counts(self) -> dict:
        """The outcome as the job page shows it, labelled for people."""
        counts = {
            "Kind of file": Source(self.kind).label if self.kind else "–",
            "Academic year": self.year or "–",
            "Release": ReleaseStage(self.stage).label if self.stage else "–",
            "Rows in the file": self.rows,
            "Schools matched": self.schools_matched,
            "URNs not on the register": len(self.unknown_urns),
            "Values written": self.values_written,
            "Earlier values superseded": self.superseded,
            "England values written": self.national_values_written,
        }
        for reason, count in self.missing_by_reason.items():
            counts[f"Missing: {MissingReason(reason).label.lower()} ({reason})"] = count
        return counts


def _school_ids(urns: pd.Series) -> pd.Series:
    """The register's school id of each URN (NaN when it is not on the register)."""
    wanted = sorted({int(urn) for urn in urns.dropna().unique()})
    ids = dict(values_where_in(School.objects.all(), "urn", wanted, "urn", "id"))
    return urns.map(ids)


def _match(rows: PerformanceRows, result: PerformanceImportResult) -> pd.DataFrame:
    """The values of schools on the register (with ``school_id``); the rest are counted."""
    values = rows.values.assign(school_id=_school_ids(rows.values["urn"]))
    known = values["school_id"].notna()
    result.unknown_urns = sorted(int(u) for u in values.loc[~known, "urn"].dropna().unique())
    values = values[known]
    result.schools_matched = int(values["school_id"].nunique())
    result.values_written = len(values)
    result.national_values_written = len(rows.national)
    missing = values.loc[values["missing_reason"].ne(""), "missing_reason"].value_counts()
    result.missing_by_reason = {str(k): int(v) for k, v in sorted(missing.items())}
    return values


def _lock() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK_KEY])


def _create_measures(codes: list[str]) -> None:
    """Measures the LA template names that are not in the catalogue (``create_measures``)."""
    Measure.objects.bulk_create(
        [
            Measure(
                code=code,
                label=code.replace("_", " ").capitalize(),
                unit=Unit.SCORE,
                source=Source.TEMPLATE,
                description="Created by an LA template import",
            )
            for code in codes
        ],
        ignore_conflicts=True,
    )


def _write_national(national: pd.DataFrame, release: DataRelease, ids: dict[str, int]) -> None:
    """England's values; they supersede current ones of the same or an earlier stage.

    Set-based: one query reads the current values of the file's measures and years, one marks
    those superseded and one inserts the new values, however many measures the file has.
    """
    if national.empty:
        return
    keys = {(ids[row.measure], row.academic_year) for row in national.itertuples(index=False)}
    current = NationalValue.objects.filter(
        measure_id__in={measure for measure, _ in keys},
        academic_year__in={year for _, year in keys},
        is_current=True,
    ).values_list("pk", "measure_id", "academic_year", "release__stage")
    later = {str(s) for s, rank in STAGE_RANK.items() if rank > STAGE_RANK[release.stage]}
    stored: dict[tuple[int, str], list[int]] = {}
    kept = set()  # a current value from a later stage stays current; the new one is not
    for pk, measure_id, year, stage in current:
        if (measure_id, year) in keys:
            stored.setdefault((measure_id, year), []).append(pk)
            if stage in later:
                kept.add((measure_id, year))
    superseded = [pk for key, pks in stored.items() if key not in kept for pk in pks]
    if superseded:
        NationalValue.objects.filter(pk__in=superseded).update(is_current=False)
    NationalValue.objects.bulk_create(
        NationalValue(
            measure_id=ids[row.measure],
            academic_year=row.academic_year,
            release=release,
            value=row.value,
            is_current=(ids[row.measure], row.academic_year) not in kept,
        )
        for row in national.itertuples(index=False)
    )


def _start_categorisation(
    *, filename: str, by, job: Job | None, result: PerformanceImportResult
) -> None:
    """Start an official run with the adopted rules, once the import has committed."""
    from .runs import run_create_official

    try:
        run = run_create_official(
            by=by if getattr(by, "pk", None) else None,
            trigger=f"Data upload: {filename}"[:200],
        )
    except ValidationError:
        # The import stands; the officer sees the rules' problem when starting a run by hand.
        logger.warning("No categorisation run after importing %s", filename, exc_info=True)
        return
    if run is None:  # no rules adopted yet
        return
    result.run_id = run.pk
    if job is not None:
        # Usually the job is still running and records the run itself; if it has already
        # finished (callbacks run later under test), add the run to its outcome.
        finished = Job.objects.filter(pk=job.pk, state=Job.State.SUCCEEDED).first()
        if finished is not None:
            finished.result["run_id"] = run.pk
            Job.objects.filter(pk=job.pk).update(result=finished.result)


def _write(rows: PerformanceRows, values: pd.DataFrame, release: DataRelease) -> int:
    """Measures, the release, its values and England's values; the count superseded."""
    ids = measures_ensure()
    if rows.new_measures:
        _create_measures(rows.new_measures)
        ids = dict(Measure.objects.values_list("code", "id"))
    release.save()
    superseded = 0
    if not values.empty:
        superseded = release_values_write(release=release, values=values, ids=ids)
    _write_national(rows.national, release, ids)
    return superseded


def performance_import(
    *,
    data: bytes,
    filename: str = "",
    kind: str = "",
    year: str = "",
    stage: str = "",
    create_measures: bool = False,
    dry_run: bool = False,
    by=None,
    job: Job | None = None,
    progress: ProgressCallback | None = None,
) -> PerformanceImportResult:
    """Write a file's performance values (a new release) and start a categorisation run: all of
    it, or nothing. The same file again changes nothing."""
    report = progress or (lambda percent, stage: None)
    checksum = file_checksum(data)
    earlier = DataRelease.objects.filter(checksum=checksum).first()
    if earlier is not None:
        return _already(earlier, filename, dry_run)
    options = ReadOptions(
        filename=filename,
        kind=kind,
        year=year,
        stage=stage,
        measures=frozenset(Measure.objects.values_list("code", flat=True)),
        create_measures=create_measures,
    )
    rows = performance_file_read(data=data, options=options, progress=report)
    result = PerformanceImportResult(
        kind=rows.kind, year=rows.year, stage=rows.stage, filename=filename, rows=rows.total
    )
    result.dry_run, result.errors = dry_run, rows.errors
    if rows.errors:
        return result
    report(50, f"Matching {len(rows.values):,} values to the register")
    values = _match(rows, result)
    if dry_run:
        return result
    report(70, f"Saving {len(values):,} values")
    return _save(rows=rows, values=values, result=result, checksum=checksum, by=by, job=job)


def _save(*, rows, values, result, checksum: str, by, job) -> PerformanceImportResult:
    """The release and its values in one transaction; a categorisation run once committed."""
    filename = result.filename
    release = DataRelease(
        source=rows.kind,
        academic_year=rows.year,
        stage=rows.stage,
        job=job,
        checksum=checksum,
        original_filename=filename[:255],
        imported_by=by if getattr(by, "pk", None) else None,
    )
    with transaction.atomic():
        _lock()
        earlier = DataRelease.objects.filter(checksum=checksum).first()
        if earlier is not None:  # imported by someone else while this one was reading
            return _already(earlier, filename, dry_run=False)
        release.summary = {
            key: v for key, v in result.as_dict().items() if key not in ("errors", "problem_total")
        }
        result.superseded = _write(rows, values, release)
        result.release_id = release.pk
        transaction.on_commit(
            lambda: _start_categorisation(filename=filename, by=by, job=job, result=result),
            robust=True,
        )
    return result


def _already(release: DataRelease, filename: str, dry_run: bool) -> PerformanceImportResult:
    summary = release.summary or {}
    return PerformanceImportResult(
        kind=release.source,
        year=release.academic_year,
        stage=release.stage,
        filename=filename,
        rows=summary.get("rows", 0),
        dry_run=dry_run,
        already_imported=release,
        release_id=release.pk,
    )


def performance_import_enqueue(*, data: bytes, filename: str, options: dict, by) -> Job:
    """Keep the uploaded file as a queued import job, and start it once that is committed."""
    from .tasks import performance_import_task

    with transaction.atomic():
        job = job_create(
            kind=PERFORMANCE_IMPORT,
            created_by=by,
            data=data,
            filename=filename,
            options=options,
        )
        transaction.on_commit(lambda: performance_import_task.delay(job_id=job.pk))
    return job


def performance_import_job_run(*, job: Job) -> PerformanceImportResult | None:
    """Run a queued import job through the service and record its outcome on the job."""
    # The command prints the service's own result, problems and all, so keep it.
    imported: PerformanceImportResult | None = None

    def work(data: bytes) -> dict:
        nonlocal imported
        options = {k: job.options.get(k) for k in ("kind", "year", "stage", "create_measures")}
        imported = result = performance_import(
            data=data,
            filename=job.original_filename,
            **{k: v for k, v in options.items() if v},
            by=job.created_by,
            job=job,
            progress=job_progress(job=job),
        )
        outcome = {"summary": result.message, "import": result.as_dict(), "run_id": result.run_id}
        if result.errors:
            errors, total = result.problems
            raise JobInputInvalid(
                result.message, result={**outcome, "errors": errors, "problem_total": total}
            )
        return {**outcome, "counts": result.counts, "errors": []}

    job_run(job=job, work=work, unexpected="The import stopped unexpectedly. Nothing was changed.")
    return imported


def performance_import_jobs(*, limit: int = 20) -> QuerySet[Job]:
    """Past performance data imports, newest first, with who started them, the release and what
    the history shows of their outcome (not their whole result, which lists problems)."""
    jobs = Job.objects.filter(kind=PERFORMANCE_IMPORT).outlined(
        outcome_kind="import__kind",
        outcome_year="import__year",
        outcome_stage="import__stage",
        values_written="import__values_written",
    )
    return jobs.select_related("created_by", "release")[:limit]
