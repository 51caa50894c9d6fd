"""Pages for a meeting's board pack (create it as a job, download the current one) and the
published minutes as a PDF. Each download checks its own permission (``board.pack``)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from kernel.access import require, requires

from . import meeting_selectors as selectors
from .pack import (
    AUDIENCES,
    MEMBERS,
    pack_current,
    pack_filename,
    pack_jobs,
    pack_may_download,
    pack_request,
)
from .pack_render import minutes_pdf

VIEW = "board.view_meetings"
MANAGE = "board.manage_meeting"


def _audience(audience: str) -> str:
    if audience not in AUDIENCES:
        raise Http404("No such pack")
    return audience


@requires(VIEW)
def pack_page(request: HttpRequest, pk: int) -> HttpResponse:
    """The meeting's current packs, those the user may download, and (for those who manage
    the meeting) the buttons that create them."""
    meeting = selectors.meeting_get(user=request.user, pk=pk)
    require(request.user, "board.view_minutes", meeting)
    packs = [
        (audience, label, pack_current(meeting=meeting, audience=audience))
        for audience, label in AUDIENCES.items()
        if pack_may_download(user=request.user, meeting=meeting, audience=audience)
    ]
    manage = request.user.has_perm(MANAGE, meeting)
    context = {
        "meeting": meeting,
        "packs": packs,
        "can_manage": manage,
        "jobs": pack_jobs(meeting=meeting) if manage else [],
        "MEMBERS": MEMBERS,
    }
    return render(request, "board/pack/page.html", context)


@require_POST
@requires(VIEW)
def pack_create(request: HttpRequest, pk: int) -> HttpResponse:
    """Queue the job that builds the pack, then show its progress on the job's page."""
    meeting = selectors.meeting_get(user=request.user, pk=pk)
    require(request.user, MANAGE, meeting)
    audience = request.POST.get("audience", MEMBERS)
    try:
        job = pack_request(meeting=meeting, audience=audience, by=request.user)
    except ValidationError as refused:
        messages.error(request, " ".join(refused.messages))
        return redirect("board:pack", pk=pk)
    return redirect("job-detail", pk=job.pk)


@requires(VIEW)
def pack_download(request: HttpRequest, pk: int, audience: str) -> FileResponse:
    """The current pack as a PDF: the members' pack to those who may see the meeting's
    confidential items; the public pack to those who may read its published minutes."""
    meeting = selectors.meeting_get(user=request.user, pk=pk)
    if not pack_may_download(user=request.user, meeting=meeting, audience=_audience(audience)):
        raise PermissionDenied
    job = pack_current(meeting=meeting, audience=audience)
    if job is None:
        raise Http404("No board pack has been created yet")
    try:
        pdf = default_storage.open(job.result["file"], "rb")
    except FileNotFoundError:
        raise Http404("The board pack is no longer kept: create it again") from None
    name = pack_filename(meeting=meeting, audience=audience)
    return FileResponse(pdf, as_attachment=True, filename=name, content_type="application/pdf")


@requires(VIEW)
def minutes_download(request: HttpRequest, pk: int) -> HttpResponse:
    """The published minutes as a PDF (the same content as the published minutes page)."""
    meeting = selectors.meeting_get(user=request.user, pk=pk)
    require(request.user, "board.view_minutes", meeting)
    if not meeting.minutes_published:
        raise Http404("These minutes are not published")
    response = HttpResponse(minutes_pdf(meeting=meeting), content_type="application/pdf")
    name = f"minutes-{meeting.starts_at:%Y-%m-%d}-{meeting.pk}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
