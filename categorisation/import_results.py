"""What a performance data import did, as the command, the upload page and the job show it."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils import timezone

from kernel.uploads import PROBLEMS_KEPT, problems_kept

from .models import DataRelease, MissingReason, ReleaseStage, Source


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
    values_written: int = 0  # of the file's own year
    national_values_written: int = 0
    superseded: int = 0
    # From the file's prior-year columns (PTRWM_EXP_18, P8MEA_PREV): values of earlier years
    prior_years: list[str] = field(default_factory=list)
    prior_year_values_written: int = 0
    prior_year_national_written: int = 0
    prior_year_superseded: int = 0
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
            return (
                f"Dry run, nothing was changed: the import would write {done}{self.prior_year_text}"
            )
        superseded = f"; {self.superseded:,} earlier values superseded" if self.superseded else ""
        return f"Written: {done}{superseded}{self.prior_year_text}"

    @property
    def prior_year_text(self) -> str:
        """The values of earlier years the file's prior-year columns gave, if any."""
        if not self.prior_year_values_written:
            return ""
        years = " and ".join(filter(None, [", ".join(self.prior_years[:-1]), self.prior_years[-1]]))
        return (
            f"; also {self.prior_year_values_written:,} values for {years} from the file's "
            "prior-year columns, until those years' own files are imported"
        )

    def as_dict(self) -> dict:
        errors, total = self.problems
        return {
            "kind": self.kind,
            "year": self.year,
            "stage": self.stage,
            "rows": self.rows,
            "schools_matched": self.schools_matched,
            # An England-wide file names every school in the country: keep the first few
            "unknown_urns": self.unknown_urns[:PROBLEMS_KEPT],
            "unknown_urn_total": len(self.unknown_urns),
            "prior_years": self.prior_years,
            "prior_year_values_written": self.prior_year_values_written,
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
        if self.prior_years:
            counts["Earlier years from prior-year columns"] = ", ".join(self.prior_years)
            counts["Values written for earlier years"] = self.prior_year_values_written
            counts["England values written for earlier years"] = self.prior_year_national_written
        for reason, count in self.missing_by_reason.items():
            counts[f"Missing: {MissingReason(reason).label.lower()} ({reason})"] = count
        return counts
