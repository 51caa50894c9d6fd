"""What every uploaded file must pass, shared by the upload forms, the import services (so the
commands and tasks are bounded too) and the file readers.

- **Size**: at most ``max_bytes`` for its kind of upload (``settings.UPLOAD_LIMITS``).
- **What it is**: the first bytes must be what the name says: CSV text (no NUL or other control
  bytes, no signature of a ZIP, PDF, image or old Excel file), or an XLSX workbook (a ZIP).
- **Rows**: at most ``max_rows`` records, counted while reading so a reader stops early.
- **Problems**: a reader keeps the first ``PROBLEMS_KEPT`` problems and counts the rest; the last
  problem a check keeps carries ``more``, the number it found after that one and did not keep.

A file that fails any of these is refused with ``UploadRefused``, whose message is shown as is.
"""

from __future__ import annotations

import heapq
import io
import itertools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import IO, TypeVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import InMemoryUploadedFile, UploadedFile
from django.core.files.uploadhandler import FileUploadHandler

PROBLEMS_KEPT = 200
# How much of the start of a file is sniffed.
HEAD_BYTES = 1024
ZIP_MAGIC = b"PK\x03\x04"
# Signatures of files that are not text, in any case not CSV.
BINARY_MAGIC = (
    ZIP_MAGIC,
    b"PK\x05\x06",  # an empty ZIP
    b"%PDF",
    b"\x89PNG",
    b"\xff\xd8\xff",  # JPEG
    b"GIF8",
    b"\xd0\xcf\x11\xe0",  # an old Excel (.xls) or Word file
    b"\x1f\x8b",  # gzip
    b"7z\xbc\xaf",
    b"Rar!",
)
# Control bytes no CSV holds: all below space except tab, line feed, form feed, carriage return
# and the old end-of-file mark (0x1A) that some DOS-era exports add.
CONTROL_BYTES = bytes(b for b in range(32) if b not in (9, 10, 12, 13, 26)) + b"\x7f"
NOT_CSV = "The selected file is not a CSV file: save it as CSV (UTF-8) and upload it again"
NOT_XLSX = (
    "The selected file is not an XLSX workbook: save it as an Excel workbook (.xlsx), or as "
    "CSV, and upload it again"
)

T = TypeVar("T")


class UploadRefused(ValidationError):
    """The whole file is refused (too big, too long, not what it claims): ``message`` says why."""

    def __init__(self, message: str) -> None:
        super().__init__(message)


def megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):,.3g} MB"


@dataclass(frozen=True)
class UploadLimits:
    """How big a file of one kind of upload may be, in bytes and in rows (records of data)."""

    max_bytes: int
    max_rows: int

    @property
    def too_big(self) -> str:
        return f"The selected file must be smaller than {megabytes(self.max_bytes)}"

    @property
    def too_long(self) -> str:
        return (
            f"The file has more than {self.max_rows:,} rows: upload a file of "
            f"{self.max_rows:,} rows or fewer, for example one for each local authority"
        )

    def size_check(self, size: int) -> None:
        """Refuse a file over ``max_bytes``."""
        if size > self.max_bytes:
            raise UploadRefused(self.too_big)

    def rows_check(self, count: int) -> None:
        """Refuse a file of more than ``max_rows`` records."""
        if count > self.max_rows:
            raise UploadRefused(self.too_long)

    def rows_counted(self, records: Iterable[T]) -> Iterator[T]:
        """The records, refusing the file as soon as one more than ``max_rows`` is read."""
        for count, record in enumerate(records, 1):
            if count > self.max_rows:
                raise UploadRefused(self.too_long)
            yield record


def upload_limits(kind: str) -> UploadLimits:
    """The limits of this kind of upload (``gias``, ``performance``, ``template``,
    ``structure``) from ``settings.UPLOAD_LIMITS``."""
    return UploadLimits(**settings.UPLOAD_LIMITS[kind])


def file_type(name: str, head: bytes, allowed: Iterable[str] = ("csv",)) -> str:
    """The type a file claims to be (``csv`` or ``xlsx``): by its name's extension, else, if
    both are allowed, by whether it starts like a ZIP."""
    allowed = tuple(allowed)
    extension = name.lower().rsplit(".", 1)[-1] if "." in name else ""
    if extension in allowed:
        return extension
    if "xlsx" in allowed and (head.startswith(ZIP_MAGIC) or "csv" not in allowed):
        return "xlsx"
    return "csv"


def upload_sniff(head: bytes, *, name: str, allowed: Iterable[str] = ("csv",)) -> str:
    """The file's type, once its first bytes show it is what it claims; refused otherwise."""
    kind = file_type(name, head, allowed)
    head = head[:HEAD_BYTES]
    if kind == "xlsx":
        if not head.startswith(ZIP_MAGIC):
            raise UploadRefused(NOT_XLSX)
        return kind
    # Random bytes hold a control byte within the first few dozen; UTF-16 text holds NULs.
    if head.startswith(BINARY_MAGIC) or any(byte in CONTROL_BYTES for byte in head):
        raise UploadRefused(NOT_CSV)
    return kind


def upload_check(
    *, data: bytes, name: str, limits: UploadLimits, allowed: Iterable[str] = ("csv",)
) -> str:
    """Refuse a file's bytes if too big or not what the name says; return its type."""
    limits.size_check(len(data))
    return upload_sniff(data[:HEAD_BYTES], name=name, allowed=allowed)


def upload_file_check(
    upload: IO[bytes], *, name: str, size: int, kind: str, allowed: Iterable[str] = ("csv",)
) -> str:
    """``upload_check`` on an uploaded file, reading only its first bytes (for forms)."""
    upload_limits(kind).size_check(size)
    upload.seek(0)
    head = upload.read(HEAD_BYTES)
    upload.seek(0)
    return upload_sniff(head, name=name, allowed=allowed)


# Problems ------------------------------------------------------------------------------------


def problems_total(problems: Iterable[dict]) -> int:
    """How many problems there are, counting those found but not kept (``more``)."""
    return sum(1 + problem.get("more", 0) for problem in problems)


def problems_kept(problems: list[dict], *, total: int | None = None) -> tuple[list[dict], int]:
    """The first ``PROBLEMS_KEPT`` problems by row, without ``more``; and the total."""
    total = problems_total(problems) if total is None else total
    first = heapq.nsmallest(PROBLEMS_KEPT, problems, key=lambda problem: problem["row"] or 0)
    return [{k: v for k, v in problem.items() if k != "more"} for problem in first], total


def problems_result(result: dict) -> dict:
    """A job's result with its ``errors`` cut to the first ``PROBLEMS_KEPT`` and their total
    in ``problem_total`` (what the pages show: "Showing the first 200 of 380,454 problems")."""
    errors = result.get("errors")
    if not errors:
        return result
    kept, total = problems_kept(errors, total=result.get("problem_total"))
    return {**result, "errors": kept, "problem_total": total}


def problems_capped(found: Iterable[dict], count: int | None = None) -> list[dict]:
    """The first ``PROBLEMS_KEPT`` of one check's problems (found in row order); the last kept
    carries ``more`` if the check found more. ``count``: how many there are, if known (then
    ``found`` need only give the first ones)."""
    found = iter(found)
    kept = list(itertools.islice(found, PROBLEMS_KEPT))
    more = count - len(kept) if count is not None else sum(1 for _ in found)
    if more > 0:
        kept[-1] = {**kept[-1], "more": more}
    return kept


class Problems:
    """Problems found in any order: the first ``PROBLEMS_KEPT`` by row (then column) are kept,
    all are counted, so a file with a problem on every row needs no list of every problem."""

    def __init__(self) -> None:
        self._heap: list[tuple] = []
        self._added = 0
        self.total = 0

    def add(self, row: int | None, column: str, message: str) -> None:
        self.total += 1
        self._added += 1
        # A max-heap (by negated keys) of the smallest rows seen, at most PROBLEMS_KEPT long.
        entry = (-(row or 0), _Reversed(column), -self._added, row, message)
        if len(self._heap) < PROBLEMS_KEPT:
            heapq.heappush(self._heap, entry)
        elif entry > self._heap[0]:
            heapq.heapreplace(self._heap, entry)

    def __bool__(self) -> bool:
        return self.total > 0

    def __len__(self) -> int:
        return self.total

    def as_list(self) -> list[dict]:
        """The kept problems by row and column; the last carries ``more`` if any were dropped."""
        ordered = sorted(self._heap, reverse=True)
        kept = [{"row": e[3], "column": e[1].value, "message": e[4]} for e in ordered]
        if self.total > len(kept):
            kept[-1]["more"] = self.total - len(kept)
        return kept


class _Reversed:
    """A string that sorts backwards, so a max-heap of negated keys keeps columns in order."""

    __slots__ = ("value",)

    def __init__(self, value: str) -> None:
        self.value = value

    def __lt__(self, other: _Reversed) -> bool:
        return self.value > other.value

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Reversed) and self.value == other.value


# Receiving uploads ---------------------------------------------------------------------------


class UploadSizeHandler(FileUploadHandler):
    """First of ``FILE_UPLOAD_HANDLERS``: past the largest upload limit the rest of a file is
    counted but not stored, so a huge upload fills neither memory nor disk; the form then sees
    an empty file of the real size and says it is too big."""

    def new_file(self, *args, **kwargs) -> None:
        super().new_file(*args, **kwargs)
        self.limit = max(limits["max_bytes"] for limits in settings.UPLOAD_LIMITS.values())
        self.received = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        self.received += len(raw_data)
        return raw_data if self.received <= self.limit else None

    def file_complete(self, file_size: int) -> UploadedFile | None:
        if self.received <= self.limit:
            return None  # the next handler has the whole file
        return InMemoryUploadedFile(
            io.BytesIO(),
            self.field_name,
            self.file_name,
            self.content_type,
            self.received,
            self.charset,
            self.content_type_extra,
        )
