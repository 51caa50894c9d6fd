"""``manage.py import_performance FILE [--kind KIND] [--year 2018-2019] [--stage STAGE]
[--create-measures] [--dry-run] [--json]``: import a file of performance data."""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from categorisation.jobs import PERFORMANCE_IMPORT
from categorisation.models import ReleaseStage, Source
from categorisation.performance_import import (
    PerformanceImportResult,
    performance_import,
    performance_import_job_run,
)
from kernel.jobs import job_create
from kernel.uploads import PROBLEMS_KEPT, UploadRefused, upload_limits


class Command(BaseCommand):
    help = (
        "Import performance data (KS2 or KS4 performance tables, Ofsted management information, "
        "a GIAS download's Ofsted fields, or the LA template), CSV or XLSX. A file with any "
        "problem changes nothing; the same file twice is recognised and changes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="the CSV or XLSX file")
        parser.add_argument(
            "--kind", choices=Source.values, help="the kind of file (default: from its columns)"
        )
        parser.add_argument(
            "--year", help="the academic year, like 2018-2019 (default: from the file name)"
        )
        parser.add_argument(
            "--stage",
            choices=[stage for stage in ReleaseStage.values if stage != ReleaseStage.PRIOR_YEAR],
            help="the release (default: from the file name, else final)",
        )
        parser.add_argument(
            "--create-measures",
            action="store_true",
            help="LA template: create measures that are not in the catalogue",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="check and count, but change nothing"
        )
        parser.add_argument(
            "--json", action="store_true", help="print one JSON object with the outcome"
        )

    def handle(self, *args, file: Path, dry_run: bool, json: bool, **options) -> None:
        try:
            # Before reading it; the LA template's longer row limit is applied while reading.
            upload_limits("performance").size_check(file.stat().st_size)
            data = file.read_bytes()
        except OSError as exc:
            raise CommandError(f"Cannot read {file}: {exc.strerror}") from exc
        except UploadRefused as refused:
            raise CommandError(refused.message) from refused
        choices = {
            "kind": options["kind"] or "",
            "year": options["year"] or "",
            "stage": options["stage"] or "",
            "create_measures": options["create_measures"],
        }
        if dry_run:
            result = performance_import(data=data, filename=file.name, dry_run=True, **choices)
        else:
            # Kept as a job like an upload: the file and its checksum, in the upload history.
            job = job_create(
                kind=PERFORMANCE_IMPORT,
                created_by=None,
                data=data,
                filename=file.name,
                options=choices,
            )
            result = performance_import_job_run(job=job)
            if result is None:
                job.refresh_from_db()
                raise CommandError(job.error)
        self.stdout.write(_json(result) if json else self._summary(result))
        if result.errors:
            raise CommandError(result.message, returncode=1)

    def _summary(self, result: PerformanceImportResult) -> str:
        errors, total = result.problems
        lines = [f"Row {e['row'] or '–'}, {e['column'] or '–'}: {e['message']}" for e in errors]
        if total > len(errors):
            lines.append(f"Showing the first {len(errors):,} of {total:,} problems")
        if not result.errors:
            lines.append(self.style.SUCCESS(result.message))
            if result.unknown_urns:
                shown = result.unknown_urns[:PROBLEMS_KEPT]
                urns = ", ".join(str(urn) for urn in shown)
                more = len(result.unknown_urns) - len(shown)
                lines.append(
                    f"URNs not on the register: {urns}"
                    + (f" and {more:,} more (outside the register)" if more else "")
                )
        return "\n".join(lines)


def _json(result: PerformanceImportResult) -> str:
    return json.dumps(result.as_dict())
