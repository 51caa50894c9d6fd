"""The performance data import: one service behind the command, the upload page and the task.

The readers (``categorisation.imports``) turn a file into validated values; this module matches
URNs to the register in one query and writes the release, its values and England's values in
bulk, in one transaction. A later release of the same year and measure supersedes the earlier
one for the schools it covers (``is_current``) without deleting it; a release of an earlier
stage than the current one (a provisional file after the final one) is kept but not current.
The same file twice (by SHA-256) is recognised and changes nothing.

A KS2 or KS4 file's prior-year columns (``PTRWM_EXP_18``, ``P8MEA_PREV``) are written as one
release per earlier year, of stage ``prior_year`` and ``from_release`` the file's own release:
the lowest stage, so the year's own file supersedes them whether it is imported before or after.
"""

from __future__ import annotations

import hashlib
import logging

import pandas as pd
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import QuerySet

from categorisation.jobs import PERFORMANCE_IMPORT
from kernel.bulk import values_where_in
from kernel.jobs import JobInputInvalid, file_checksum, job_create, job_progress, job_run
from kernel.models import Job
from schools.models import School

from .import_results import PerformanceImportResult
from .imports import PerformanceRows, ProgressCallback, ReadOptions, performance_file_read
from .measures import measures_ensure
from .models import DataRelease, Measure, ReleaseStage, Source, Unit
from .value_writes import national_values_write, release_values_write

__all__ = ["PerformanceImportResult", "performance_import", "performance_import_enqueue"]

logger = logging.getLogger(__name__)
# Serialises imports so that two never make the same school's value current at once.
LOCK_KEY = 4_041_987_311


def _school_ids(urns: pd.Series) -> pd.Series:
    """The register's school id of each URN (NaN when it is not on the register)."""
    wanted = sorted({int(urn) for urn in urns.dropna().unique()})
    ids = dict(values_where_in(School.objects.all(), "urn", wanted, "urn", "id"))
    # Looked up once per distinct URN (a template repeats each one for every measure and year)
    known = pd.Series(ids, dtype="float64")
    numbers, distinct = pd.factorize(urns, use_na_sentinel=False)
    found = known.reindex(pd.Index(distinct, dtype="float64")).to_numpy()
    return pd.Series(found[numbers], index=urns.index)


def _match(rows: PerformanceRows, result: PerformanceImportResult) -> pd.DataFrame:
    """The values of schools on the register (with ``school_id``); the rest are counted."""
    values = rows.values.assign(school_id=_school_ids(rows.values["urn"]))
    known = values["school_id"].notna()
    result.unknown_urns = sorted(int(u) for u in values.loc[~known, "urn"].dropna().unique())
    values = values[known]
    own = values["academic_year"].eq(rows.year) | ~values["academic_year"].isin(rows.prior_years)
    result.schools_matched = int(values["school_id"].nunique())
    result.values_written = int(own.sum())
    result.prior_years = rows.prior_years
    result.prior_year_values_written = len(values) - result.values_written
    prior_national = rows.national["academic_year"].isin(rows.prior_years)
    result.national_values_written = int((~prior_national).sum())
    result.prior_year_national_written = int(prior_national.sum())
    missing = values.loc[own & values["missing_reason"].ne(""), "missing_reason"]
    missing = missing.value_counts()
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


def _prior_year_releases(rows: PerformanceRows, release: DataRelease) -> dict[str, DataRelease]:
    """A release of stage ``prior_year`` for each earlier year the file's prior-year columns
    give, each named after the file it came from (``from_release``)."""
    releases = [
        DataRelease(
            source=release.source,
            academic_year=year,
            stage=ReleaseStage.PRIOR_YEAR,
            job=None,
            # Unique like any release's, and never the checksum of a file
            checksum=hashlib.sha256(f"{release.checksum}:{year}".encode()).hexdigest(),
            original_filename=release.original_filename,
            imported_at=release.imported_at,
            imported_by=release.imported_by,
            from_release=release,
        )
        for year in rows.prior_years
    ]
    DataRelease.objects.bulk_create(releases)
    return {child.academic_year: child for child in releases}


def _write(rows: PerformanceRows, values: pd.DataFrame, release: DataRelease, result) -> None:
    """Measures, the release, its values and England's values, and the file's prior-year
    values as releases of their own years; counts what they superseded on ``result``."""
    ids = measures_ensure()
    if rows.new_measures:
        _create_measures(rows.new_measures)
        ids = dict(Measure.objects.values_list("code", "id"))
    release.save()
    prior = values["academic_year"].isin(rows.prior_years)
    if not values[~prior].empty:
        result.superseded = release_values_write(release=release, values=values[~prior], ids=ids)
    national, stages = rows.national, {}
    if rows.prior_years:
        releases = _prior_year_releases(rows, release)
        pks = {year: child.pk for year, child in releases.items()}
        stages = {pk: ReleaseStage.PRIOR_YEAR for pk in pks.values()}
        earlier = values[prior].assign(release_id=values.loc[prior, "academic_year"].map(pks))
        if not earlier.empty:
            result.prior_year_superseded = release_values_write(
                release=releases[rows.prior_years[0]], values=earlier, ids=ids
            )
        national = national.assign(
            release_id=national["academic_year"].map(pks).fillna(release.pk).astype("int64")
        )
    national_values_write(national=national, release=release, ids=ids, stages=stages)


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
        _write(rows, values, release, result)
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
