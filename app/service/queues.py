"""What needs a coordinator's or the bureau's attention: recent shifts with open records
and pending requests, the approval queues."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import case, exists, func, or_, select

from app.auth.models import User
from app.db import first_rows
from app.extensions import db
from app.projects.models import Project, Shift
from app.service import hours
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


# What the workbench lists: each answers ``(count, first rows)`` in one query. ---------------

def shifts_on(tenant_id: int, org_ids: set[int], start: datetime, end: datetime,
              limit: int | None = None):
    """The organizations' shifts starting in ``[start, end)`` (a day), earliest first:
    ``(count, [(shift, project name)])``."""
    if not org_ids:
        return 0, []
    return first_rows(
        select(Shift, Project.name).join(Project, Project.id == Shift.project_id)
        .where(Shift.tenant_id == tenant_id, Shift.org_id.in_(org_ids),
               Shift.cancelled_at.is_(None), Shift.starts_at >= start, Shift.starts_at < end)
        .order_by(Shift.starts_at, Shift.id), limit)


def still_checked_in(tenant_id: int, org_ids: set[int], now: datetime, limit: int | None = None):
    """Records of ended shifts whose volunteer never checked out: attendance to complete.
    ``(count, [(record, volunteer name)])``."""
    if not org_ids:
        return 0, []
    return first_rows(
        select(ServiceRecord, User.name).join(Shift, Shift.id == ServiceRecord.shift_id)
        .join(User, User.id == ServiceRecord.user_id)
        .where(ServiceRecord.tenant_id == tenant_id, ServiceRecord.org_id.in_(org_ids),
               ServiceRecord.status == RecordStatus.OPEN, Shift.ends_at <= now)
        .order_by(Shift.ends_at, ServiceRecord.id), limit)


def requests_for(tenant_id: int, user: User, *, org_ids: set[int] | None = None,
                 late: bool = False, limit: int | None = None):
    """Pending hours requests ``user`` may decide: not proposed by them, not about their own
    hours; on time ones of ``org_ids``, or the late ones (the bureau's).
    ``(count, [(request, volunteer name, activity name)])``."""
    if not late and not org_ids:
        return 0, []
    stmt = (select(HoursRequest, User.name, Project.name)
            .join(User, User.id == HoursRequest.user_id)
            .join(Shift, Shift.id == HoursRequest.shift_id)
            .join(Project, Project.id == Shift.project_id)
            .where(HoursRequest.tenant_id == tenant_id,
                   HoursRequest.status == RequestStatus.PENDING,
                   HoursRequest.is_late.is_(late), HoursRequest.user_id != user.id,
                   or_(HoursRequest.proposed_by_id.is_(None),
                       HoursRequest.proposed_by_id != user.id)))
    if not late:
        stmt = stmt.where(HoursRequest.org_id.in_(org_ids))
    return first_rows(stmt.order_by(HoursRequest.id), limit)


def unresolved_shifts(tenant_id: int, now: datetime, working_days: int,
                      org_ids: set[int] | None = None) -> list[tuple[Shift, str]]:
    """Ended shifts, recent enough for their records to be due, that still have a volunteer
    checked in or hours awaiting a decision: ``[(shift, project name)]``."""
    unresolved = (
        exists().where(ServiceRecord.shift_id == Shift.id,
                       ServiceRecord.status == RecordStatus.OPEN)
        | exists().where(HoursRequest.shift_id == Shift.id,
                         HoursRequest.status == RequestStatus.PENDING))
    # Calendar days comfortably covering the deadline, even across Golden Week.
    horizon = now - timedelta(days=working_days * 2 + 14)
    stmt = (select(Shift, Project.name).join(Project, Project.id == Shift.project_id)
            .where(Shift.tenant_id == tenant_id, Shift.ends_at <= now, Shift.ends_at >= horizon,
                   unresolved))
    if org_ids is not None:
        stmt = stmt.where(Shift.org_id.in_(org_ids))
    return [(shift, name) for shift, name in db.session.execute(stmt.order_by(Shift.ends_at))]


def records_due(tenant_id: int, org_ids: set[int], now: datetime, working_days: int
                ) -> list[tuple[Shift, str, date, int]]:
    """Unresolved shifts whose records are not late yet, the most pressing first:
    ``[(shift, project name, deadline, working days left)]``."""
    if not org_ids:
        return []
    due = []
    for shift, name in unresolved_shifts(tenant_id, now, working_days, org_ids):
        left = hours.working_days_left(shift.ends_at, working_days, now)
        if left >= 0:
            due.append((shift, name, hours.record_deadline(shift.ends_at, working_days), left))
    return sorted(due, key=lambda row: (row[3], row[0].ends_at))
