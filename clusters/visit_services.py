"""Writes for visit notes: write a note (with its attachments and judgements), correct it as a
new version, and record the head's response. The school's heads are emailed once the note is
saved (``transaction.on_commit``)."""

from __future__ import annotations

import hashlib
import zipfile
from datetime import date
from typing import IO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.urls import reverse

from kernel.uploads import HEAD_BYTES, UploadRefused, upload_limits
from partnership.models import Role, RoleAssignment
from schools.models import School

from .peer_review_models import Area, Judgement
from .visit_models import VisitAttachment, VisitNote, VisitResponse

ATTACHMENT_TYPES = ("pdf", "docx")
NOT_ALLOWED = "The selected file must be a PDF or a Word document (.docx)"
NOT_PDF = "The selected file is not a PDF: save it as PDF and upload it again"
NOT_DOCX = "The selected file is not a Word document: save it as .docx and upload it again"
NOT_LATEST = "This note has been corrected: respond to or correct its latest version"


def attachment_sniff(upload: IO[bytes], *, name: str) -> str:
    """The attachment's type once its first bytes show it is what its name says: a PDF starts
    ``%PDF``; a DOCX is a ZIP holding ``word/``."""
    extension = name.lower().rsplit(".", 1)[-1] if "." in name else ""
    if extension not in ATTACHMENT_TYPES:
        raise UploadRefused(NOT_ALLOWED)
    upload.seek(0)
    head = upload.read(HEAD_BYTES)
    upload.seek(0)
    if extension == "pdf":
        if not head.startswith(b"%PDF"):
            raise UploadRefused(NOT_PDF)
        return extension
    try:
        with zipfile.ZipFile(upload) as archive:
            found = any(entry.startswith("word/") for entry in archive.namelist())
    except zipfile.BadZipFile:
        found = False
    upload.seek(0)
    if not found:
        raise UploadRefused(NOT_DOCX)
    return extension


def _attach(note: VisitNote, uploads: list) -> None:
    for upload in uploads:
        upload_limits("visit_attachment").size_check(upload.size)
        extension = attachment_sniff(upload, name=upload.name)
        digest = hashlib.sha256()
        for chunk in upload.chunks():
            digest.update(chunk)
        upload.seek(0)
        attachment = VisitAttachment(
            note=note,
            original_filename=upload.name.rsplit("/", 1)[-1][-255:],
            extension=extension,
            size=upload.size,
            checksum=digest.hexdigest(),
        )
        attachment.file.save(attachment.original_filename, File(upload), save=False)
        attachment.save()


def _judge(note: VisitNote, grades: dict[str, int], by) -> None:
    Judgement.objects.bulk_create(
        Judgement(
            school_id=note.school_id,
            source=Judgement.Source.ADVISER,
            area=Area(area),
            grade=grade,
            visit_note=note,
            by=by,
        )
        for area, grade in grades.items()
        if grade
    )


@transaction.atomic
def visit_note_write(
    *,
    school: School,
    visited_on: date,
    focus: str,
    notes: str,
    by,
    attachments: list = (),
    grades: dict[str, int] | None = None,
) -> VisitNote:
    """Record an adviser's visit to a school; its heads are emailed."""
    if not notes.strip():
        raise ValidationError("Enter the notes of the visit")
    note = VisitNote.objects.create(
        school=school, author=by, visited_on=visited_on, focus=focus, notes=notes
    )
    _attach(note, list(attachments))
    _judge(note, grades or {}, by)
    transaction.on_commit(lambda: visit_note_notify(note_id=note.pk))
    return note


@transaction.atomic
def visit_note_correct(
    *,
    note: VisitNote,
    visited_on: date,
    focus: str,
    notes: str,
    reason: str,
    by,
    attachments: list = (),
    grades: dict[str, int] | None = None,
) -> VisitNote:
    """Correct a note as its next version (the earlier one is kept, unchanged)."""
    note = VisitNote.objects.select_for_update().get(pk=note.pk)
    if VisitNote.objects.filter(previous=note).exists():
        raise ValidationError(NOT_LATEST)
    if not reason.strip():
        raise ValidationError("Enter what the correction changes")
    if not notes.strip():
        raise ValidationError("Enter the notes of the visit")
    corrected = VisitNote.objects.create(
        school_id=note.school_id,
        author=by,
        visited_on=visited_on,
        focus=focus,
        notes=notes,
        previous=note,
        original_id=note.chain_id,
        version=note.version + 1,
        correction_reason=reason,
    )
    _attach(corrected, list(attachments))
    _judge(corrected, grades or {}, by)
    transaction.on_commit(lambda: visit_note_notify(note_id=corrected.pk))
    return corrected


@transaction.atomic
def visit_note_respond(*, note: VisitNote, accurate: bool, comment: str, by) -> VisitResponse:
    """Record the head's view of one version of a note: accurate, or inaccurate and why."""
    note = VisitNote.objects.select_for_update().get(pk=note.pk)
    if VisitNote.objects.filter(previous=note).exists():
        raise ValidationError(NOT_LATEST)
    if VisitResponse.objects.filter(note=note).exists():
        raise ValidationError("You have already responded to this version of the note")
    if not accurate and not comment.strip():
        raise ValidationError("Enter what is inaccurate in the note")
    return VisitResponse.objects.create(note=note, accurate=accurate, comment=comment, by=by)


def visit_note_notify(*, note_id: int) -> int:
    """Email the school's current headteachers that a note (or its correction) was written."""
    note = VisitNote.objects.select_related("school", "author").get(pk=note_id)
    heads = RoleAssignment.objects.current().filter(
        role=Role.HEADTEACHER, school_id=note.school_id, user__is_active=True
    )
    link = settings.SITE_URL.rstrip("/") + reverse("clusters:visit-detail", args=[note.pk])
    verb = "corrected" if note.previous_id else "written"
    subject = f"A visit note for {note.school.name} has been {verb}"
    body = (
        f"{note.author} has {verb} the note of the visit on {note.visited_on:%-d %B %Y} "
        f"(focus: {note.focus}).\n\nRead it and say whether it is accurate: {link}\n"
    )
    messages = [
        EmailMessage(subject, body, to=[email])
        for email in heads.values_list("user__email", flat=True)
    ]
    if not messages:
        return 0
    return get_connection().send_messages(messages) or 0
