"""The fund's pages to read: the position of the fund, of each alliance and of each school,
the ledger and the forecast."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from kernel.access import require, requires
from kernel.paging import page_links, page_number
from partnership.models import Alliance
from partnership.permissions import roles_of
from schools.models import School

from . import selectors
from .balances import alliance_position, fund_position, position_of
from .forecast import improvement, run_costs
from .models import Fund, LedgerEntry
from .services import tariff_of

PER_PAGE = 50


def _paged(request: HttpRequest, rows) -> tuple:
    page = Paginator(rows, PER_PAGE).get_page(page_number(request))
    return page, page_links(page, lambda page: f"page={page}")


@requires("funding.view_section")
def home(request: HttpRequest) -> HttpResponse:
    """The fund for those who see it; an alliance chair's allocation; a head's school costs."""
    fund = selectors.fund_current()
    user, roles = request.user, roles_of(request.user)
    if fund is None:
        return render(request, "funding/no_fund.html", {})
    if user.has_perm("funding.view_fund"):
        return redirect("funding:position", year=fund.year)
    if roles.alliance_ids:
        return redirect("funding:alliance", year=fund.year, pk=min(roles.alliance_ids))
    school = School.objects.filter(pk__in=roles.school_ids).order_by("name").first()
    if school is None:
        raise Http404
    return redirect("funding:school", year=fund.year, urn=school.urn)


@requires("funding.view_fund")
def position(request: HttpRequest, year: int) -> HttpResponse:
    """The fund's budget, allocated, committed, spent and remaining, and each alliance's."""
    fund = selectors.fund_by_year(year=year)
    context = {
        "fund": fund,
        "funds": Fund.objects.all(),
        "position": fund_position(fund=fund),
        "alliances": selectors.alliance_rows(fund=fund, user=request.user),
        "tariff": sorted(tariff_of(fund=fund).items(), key=lambda item: -item[1]),
        "can_manage": request.user.has_perm("funding.manage_fund"),
        "can_agree": request.user.has_perm("funding.agree_allocation"),
        "can_set_tariff": request.user.has_perm("funding.set_tariff"),
    }
    return render(request, "funding/position.html", context)


@requires("funding.view_school_list")
def school_list(request: HttpRequest, year: int) -> HttpResponse:
    """Each school's support costs in the fund, for the schools the user may see."""
    fund = selectors.fund_by_year(year=year)
    page, pagination = _paged(request, selectors.school_rows(fund=fund, user=request.user))
    return render(
        request,
        "funding/school_list.html",
        {"fund": fund, "rows": page, "page": page, "pagination": pagination},
    )


@login_required
def alliance(request: HttpRequest, year: int, pk: int) -> HttpResponse:
    """An alliance's allocation, what is committed and spent, and its engagements' money."""
    fund = selectors.fund_by_year(year=year)
    target = get_object_or_404(Alliance, pk=pk)
    require(request.user, "funding.view_alliance", target)
    page, pagination = _paged(request, selectors.engagement_rows(fund=fund, alliance=target))
    allocation = fund.allocations.filter(alliance=target).first()
    position = alliance_position(fund=fund, alliance_id=target.pk)
    can_manage = request.user.has_perm("funding.manage_fund")
    context = {
        "fund": fund,
        "alliance": target,
        "allocation": allocation,
        "position": position,
        "unaffordable": selectors.unaffordable(alliance=target, left=position.allocation_left)
        if can_manage
        else [],
        "rows": page,
        "page": page,
        "pagination": pagination,
        "can_manage": can_manage,
    }
    return render(request, "funding/alliance.html", context)


@login_required
def school(request: HttpRequest, year: int, urn: int) -> HttpResponse:
    """A school's support costs: each engagement's committed and spent money."""
    fund = selectors.fund_by_year(year=year)
    target = get_object_or_404(School, urn=urn)
    require(request.user, "funding.view_school", target)
    rows = selectors.engagement_rows(fund=fund, school=target)
    page, pagination = _paged(request, rows)
    context = {
        "fund": fund,
        "school": target,
        "position": position_of(LedgerEntry.objects.filter(fund=fund, school=target)),
        "rows": page,
        "page": page,
        "pagination": pagination,
        "can_manage": request.user.has_perm("funding.manage_fund"),
    }
    return render(request, "funding/school.html", context)


@requires("funding.manage_fund")
def ledger(request: HttpRequest, year: int) -> HttpResponse:
    """The fund's ledger, newest first: every entry as it was posted."""
    fund = selectors.fund_by_year(year=year)
    page, pagination = _paged(request, selectors.ledger_list(fund=fund, user=request.user))
    return render(
        request,
        "funding/ledger.html",
        {"fund": fund, "entries": page, "page": page, "pagination": pagination},
    )


@requires("funding.view_fund")
def forecast(request: HttpRequest, year: int) -> HttpResponse:
    """What the agreed categorisation and the what-if runs would cost under the tariff, and
    the cost per school that moved up a category after support."""
    fund = selectors.fund_by_year(year=year)
    money = fund_position(fund=fund)
    context = {
        "fund": fund,
        "position": money,
        "costs": run_costs(fund=fund, user=request.user, position=money),
        "improvement": improvement(fund=fund),
    }
    return render(request, "funding/forecast.html", context)
