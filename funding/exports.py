"""The fund position as a CSV or XLSX file: the fund, each alliance and each school (three
queries whatever the number of engagements)."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

from django.http import HttpRequest, HttpResponse
from openpyxl import Workbook

from kernel.access import requires

from . import selectors
from .balances import fund_position

HEADER = ["Level", "Name", "URN", "Budget or allocation", "Committed", "Spent", "Remaining"]


def position_rows(*, fund, user) -> list[list]:
    """The export's rows: amounts as pounds-and-pence strings (never floats)."""
    total = fund_position(fund=fund)
    rows = [
        [
            "Fund",
            f"Improvement fund {fund.name}",
            "",
            total.budget,
            total.committed,
            total.spent,
            total.remaining,
        ]
    ]
    for row in selectors.alliance_rows(fund=fund, user=user):
        p = row.position
        rows.append(
            [
                "Alliance",
                row.alliance.name,
                "",
                p.allocated,
                p.committed,
                p.spent,
                p.allocation_left,
            ]
        )
    for row in selectors.school_rows(fund=fund, user=user):
        rows.append(
            [
                "School",
                row["school__name"],
                row["school__urn"],
                "",
                row["committed"],
                row["spent"],
                "",
            ]
        )
    return [[f"{v:.2f}" if hasattr(v, "quantize") else v for v in row] for row in rows]


def _filename(fund, ext: str) -> str:
    return f"fund-position-{fund.name}.{ext}"


@requires("funding.view_fund")
def export_csv(request: HttpRequest, year: int) -> HttpResponse:
    """The position as CSV."""
    fund = selectors.fund_by_year(year=year)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADER)
    writer.writerows(position_rows(fund=fund, user=request.user))
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_filename(fund, "csv")}"'
    return response


@requires("funding.view_fund")
def export_xlsx(request: HttpRequest, year: int) -> HttpResponse:
    """The position as an Excel workbook; amounts are numbers formatted as pounds."""
    fund = selectors.fund_by_year(year=year)
    book = Workbook()
    sheet = book.active
    sheet.title = "Fund position"
    sheet.append(HEADER)
    for row in position_rows(fund=fund, user=request.user):
        sheet.append([_cell(value, index) for index, value in enumerate(row)])
    for column in "DEFG":
        for cell in sheet[column][1:]:
            cell.number_format = '"£"#,##0.00'
    buffer = io.BytesIO()
    book.save(buffer)
    response = HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{_filename(fund, "xlsx")}"'
    return response


def _cell(value, index: int):
    """Amount columns as Decimals (openpyxl writes them as exact numbers)."""
    if index >= 3 and value != "":
        return Decimal(value)
    return value
