"""The public marketplace: browse and search published projects.

A query's words are matched as substrings (Chinese has no spaces to split words on) of the
folded name, theme, highlights and content (``app.projects.searchtext``): every published
project holding every word is found, whatever the word's length. The SQL, its order and the
capped count are in ``app.marketplace.statements``.
"""

from __future__ import annotations

import json
import threading
import weakref
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import cache

from sqlalchemy import Connection, Engine, Select, bindparam, create_engine, select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import joinedload

from app.db import utcnow
from app.extensions import db
from app.jsontext import load_stored
from app.marketplace import code_stats
from app.marketplace.statements import (
    COUNT_CAP,
    PER_PAGE,
    Shape,
    build,
    postgres_text,
    with_codes,
)
from app.orgs.models import Organization
from app.projects import searchtext
from app.projects.models import Project, ProjectStatus, ServiceSlot, Shift
from app.templating import SHANGHAI
from app.tenancy.models import Tenant

__all__ = ["COUNT_CAP", "PER_PAGE", "Card", "Filters", "Results", "search"]


@dataclass(frozen=True)
class Filters:
    q: str = ""
    category: str = ""
    area_id: int | None = None
    group: str = ""
    org_id: int | None = None
    date_from: date | None = None
    date_to: date | None = None
    page: int = 1

    def terms(self) -> list[str]:
        return searchtext.terms(self.q)

    def active(self) -> bool:
        return any((self.q.strip(), self.category, self.area_id, self.group, self.org_id,
                    self.date_from, self.date_to))


@dataclass
class Card:
    """What a result shows: plain values, so a page of results can be cached."""

    id: int
    name: str
    theme: str
    category: str
    org_id: int
    org_name: str
    area_name: str | None
    target_groups: list[str]
    cover_key: str | None  # the cover photo, if any (app/projects/covers.py)
    next_start: datetime | None = None
    shift_places: int = 0
    slot_places: int = 0


@dataclass
class Results:
    cards: list[Card]
    total: int
    page: int
    per_page: int = PER_PAGE
    capped: bool = False
    extra: dict = field(default_factory=dict)

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def prev_num(self) -> int:
        return self.page - 1

    @property
    def next_num(self) -> int:
        return self.page + 1


def _local_midnight(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=SHANGHAI)


def _query(tenant: Tenant, f: Filters) -> tuple[Shape, dict]:
    """The statement's shape and its parameters."""
    postgres = db.session.get_bind().dialect.name == "postgresql"
    terms = f.terms()
    shape = Shape(postgres=postgres, codes=postgres and bool(terms), confirmed=len(terms),
                  ranked=len(terms), category=bool(f.category), org=bool(f.org_id),
                  area=bool(f.area_id), group=bool(f.group), date_from=bool(f.date_from),
                  date_to=bool(f.date_to))
    params = {"tenant_id": tenant.id, "now": utcnow(),
              "codes": sorted({c for t in terms for c in searchtext.term_grams(t)}),
              "category": f.category, "org_id": f.org_id, "area_id": f.area_id,
              "group": f.group, "group_list": [f.group]}
    params.update({f"text{i}": t for i, t in enumerate(terms)})
    if f.date_from:
        params["start"] = _local_midnight(f.date_from)
    if f.date_to:
        params["end"] = _local_midnight(f.date_to + timedelta(days=1))
    return shape, params


def search(tenant: Tenant, f: Filters) -> Results:
    """One page of results: a capped count, the page with its cards and their places left."""
    shape, params = _query(tenant, f)
    try:
        return _search(shape, params, f.page)
    except DBAPIError as exc:
        # A pooled connection the server had closed (a restart): the pool is emptied, and
        # the search runs once more on a new connection.
        if not exc.connection_invalidated:
            raise
        return _search(shape, params, f.page)


def _search(shape: Shape, params: dict, asked: int) -> Results:
    page = max(1, min(asked, COUNT_CAP // PER_PAGE))
    with _reading_connection() as connection, _runner(connection, shape, params) as run:
        rows = run.page((page - 1) * PER_PAGE)
        total = rows[0][8] if rows else 0
        if not rows and page > 1:  # a page past the last: show the last
            total = run.count()
            page = max(1, -(-min(total, COUNT_CAP) // PER_PAGE))
            if total:
                rows = run.page((page - 1) * PER_PAGE)
    cards = [Card(*row[:8], cover_key=row[13], next_start=_earliest(row[10], row[12]),
                  shift_places=int(row[9] or 0), slot_places=int(row[11] or 0)) for row in rows]
    return Results(cards=cards, total=min(total, COUNT_CAP), page=page,
                   capped=total > COUNT_CAP)


@dataclass
class _Run:
    page: Callable[[int], list]  # the rows at an offset
    count: Callable[[], int]  # the capped count alone


@contextmanager
def _runner(connection: Connection, shape: Shape, params: dict) -> Iterator[_Run]:
    """The search's statements, run as plain SQL: they name their tenant themselves (every
    row is a project of ``tenant_id`` or reached from one), so the ORM's per-execution work
    (its compile step, the tenant backstop) would only repeat it. On PostgreSQL the text,
    compiled once per shape, goes to the driver's cursor as it is: a page of twenty rows
    then costs no more than reading them."""
    if not shape.postgres:
        statements = build(shape)
        yield _Run(lambda offset: connection.execute(statements.page, {**params, "offset": offset}).all(),
                   lambda: connection.scalar(statements.count, params) or 0)
        return
    codes = code_stats.rarest(params["codes"], connection)
    page_sql, count_sql = (with_codes(text, codes) for text in postgres_text(shape, connection.dialect))
    values = {**params, "group_list": json.dumps(params["group_list"], ensure_ascii=False)}
    driver_error = connection.dialect.loaded_dbapi.Error
    with connection.connection.driver_connection.cursor() as cursor:
        def page(offset: int) -> list:
            return cursor.execute(page_sql, {**values, "offset": offset}).fetchall()

        def count() -> int:
            return cursor.execute(count_sql, values).fetchone()[0] or 0

        try:
            yield _Run(page, count)
        except driver_error as exc:  # as SQLAlchemy would raise it: the app answers those
            gone = connection.dialect.is_disconnect(exc, connection.connection.dbapi_connection,
                                                    cursor)
            if gone:
                connection.invalidate(exc)
                connection.engine.dispose()  # its idle connections are as dead as this one
            raise DBAPIError.instance(None, None, exc, driver_error, connection_invalidated=gone,
                                      dialect=connection.dialect) from exc


@contextmanager
def _reading_connection() -> Iterator[Connection]:
    """On PostgreSQL, a connection of the search's own pool, outside any transaction: a
    single statement reads a consistent snapshot anyway, and without BEGIN and ROLLBACK the
    driver keeps the statements it has prepared (a rollback drops them all), so PostgreSQL
    does not plan a frequent search again each time. Otherwise (SQLite, or a session bound
    to one connection, as under tests) the session's connection."""
    bind = db.session.get_bind()
    if not isinstance(bind, Engine) or bind.dialect.name != "postgresql":
        yield db.session.connection()
        return
    with _reader(bind).connect() as connection:
        yield connection


#: The app's engine -> the search's engine on the same database.
_readers: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_readers_lock = threading.Lock()


def _reader(engine: Engine) -> Engine:
    """The search's pool: its connections stay in autocommit, and one is used without first
    asking the server whether it is still there (the app's pool asks before every use, a
    round trip as long as a short search's). One found closed is dropped with the idle
    ones beside it, and ``search`` runs once more."""
    with _readers_lock:
        reader = _readers.get(engine)
        if reader is None:
            reader = _readers[engine] = create_engine(
                engine.url, isolation_level="AUTOCOMMIT", pool_size=engine.pool.size(),
                json_deserializer=load_stored)
    return reader


def _earliest(*values) -> datetime | None:
    found = [_aware(v) for v in values if v is not None]
    return min(found) if found else None


def _aware(value):
    """Aggregates may bypass the column type: SQLite hands back a naive UTC string."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value if value.tzinfo else value.replace(tzinfo=UTC)


@cache
def _place_with_project(model: type[Shift] | type[ServiceSlot]) -> Select:
    return (select(model).where(model.tenant_id == bindparam("tenant_id"), model.id == bindparam("id"))
            .options(joinedload(model.project)))


def place_or_404(model: type[Shift] | type[ServiceSlot], ident: int) -> Shift | ServiceSlot:
    """A shift or slot of the current tenant with its project, in one query."""
    from flask import abort

    from app.tenancy.scoping import current_tenant

    place = db.session.scalar(_place_with_project(model),
                              {"tenant_id": current_tenant().id, "id": ident})
    if place is None:
        abort(404)
    return place


def projects_of(org: Organization) -> list[Project]:
    """An organization's public projects: published first, then closed."""
    return list(db.session.scalars(select(Project).where(
        Project.tenant_id == org.tenant_id, Project.org_id == org.id,
        Project.status.in_([ProjectStatus.PUBLISHED, ProjectStatus.CLOSED]))
        .order_by(Project.status.desc(), Project.published_at.desc())))
