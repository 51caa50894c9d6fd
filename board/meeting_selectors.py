"""Reads of meetings for a viewer: the list, one meeting's page, an item, the members."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.paginator import Page, Paginator
from django.db.models import Prefetch, Q, QuerySet
from django.db.models.fields.json import KeyTextTransform, KeyTransform
from django.shortcuts import get_object_or_404

from kernel.json_functions import JSONArrayLength

from .meeting_attendance import attendance_flags, seats_at
from .meeting_decisions import voters
from .models import AgendaItem, Attendance, BoardSeat, Decision, Meeting, Paper, SeatKind


def meeting_list(*, user, body: str = "") -> QuerySet:
    """The meetings the user may open, newest first, with their body; ``body`` is "board", an
    alliance's id, or empty for all."""
    meetings = (
        Meeting.objects.visible_to(user).select_related("alliance").order_by("-starts_at", "-pk")
    )
    if body == "board":
        meetings = meetings.filter(alliance__isnull=True)
    elif body.isdigit():
        meetings = meetings.filter(alliance_id=int(body))
    return meetings


def meeting_get(*, user, pk: int) -> Meeting:
    """The meeting if the user may open it (or its published minutes), else 404."""
    return get_object_or_404(Meeting.objects.visible_to(user).select_related("alliance"), pk=pk)


def _latest_papers(papers) -> list[Paper]:
    latest: dict[str, Paper] = {}
    for paper in papers:  # newest version first (the model's ordering)
        latest.setdefault(paper.title.casefold(), paper)
    return list(latest.values())


def agenda_items(*, meeting: Meeting, confidential: bool, whole: bool = False) -> list[AgendaItem]:
    """The agenda in order with each item's latest papers, declarations and decisions; a
    confidential item keeps only its number and exempt category for those who may not see it.

    A standing item's snapshot comes as the agenda shows it, its summary, columns and first
    rows, with the number of rows counted by the database; ``whole`` reads every row (the board
    pack prints them all)."""
    items = meeting.items.order_by("position").prefetch_related(
        Prefetch("papers", queryset=Paper.objects.order_by("title", "-version")),
        Prefetch("declarations", queryset=_declarations()),
        Prefetch("decisions", queryset=Decision.objects.prefetch_related("votes")),
    )
    items = list(items if whole else _with_snapshot_head(items))
    for item in items:
        item.hidden = item.is_confidential and not confidential
        item.latest_papers = _latest_papers(item.papers.all())
        if whole:
            rows = (item.snapshot or {}).get("rows") or []
            item.snapshot_rows, item.snapshot_total = rows[:SNAPSHOT_ROWS_ON_AGENDA], len(rows)
        else:
            _snapshot_head_take(item)
    return items


# A standing item's table on the agenda page shows its first rows, and its own page the rest in
# pages, so no page grows with the number of schools (a national board's "newly in focused
# support" can hold thousands). The board pack, a job, prints every row.
SNAPSHOT_ROWS_ON_AGENDA = 10
SNAPSHOT_ROWS_PER_PAGE = 50


def _with_snapshot_head(items: QuerySet) -> QuerySet:
    """The items without their snapshots, but with what the agenda shows of each: a national
    board's "newly in focused support" holds thousands of rows, which the agenda page read and
    decoded on every view (and the garbage they made set off the collector) to show ten."""
    rows = KeyTransform("rows", "snapshot")
    first = {
        f"snapshot_row_{n}": KeyTransform(str(n), rows) for n in range(SNAPSHOT_ROWS_ON_AGENDA)
    }
    return items.defer("snapshot").annotate(
        snapshot_summary=KeyTextTransform("summary", "snapshot"),
        snapshot_columns=KeyTransform("columns", "snapshot"),
        snapshot_total=JSONArrayLength(rows),
        **first,
    )


def _snapshot_head_take(item: AgendaItem) -> None:
    """Set the item's snapshot (as far as the agenda shows it) from ``_with_snapshot_head``."""
    rows = [getattr(item, f"snapshot_row_{n}") for n in range(SNAPSHOT_ROWS_ON_AGENDA)]
    item.snapshot_rows = [row for row in rows if row is not None]
    item.snapshot_total = item.snapshot_total or 0
    head = {"summary": item.snapshot_summary, "columns": item.snapshot_columns}
    head = {key: value for key, value in head.items() if value is not None}
    if head or item.snapshot_rows:
        head["rows"] = item.snapshot_rows
    item.snapshot = head  # as stored, less the rows past the first (and the school ids)


def snapshot_page(*, item: AgendaItem, number) -> Page:
    """One page of a standing item's table, as published with the agenda."""
    rows = (item.snapshot or {}).get("rows") or []
    return Paginator(rows, SNAPSHOT_ROWS_PER_PAGE).get_page(number)


def _declarations():
    from .models import Declaration

    return Declaration.objects.select_related("seat__user")


@dataclass
class AttendanceRow:
    seat: BoardSeat
    attendance: Attendance | None
    substitutes: list[BoardSeat] = field(default_factory=list)


def attendance_rows(*, meeting: Meeting) -> list[AttendanceRow]:
    """Each seat at the meeting (substitutes under their member) with its attendance."""
    seats = list(seats_at(meeting))
    recorded = {
        a.seat_id: a for a in meeting.attendances.select_related("substitute__user", "seat")
    }
    substitutes: dict[int, list[BoardSeat]] = {}
    for seat in seats:
        if seat.kind == SeatKind.SUBSTITUTE:
            substitutes.setdefault(seat.substitute_for_id, []).append(seat)
    order = {kind: n for n, kind in enumerate(SeatKind.values)}
    return [
        AttendanceRow(seat, recorded.get(seat.pk), substitutes.get(seat.pk, []))
        for seat in sorted(seats, key=lambda s: (order[s.kind], str(s.user)))
        if seat.kind != SeatKind.SUBSTITUTE
    ]


def item_get(*, user, pk: int) -> AgendaItem:
    """The item, if the user may open its meeting, else 404."""
    visible = Meeting.objects.visible_to(user).values("pk")
    queryset = AgendaItem.objects.select_related("meeting__alliance", "minutes_of")
    return get_object_or_404(queryset.filter(meeting__in=visible), pk=pk)


def item_voting(*, item: AgendaItem) -> dict:
    """Who votes on the item and who does not (with why), for its page."""
    allowed, refused = voters(item=item)
    names = {
        seat.pk: seat for seat in BoardSeat.objects.filter(pk__in=refused).select_related("user")
    }
    return {
        "voters": allowed,
        "not_voting": [(names[pk], reason) for pk, reason in refused.items() if pk in names],
    }


def members_of(*, alliance) -> dict:
    """A body's current seats, substitutes under their member, and the attendance flags."""
    seats = list(
        BoardSeat.objects.of_body(alliance)
        .current()
        .select_related("user", "substitute_for__user", "role_assignment")
    )
    return {
        "seats": [s for s in seats if s.kind != SeatKind.SUBSTITUTE],
        "substitutes": [s for s in seats if s.kind == SeatKind.SUBSTITUTE],
        "flags": attendance_flags(alliance=alliance),
    }


def body_choices(*, user) -> list[tuple[str, str]]:
    """The bodies whose meetings the user may list: the board and the alliances they see."""
    from partnership.models import Alliance

    alliances = (
        Alliance.objects.visible_to(user)
        .active()
        .filter(Q(meetings__isnull=False) | Q(board_seats__isnull=False))
        .distinct()
    )
    return [("", "All"), ("board", "The board"), *((str(a.pk), a.name) for a in alliances)]
