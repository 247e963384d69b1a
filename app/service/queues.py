"""What needs a coordinator's or the bureau's attention: recent shifts with open records
and pending requests, the approval queues."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import case, func, select

from app.extensions import db
from app.projects.models import Project, Shift
from app.service.models import HoursRequest, RecordStatus, RequestStatus, ServiceRecord


@dataclass
class ShiftLine:
    shift: Shift
    project_name: str
    verified: int
    open: int
    pending: int


def recent_shifts(tenant_id: int, org_ids: set[int], now: datetime, past_days: int = 30,
                  ahead_days: int = 7) -> list[ShiftLine]:
    """Shifts of these organizations from ``past_days`` ago to ``ahead_days`` ahead, with
    counts of verified and open records and pending requests (one query)."""
    if not org_ids:
        return []
    records = (select(ServiceRecord.shift_id,
                      func.sum(case((ServiceRecord.status == RecordStatus.VERIFIED, 1),
                                    else_=0)).label("verified"),
                      func.sum(case((ServiceRecord.status == RecordStatus.OPEN, 1),
                                    else_=0)).label("open"))
               .where(ServiceRecord.tenant_id == tenant_id)
               .group_by(ServiceRecord.shift_id).subquery())
    pending = (select(HoursRequest.shift_id, func.count(HoursRequest.id).label("pending"))
               .where(HoursRequest.tenant_id == tenant_id,
                      HoursRequest.status == RequestStatus.PENDING)
               .group_by(HoursRequest.shift_id).subquery())
    rows = db.session.execute(
        select(Shift, Project.name, records.c.verified, records.c.open, pending.c.pending)
        .join(Project, Project.id == Shift.project_id)
        .outerjoin(records, records.c.shift_id == Shift.id)
        .outerjoin(pending, pending.c.shift_id == Shift.id)
        .where(Shift.tenant_id == tenant_id, Shift.org_id.in_(org_ids),
               Shift.ends_at >= now - timedelta(days=past_days),
               Shift.starts_at <= now + timedelta(days=ahead_days))
        .order_by(Shift.starts_at.desc())).all()
    return [ShiftLine(shift, name, int(v or 0), int(o or 0), int(p or 0))
            for shift, name, v, o, p in rows]


def pending_requests(tenant_id: int, *, org_ids: set[int] | None = None,
                     shift_id: int | None = None, late: bool | None = None
                     ) -> list[HoursRequest]:
    stmt = select(HoursRequest).where(HoursRequest.tenant_id == tenant_id,
                                      HoursRequest.status == RequestStatus.PENDING)
    if org_ids is not None:
        stmt = stmt.where(HoursRequest.org_id.in_(org_ids))
    if shift_id is not None:
        stmt = stmt.where(HoursRequest.shift_id == shift_id)
    if late is not None:
        stmt = stmt.where(HoursRequest.is_late.is_(late))
    return list(db.session.scalars(stmt.order_by(HoursRequest.id)))
