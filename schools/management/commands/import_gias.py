"""``manage.py import_gias FILE [--la CODE ...] [--dry-run] [--json]``: load a GIAS download."""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kernel.uploads import UploadRefused, upload_limits
from schools.gias_import import GiasImportResult, gias_import


class Command(BaseCommand):
    help = (
        "Create and update the register's state-funded schools from a GIAS establishment "
        "download (CSV). A file with any problem changes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="the GIAS CSV file")
        parser.add_argument(
            "--la",
            dest="la_codes",
            action="extend",
            nargs="+",
            metavar="CODE",
            help="only these LA codes, such as 850 (other rows are counted as skipped)",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="check and count, but change nothing"
        )
        parser.add_argument(
            "--json", action="store_true", help="print one JSON object with the outcome"
        )

    def handle(self, *args, file: Path, la_codes, dry_run: bool, json: bool, **options) -> None:
        try:
            upload_limits("gias").size_check(file.stat().st_size)  # before reading it
            data = file.read_bytes()
        except OSError as exc:
            raise CommandError(f"Cannot read {file}: {exc.strerror}") from exc
        except UploadRefused as refused:
            raise CommandError(refused.message) from refused
        result = gias_import(data=data, la_codes=la_codes, dry_run=dry_run)
        if json:
            self.stdout.write(_json(result))
        else:
            self._print_summary(result)
        if result.errors:
            raise CommandError(result.summary, returncode=1)

    def _print_summary(self, result: GiasImportResult) -> None:
        errors, total = result.problems
        for error in errors:
            self.stdout.write(f"Row {error['row']}, {error['column']}: {error['message']}")
        if total > len(errors):
            self.stdout.write(f"Showing the first {len(errors):,} of {total:,} problems")
        if not result.errors:
            self.stdout.write(self.style.SUCCESS(result.summary))


def _json(result: GiasImportResult) -> str:
    return json.dumps(result.as_dict())
