"""Pages for meetings: the list, scheduling, a meeting's page, its state, its invitation, its
attendance, its minutes, and the members of each body (``board.meeting_rules``)."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from kernel.access import require, requires
from kernel.paging import page_links
from partnership.models import Alliance
from partnership.permissions import roles_of

from . import meeting_selectors as selectors
from .meeting_agenda import agenda_publish
from .meeting_attendance import attendance_flags, attendance_letter, attendance_record
from .meeting_forms import (
    AttendanceForm,
    CancelForm,
    MeetingForm,
    ScheduleForm,
    SeatForm,
    body_alliance,
    meeting_start,
)
from .meeting_ics import meeting_ics
from .meeting_minutes import minutes_names_hide, minutes_publish, minutes_published_items
from .meeting_rules import seats_of
from .meeting_seats import seat_add
from .meeting_services import (
    TRANSITIONS,
    meeting_cancel,
    meeting_create,
    meeting_hold,
    meeting_schedule_create,
)
from .models import BoardSeat, Meeting, SeatKind

PAGE_SIZE = 25
MANAGE = "board.manage_meeting"


def _posted(request: HttpRequest):
    return request.POST if request.method == "POST" else None


def _write(request: HttpRequest, form, write: Callable[[dict], str]) -> bool:
    """Run the service if the form is valid; show its refusal on the form, or its success."""
    if not form.is_valid():
        return False
    try:
        message = write(form.cleaned_data)
    except ValidationError as refused:
        if hasattr(refused, "error_dict"):
            for name, errors in refused.error_dict.items():
                form.add_error(name if name in form.fields else None, errors)
        else:
            form.add_error(None, refused)
        return False
    messages.success(request, message)
    return True


def managed_alliances(user):
    """The alliances whose meetings the user may manage (officers: all open ones)."""
    roles = roles_of(user)
    alliances = Alliance.objects.active()
    if roles.is_officer:
        return list(alliances)
    chaired = set(roles.alliance_ids) | {
        s.alliance_id for s in seats_of(user) if s.kind == SeatKind.CHAIR and s.alliance_id
    }
    return list(alliances.filter(pk__in=chaired))


def _bodies_check(user, body: str) -> None:
    if body == "board":
        if not user.has_perm(MANAGE, Meeting(alliance=None)):
            raise PermissionDenied
    elif int(body) not in {a.pk for a in managed_alliances(user)}:
        raise PermissionDenied


@requires("board.view_meetings")
def meeting_list(request: HttpRequest) -> HttpResponse:
    """The meetings the user may open, newest first, paged."""
    body = request.GET.get("body", "")
    meetings = selectors.meeting_list(user=request.user, body=body)
    page = Paginator(meetings, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "pagination": page_links(page, lambda page: urlencode({"body": body, "page": page})),
        "bodies": selectors.body_choices(user=request.user),
        "body": body,
        "can_manage": request.user.has_perm("board.manage_meetings"),
    }
    return render(request, "board/meetings/list.html", context)


@requires("board.manage_meetings")
def meeting_new(request: HttpRequest) -> HttpResponse:
    alliances = managed_alliances(request.user)
    form = MeetingForm(_posted(request), alliances=alliances)

    def create(data):
        _bodies_check(request.user, data["body"])
        starts = meeting_start(data["day"], data["starts"])
        ends = meeting_start(data["day"], data["ends"]) if data["ends"] else None
        created = meeting_create(
            alliance=body_alliance(data["body"]),
            title=data["title"],
            kind=data["kind"],
            starts_at=starts,
            ends_at=ends,
            location=data["location"],
            by=request.user,
        )
        form.created = created
        return f"{created} is scheduled"

    if request.method == "POST" and _write(request, form, create):
        return redirect("board:meeting-detail", pk=form.created.pk)
    return render(
        request, "board/meetings/form.html", {"form": form, "title": "Schedule a meeting"}
    )


@requires("board.manage_meetings")
def meeting_schedule(request: HttpRequest) -> HttpResponse:
    """A year's meetings from its half terms, with the results meeting at the start."""
    form = ScheduleForm(_posted(request), alliances=managed_alliances(request.user))

    def create(data):
        _bodies_check(request.user, data["body"])
        created = meeting_schedule_create(
            alliance=body_alliance(data["body"]),
            half_terms=data["half_terms"],
            weekday=int(data["weekday"]),
            at=data["at"],
            location=data["location"],
            by=request.user,
        )
        n = len(created)
        return f"{n} meeting{'' if n == 1 else 's'} scheduled"

    if request.method == "POST" and _write(request, form, create):
        return redirect("board:meeting-list")
    context = {"form": form, "title": "Schedule a year of meetings"}
    return render(request, "board/meetings/form.html", context)


def _meeting_for(request: HttpRequest, pk: int, perm: str = "board.view_meeting") -> Meeting:
    meeting = selectors.meeting_get(user=request.user, pk=pk)
    require(request.user, perm, meeting)
    return meeting


@requires("board.view_meetings")
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The agenda with its items and papers, attendance and decisions."""
    meeting = selectors.meeting_get(user=request.user, pk=pk)
    if not request.user.has_perm("board.view_meeting", meeting):
        return redirect("board:meeting-minutes", pk=pk)  # published minutes only
    manage = request.user.has_perm(MANAGE, meeting)
    context = {
        "meeting": meeting,
        "items": selectors.agenda_items(
            meeting=meeting,
            confidential=request.user.has_perm("board.view_confidential", meeting),
        ),
        "attendance": selectors.attendance_rows(meeting=meeting),
        "transitions": meeting.transitions.select_related("by"),
        "can_manage": manage,
        "allowed": TRANSITIONS[meeting.state] if manage else (),
        "State": Meeting.State,
    }
    return render(request, "board/meetings/detail.html", context)


@require_POST
@requires("board.view_meetings")
def meeting_state(request: HttpRequest, pk: int) -> HttpResponse:
    """Publish the agenda, mark the meeting held, or publish approved minutes."""
    meeting = _meeting_for(request, pk, MANAGE)
    actions = {
        "publish": (
            lambda: agenda_publish(meeting=meeting, by=request.user),
            "The agenda is published",
        ),
        "hold": (
            lambda: meeting_hold(meeting=meeting, by=request.user),
            "The meeting is marked as held",
        ),
        "hide-names": (
            lambda: minutes_names_hide(meeting=meeting, hide=True, by=request.user),
            "The published minutes will name schools by their codes",
        ),
        "show-names": (
            lambda: minutes_names_hide(meeting=meeting, hide=False, by=request.user),
            "The published minutes will name schools",
        ),
        "publish-minutes": (
            lambda: minutes_publish(meeting=meeting, by=request.user),
            "The minutes are published",
        ),
    }
    action = actions.get(request.POST.get("action", ""))
    if action is None:
        raise Http404("No such action")
    try:
        action[0]()
    except ValidationError as refused:
        messages.error(request, " ".join(refused.messages))
    else:
        messages.success(request, action[1])
    return redirect("board:meeting-detail", pk=pk)


@requires("board.view_meetings")
def meeting_cancel_view(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting_for(request, pk, MANAGE)
    form = CancelForm(_posted(request))

    def cancel(data):
        meeting_cancel(meeting=meeting, reason=data["reason"], by=request.user)
        return f"{meeting} is cancelled"

    if request.method == "POST" and _write(request, form, cancel):
        return redirect("board:meeting-detail", pk=pk)
    context = {"form": form, "title": f"Cancel {meeting}", "meeting": meeting}
    return render(request, "board/meetings/form.html", context)


@requires("board.view_meetings")
def meeting_invite(request: HttpRequest, pk: int) -> HttpResponse:
    """The meeting as a calendar invitation (.ics)."""
    meeting = _meeting_for(request, pk)
    url = request.build_absolute_uri(meeting_url(meeting))
    text = meeting_ics(meeting=meeting, url=url, domain=uid_domain(request))
    response = HttpResponse(text, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="meeting-{meeting.pk}.ics"'
    return response


def uid_domain(request: HttpRequest) -> str:
    """The domain in invitations' UIDs: the first named host the service answers to, so a
    meeting keeps one UID (and calendars update it) whichever address it was downloaded from."""
    named = [h.lstrip(".") for h in settings.ALLOWED_HOSTS if h.strip(".*")]
    return named[0] if named else request.get_host().split(":")[0]


def meeting_url(meeting: Meeting) -> str:
    from django.urls import reverse

    return reverse("board:meeting-detail", args=[meeting.pk])


@requires("board.view_meetings")
def meeting_attendance(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting_for(request, pk, MANAGE)
    rows = selectors.attendance_rows(meeting=meeting)
    form = AttendanceForm(_posted(request), rows=rows)

    def save(data):
        attendance_record(meeting=meeting, records=form.records(), by=request.user)
        return "Attendance is saved"

    if request.method == "POST" and _write(request, form, save):
        return redirect("board:meeting-detail", pk=pk)
    context = {"form": form, "title": f"Attendance: {meeting}", "meeting": meeting}
    return render(request, "board/meetings/form.html", context)


@requires("board.view_meetings")
def meeting_minutes(request: HttpRequest, pk: int) -> HttpResponse:
    """The published minutes; the draft (or both) to those who may see the meeting."""
    meeting = selectors.meeting_get(user=request.user, pk=pk)
    require(request.user, "board.view_minutes", meeting)
    full = request.user.has_perm("board.view_meeting", meeting)
    published = meeting.minutes_published and (not full or request.GET.get("version") != "draft")
    context = {"meeting": meeting, "published": published, "can_see_draft": full}
    if published:
        context["items"] = minutes_published_items(meeting=meeting)
    else:
        if not full:
            raise Http404("These minutes are not published")
        context["items"] = selectors.agenda_items(
            meeting=meeting,
            confidential=request.user.has_perm("board.view_confidential", meeting),
        )
    return render(request, "board/meetings/minutes.html", context)


def _body(request: HttpRequest):
    body = request.GET.get("body", "board")
    if not body.isdigit():
        return None
    seated = {s.alliance_id for s in seats_of(request.user) if s.alliance_id}
    if int(body) in seated:
        return get_object_or_404(Alliance, pk=int(body))
    return get_object_or_404(Alliance.objects.visible_to(request.user), pk=int(body))


@requires("board.view_members")
def members(request: HttpRequest) -> HttpResponse:
    """A body's members, substitutes, co-opted members and observers, and who missed two
    meetings in a row."""
    alliance = _body(request)
    probe = Meeting(alliance=alliance)
    context = {
        "alliance": alliance,
        **selectors.members_of(alliance=alliance),
        "can_manage": request.user.has_perm(MANAGE, probe),
        "bodies": selectors.body_choices(user=request.user)[1:],
        "body": request.GET.get("body", "board"),
    }
    return render(request, "board/meetings/members.html", context)


@requires("board.manage_meetings")
def member_letter(request: HttpRequest, seat_pk: int) -> HttpResponse:
    """The chair's draft letter to the group of a member who missed two meetings."""
    seat = get_object_or_404(BoardSeat.objects.select_related("user", "alliance"), pk=seat_pk)
    require(request.user, MANAGE, Meeting(alliance=seat.alliance))
    flag = next((f for f in attendance_flags(alliance=seat.alliance) if f.seat.pk == seat.pk), None)
    if flag is None:
        raise Http404("This member has not missed two meetings in a row")
    chair = (
        BoardSeat.objects.of_body(seat.alliance)
        .current()
        .filter(kind=SeatKind.CHAIR)
        .select_related("user")
        .first()
    )
    letter = attendance_letter(flag=flag, chair=chair.user if chair else request.user)
    return render(request, "board/meetings/letter.html", {"flag": flag, "letter": letter})


@requires("board.manage_meetings")
def seat_new(request: HttpRequest) -> HttpResponse:
    form = SeatForm(_posted(request), alliances=managed_alliances(request.user))

    def create(data):
        _bodies_check(request.user, data["body"])
        seat = seat_add(
            alliance=body_alliance(data["body"]),
            user=data["user"],
            kind=data["kind"],
            group_kind=data["group_kind"],
            group_name=data["group_name"],
            substitute_for=data["substitute_for"],
            purpose=data["purpose"],
            ends_on=data["ends_on"],
            by=request.user,
        )
        return f"{seat.user} now has a seat"

    if request.method == "POST" and _write(request, form, create):
        return redirect("board:members")
    return render(request, "board/meetings/form.html", {"form": form, "title": "Add a seat"})
