"""The agenda: items in order, confidential items with their Schedule 12A reason, papers in
versions (late after publication, bounded and checked by their first bytes), and standing items
built from the data when the agenda is published, then kept as they were."""

import io
import re
import zipfile

import pytest
from django.core.exceptions import ValidationError

from board import agenda_sources
from board.meeting_agenda import agenda_item_add, agenda_item_move, agenda_publish, paper_upload
from board.models import AgendaItem, ExemptParagraph, Meeting
from categorisation.models import Result
from kernel.uploads import UploadRefused
from tests.board.conftest import make_meeting
from tests.categorisation.factories import build_categorised

PDF = b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\n%%EOF\n"


def _zip(*names: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in names:
            archive.writestr(name, "<xml/>")
    return buffer.getvalue()


def _upload(item, data: bytes, name: str, title: str = "Fund report"):
    return paper_upload(
        item=item, title=title, upload=io.BytesIO(data), name=name, size=len(data), by=None
    )


@pytest.fixture
def meeting(db):
    return make_meeting(days_ago=-7)


def test_items_are_added_at_the_end_and_can_be_moved(meeting):
    first = agenda_item_add(meeting=meeting, title="Maths strategy", by=None)
    second = agenda_item_add(meeting=meeting, title="Fund allocation", by=None)
    assert (first.position, second.position) == (5, 6)
    agenda_item_move(item=second, up=True, by=None)
    titles = list(meeting.items.order_by("position").values_list("title", flat=True))
    assert titles[4:] == ["Fund allocation", "Maths strategy"]


def test_a_confidential_item_needs_its_exempt_category(meeting):
    with pytest.raises(ValidationError) as refused:
        agenda_item_add(
            meeting=meeting, title="Headteacher capability", is_confidential=True, by=None
        )
    assert refused.value.message_dict == {
        "exempt_paragraph": ["Select the exempt category that allows the public to be excluded"]
    }
    item = agenda_item_add(
        meeting=meeting,
        title="Headteacher capability",
        is_confidential=True,
        exempt_paragraph=ExemptParagraph.P1,
        by=None,
    )
    assert item.get_exempt_paragraph_display().startswith("Paragraph 1: information relating")


def test_the_agenda_of_a_held_meeting_cannot_change(db):
    held = make_meeting(days_ago=3, state=Meeting.State.HELD)
    with pytest.raises(ValidationError, match="meeting that is held cannot change"):
        agenda_item_add(meeting=held, title="Late idea", by=None)


def test_a_paper_of_the_same_title_is_a_new_version_and_late_after_publication(meeting):
    item = agenda_item_add(meeting=meeting, title="Fund", by=None)
    first = _upload(item, PDF, "fund.pdf")
    second = _upload(item, PDF + b"% v2\n", "fund-v2.pdf", title="fund report")
    assert (first.version, second.version, first.is_late, second.is_late) == (1, 2, False, False)
    agenda_publish(meeting=meeting, by=None)
    third = _upload(item, _zip("word/document.xml"), "fund.docx")
    assert (third.version, third.is_late, third.file_type) == (3, True, "docx")
    assert third.file.read().startswith(b"PK")


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"just text", "report.pdf", "is not a PDF"),
        (_zip("xl/workbook.xml"), "report.docx", "is not a Word (DOCX) file"),
        (b"not a zip", "figures.xlsx", "is not an Excel (XLSX) file"),
        (b"MZ\x90\x00\x03", "tool.exe", "must be a PDF, Word (DOCX), Excel (XLSX) or CSV"),
        (b"%PDF-1.4 binary\x00\x01", "data.csv", "is not a CSV file"),
    ],
)
def test_a_paper_that_is_not_what_its_name_says_is_refused(meeting, data, name, message):
    item = agenda_item_add(meeting=meeting, title="Fund", by=None)
    with pytest.raises(UploadRefused, match=re.escape(message)):
        _upload(item, data, name)
    assert not item.papers.exists()


def test_a_paper_over_the_size_limit_is_refused(meeting, settings):
    settings.UPLOAD_LIMITS = {**settings.UPLOAD_LIMITS, "paper": {"max_bytes": 10, "max_rows": 0}}
    item = agenda_item_add(meeting=meeting, title="Fund", by=None)
    with pytest.raises(UploadRefused, match="must be smaller than"):
        _upload(item, PDF, "fund.pdf")


# Standing items ----------------------------------------------------------------------------


@pytest.fixture
def categorised(world, officer):
    return build_categorised(world, officer)


def _standing(meeting) -> dict[str, AgendaItem]:
    return {i.source_key: i for i in meeting.items.filter(kind=AgendaItem.Kind.STANDING)}


def test_publishing_adds_category_changes_and_newly_focused_schools_since_the_last_meeting(
    categorised, world
):
    make_meeting(days_ago=30, state=Meeting.State.HELD)
    meeting = make_meeting(days_ago=-7)
    agenda_publish(meeting=meeting, by=None)
    items = _standing(meeting)
    changes = items["category_changes"].snapshot
    assert changes["summary"].startswith("3 schools changed category or support band")
    assert sorted(row[0] for row in changes["rows"]) == [
        "Ashdown Primary School",
        "Bramley Infant School",
        "Zeals Junior School",
    ]
    assert sorted(changes["school_ids"]) == sorted(
        [world.school_a.pk, world.school_b.pk, world.school_z.pk]
    )
    focused = items["newly_focused"].snapshot
    assert [row[0] for row in focused["rows"]] == ["Ashdown Primary School"]
    assert focused["rows"][0][2:] == ["3: Focused support", "Medium"]


def test_an_alliances_standing_items_name_only_its_schools(categorised, world):
    make_meeting(days_ago=30, state=Meeting.State.HELD, alliance=world.alliance_a)
    meeting = make_meeting(days_ago=-7, alliance=world.alliance_a)
    agenda_publish(meeting=meeting, by=None)
    rows = _standing(meeting)["category_changes"].snapshot["rows"]
    assert [row[0] for row in rows] == ["Ashdown Primary School"]


def test_no_categorisation_agreed_since_the_last_meeting_says_so(categorised):
    make_meeting(days_ago=0, state=Meeting.State.HELD)  # after the last agreement
    meeting = make_meeting(days_ago=-7)
    agenda_publish(meeting=meeting, by=None)
    snapshot = _standing(meeting)["category_changes"].snapshot
    assert snapshot["summary"] == "No categorisation has been agreed since the last meeting."
    assert snapshot["rows"] == []


def test_the_published_agenda_does_not_change_when_the_data_does(categorised, world):
    make_meeting(days_ago=30, state=Meeting.State.HELD)
    meeting = make_meeting(days_ago=-7)
    agenda_publish(meeting=meeting, by=None)
    before = _standing(meeting)["newly_focused"].snapshot
    Result.objects.filter(run=categorised.agreed, school=world.school_z).update(category="4")
    assert _standing(meeting)["newly_focused"].snapshot == before


def test_another_app_adds_a_standing_item_through_the_registry(meeting, monkeypatch):
    monkeypatch.setattr(agenda_sources, "AGENDA_SOURCES", dict(agenda_sources.AGENDA_SOURCES))
    agenda_sources.agenda_source_register(
        "fund_position",
        lambda *, meeting, since: {"summary": "£120,000 of £400,000 remains", "rows": [[1, 2]]},
        title="Fund position",
        order=30,
        exempt_paragraph=ExemptParagraph.P3,
    )
    agenda_publish(meeting=meeting, by=None)
    item = _standing(meeting)["fund_position"]
    assert item.snapshot == {
        "summary": "£120,000 of £400,000 remains",
        "columns": [],
        "rows": [["1", "2"]],
        "school_ids": [],
    }
    assert item.is_confidential and item.exempt_paragraph == "3"
