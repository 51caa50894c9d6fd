"""XLSX workbooks built by hand (a ZIP of a few XML parts), so that tests can make ones no
spreadsheet program would write: a million rows in half a megabyte, no worksheets, cut-off XML,
entity declarations."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable, Iterator

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELATIONSHIPS = "http://schemas.openxmlformats.org/package/2006/relationships"
OFFICE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
CONTENT_TYPES = (
    f"{DECLARATION}<Types "
    'xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>'
)
PACKAGE_RELS = (
    f'{DECLARATION}<Relationships xmlns="{RELATIONSHIPS}"><Relationship Id="rId1" '
    f'Type="{OFFICE}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
WORKBOOK_RELS = (
    f'{DECLARATION}<Relationships xmlns="{RELATIONSHIPS}"><Relationship Id="rId1" '
    f'Type="{OFFICE}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
)


def row(*cells: str) -> str:
    """One row of text cells."""
    return "<row>" + "".join(f'<c t="inlineStr"><is><t>{c}</t></is></c>' for c in cells) + "</row>"


def sheet(rows: str, prologue: str = "") -> str:
    """A worksheet's XML around these rows; ``prologue`` goes between declaration and root."""
    data = f"<sheetData>{rows}</sheetData>"
    return f'{DECLARATION}{prologue}<worksheet xmlns="{MAIN}">{data}</worksheet>'


def long_sheet(header: str, repeated: str, times: int, chunk: int = 10_000) -> Iterator[str]:
    """A worksheet's XML in pieces: a header row, then one row repeated ``times`` times."""
    start, end = sheet("\0").split("\0")
    yield start + header
    for done in range(0, times, chunk):
        yield repeated * min(chunk, times - done)
    yield end


def workbook(sheet_xml: str | Iterable[str], *, has_sheet: bool = True) -> bytes:
    """An XLSX file whose first worksheet is ``sheet_xml`` (or with no worksheet listed); the
    XML may come in pieces, so a huge sheet need never be held whole."""
    listed = '<sheet name="Sheet1" sheetId="1" r:id="rId1"/>' if has_sheet else ""
    sheets = f"<sheets>{listed}</sheets>"
    book = f'{DECLARATION}<workbook xmlns="{MAIN}" xmlns:r="{OFFICE}">{sheets}</workbook>'
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", PACKAGE_RELS)
        archive.writestr("xl/workbook.xml", book)
        archive.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        with archive.open("xl/worksheets/sheet1.xml", "w") as part:
            for piece in [sheet_xml] if isinstance(sheet_xml, str) else sheet_xml:
                part.write(piece.encode())
    return out.getvalue()
