"""A meeting's agenda: items in order, public or confidential (with the Schedule 12A reason),
papers attached in versions, and the standing items built from the data when the agenda is
published (``board.agenda_sources``)."""

from __future__ import annotations

import zipfile
from typing import IO

from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from kernel.uploads import HEAD_BYTES, UploadRefused, upload_limits, upload_sniff

from .agenda_sources import agenda_sources, snapshot_of
from .meeting_services import meeting_previous, meeting_transition
from .models import AgendaItem, Meeting, Paper

State = Meeting.State
EDITABLE = (State.SCHEDULED, State.AGENDA_PUBLISHED)
AGENDA_CLOSED = "The agenda of a meeting that is {state} cannot change"
REASON_NEEDED = "Select the exempt category that allows the public to be excluded"
REASON_ONLY_IF_CONFIDENTIAL = "Only a confidential item has an exempt category"
TITLE_NEEDED = "Enter the item's title"
PAPER_TYPES = ("pdf", "docx", "xlsx", "csv")
NOT_A_PAPER = "The selected file must be a PDF, Word (DOCX), Excel (XLSX) or CSV file"
NOT_PDF = "The selected file is not a PDF: save it as PDF and upload it again"
NOT_OFFICE = "The selected file is not {kind} file: save it again and upload it"
OFFICE_PART = {"docx": ("word/", "a Word (DOCX)"), "xlsx": ("xl/", "an Excel (XLSX)")}


def _check_open(meeting: Meeting) -> None:
    if meeting.state not in EDITABLE:
        raise ValidationError(AGENDA_CLOSED.format(state=meeting.get_state_display().lower()))


def _check_reason(is_confidential: bool, exempt_paragraph: str) -> None:
    if is_confidential and not exempt_paragraph:
        raise ValidationError({"exempt_paragraph": REASON_NEEDED})
    if exempt_paragraph and not is_confidential:
        raise ValidationError({"exempt_paragraph": REASON_ONLY_IF_CONFIDENTIAL})


@transaction.atomic
def agenda_item_add(
    *,
    meeting: Meeting,
    title: str,
    description: str = "",
    is_confidential: bool = False,
    exempt_paragraph: str = "",
    schools=(),
    by,
) -> AgendaItem:
    """Add an item at the end of the agenda (confidential items name their exempt category)."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    _check_open(meeting)
    if not title.strip():
        raise ValidationError({"title": TITLE_NEEDED})
    _check_reason(is_confidential, exempt_paragraph)
    last = meeting.items.aggregate(last=Max("position"))["last"] or 0
    item = AgendaItem(
        meeting=meeting,
        position=last + 1,
        title=title.strip(),
        description=description.strip(),
        is_confidential=is_confidential,
        exempt_paragraph=exempt_paragraph,
    )
    item._history_user = by
    item.save()
    item.schools.set(schools)
    return item


@transaction.atomic
def agenda_item_move(*, item: AgendaItem, up: bool, by) -> AgendaItem:
    """Swap the item with the one above (or below) it."""
    _check_open(item.meeting)
    items = item.meeting.items.select_for_update().order_by("position")
    neighbour = (
        items.filter(position__lt=item.position).order_by("-position").first()
        if up
        else items.filter(position__gt=item.position).first()
    )
    if neighbour is None:
        return item
    mine, theirs = item.position, neighbour.position
    item.position = 0  # out of the way of the unique position
    item.save(update_fields=["position"])
    neighbour.position = mine
    neighbour.save(update_fields=["position"])
    item.position = theirs
    item._history_user = by
    item.save(update_fields=["position"])
    return item


def _since(meeting: Meeting):
    previous = meeting_previous(meeting)
    return previous.starts_at if previous and previous.was_held else None


@transaction.atomic
def agenda_publish(*, meeting: Meeting, by) -> Meeting:
    """Publish the agenda: add each registered standing item with its content as it is now
    (stored, so the published agenda never changes), then mark the agenda published."""
    if meeting.state != State.SCHEDULED:
        meeting_transition(meeting=meeting, to=State.AGENDA_PUBLISHED, by=by)  # refuses
    since = _since(meeting)
    last = meeting.items.aggregate(last=Max("position"))["last"] or 0
    for source in agenda_sources():
        content = snapshot_of(source, meeting=meeting, since=since)
        if content is None:
            continue
        last += 1
        item = AgendaItem.objects.create(
            meeting=meeting,
            position=last,
            kind=AgendaItem.Kind.STANDING,
            title=source.title,
            source_key=source.key,
            snapshot=content,
            is_confidential=bool(source.exempt_paragraph),
            exempt_paragraph=source.exempt_paragraph,
        )
        item.schools.set(content["school_ids"])
    return meeting_transition(meeting=meeting, to=State.AGENDA_PUBLISHED, by=by)


# Papers -------------------------------------------------------------------------------------


def paper_sniff(upload: IO[bytes], *, name: str) -> str:
    """The paper's type once its first bytes show it is what its name says: a PDF starts
    ``%PDF``; a DOCX or XLSX is a ZIP holding ``word/`` or ``xl/``; a CSV is text."""
    extension = name.lower().rsplit(".", 1)[-1] if "." in name else ""
    if extension not in PAPER_TYPES:
        raise UploadRefused(NOT_A_PAPER)
    upload.seek(0)
    head = upload.read(HEAD_BYTES)
    upload.seek(0)
    if extension == "pdf":
        if not head.startswith(b"%PDF"):
            raise UploadRefused(NOT_PDF)
    elif extension == "csv":
        upload_sniff(head, name=name, allowed=("csv",))
    else:
        part, label = OFFICE_PART[extension]
        try:
            with zipfile.ZipFile(upload) as archive:
                found = any(entry.startswith(part) for entry in archive.namelist())
        except zipfile.BadZipFile:
            found = False
        upload.seek(0)
        if not found:
            raise UploadRefused(NOT_OFFICE.format(kind=label))
    return extension


@transaction.atomic
def paper_upload(
    *, item: AgendaItem, title: str, upload: IO[bytes], name: str, size: int, summary="", by
) -> Paper:
    """Attach a paper to an item, or a new version of the paper of the same title; a paper
    added after the agenda was published is marked late."""
    meeting = Meeting.objects.select_for_update().get(pk=item.meeting_id)
    _check_open(meeting)
    if not title.strip():
        raise ValidationError({"title": "Enter the paper's title"})
    upload_limits("paper").size_check(size)
    file_type = paper_sniff(upload, name=name)
    latest = item.papers.filter(title__iexact=title.strip()).aggregate(v=Max("version"))["v"]
    paper = Paper(
        item=item,
        title=title.strip(),
        version=(latest or 0) + 1,
        original_filename=name[-255:],
        file_type=file_type,
        size=size,
        is_late=meeting.state != State.SCHEDULED,
        summary=summary.strip(),
        uploaded_at=timezone.now(),
        uploaded_by=by,
    )
    paper.file.save(name.rsplit("/", 1)[-1], File(upload), save=False)
    paper._history_user = by
    paper.save()
    return paper
