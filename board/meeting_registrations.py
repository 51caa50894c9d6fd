"""What the meetings add to the audit trail: meetings, seats, decisions and papers."""

from kernel.audit import audit_kind_register, url_or_none

from .models import BoardSeat, Decision, Meeting, Paper


def _seat_label(record) -> str:
    body = record.alliance.name if record.alliance else "the board"
    return f"{record.user} ({record.get_kind_display().lower()}, {body})"


def register() -> None:
    audit_kind_register(
        "meeting",
        "Meetings",
        Meeting,
        order=90,
        entry_label=lambda record: record.title,
        entry_url=lambda record: url_or_none("board:meeting-detail", record.id),
        name=lambda meeting: meeting.title,
    )
    audit_kind_register(
        "board_seat",
        "Board and alliance seats",
        BoardSeat,
        order=91,
        related=("user", "alliance"),
        entry_label=_seat_label,
        entry_url=lambda record: url_or_none("board:members"),
        name_joins=("user", "alliance"),
        name=lambda seat: _seat_label(seat),
    )
    audit_kind_register(
        "decision",
        "Decisions",
        Decision,
        order=92,
        related=("item",),
        entry_label=lambda record: record.text[:100],
        entry_url=lambda record: url_or_none("board:item-detail", record.item_id),
    )
    audit_kind_register(
        "paper",
        "Meeting papers",
        Paper,
        order=93,
        entry_label=lambda record: f"{record.title} (version {record.version})",
        entry_url=lambda record: url_or_none("board:item-detail", record.item_id),
    )
