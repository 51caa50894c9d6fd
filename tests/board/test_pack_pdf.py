"""The board pack's PDF: contents whose page numbers match where the headings land, stable
pagination, confidential items marked on every page they occupy in the members' pack and left
out of the public pack, where schools go by their codes."""

import re

import pytest

from board.pack import MEMBERS, PUBLIC
from board.pack_content import pack_context
from board.pack_render import pdf_render
from tests.board.pack_fixtures import (
    CONFIDENTIAL_TITLE,
    PAPER_SUMMARY,
    PUBLIC_TITLE,
    SECRET,
    STANDING_TITLE,
    pack_meeting_make,
    pdf_pages,
)

MARK = "CONFIDENTIAL: NOT FOR PUBLICATION"


@pytest.fixture
def pack_meeting(world, officer):
    return pack_meeting_make(world=world, officer=officer)


def _render(meeting, audience, user):
    context = pack_context(meeting=meeting, audience=audience, user=user)
    return pdf_render(template="board/pack/pack.html", context=context)


@pytest.fixture
def members_pack(pack_meeting, officer):
    pdf, pages = _render(pack_meeting, MEMBERS, officer)
    return pdf, pages, pdf_pages(pdf)


def _contents_entries(contents: str) -> dict[str, int]:
    """Each contents line's title and page number ("5. Support for … ....... 3")."""
    found = re.findall(r"((?:\d+\. )?[A-Z][^.]*?)(?: \(confidential\))? ?\.{3,} ?(\d+)", contents)
    return {title.strip(): int(page) for title, page in found}


def test_contents_page_numbers_match_where_each_heading_lands(members_pack, pack_meeting):
    _pdf, _count, pages = members_pack
    assert pages[1].startswith("Contents")
    entries = _contents_entries(pages[1])
    assert len(entries) == pack_meeting.items.count() + 1  # and the dashboard
    for title, number in entries.items():
        landed = next(n for n, text in enumerate(pages[2:], start=3) if title in text)
        assert landed == number, title


def test_every_page_says_its_number_of_the_whole(members_pack):
    _pdf, count, pages = members_pack
    assert count == len(pages) >= 5
    for number, text in enumerate(pages, start=1):
        assert f"Page {number} of {count}" in text


def test_the_same_content_gives_the_same_pages(members_pack, pack_meeting, officer):
    _pdf, count, pages = members_pack
    again, count_again = _render(pack_meeting, MEMBERS, officer)
    assert count_again == count
    assert pdf_pages(again) == pages


def test_members_pack_marks_confidential_on_every_page_the_item_occupies(members_pack):
    _pdf, _count, pages = members_pack
    confidential = [n for n, text in enumerate(pages) if SECRET in text]
    assert len(confidential) >= 2, "the long confidential item runs over a page"
    for n, text in enumerate(pages):
        assert (MARK in text) == (n in confidential), f"page {n + 1}"
    assert any(CONFIDENTIAL_TITLE in pages[n] for n in confidential)
    for shared in (PUBLIC_TITLE, STANDING_TITLE, "Dashboard"):
        assert not any(shared in pages[n] for n in confidential), f"{shared} on a marked page"


def test_members_pack_holds_the_agenda_papers_and_dashboard(members_pack):
    _pdf, _count, pages = members_pack
    text = " ".join(pages)
    assert "Spring board" in pages[0] and "Members' pack" in pages[0]
    assert PUBLIC_TITLE in text and STANDING_TITLE in text
    assert "Maths progress report (version 1, CSV)" in text and PAPER_SUMMARY in text
    assert "Bramley Infant School 100003 Focused" in text  # the standing item's stored table
    for heading in ("Dashboard", "Support cases by step", "Fund position"):
        assert heading in text


def test_public_pack_leaves_confidential_items_out_and_codes_hidden_names(pack_meeting, officer):
    pdf, _count = _render(pack_meeting, PUBLIC, officer)
    text = " ".join(pdf_pages(pdf))
    assert "Public pack" in text and "Exempt item" in text
    assert "paragraph 1 of Schedule 12A" in text
    for hidden in (SECRET, CONFIDENTIAL_TITLE, MARK, "Ashdown Primary School", "Bramley Infant"):
        assert hidden not in text, hidden
    assert "Support for School A" in text
    assert "The maths lead at School A reports" in text
    assert "School B Focused" in text
    assert "100001" not in text and "100003" not in text  # a URN names a school too


def test_public_pack_names_schools_where_the_board_names_them(pack_meeting, officer):
    pack_meeting.hide_school_names = False
    pdf, _count = _render(pack_meeting, PUBLIC, officer)
    text = " ".join(pdf_pages(pdf))
    assert PUBLIC_TITLE in text
    assert SECRET not in text and CONFIDENTIAL_TITLE not in text
