"""A meeting with a published agenda for the board pack tests: a public item about school A
with a paper and its summary, a confidential item about school B long enough to run over a
page, and a standing item's stored table naming both schools; and PDF text per page."""

from __future__ import annotations

import io
import re

from pypdf import PdfReader

from board.meeting_agenda import agenda_item_add, paper_upload
from board.meeting_services import meeting_transition
from board.models import AgendaItem, ExemptParagraph, Meeting
from tests.board.conftest import make_meeting

SECRET = "Governors have lost confidence in the interim head at Bramley Infant School"
PUBLIC_TITLE = "Support for Ashdown Primary School"
CONFIDENTIAL_TITLE = "Leadership at Bramley Infant School"
STANDING_TITLE = "Schools newly in focused support"
PAPER_SUMMARY = "The maths lead at Ashdown Primary School reports good progress in Year 6."


def pdf_pages(pdf: bytes) -> list[str]:
    """The text of each page, whitespace made single spaces."""
    return [
        re.sub(r"\s+", " ", page.extract_text() or "") for page in PdfReader(io.BytesIO(pdf)).pages
    ]


def _long(text: str, times: int) -> str:
    return "\n\n".join(f"{text}: paragraph {n}." for n in range(1, times + 1))


def pack_meeting_make(*, world, officer) -> Meeting:
    """The meeting, its agenda published (each test file's ``pack_meeting`` fixture)."""
    meeting = make_meeting(days_ago=-7, title="Spring board")
    public = agenda_item_add(
        meeting=meeting,
        title=PUBLIC_TITLE,
        description="An update on the support brokered for Ashdown Primary School.",
        schools=[world.school_a],
        by=officer,
    )
    paper_upload(
        item=public,
        title="Maths progress report",
        upload=io.BytesIO(b"pupil,score\n1,100\n"),
        name="report.csv",
        size=18,
        summary=PAPER_SUMMARY,
        by=officer,
    )
    agenda_item_add(
        meeting=meeting,
        title=CONFIDENTIAL_TITLE,
        description=_long(SECRET, 40),
        is_confidential=True,
        exempt_paragraph=ExemptParagraph.P1,
        schools=[world.school_b],
        by=officer,
    )
    last = meeting.items.order_by("-position").first().position
    AgendaItem.objects.create(
        meeting=meeting,
        position=last + 1,
        kind=AgendaItem.Kind.STANDING,
        title=STANDING_TITLE,
        source_key="focused",
        snapshot={
            "summary": "Two schools entered focused support since the last meeting.",
            "columns": ["School", "URN", "Category"],
            "rows": [
                ["Ashdown Primary School", world.school_a.urn, "Focused"],
                ["Bramley Infant School", world.school_b.urn, "Focused"],
            ],
            "school_ids": [world.school_a.pk, world.school_b.pk],
        },
    )
    meeting_transition(meeting=meeting, to=Meeting.State.AGENDA_PUBLISHED, by=officer)
    meeting.refresh_from_db()
    return meeting
