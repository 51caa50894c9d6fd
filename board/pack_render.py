"""HTML to PDF with WeasyPrint: the board pack (in a job) and the published minutes (in the
request). WeasyPrint runs no JavaScript; charts are SVG drawn by the templates."""

from __future__ import annotations

from django.conf import settings
from django.template.loader import render_to_string

from .meeting_minutes import minutes_published_items
from .models import Meeting


def pdf_render(*, template: str, context: dict) -> tuple[bytes, int]:
    """The template rendered as a PDF, and its number of pages."""
    from weasyprint import HTML  # loads pango: only where a PDF is made

    html = render_to_string(template, context)
    document = HTML(string=html, base_url=str(settings.BASE_DIR)).render()
    return document.write_pdf(), len(document.pages)


def minutes_pdf(*, meeting: Meeting) -> bytes:
    """The published minutes of a meeting as a PDF: the same content as the minutes page
    (confidential items left out, school names coded where the board decided)."""
    context = {"meeting": meeting, "items": minutes_published_items(meeting=meeting)}
    pdf, _pages = pdf_render(template="board/pack/minutes.html", context=context)
    return pdf
