"""Pages for visit notes (a school's list, a note with every version, writing, correcting and
responding, attachments served only through a permission check) and the school's
self-evaluation."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from kernel.access import require
from kernel.paging import page_links, page_number

from . import peer_selectors as selectors
from .peer_forms import SelfEvaluationForm
from .peer_judgements import judgements_compare, school_notes_reachable, self_evaluation_record
from .peer_views import _posted, _write, school_for_page
from .visit_forms import ResponseForm, VisitNoteForm
from .visit_models import VisitAttachment, VisitNote
from .visit_services import visit_note_correct, visit_note_respond, visit_note_write

PAGE_SIZE = 25


def _school_with_notes_or_404(user, urn: int):
    school = school_for_page(user, urn)
    if not school_notes_reachable(user=user, school=school):
        raise Http404("No visit notes found")
    return school


def _note_or_404(user, pk: int) -> VisitNote:
    queryset = VisitNote.objects.visible_to(user).select_related("school", "author", "previous")
    return get_object_or_404(queryset, pk=pk)


@login_required
def visit_list(request: HttpRequest, urn: int) -> HttpResponse:
    """The school's visit notes (latest version of each), newest visit first."""
    school = _school_with_notes_or_404(request.user, urn)
    notes = selectors.school_visit_notes(school=school, user=request.user)
    page = Paginator(notes, PAGE_SIZE).get_page(page_number(request))
    return render(
        request,
        "clusters/visits/visit_list.html",
        {
            "school": school,
            "page": page,
            "pagination": page_links(page, lambda page: f"page={page}"),
            "can_write": request.user.has_perm("clusters.write_visit_note", school),
        },
    )


@login_required
def visit_create(request: HttpRequest, urn: int) -> HttpResponse:
    """An adviser (an officer or the school's alliance chair) records a visit."""
    school = school_for_page(request.user, urn)
    require(request.user, "clusters.write_visit_note", school)
    form = VisitNoteForm(_posted(request), request.FILES or None)
    written = {}

    def write(data):
        written["note"] = visit_note_write(
            school=school,
            visited_on=data["visited_on"],
            focus=data["focus"],
            notes=data["notes"],
            attachments=data["attachments"],
            grades=form.grades(),
            by=request.user,
        )
        return f"Visit note saved: the headteacher of {school.name} has been emailed"

    if request.method == "POST" and _write(request, form, write):
        return redirect("clusters:visit-detail", written["note"].pk)
    return render(request, "clusters/visits/visit_form.html", {"form": form, "school": school})


@login_required
def visit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A note with every version, the head's responses, and what the user may do."""
    note = _note_or_404(request.user, pk)
    versions = selectors.visit_note_chain(note=note)
    latest = versions[0]
    user = request.user
    responded = hasattr(latest, "response")
    return render(
        request,
        "clusters/visits/visit_detail.html",
        {
            "note": note,
            "latest": latest,
            "versions": versions,
            "judgements": note.judgements.order_by("area"),
            "can_respond": not responded
            and user.has_perm("clusters.respond_visit_note", note.school),
            "can_correct": user.has_perm("clusters.correct_visit_note", latest),
        },
    )


@login_required
def visit_respond(request: HttpRequest, pk: int) -> HttpResponse:
    """The head marks the latest version accurate or inaccurate, with a comment."""
    note = _note_or_404(request.user, pk)
    require(request.user, "clusters.respond_visit_note", note.school)
    form = ResponseForm(_posted(request))

    def respond(data):
        visit_note_respond(
            note=note, accurate=data["accurate"], comment=data["comment"], by=request.user
        )
        return "Your response has been recorded"

    if request.method == "POST" and _write(request, form, respond):
        return redirect("clusters:visit-detail", note.pk)
    return render(request, "clusters/visits/visit_respond.html", {"form": form, "note": note})


@login_required
def visit_correct(request: HttpRequest, pk: int) -> HttpResponse:
    """The author (or an officer) corrects the note as its next version."""
    note = _note_or_404(request.user, pk)
    require(request.user, "clusters.correct_visit_note", note)
    initial = {"visited_on": note.visited_on, "focus": note.focus, "notes": note.notes}
    form = VisitNoteForm(_posted(request), request.FILES or None, correcting=True, initial=initial)
    written = {}

    def correct(data):
        written["note"] = visit_note_correct(
            note=note,
            visited_on=data["visited_on"],
            focus=data["focus"],
            notes=data["notes"],
            reason=data["reason"],
            attachments=data["attachments"],
            grades=form.grades(),
            by=request.user,
        )
        return f"Version {written['note'].version} saved: the headteacher has been emailed"

    if request.method == "POST" and _write(request, form, correct):
        return redirect("clusters:visit-detail", written["note"].pk)
    return render(
        request,
        "clusters/visits/visit_form.html",
        {"form": form, "school": note.school, "correcting": note},
    )


@login_required
def visit_attachment(request: HttpRequest, pk: int) -> FileResponse:
    """An attachment, as a download, to those who may read its note."""
    attachment = get_object_or_404(
        VisitAttachment.objects.filter(note__in=VisitNote.objects.visible_to(request.user)),
        pk=pk,
    )
    try:
        upload = attachment.file.open("rb")
    except FileNotFoundError:
        raise Http404("The attachment is no longer kept") from None
    return FileResponse(upload, as_attachment=True, filename=attachment.original_filename)


@login_required
def self_evaluation(request: HttpRequest, urn: int) -> HttpResponse:
    """The head records the school's own judgements, beside the adviser's and the peers'."""
    school = school_for_page(request.user, urn)
    require(request.user, "clusters.evaluate_school", school)
    form = SelfEvaluationForm(_posted(request))

    def record(data):
        self_evaluation_record(school=school, grades=form.grades(), by=request.user)
        return "Self-evaluation saved"

    if request.method == "POST" and _write(request, form, record):
        return redirect("clusters:self-evaluation", school.urn)
    compare = judgements_compare(school=school, user=request.user)
    return render(
        request,
        "clusters/visits/self_evaluation.html",
        {"form": form, "school": school, "compare": compare},
    )
