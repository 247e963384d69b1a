"""Dates and times as people and programs send them, parsed in one place.

ISO 8601 only (``2026-03-31``, ``2026-03-31T09:30``, ``…+08:00``); full-width digits and
punctuation, as a Chinese input method types them, are read as their ASCII forms. Days lie
between 1900-01-01 and 2100-12-31, and offsets within the ±14 hours any time zone uses, so
every value can be stored and compared on every backend. A time without an offset is Beijing
time. Each refusal is a ``DateInputError`` with a message for the person who sent it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from flask_babel import lazy_gettext as _l

SHANGHAI = ZoneInfo("Asia/Shanghai")
FIRST_DAY = date(1900, 1, 1)
LAST_DAY = date(2100, 12, 31)
MAX_OFFSET_MINUTES = 14 * 60
#: Longer than any way of writing a date and time: refused before any other work.
MAX_LENGTH = 40

_DAY = r"(\d{4})-(\d{2})-(\d{2})"
_CLOCK = r"(\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d{1,6})?)?"
_OFFSET = r"(Z|[+-]\d{2}:?\d{2})"
DATE_RE = re.compile(_DAY, re.ASCII)
TIME_RE = re.compile(_CLOCK, re.ASCII)
DATETIME_RE = re.compile(rf"{_DAY}[T ]{_CLOCK}{_OFFSET}?", re.ASCII)


class DateInputError(ValueError):
    """A date or time refused, with a message for the person who sent it."""


def _text(value: object) -> str:
    text = value if isinstance(value, str) else str(value)
    if len(text) > MAX_LENGTH:
        return ""
    return unicodedata.normalize("NFKC", text).strip()


def _within(day: date) -> date:
    if not FIRST_DAY <= day <= LAST_DAY:
        raise DateInputError(_l("The date must be between %(first)s and %(last)s.",
                                first=FIRST_DAY.isoformat(), last=LAST_DAY.isoformat()))
    return day


def parse_date(value: object) -> date:
    """``"2026-03-31"`` → ``date(2026, 3, 31)``, or a ``DateInputError``."""
    match = DATE_RE.fullmatch(_text(value))
    try:
        day = date(*map(int, match.groups())) if match else None
    except ValueError:
        day = None
    if day is None:
        raise DateInputError(_l("Write the date as year-month-day, for example 2026-03-31."))
    return _within(day)


def parse_time(value: object) -> time:
    """``"09:30"`` → ``time(9, 30)`` (a time of day, without a zone)."""
    match = TIME_RE.fullmatch(_text(value))
    try:
        return time(*(int(part) for part in match.groups() if part is not None))
    except (AttributeError, ValueError):
        raise DateInputError(_l("Write the time as hours:minutes, for example 09:30.")) from None


def parse_datetime(value: object, default_tz=SHANGHAI) -> datetime:
    """``"2026-03-31T09:30"`` (Beijing time) or ``"2026-03-31T01:30:00Z"`` → an aware
    datetime; an offset beyond ±14:00 is refused."""
    text = _text(value)
    match = DATETIME_RE.fullmatch(text)
    offset = match.group(7) if match else None
    if offset and offset != "Z" and int(offset[1:3]) * 60 + int(offset[-2:]) > MAX_OFFSET_MINUTES:
        raise DateInputError(_l("The time zone offset must be between -14:00 and +14:00."))
    try:
        moment = datetime.fromisoformat(text) if match else None
    except ValueError:
        moment = None
    if moment is None:
        raise DateInputError(_l("Write the date and time like 2026-03-31T09:30 (Beijing time), "
                                "or with a time zone offset like 2026-03-31T09:30+08:00."))
    _within(moment.date())
    return moment if moment.tzinfo else moment.replace(tzinfo=default_tz)


def known_year(year: int | None) -> bool:
    """A year inside the range every date is bounded to (a ``?year=`` filter)."""
    return year is not None and FIRST_DAY.year <= year <= LAST_DAY.year


def local_datetime(value: object) -> datetime:
    """A datetime-local form value → naive Beijing time (an offset typed in is converted)."""
    return parse_datetime(value).astimezone(SHANGHAI).replace(tzinfo=None)


def optional_date(args: Mapping, name: str) -> date | None:
    """A date from a query string or form; absent or empty is ``None``."""
    value = args.get(name)
    return parse_date(value) if value not in (None, "") else None


def query_dates(args: Mapping, *names: str) -> tuple[dict[str, date | None], list[str]]:
    """Optional dates of a query string or form: a refused one is ``None`` (not applied),
    and its message is in the list a page shows."""
    days, refused = {}, []
    for name in names:
        try:
            days[name] = optional_date(args, name)
        except DateInputError as exc:
            days[name], refused = None, [*refused, str(exc)]
    return days, refused


def local_today() -> date:
    """Today in the district's time zone (Beijing time), whatever the machine's zone."""
    return datetime.now(SHANGHAI).date()
