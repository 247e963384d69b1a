"""Declarative base, constraint naming convention and the column types every domain uses."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import DateTime, ForeignKey, Integer, MetaData, TypeDecorator
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column, registry

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator):
    """Timezone-aware datetimes stored as UTC on every backend (SQLite keeps no zone).

    Input is bounded by ``app.parsing``; a value that still overflows once in UTC (year 1 in
    Beijing time) fails binding with an ``OverflowError``, answered as bad input (422) by
    ``app.errors``, never as a server error."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; use an aware datetime")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class Base(DeclarativeBase):
    registry = registry(
        metadata=MetaData(naming_convention=NAMING_CONVENTION),
        type_annotation_map={datetime: UTCDateTime()},
    )


class TenantScoped:
    """Mixin for every row owned by a tenant (区民政局). Loaded only through the scoped layer."""

    @declared_attr
    def tenant_id(cls) -> Mapped[int]:  # noqa: N805
        return mapped_column(
            Integer, ForeignKey("tenant.id", ondelete="CASCADE"), index=True, nullable=False
        )


class OrgScoped(TenantScoped):
    """Mixin for rows owned by one social organization inside a tenant."""

    @declared_attr
    def org_id(cls) -> Mapped[int]:  # noqa: N805
        return mapped_column(
            Integer, ForeignKey("organization.id", ondelete="CASCADE"), index=True, nullable=False
        )


class Timestamped:
    created_at: Mapped[datetime] = mapped_column(default=utcnow, nullable=False)


def first_rows(stmt, limit: int) -> tuple[int, list[tuple]]:
    """How many rows ``stmt`` selects in all, and the first ``limit`` of them, in one query
    (a window count rides along): a short list with an exact count."""
    from sqlalchemy import func

    from app.extensions import db

    rows = db.session.execute(stmt.add_columns(func.count().over()).limit(limit)).all()
    return (rows[0][-1] if rows else 0), [tuple(row[:-1]) for row in rows]
