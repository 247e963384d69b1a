"""The columns of the figures by place and group, named once for the pages and the .xlsx
(the same words, units in the name), and each figure's value as a page prints it and as a
spreadsheet stores it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.oversight.places import Breakdown, Figures


@dataclass(frozen=True)
class Column:
    key: str
    label: object  # lazy string, unit included
    money: bool = False
    #: Shown on a phone's card before "show every figure" is tapped.
    first: bool = False


COLUMNS = (
    Column("hours", _l("Verified service hours"), first=True),
    Column("volunteers", _l("Volunteers (people)"), first=True),
    Column("people_served", _l("People served (people)"), first=True),
    Column("slots_held", _l("Service slots held")),
    Column("disbursed", _l("Disbursed (yuan)"), money=True),
    Column("spent", _l("Spent (yuan)"), money=True),
    Column("needs_posted", _l("Needs posted (cases)")),
    Column("needs_met", _l("Needs met (cases)")),
    Column("needs_overdue", _l("Needs overdue (cases)")),
    Column("complaints", _l("Complaints (cases)")),
    Column("satisfaction", _l("Average satisfaction (out of 5)"), first=True),
    Column("ratings", _l("Ratings (count)")),
)


def name_and_unit(label: str) -> tuple[str, str]:
    """A column's heading as its name and its unit in brackets ("核实服务时长", "（小时）"), so a
    narrow column breaks between them rather than inside a word."""
    for bracket in ("（", " ("):
        name, found, unit = label.partition(bracket)
        if found:
            return name, (found + unit).strip()
    return label, ""


def value(figures: Figures, column: Column):
    """The figure as a number: yuan (Decimal) for money, None when there is nothing to
    average."""
    raw = getattr(figures, column.key)
    if column.money:
        return (Decimal(raw) / 100).quantize(Decimal("0.01"))
    return raw


def shown(figures: Figures, column: Column) -> str:
    """The figure as the page prints it: 24,000.00 / 8.0 / 4.00 / 暂无 (no rating to average)."""
    raw = value(figures, column)
    if raw is None:
        return _("none yet")
    if column.money:
        return f"{raw:,.2f}"
    return f"{raw:,}" if isinstance(raw, int) else str(raw)


def cell(figures: Figures, column: Column):
    """The figure as the spreadsheet stores it (a number, or empty)."""
    raw = value(figures, column)
    if raw is None:
        return None
    return float(raw) if isinstance(raw, Decimal) else raw


def period_words(start: date | None, end: date | None) -> str:
    if start and end:
        return f"{start.isoformat()} – {end.isoformat()}"
    if start:
        return _("From %(day)s", day=start.isoformat())
    if end:
        return _("Up to %(day)s", day=end.isoformat())
    return _("All time")


def node_name(node) -> str:
    """An area's name; for the row of what was recorded at an area itself, "社区本级/未注明网格"."""
    if node.own:
        return _("%(level)s itself or no %(lower)s given", level=node.level, lower=node.lower)
    return node.name


def area_rows(out: Breakdown, max_depth: int | None = None) -> list[tuple[str, Figures, int]]:
    """(name, figures, depth) in reading order, the district first and the row with no place
    last."""
    rows = [(_("Whole district"), out.district, -1)]
    rows += [(node_name(n), n.figures, n.depth) for n in out.rows(max_depth)]
    rows.append((_("Across the district or no area given"), out.unplaced, 0))
    return rows


def group_rows(out: Breakdown) -> list[tuple[str, Figures]]:
    rows = [(g.name, g.figures) for g in out.groups]
    rows.append((_("No group recorded"), out.ungrouped))
    return rows
