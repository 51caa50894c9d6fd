"""Reading an XLSX workbook's first worksheet safely, row by row.

A workbook is a ZIP of XML files, so a small upload can unpack to something huge (a 622 KB file
held a million rows) or hold XML entity declarations that expand to gigabytes. Before openpyxl
parses it: the archive must open, unpack to at most ``UNPACKED_RATIO`` times the upload limit
(its shared strings, read whole, to at most the limit), and no XML part may declare a DTD or
entities (openpyxl also parses through defusedxml, which refuses entities). Rows are then read
in openpyxl's read-only (streaming) mode and counted against the row limit as they are read,
so a workbook over the limit stops early.

openpyxl's read-only worksheet looks for the sheet's stated size when it is opened, and without
one parses the whole sheet to find it: ``_StreamedSheet`` skips that (the size is not used).
"""

from __future__ import annotations

import io
import zipfile
import zlib
from collections.abc import Iterator
from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException
from openpyxl.reader.excel import ExcelReader
from openpyxl.worksheet._read_only import ReadOnlyWorksheet

from kernel.uploads import UploadLimits, UploadRefused, megabytes

INVALID = "The file is not a valid XLSX workbook"
NO_SHEETS = f"{INVALID}: it has no worksheets"
ENTITIES = (
    "The workbook contains XML entity declarations, which are not allowed: save it again from "
    "Excel, or as CSV, and upload it again"
)
# A spreadsheet's XML packs to about a tenth of its size; five times the upload limit is
# far more than any real workbook of that size unpacks to.
UNPACKED_RATIO = 5
# A DTD comes before an XML document's first element, so within its first bytes.
PROLOGUE_BYTES = 64 * 1024
DAMAGE = (zipfile.BadZipFile, zlib.error, EOFError, ParseError, KeyError, OSError, ValueError)


def damaged(detail: str) -> UploadRefused:
    return UploadRefused(f"{INVALID}: it is damaged ({detail})")


def workbook_check(data: bytes, limits: UploadLimits) -> None:
    """Refuse a workbook that is not a complete ZIP, unpacks to too much, or declares a DTD."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError):
        raise damaged("it is not a complete ZIP archive") from None
    with archive:
        members = archive.infolist()
        unpacked = sum(member.file_size for member in members)
        most = limits.max_bytes * UNPACKED_RATIO
        if unpacked > most:
            raise UploadRefused(
                f"The workbook unpacks to more than {megabytes(most)}: save it as CSV and "
                "upload it again"
            )
        for member in members:
            strings = member.filename.lower().endswith("sharedstrings.xml")
            if strings and member.file_size > limits.max_bytes:
                raise UploadRefused(
                    f"The workbook holds more than {megabytes(limits.max_bytes)} of text: "
                    "save it as CSV and upload it again"
                )
            if member.filename.endswith((".xml", ".rels")):
                _prologue_check(archive, member)


def _prologue_check(archive: zipfile.ZipFile, member: zipfile.ZipInfo) -> None:
    try:
        with archive.open(member) as part:
            start = part.read(PROLOGUE_BYTES)
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as exc:
        raise damaged(f"{member.filename} cannot be unpacked: {exc}") from None
    if b"<!DOCTYPE" in start or b"<!ENTITY" in start:
        raise UploadRefused(ENTITIES)


class _StreamedSheet(ReadOnlyWorksheet):
    """A read-only worksheet that does not parse the whole sheet when opened to find its size."""

    def _get_size(self) -> None:
        pass


class _StreamedReader(ExcelReader):
    """openpyxl's reader, opening each worksheet as a ``_StreamedSheet``."""

    def read_worksheets(self) -> None:
        for entry, rel in self.parser.find_sheets():
            if rel.target in self.valid_files and "chartsheet" not in rel.Type:
                self.wb._sheets.append(
                    _StreamedSheet(self.wb, entry.name, rel.target, self.shared_strings)
                )


def _open(data: bytes):
    reader = _StreamedReader(io.BytesIO(data), read_only=True, data_only=True)
    reader.read()
    return reader.wb


def workbook_rows(data: bytes, *, width: int | None = None) -> Iterator[tuple]:
    """The first worksheet's rows of cells, streamed (``width`` cells each, if given).
    Raises ``UploadRefused`` when the workbook has no worksheet, or is damaged or unsafe."""
    try:
        book = _open(data)
    except DAMAGE as exc:
        raise _refusal(exc) from None
    try:
        if not book.worksheets:
            raise UploadRefused(NO_SHEETS)
        yield from book.worksheets[0].iter_rows(max_col=width)
    except DAMAGE as exc:
        raise _refusal(exc) from None
    finally:
        book.close()


def _refusal(exc: Exception) -> UploadRefused:
    """Entities refused by defusedxml (which openpyxl may wrap), else damage."""
    cause: BaseException | None = exc
    while cause is not None:
        if isinstance(cause, DefusedXmlException):
            return UploadRefused(ENTITIES)
        cause = cause.__cause__ or cause.__context__
    return damaged(_detail(exc))


def _detail(exc: Exception) -> str:
    if isinstance(exc.__cause__, ParseError | KeyError):
        exc = exc.__cause__  # openpyxl's wrapping says only that the XML may be invalid
    if isinstance(exc, ParseError):
        return f"its XML is not complete or not well formed: {exc}"
    if isinstance(exc, KeyError):
        return f"a part is missing: {exc}"
    return f"{exc.__class__.__name__}: {exc}" if str(exc) else exc.__class__.__name__
