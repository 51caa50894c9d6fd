"""The dashboards and their projector mode: the board's (officers and the board) and each
alliance's (and its chair's); one panel a page on the projector, school names as codes unless
the chair shows them during a confidential item."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from kernel.access import require, requires
from partnership.models import Alliance
from partnership.permissions import roles_of

from .dashboard import PANELS, Dashboard, dashboard_for, dashboard_panel, names_to_codes
from .dashboard_focus import (
    focus_of,
    meeting_in_progress,
    meeting_item_take,
    meeting_names_show,
    names_shown_to,
)
from .models import Meeting


def _alliance_for(request: HttpRequest, pk: int) -> Alliance:
    """The alliance if this user may see its dashboard; 404 otherwise."""
    alliance = get_object_or_404(Alliance, pk=pk)
    if not request.user.has_perm("board.view_alliance_dashboard", alliance):
        raise Http404("No such alliance")
    return alliance


def _own_alliance(request: HttpRequest) -> HttpResponse:
    """An alliance chair's dashboard is their alliance's."""
    alliance_id = min(roles_of(request.user).alliance_ids)
    return redirect("board:alliance-dashboard", alliance_id)


def _links(alliance: Alliance | None) -> dict:
    if alliance is None:
        return {"present_url": reverse("board:dashboard-present")}
    return {"present_url": reverse("board:alliance-present", args=[alliance.pk])}


def _render(request: HttpRequest, alliance: Alliance | None) -> HttpResponse:
    found = dashboard_for(user=request.user, alliance=alliance)
    alliances = []
    if roles_of(request.user).sees_whole_partnership:
        alliances = Alliance.objects.order_by("name").only("pk", "name")
    context = {"dashboard": found, "alliances": alliances, **_links(alliance)}
    return render(request, "board/dashboard/dashboard.html", context)


@requires("board.view_dashboard")
def dashboard(request: HttpRequest) -> HttpResponse:
    """The board's dashboard; an alliance chair is sent to their alliance's."""
    if not request.user.has_perm("board.view_board_dashboard"):
        return _own_alliance(request)
    return _render(request, None)


@requires("board.view_dashboard")
def alliance_dashboard(request: HttpRequest, pk: int) -> HttpResponse:
    """One alliance's dashboard."""
    return _render(request, _alliance_for(request, pk))


def _panel_number(request: HttpRequest) -> int:
    try:
        number = int(request.GET.get("panel", 1))
    except ValueError:
        return 1
    return min(max(number, 1), len(PANELS))


def _present(request: HttpRequest, alliance: Alliance | None) -> HttpResponse:
    number = _panel_number(request)
    panel = dashboard_panel(user=request.user, alliance=alliance, number=number)
    meeting = meeting_in_progress(alliance=alliance)
    names_shown = names_shown_to(user=request.user, meeting=meeting)
    if not names_shown:
        names_to_codes(Dashboard(alliance=alliance, panels=[panel]))
    here = _links(alliance)["present_url"]
    manages = meeting is not None and request.user.has_perm("board.manage_meeting", meeting)
    context = {
        "alliance": alliance,
        "panel": panel,
        "number": number,
        "count": len(PANELS),
        "panels": [(n, title) for n, (_, title) in enumerate(PANELS, 1)],
        "previous_url": f"{here}?panel={number - 1}" if number > 1 else "",
        "next_url": f"{here}?panel={number + 1}" if number < len(PANELS) else "",
        "dashboard_url": reverse("board:dashboard")
        if alliance is None
        else reverse("board:alliance-dashboard", args=[alliance.pk]),
        "meeting": meeting,
        "focus": focus_of(meeting) if meeting else None,
        "names_shown": names_shown,
        "manages": manages,
        "items": list(meeting.items.order_by("position")) if manages else [],
    }
    return render(request, "board/dashboard/present.html", context)


@requires("board.view_board_dashboard")
def present(request: HttpRequest) -> HttpResponse:
    """The board's dashboard on the projector, one panel a page."""
    return _present(request, None)


@requires("board.view_dashboard")
def alliance_present(request: HttpRequest, pk: int) -> HttpResponse:
    """An alliance's dashboard on the projector."""
    return _present(request, _alliance_for(request, pk))


@require_POST
@requires("board.view_dashboard")
def present_control(request: HttpRequest, pk: int) -> HttpResponse:
    """The chair marks the item being taken, or shows or hides school names."""
    meeting = get_object_or_404(Meeting.objects.visible_to(request.user), pk=pk)
    require(request.user, "board.manage_meeting", meeting)
    action = request.POST.get("action")
    try:
        if action == "take":
            item = meeting.items.filter(pk=request.POST.get("item") or None).first()
            meeting_item_take(meeting=meeting, item=item, by=request.user)
        elif action in ("show", "hide"):
            meeting_names_show(meeting=meeting, show=action == "show", by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    here = _links(meeting.alliance)["present_url"]
    return redirect(f"{here}?panel={_panel_number(request)}")
