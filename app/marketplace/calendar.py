"""iCalendar (RFC 5545) files for confirmed places, in Asia/Shanghai time."""

from __future__ import annotations

from datetime import datetime

from app.db import utcnow
from app.templating import SHANGHAI

VTIMEZONE = [
    "BEGIN:VTIMEZONE", "TZID:Asia/Shanghai", "BEGIN:STANDARD", "DTSTART:19700101T000000",
    "TZOFFSETFROM:+0800", "TZOFFSETTO:+0800", "TZNAME:CST", "END:STANDARD", "END:VTIMEZONE",
]


def escape(text: str) -> str:
    """A TEXT value (RFC 5545 §3.3.11): every line break, a lone CR too, becomes ``\\n``
    and other control characters are dropped, so typed text never starts a line of its own."""
    text = text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\\n")
    return "".join(c for c in text if c == "\t" or (c >= " " and c != "\x7f"))


def fold(line: str) -> str:
    """Lines longer than 75 octets continue on the next line after a space (never inside
    a UTF-8 character)."""
    out, current, size = [], "", 0
    for char in line:
        width = len(char.encode())
        if size + width > 75:
            out.append(current)
            current, size = " ", 1
        current += char
        size += width
    out.append(current)
    return "\r\n".join(out)


def local(moment: datetime) -> str:
    return moment.astimezone(SHANGHAI).strftime("%Y%m%dT%H%M%S")


def vevent(uid: str, starts_at: datetime, ends_at: datetime, summary: str, location: str,
           description: str, url: str, status: str | None = None) -> list[str]:
    """One VEVENT's lines (unfolded); ``status`` TENTATIVE or CONFIRMED, if said."""
    return [
        "BEGIN:VEVENT", f"UID:{uid}", f"DTSTAMP:{utcnow().strftime('%Y%m%dT%H%M%SZ')}",
        f"DTSTART;TZID=Asia/Shanghai:{local(starts_at)}",
        f"DTEND;TZID=Asia/Shanghai:{local(ends_at)}",
        f"SUMMARY:{escape(summary)}", f"LOCATION:{escape(location)}",
        f"DESCRIPTION:{escape(description)}", f"URL:{url}",
        *([f"STATUS:{status}"] if status else []), "END:VEVENT",
    ]


def calendar(events: list[list[str]], header: tuple[str, ...] = ()) -> str:
    """A VCALENDAR of ``events`` (from ``vevent``), folded, with CRLF line ends."""
    lines = [
        "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Gongzhi//Marketplace//ZH", "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH", *header, *VTIMEZONE, *(line for event in events for line in event),
        "END:VCALENDAR",
    ]
    return "\r\n".join(fold(line) for line in lines) + "\r\n"


def event(uid: str, starts_at: datetime, ends_at: datetime, summary: str, location: str,
          description: str, url: str) -> str:
    return calendar([vevent(uid, starts_at, ends_at, summary, location, description, url)])
