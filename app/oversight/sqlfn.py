"""Date and time arithmetic in SQL that reads the same on SQLite and PostgreSQL.

Rules and dashboards are set-based queries; these small builders hide the two dialects'
differences (``julianday`` vs ``extract(epoch …)``, ``date(x, '-7 days')`` vs ``x - 7``).
"""

from __future__ import annotations

from sqlalchemy import Float, func, literal_column
from sqlalchemy.sql.elements import ColumnElement

from app.extensions import db


def dialect() -> str:
    return db.session.get_bind().dialect.name


def minutes_between(start, end) -> ColumnElement:
    """``end - start`` in minutes (a float)."""
    if dialect() == "sqlite":
        return (func.julianday(end) - func.julianday(start)) * 1440.0
    return func.extract("epoch", end - start).cast(Float) / 60.0


def greatest(a, b) -> ColumnElement:
    return func.max(a, b) if dialect() == "sqlite" else func.greatest(a, b)


def least(a, b) -> ColumnElement:
    return func.min(a, b) if dialect() == "sqlite" else func.least(a, b)


def days_before(day_column, days: int) -> ColumnElement:
    """The date ``days`` before a DATE column."""
    if dialect() == "sqlite":
        return func.date(day_column, f"-{int(days)} days")
    return day_column - literal_column(str(int(days)))


def month_of(day_column) -> ColumnElement:
    """``YYYY-MM`` of a DATE column."""
    if dialect() == "sqlite":
        return func.strftime("%Y-%m", day_column)
    return func.to_char(day_column, "YYYY-MM")


def quarter_of(day_column) -> ColumnElement:
    """``YYYY-Qn`` of a DATE column."""
    if dialect() == "sqlite":
        month = func.cast(func.strftime("%m", day_column), db.Integer)
        return func.strftime("%Y", day_column) + "-Q" + func.cast((month + 2) // 3, db.String)
    return func.to_char(day_column, 'YYYY-"Q"Q')


def local_date(moment) -> ColumnElement:
    """The Asia/Shanghai calendar date of a UTC timestamp, as a DATE (text on SQLite)."""
    if dialect() == "sqlite":
        return func.date(moment, "+8 hours")
    return func.date(func.timezone("Asia/Shanghai", moment))


def gathered(column) -> ColumnElement:
    """Every value of an integer ``column`` in a group as one value (``ids_in`` reads it): an
    array on PostgreSQL, comma-separated text on SQLite."""
    if dialect() == "sqlite":
        return func.group_concat(column)
    return func.array_agg(column)


def ids_in(value) -> set[int]:
    """The distinct ids a ``gathered`` column holds (its NULLs left out)."""
    if not value:
        return set()
    if isinstance(value, str):
        return set(map(int, value.split(",")))
    out = set(value)
    out.discard(None)
    return out
