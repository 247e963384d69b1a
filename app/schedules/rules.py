"""The rule of a recurring schedule (重复安排) and the days it gives: weekly on chosen days,
every n weeks; or monthly on the n-th weekday, every n months; until a day or a number of
dates. Official holidays (法定节假日) are skipped or kept.

Pure functions: python-dateutil's ``rrule`` walks the calendar, ``chinese_calendar`` knows
the holidays of the years the State Council has announced. A year it does not know yet is
reported, and its days are kept.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import date, datetime, time

import chinese_calendar
from dateutil import rrule as rr
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

#: The most dates one schedule may have: a year of twice-weekly dates and some.
MAX_DATES = 200
MAX_INTERVAL = 12
_WEEKDAYS = (rr.MO, rr.TU, rr.WE, rr.TH, rr.FR, rr.SA, rr.SU)
WEEKDAY_NAMES = (_l("Monday"), _l("Tuesday"), _l("Wednesday"), _l("Thursday"), _l("Friday"),
                 _l("Saturday"), _l("Sunday"))
NTH_NAMES = {1: _l("first"), 2: _l("second"), 3: _l("third"), 4: _l("fourth"), -1: _l("last")}


class Frequency(enum.StrEnum):
    WEEKLY = "weekly"
    MONTHLY = "monthly"


class RuleError(ValueError):
    """A rule that cannot be used, with a message for the person who wrote it."""


@dataclass(frozen=True)
class Rule:
    starts_on: date
    frequency: str = Frequency.WEEKLY
    interval: int = 1
    #: Weekly: the days of the week, 0 is Monday.
    weekdays: tuple[int, ...] = ()
    #: Monthly: the n-th (1–4, or -1 for the last) ``nth_weekday`` of the month.
    nth: int = 1
    nth_weekday: int = 0
    until: date | None = None
    count: int | None = None
    skip_holidays: bool = True

    def check(self) -> None:
        if self.frequency not in set(Frequency):
            raise RuleError(_l("Choose weekly or monthly."))
        if not 1 <= self.interval <= MAX_INTERVAL:
            raise RuleError(_l("Repeat every 1 to %(n)s weeks or months.", n=MAX_INTERVAL))
        if self.frequency == Frequency.WEEKLY and (
                not self.weekdays or not set(self.weekdays) <= set(range(7))):
            raise RuleError(_l("Choose at least one day of the week."))
        if self.frequency == Frequency.MONTHLY and (
                self.nth not in NTH_NAMES or self.nth_weekday not in range(7)):
            raise RuleError(_l("Choose which weekday of the month."))
        if (self.until is None) == (self.count is None):
            raise RuleError(_l("Say when the schedule ends: on a date, or after a number of "
                               "dates."))
        if self.count is not None and not 1 <= self.count <= MAX_DATES:
            raise RuleError(_l("A recurring schedule has at most %(n)s dates.", n=MAX_DATES))
        if self.until is not None and self.until < self.starts_on:
            raise RuleError(_l("The end date must not be before the first date."))

    def rrule(self) -> rr.rrule:
        """The rule as dateutil walks it (no count: holidays skipped do not use up dates)."""
        if self.frequency == Frequency.WEEKLY:
            days = [_WEEKDAYS[d] for d in sorted(set(self.weekdays))]
        else:
            days = [_WEEKDAYS[self.nth_weekday](self.nth)]
        until = datetime.combine(self.until, time()) if self.until else None
        freq = rr.WEEKLY if self.frequency == Frequency.WEEKLY else rr.MONTHLY
        return rr.rrule(freq, dtstart=datetime.combine(self.starts_on, time()),
                        interval=self.interval, wkst=rr.MO, byweekday=days, until=until)


@dataclass
class Dates:
    """What a rule gives: the days kept, the holidays skipped (day, name), and the years
    whose holidays are not known yet (their days are kept)."""

    days: list[date] = field(default_factory=list)
    skipped: list[tuple[date, str]] = field(default_factory=list)
    unknown_years: list[int] = field(default_factory=list)


def holiday(day: date) -> str | None:
    """The official holiday ``day`` falls in, by its name in the reader's language; None on
    other days (weekends included); raises ``LookupError`` for a year not announced yet."""
    try:
        _off, name = chinese_calendar.get_holiday_detail(day)
    except NotImplementedError:
        raise LookupError(day.year) from None
    if name is None:
        return None
    english = str(get_locale() or "zh").startswith("en")
    return name if english else chinese_calendar.Holiday(name).chinese


def dates(rule: Rule) -> Dates:
    """The days of ``rule``, at most ``MAX_DATES`` (more is refused, with a message)."""
    rule.check()
    found = Dates()
    wanted = rule.count or MAX_DATES + 1
    for moment in rule.rrule():
        day = moment.date()
        if rule.skip_holidays:
            try:
                name = holiday(day)
            except LookupError:
                name = None
                if day.year not in found.unknown_years:
                    found.unknown_years.append(day.year)
            if name is not None:
                found.skipped.append((day, name))
                continue
        found.days.append(day)
        if len(found.days) >= wanted:
            break
    if len(found.days) > MAX_DATES:
        raise RuleError(_l("This rule gives more than %(n)s dates. Choose an earlier end date, "
                           "or end after a number of dates.", n=MAX_DATES))
    return found


def describe(rule: Rule) -> str:
    """The rule in a sentence: "每 2 周的星期二、星期四，至 2027-03-31"."""
    from app.templating import joined

    if rule.frequency == Frequency.WEEKLY:
        days = joined(WEEKDAY_NAMES[d] for d in sorted(set(rule.weekdays)))
        text = (_("Every week on %(days)s", days=days) if rule.interval == 1 else
                _("Every %(n)s weeks on %(days)s", n=rule.interval, days=days))
    else:
        day = _("the %(nth)s %(weekday)s", nth=NTH_NAMES[rule.nth],
                weekday=WEEKDAY_NAMES[rule.nth_weekday])
        text = (_("Every month on %(day)s", day=day) if rule.interval == 1 else
                _("Every %(n)s months on %(day)s", n=rule.interval, day=day))
    end = (_("until %(day)s", day=rule.until.isoformat()) if rule.until else
           _("%(n)s times", n=rule.count))
    holidays = _("official holidays skipped") if rule.skip_holidays else ""
    clauses = ", " if str(get_locale() or "zh").startswith("en") else "，"
    return clauses.join(part for part in (text, end, holidays) if part)
