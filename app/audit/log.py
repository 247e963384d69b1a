"""Reading the audit log: filters for the browsing pages and the exports.

Dates are local (Asia/Shanghai) calendar days; a filter's ``end`` day is included.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import Select, distinct, select

from app.audit.models import AuditEntry
from app.auth.models import RoleGrant, User
from app.extensions import db
from app.parsing import query_dates

SHANGHAI = ZoneInfo("Asia/Shanghai")


def day_start(day: date) -> datetime:
    return datetime.combine(day, time.min, SHANGHAI)


def day_after(day: date) -> datetime:
    return day_start(day + timedelta(days=1))


@dataclass
class LogFilter:
    actor_id: int | None = None
    object_type: str = ""
    object_id: str = ""
    action: str = ""
    start: date | None = None
    end: date | None = None
    #: Messages of the dates refused (and not applied), for the page or the export to show.
    refused: list[str] = field(default_factory=list)

    def params(self) -> dict:
        return {k: (v.isoformat() if isinstance(v, date) else v)
                for k, v in self.__dict__.items() if k != "refused" and v not in (None, "")}

    @classmethod
    def from_params(cls, params: dict) -> LogFilter:
        def _int(v):
            try:
                return int(v)
            except (TypeError, ValueError):
                return None

        days, refused = query_dates(params, "start", "end")
        return cls(actor_id=_int(params.get("actor_id")),
                   object_type=(params.get("object_type") or "")[:60],
                   object_id=(params.get("object_id") or "")[:60],
                   action=params.get("action") if params.get("action") in
                   ("create", "update", "delete") else "",
                   start=days["start"], end=days["end"], refused=refused)


def log_query(tenant_id: int, flt: LogFilter) -> Select:
    stmt = select(AuditEntry).where(AuditEntry.tenant_id == tenant_id)
    if flt.actor_id:
        stmt = stmt.where(AuditEntry.actor_id == flt.actor_id)
    if flt.object_type:
        stmt = stmt.where(AuditEntry.object_type == flt.object_type)
    if flt.object_id:
        stmt = stmt.where(AuditEntry.object_id == flt.object_id)
    if flt.action:
        stmt = stmt.where(AuditEntry.action == flt.action)
    if flt.start:
        stmt = stmt.where(AuditEntry.at >= day_start(flt.start))
    if flt.end:
        stmt = stmt.where(AuditEntry.at < day_after(flt.end))
    return stmt.order_by(AuditEntry.id.desc())


def object_types(tenant_id: int) -> list[str]:
    return list(db.session.scalars(select(distinct(AuditEntry.object_type))
                                   .where(AuditEntry.tenant_id == tenant_id)
                                   .order_by(AuditEntry.object_type)))


def people(tenant_id: int) -> list[User]:
    """Everyone who acted in this tenant or holds a role here (former staff included)."""
    actors = select(distinct(AuditEntry.actor_id)).where(AuditEntry.tenant_id == tenant_id,
                                                         AuditEntry.actor_id.is_not(None))
    holders = select(RoleGrant.user_id).where(RoleGrant.tenant_id == tenant_id)
    return list(db.session.scalars(select(User).where(User.id.in_(actors.union(holders)))
                                   .order_by(User.name, User.id)))


def names(ids) -> dict[int, str]:
    ids = {i for i in ids if i}
    if not ids:
        return {}
    return dict(db.session.execute(select(User.id, User.name).where(User.id.in_(ids))).all())


def localtime_text(value: datetime) -> str:
    return value.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M:%S")
