"""When a volunteer is usually free (空闲时间): a grid of weekdays × 上午 / 下午 / 晚上 they
mark on their phone, kept on their record as one bit per cell (``VolunteerProfile.free_times``).

Times are Shanghai time: a shift stored in UTC falls in the weekday and part of the day of its
local start. Nothing marked reads as free whenever, so a volunteer who never opens the grid
misses nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from flask_babel import lazy_gettext as _l

from app.extensions import db
from app.templating import SHANGHAI
from app.volunteers.models import VolunteerProfile

#: Weekdays as Python numbers them (Monday 0), with the names people read.
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
WEEKDAY_NAMES = (_l("Mon."), _l("Tue."), _l("Wed."), _l("Thu."), _l("Fri."), _l("Sat."),
                 _l("Sun."))
#: Parts of the day: 上午 until noon, 下午 until six, 晚上 after.
PARTS = ("morning", "afternoon", "evening")
PART_NAMES = (_l("Morning"), _l("Afternoon"), _l("Evening"))
NOON, SIX_PM = 12, 18
#: Every cell of the grid, as ``"sat-morning"``.
CELLS = tuple(f"{day}-{part}" for day in WEEKDAYS for part in PARTS)


class AvailabilityError(ValueError):
    """A cell that is not on the grid."""


def _bit(weekday: int, part: int) -> int:
    return 1 << (weekday * len(PARTS) + part)


def part_of_day(hour: int) -> int:
    return 0 if hour < NOON else 1 if hour < SIX_PM else 2


def cell_of(moment: datetime) -> tuple[int, int]:
    """The local weekday and part of the day ``moment`` falls in."""
    local = moment.astimezone(SHANGHAI)
    return local.weekday(), part_of_day(local.hour)


def cell_name(moment: datetime) -> str:
    """The grid cell ``moment`` falls in, as ``"sat-morning"``."""
    weekday, part = cell_of(moment)
    return f"{WEEKDAYS[weekday]}-{PARTS[part]}"


def cells_of(free_times: int) -> list[str]:
    """The cells marked, in grid order (Monday morning first)."""
    return [cell for i, cell in enumerate(CELLS) if free_times & (1 << i)]


def words_of(free_times: int) -> list[str]:
    """The cells marked, in words (周一上午, 周六下午…)."""
    return [_l("%(day)s %(part)s", day=WEEKDAY_NAMES[i // len(PARTS)],
               part=PART_NAMES[i % len(PARTS)]) for i in range(len(CELLS)) if free_times & (1 << i)]


class FreeTimesWords:
    """The audit log's words for a stored ``free_times`` (周六上午、周日晚上; 0: any time), read
    like the other fields' ``{code: word}`` mappings."""

    def get(self, stored, default=None):
        try:
            marked = words_of(int(stored))
        except (TypeError, ValueError):
            return default
        return "、".join(str(w) for w in marked) if marked else _l("Any time")


def mask_of(cells: Iterable[str]) -> int:
    """The bits for ``cells``; a cell not on the grid is refused."""
    mask = 0
    for cell in cells:
        if cell not in CELLS:
            raise AvailabilityError(cell)
        mask |= 1 << CELLS.index(cell)
    return mask


def is_free(free_times: int, moment: datetime) -> bool:
    """Whether someone with ``free_times`` is usually free at ``moment`` (nothing marked:
    free whenever)."""
    return not free_times or bool(free_times & _bit(*cell_of(moment)))


def when_words(moment: datetime) -> str:
    """The weekday and part of the day in words, as 周六上午."""
    weekday, part = cell_of(moment)
    return _l("%(day)s %(part)s", day=WEEKDAY_NAMES[weekday], part=PART_NAMES[part])


def choose(profile: VolunteerProfile, cells: Iterable[str]) -> VolunteerProfile:
    """The person marks when they are usually free; the cells not given are cleared."""
    profile.free_times = mask_of(cells)
    db.session.flush()
    return profile
