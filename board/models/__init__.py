"""The board's own records: its seats (membership) and its meetings, for the board and each
area alliance."""

from .dashboard import MeetingFocus
from .meetings import (
    AgendaItem,
    Attendance,
    Decision,
    Declaration,
    ExemptParagraph,
    Meeting,
    MeetingTransition,
    Paper,
    SchoolCode,
    Vote,
)
from .membership import BoardSeat, GroupKind, SeatKind

__all__ = [
    "AgendaItem",
    "Attendance",
    "BoardSeat",
    "Decision",
    "Declaration",
    "ExemptParagraph",
    "GroupKind",
    "Meeting",
    "MeetingFocus",
    "MeetingTransition",
    "Paper",
    "SchoolCode",
    "SeatKind",
    "Vote",
]
