"""A meeting as a calendar invitation (iCalendar, RFC 5545), written by hand: one VEVENT with
CRLF line endings, lines folded at 75 octets, and TEXT values escaped."""

from __future__ import annotations

from datetime import UTC, datetime

from django.utils import timezone

from .models import Meeting

PRODID = "-//School improvement partnership//Meetings//EN"


def ics_escape(text: str) -> str:
    """Escape a TEXT value (RFC 5545 section 3.3.11)."""
    return (
        text.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
    )


def ics_fold(line: str) -> str:
    """Fold a content line into lines of at most 75 octets, continuations starting with a space
    (section 3.1), never splitting a UTF-8 character."""
    encoded = line.encode()
    if len(encoded) <= 75:
        return line
    parts, current, limit = [], b"", 75
    for char in line:
        piece = char.encode()
        if len(current) + len(piece) > limit:
            parts.append(current.decode())
            current, limit = b"", 74  # the leading space takes one octet
        current += piece
    parts.append(current.decode())
    return "\r\n ".join(parts)


def _utc(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def meeting_ics(*, meeting: Meeting, url: str, domain: str) -> str:
    """The meeting's invitation; a cancelled meeting is sent as cancelled (same UID, higher
    SEQUENCE) so calendars remove it."""
    cancelled = meeting.state == Meeting.State.CANCELLED
    description = f"{meeting.body_name}: {meeting.get_kind_display()}. Agenda and papers: {url}"
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        f"METHOD:{'CANCEL' if cancelled else 'PUBLISH'}",
        "BEGIN:VEVENT",
        f"UID:meeting-{meeting.pk}@{domain}",
        f"DTSTAMP:{_utc(timezone.now())}",
        f"SEQUENCE:{meeting.transitions.count()}",
        f"DTSTART:{_utc(meeting.starts_at)}",
        f"DTEND:{_utc(meeting.ends_at)}",
        f"SUMMARY:{ics_escape(meeting.title)}",
        f"DESCRIPTION:{ics_escape(description)}",
        f"URL:{url}",
        f"STATUS:{'CANCELLED' if cancelled else 'CONFIRMED'}",
    ]
    if meeting.location:
        lines.append(f"LOCATION:{ics_escape(meeting.location)}")
    lines += ["END:VEVENT", "END:VCALENDAR"]
    return "".join(ics_fold(line) + "\r\n" for line in lines)
