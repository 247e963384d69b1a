"""The search's SQL: one statement gives a page of results with their count, organization,
area and places left. Built once per shape of query (which filters, how many words) with
bound parameters, so neither SQLAlchemy nor the tenant backstop works it out again per request.

Which projects: published, of the tenant, holding every word (see ``app.projects.searchtext``)
and passing the filters. Their order, the same on both backends: when at most ``COUNT_CAP``
match, those whose name holds every word first; then the most recently published, the
higher id first among equal times. The count stops at ``COUNT_CAP + 1``: the database takes
the newest ``COUNT_CAP + 1`` matches (walking the listing index when most projects match,
the code index when few do), and only those are counted and ranked.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from sqlalchemy import (
    BigInteger,
    Select,
    and_,
    bindparam,
    case,
    exists,
    func,
    literal_column,
    or_,
    select,
    true,
    type_coerce,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.orm import aliased

from app.orgs.models import Organization
from app.projects.models import Project, ProjectStatus, ServiceSlot, Shift
from app.tenancy.models import Area

PER_PAGE = 20
COUNT_CAP = 200
#: Where a query's codes go in its PostgreSQL text (``with_codes``).
CODES = "/*codes*/"


@dataclass(frozen=True)
class Shape:
    """What a query's SQL depends on (not its values)."""

    postgres: bool
    codes: bool  # PostgreSQL: codes the index looks up
    confirmed: int  # words found in search_text (every word, on both backends)
    ranked: int  # words a name must hold to rank first
    category: bool = False
    org: bool = False
    area: bool = False
    group: bool = False
    date_from: bool = False
    date_to: bool = False


@dataclass(frozen=True)
class Statements:
    page: Select  # one page; every row carries the capped count
    count: Select  # the capped count alone, for a page past the end


def _const(value: int | str):
    """A constant written into the SQL (ours, never a visitor's)."""
    return literal_column(f"'{value}'" if isinstance(value, str) else str(int(value)))


ZERO, ONE = _const(0), _const(1)


def _has_group(postgres: bool):
    if postgres:
        return type_coerce(Project.target_groups, JSONB).contains(
            bindparam("group_list", type_=JSONB))
    items = func.json_each(Project.target_groups).table_valued("value")
    return exists(select(ONE).select_from(items).where(items.c.value == bindparam("group")))


def _holds(column, name: str, postgres: bool):
    """``column`` holds the bound word ``name`` (no pattern: ``%`` and ``_`` are letters)."""
    return (func.strpos if postgres else func.instr)(column, bindparam(name)) > ZERO


def _starts(model, shape: Shape):
    criteria = [model.project_id == Project.id, model.cancelled_at.is_(None)]
    if shape.date_from:
        criteria.append(model.starts_at >= bindparam("start"))
    if shape.date_to:
        criteria.append(model.starts_at < bindparam("end"))
    return exists(select(model.id).where(*criteria))


def _criteria(shape: Shape) -> list:
    where = [Project.tenant_id == bindparam("tenant_id"),
             Project.status == _const(ProjectStatus.PUBLISHED.value)]
    # Each word as a substring of the folded text: a position search, several times cheaper
    # per row than the codes' array test, so it is written first and most rows walked in
    # listing order stop there; it also keeps the planner's guess of the matches low
    # enough to read the code index for a word of a few hundred projects.
    where += [_holds(Project.search_text, f"text{i}", shape.postgres) for i in range(shape.confirmed)]
    if shape.codes:
        # Numbers only, written into the SQL (``with_codes``) so that the plan is made for
        # these very codes: common ones walk the listing index newest first, rare ones read
        # the GIN index.
        where.append(type_coerce(Project.search_grams, ARRAY(BigInteger))
                     .contains(literal_column(f"ARRAY[{CODES}]::BIGINT[]")))
    if shape.category:
        where.append(Project.category == bindparam("category"))
    if shape.org:
        where.append(Project.org_id == bindparam("org_id"))
    if shape.area:
        path = select(Area.path).where(Area.id == bindparam("area_id"),
                                       Area.tenant_id == bindparam("tenant_id"))
        subtree = select(Area.id).where(Area.tenant_id == bindparam("tenant_id"),
                                        Area.path.startswith(path.scalar_subquery()))
        where.append(Project.area_id.in_(subtree))
    if shape.group:
        where.append(_has_group(shape.postgres))
    if shape.date_from or shape.date_to:
        where.append(or_(_starts(Shift, shape), _starts(ServiceSlot, shape)))
    return where


def _upcoming(model) -> tuple:
    return (model.project_id == Project.id, model.cancelled_at.is_(None),
            model.starts_at > bindparam("now"))


def _places(model):
    """Places left in the upcoming shifts (or slots) of the result row's project, and when
    the first starts: two subqueries per row (SQLite)."""
    left = select(func.sum(model.capacity - model.confirmed_count)).where(*_upcoming(model))
    first = select(func.min(model.starts_at)).where(*_upcoming(model))
    return left.scalar_subquery(), first.scalar_subquery()


def _places_lateral(model, name: str):
    """The same from one pass over the project's upcoming shifts (or slots) (PostgreSQL)."""
    return (select(func.sum(model.capacity - model.confirmed_count).label("left"),
                   func.min(model.starts_at).label("first"))
            .where(*_upcoming(model)).lateral(name))


def with_codes(sql: str, codes: list[int]) -> str:
    """A statement's text with the query's codes (integers) written in."""
    return sql.replace(CODES, ",".join(str(int(c)) for c in codes), 1)


@lru_cache(maxsize=256)
def postgres_text(shape: Shape, dialect) -> tuple[str, str]:
    """The page and count statements as the PostgreSQL driver takes them (``%(name)s``
    parameters), compiled once per shape."""
    return tuple(str(s.compile(dialect=dialect)) for s in (build(shape).page, build(shape).count))


@lru_cache(maxsize=256)
def build(shape: Shape) -> Statements:
    in_name = (and_(*(_holds(Project.search_name, f"text{i}", shape.postgres)
                      for i in range(shape.ranked))) if shape.ranked else None)
    rank = case((in_name, ZERO), else_=ONE) if in_name is not None else ONE
    hits = (select(Project.id, Project.published_at, rank.label("rank"))
            .where(*_criteria(shape))
            .order_by(Project.published_at.desc().nulls_first(), Project.id.desc())
            .limit(_const(COUNT_CAP + 1)).subquery("hits"))
    counted = select(hits, func.count().over().label("total")).subquery("counted")
    order = (counted.c.published_at.desc().nulls_first(), counted.c.id.desc())
    cap = _const(COUNT_CAP)
    page = (select(counted)
            .order_by(case((counted.c.total <= cap, counted.c.rank), else_=ONE), *order)
            .limit(_const(PER_PAGE)).offset(bindparam("offset")).subquery("page"))
    area = aliased(Area)
    if shape.postgres:
        shifts, slots = _places_lateral(Shift, "shifts"), _places_lateral(ServiceSlot, "slots")
        places = (shifts.c.left, shifts.c.first, slots.c.left, slots.c.first)
    else:
        places = (*_places(Shift), *_places(ServiceSlot))
    rows = (select(Project.id, Project.name, Project.theme, Project.category, Project.org_id,
                   Organization.name, area.name, Project.target_groups, page.c.total,
                   *places, Project.cover_key)
            .select_from(page)
            .join(Project, Project.id == page.c.id)
            .join(Organization, Organization.id == Project.org_id)
            .outerjoin(area, area.id == Project.area_id))
    if shape.postgres:
        rows = rows.outerjoin(shifts, true()).outerjoin(slots, true())
    rows = rows.order_by(case((page.c.total <= cap, page.c.rank), else_=ONE),
                         page.c.published_at.desc().nulls_first(), page.c.id.desc())
    return Statements(page=rows, count=select(func.count()).select_from(hits))
