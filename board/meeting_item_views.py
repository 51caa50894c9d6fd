"""Pages for an agenda item: adding and ordering items, papers, declarations, decisions and
the item's minutes (``board.meeting_rules``)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from kernel.access import require, requires
from kernel.paging import page_links

from . import meeting_selectors as selectors
from .meeting_agenda import EDITABLE, agenda_item_add, agenda_item_move, paper_upload
from .meeting_attendance import declaration_record, seats_at
from .meeting_decisions import decision_record, voters
from .meeting_forms import DecisionForm, DeclarationForm, ItemForm, MinutesForm, PaperForm
from .meeting_minutes import minutes_approve, minutes_draft
from .meeting_views import MANAGE, _meeting_for, _posted, _write
from .models import AgendaItem, Meeting, Paper

VIEW = "board.view_meetings"


def _item_for(request: HttpRequest, pk: int, perm: str = "board.view_meeting") -> AgendaItem:
    item = selectors.item_get(user=request.user, pk=pk)
    require(request.user, perm, item.meeting)
    if item.is_confidential:
        require(request.user, "board.view_confidential", item.meeting)
    return item


def _abilities(user, meeting) -> dict[str, bool]:
    """What the page offers a manager at this stage of the meeting (the services refuse the
    rest anyway)."""
    manage = user.has_perm(MANAGE, meeting)
    state = meeting.state
    return {
        "can_manage": manage,
        "can_edit_agenda": manage and state in EDITABLE,
        "can_decide": manage and state in (Meeting.State.AGENDA_PUBLISHED, Meeting.State.HELD),
    }


@requires(VIEW)
def item_new(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting_for(request, pk, MANAGE)
    form = ItemForm(_posted(request))

    def add(data):
        form.created = agenda_item_add(meeting=meeting, by=request.user, **data)
        return f"Item {form.created.position} is added"

    if request.method == "POST" and _write(request, form, add):
        return redirect("board:item-detail", pk=form.created.pk)
    context = {"form": form, "title": f"Add an item: {meeting}", "meeting": meeting}
    return render(request, "board/meetings/form.html", context)


@requires(VIEW)
def item_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """An item: its content (a standing item's as published), papers, declarations, who votes,
    decisions and minutes."""
    item = _item_for(request, pk)
    items = selectors.agenda_items(meeting=item.meeting, confidential=True)
    shown = next(i for i in items if i.pk == item.pk)
    shown.snapshot = item.snapshot  # every row, for its pages
    rows = selectors.snapshot_page(item=shown, number=request.GET.get("page"))
    shown.snapshot_rows, shown.snapshot_total = rows.object_list, rows.paginator.count
    context = {
        "item": shown,
        "rows_page": rows,
        "pagination": page_links(rows, lambda page: f"page={page}"),
        "meeting": item.meeting,
        "minutes_of": item.minutes_of,
        **_abilities(request.user, item.meeting),
        **selectors.item_voting(item=item),
        "versions": list(item.papers.order_by("title", "-version")),
    }
    return render(request, "board/meetings/item.html", context)


@require_POST
@requires(VIEW)
def item_move(request: HttpRequest, pk: int) -> HttpResponse:
    item = _item_for(request, pk, MANAGE)
    try:
        agenda_item_move(item=item, up=request.POST.get("direction") == "up", by=request.user)
    except ValidationError as refused:
        messages.error(request, " ".join(refused.messages))
    return redirect("board:meeting-detail", pk=item.meeting_id)


@requires(VIEW)
def paper_new(request: HttpRequest, pk: int) -> HttpResponse:
    item = _item_for(request, pk, MANAGE)
    form = PaperForm(_posted(request), request.FILES if request.method == "POST" else None)

    def upload(data):
        file = data["file"]
        paper = paper_upload(
            item=item,
            title=data["title"],
            upload=file,
            name=file.name,
            size=file.size,
            summary=data["summary"],
            by=request.user,
        )
        late = " (late)" if paper.is_late else ""
        return f"{paper.title}, version {paper.version}, is attached{late}"

    if request.method == "POST" and _write(request, form, upload):
        return redirect("board:item-detail", pk=item.pk)
    context = {"form": form, "title": f"Attach a paper: {item.title}", "meeting": item.meeting}
    return render(request, "board/meetings/form.html", context)


@requires(VIEW)
def paper_download(request: HttpRequest, pk: int) -> FileResponse:
    paper = get_object_or_404(Paper.objects.select_related("item"), pk=pk)
    _item_for(request, paper.item_id)
    try:
        upload = paper.file.open("rb")
    except FileNotFoundError:
        raise Http404("The paper's file is no longer kept") from None
    return FileResponse(upload, as_attachment=True, filename=paper.original_filename)


@requires(VIEW)
def declaration_new(request: HttpRequest, pk: int) -> HttpResponse:
    item = _item_for(request, pk, MANAGE)
    form = DeclarationForm(_posted(request), seats=seats_at(item.meeting))

    def declare(data):
        declaration_record(item=item, seat=data["seat"], interest=data["interest"], by=request.user)
        return f"{data['seat'].user}'s declaration is recorded: they will not vote on this item"

    if request.method == "POST" and _write(request, form, declare):
        return redirect("board:item-detail", pk=item.pk)
    context = {"form": form, "title": f"Declare an interest: {item.title}", "meeting": item.meeting}
    return render(request, "board/meetings/form.html", context)


@requires(VIEW)
def decision_new(request: HttpRequest, pk: int) -> HttpResponse:
    item = _item_for(request, pk, MANAGE)
    allowed, _ = voters(item=item)
    form = DecisionForm(_posted(request), meeting=item.meeting, voters=allowed)

    def decide(data):
        subject = form.subject_object()
        kind = data["subject"].split(":")[0] if subject else ""
        decision = decision_record(
            item=item,
            text=data["text"],
            kind=kind,
            subject=subject,
            votes=form.votes(),
            outcome=data["outcome"],
            by=request.user,
        )
        return f"The decision is recorded: {decision.get_outcome_display().lower()}"

    if request.method == "POST" and _write(request, form, decide):
        return redirect("board:item-detail", pk=item.pk)
    context = {"form": form, "title": f"Record a decision: {item.title}", "meeting": item.meeting}
    return render(request, "board/meetings/form.html", context)


@requires(VIEW)
def minutes_edit(request: HttpRequest, pk: int) -> HttpResponse:
    item = _item_for(request, pk, MANAGE)
    form = MinutesForm(_posted(request), initial={"minutes": item.minutes})

    def save(data):
        minutes_draft(item=item, text=data["minutes"], by=request.user)
        return "The minutes of this item are saved"

    if request.method == "POST" and _write(request, form, save):
        return redirect("board:item-detail", pk=item.pk)
    context = {"form": form, "title": f"Minutes: {item.title}", "meeting": item.meeting}
    return render(request, "board/meetings/form.html", context)


@require_POST
@requires(VIEW)
def minutes_approve_view(request: HttpRequest, pk: int) -> HttpResponse:
    item = _item_for(request, pk, MANAGE)
    if item.kind != AgendaItem.Kind.MINUTES:
        raise PermissionDenied
    try:
        minutes_approve(item=item, by=request.user)
    except ValidationError as refused:
        messages.error(request, " ".join(refused.messages))
    else:
        messages.success(request, f"The minutes of {item.minutes_of} are approved")
    return redirect("board:item-detail", pk=item.pk)
