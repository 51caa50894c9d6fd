"""A standing item's table does not make the agenda grow with the number of schools: the
meeting page shows its first rows and links to the item, whose page shows every row in pages
of 50 (a national board's "Schools newly in focused support" holds thousands)."""

import re

import pytest
from django.test import Client

from board.meeting_agenda import agenda_item_add, agenda_publish
from board.meeting_selectors import SNAPSHOT_ROWS_ON_AGENDA, SNAPSHOT_ROWS_PER_PAGE
from board.models import AgendaItem
from tests.board.conftest import make_meeting


def _rows(n: int) -> list[list[str]]:
    return [[f"School number {i:05d}", str(100000 + i), "North"] for i in range(1, n + 1)]


@pytest.fixture
def meeting_with(seats, world):
    """A published agenda whose one standing table holds ``n`` rows."""

    def make(n: int):
        meeting = make_meeting(days_ago=-7, title=f"Board with {n}")
        item = agenda_item_add(meeting=meeting, title="Schools newly in focused support", by=None)
        agenda_publish(meeting=meeting, by=None)
        snapshot = {
            "summary": f"{n} schools are newly in focused support.",
            "columns": ["School", "URN", "Alliance"],
            "rows": _rows(n),
            "school_ids": [],
        }
        AgendaItem.objects.filter(pk=item.pk).update(snapshot=snapshot)
        return meeting, item

    return make


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _body_rows(html: str) -> list[str]:
    return re.findall(r"School number (\d{5})", html)


def test_the_agenda_shows_the_first_rows_and_links_to_every_row(meeting_with, officer):
    meeting, item = meeting_with(137)
    html = _client(officer).get(f"/meetings/{meeting.pk}/").content.decode()
    assert _body_rows(html) == [f"{i:05d}" for i in range(1, SNAPSHOT_ROWS_ON_AGENDA + 1)]
    assert f"Showing the first {SNAPSHOT_ROWS_ON_AGENDA} of 137 rows" in html
    assert "See all 137 rows of schools newly in focused support" in html
    assert f'href="/meetings/items/{item.pk}/"' in html


def test_a_short_table_is_shown_whole_without_a_link(meeting_with, officer):
    meeting, _ = meeting_with(4)
    html = _client(officer).get(f"/meetings/{meeting.pk}/").content.decode()
    assert _body_rows(html) == ["00001", "00002", "00003", "00004"]
    assert "Showing the first" not in html


def test_the_items_page_shows_every_row_in_pages(meeting_with, officer):
    meeting, item = meeting_with(137)
    client = _client(officer)
    first = client.get(f"/meetings/items/{item.pk}/").content.decode()
    assert len(_body_rows(first)) == SNAPSHOT_ROWS_PER_PAGE
    assert "Showing rows 1 to 50 of 137." in first
    assert 'href="?page=2"' in first
    last = client.get(f"/meetings/items/{item.pk}/?page=3").content.decode()
    assert _body_rows(last) == [f"{i:05d}" for i in range(101, 138)]
    assert "Showing rows 101 to 137 of 137." in last
    # Every row is reachable, once.
    middle = client.get(f"/meetings/items/{item.pk}/?page=2").content.decode()
    seen = _body_rows(first) + _body_rows(middle) + _body_rows(last)
    assert seen == [f"{i:05d}" for i in range(1, 138)]


def test_a_page_past_the_end_shows_the_last_page(meeting_with, officer):
    _, item = meeting_with(60)
    html = _client(officer).get(f"/meetings/items/{item.pk}/?page=99").content.decode()
    assert _body_rows(html) == [f"{i:05d}" for i in range(51, 61)]


@pytest.mark.parametrize("path", ["/meetings/{meeting}/", "/meetings/items/{item}/?page=2"])
def test_the_pages_do_not_grow_with_the_table(meeting_with, officer, path):
    client = _client(officer)
    sizes = []
    for n in (200, 2000):
        meeting, item = meeting_with(n)
        html = client.get(path.format(meeting=meeting.pk, item=item.pk)).content.decode()
        sizes.append(len(html))
    if path.startswith("/meetings/{meeting}"):  # the last, of 2,000 rows
        assert "Showing the first 10 of 2,000 rows" in html
    # 1,800 more rows would add some 200 KB; what differs is the second meeting's own agenda
    # (its "minutes of the last meeting") and the pagination's numbers.
    assert abs(sizes[1] - sizes[0]) < 1000


@pytest.mark.parametrize("n", [0, 3, SNAPSHOT_ROWS_ON_AGENDA, 2_500])
def test_the_agenda_reads_only_what_it_shows_of_a_snapshot(meeting_with, n):
    """The agenda's items carry the snapshot's summary, columns, first rows and row count as
    the whole snapshot gives them, without the database sending the rest of the rows."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from board.meeting_selectors import agenda_items

    meeting, _ = meeting_with(n)
    whole = agenda_items(meeting=meeting, confidential=True, whole=True)
    with CaptureQueriesContext(connection) as read:
        head = agenda_items(meeting=meeting, confidential=True)
    for full, shown in zip(whole, head, strict=True):
        assert shown.snapshot_total == full.snapshot_total == len(full.snapshot.get("rows", []))
        assert shown.snapshot_rows == full.snapshot_rows
        assert shown.snapshot == {
            key: full.snapshot[key]
            for key in ("summary", "columns", "rows")
            if key in full.snapshot
        } | ({"rows": full.snapshot_rows} if full.snapshot else {})
    (sql,) = [q["sql"] for q in read.captured_queries if 'FROM "board_agendaitem"' in q["sql"]]
    column = '"board_agendaitem"."snapshot"'
    # Only inside the JSON functions that take what the agenda shows, never selected whole.
    assert sql.count(column) == sql.count(f"({column}") > 0
    assert len(read.captured_queries) == 4  # the items, papers, declarations, decisions
    assert f"School number {SNAPSHOT_ROWS_ON_AGENDA + 1:05d}" not in str(
        [getattr(item, "snapshot", None) for item in head]
    )
