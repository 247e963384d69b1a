"""The rules that turn times into hours, deadlines, stars and points. Pure functions.

Hours rule (服务时长): the time actually served inside the shift. Arrival and departure are
clipped to the shift window (travel to and from the activity, and waiting before the start,
are not service time), the whole minutes served are rounded DOWN to the quarter hour, and
the result can therefore never exceed the shift's scheduled duration. Minutes are stored
as integers.

Deadline (记录时限): a record is completed within ``record_deadline_working_days`` working
days after the day the shift ends (民政部令第67号: 10), counted on the official calendar with
its adjusted workdays (调休) from ``chinese_calendar``.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from fractions import Fraction
from zoneinfo import ZoneInfo

import chinese_calendar

SHANGHAI = ZoneInfo("Asia/Shanghai")
#: Served time is rounded down to whole quarters of an hour.
ROUNDING_MINUTES = 15


def local_date(moment: datetime) -> date:
    return moment.astimezone(SHANGHAI).date()


def served_minutes(arrived: datetime, left: datetime, shift_start: datetime,
                   shift_end: datetime) -> int:
    """Minutes served between ``arrived`` and ``left``, clipped to the shift, rounded down
    to the quarter hour."""
    start, end = max(arrived, shift_start), min(left, shift_end)
    if end <= start:
        return 0
    minutes = int((end - start).total_seconds() // 60)
    return minutes - minutes % ROUNDING_MINUTES


def format_minutes(minutes: int) -> str:
    """``135`` → ``2.25``: hours with up to two decimals, as shown to people."""
    hours = Fraction(minutes, 60)
    text = f"{float(hours):.2f}".rstrip("0").rstrip(".")
    return text or "0"


def is_workday(day: date) -> bool:
    """Official working day, with 调休; Monday–Friday for years the calendar does not cover yet."""
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        return day.weekday() < 5


def add_working_days(day: date, count: int) -> date:
    """The ``count``-th working day after ``day``."""
    current, found = day, 0
    while found < count:
        current += timedelta(days=1)
        if is_workday(current):
            found += 1
    return current


def record_deadline(shift_end: datetime, working_days: int) -> date:
    """Last day on which the shift's records are on time."""
    return add_working_days(local_date(shift_end), working_days)


def is_late(shift_end: datetime, working_days: int, now: datetime) -> bool:
    return local_date(now) > record_deadline(shift_end, working_days)


def working_days_left(shift_end: datetime, working_days: int, now: datetime) -> int:
    """Working days from today (exclusive) to the deadline (inclusive); negative when late."""
    deadline, today = record_deadline(shift_end, working_days), local_date(now)
    if today > deadline:
        return -1
    count, current = 0, today
    while current < deadline:
        current += timedelta(days=1)
        if is_workday(current):
            count += 1
    return count


def star_level(minutes: int, thresholds_hours: list[int]) -> int:
    """Stars for accumulated verified time: one per threshold reached (1★ 100 h … 5★ 1500 h)."""
    return sum(1 for hours in thresholds_hours if minutes >= hours * 60)


def minutes_to_next_star(minutes: int, thresholds_hours: list[int]) -> int | None:
    """Minutes still needed for the next star, or None at the top level."""
    for hours in thresholds_hours:
        if minutes < hours * 60:
            return hours * 60 - minutes
    return None


def points_for(minutes: int, per_hour: int | float | str, cap: int | None) -> int:
    """Whole points for one activity: ``per_hour`` per verified hour, rounded down, at most
    ``cap`` when the tenant sets one."""
    points = int(Fraction(str(per_hour)) * minutes / 60)
    return min(points, int(cap)) if cap is not None else points
