"""What people read of complaints: the resident's own, an organization's queue, and the
bureau's view by organization, area and age (days open), with filters."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import case, func, or_, select

from app.complaints.models import WAITING, Complaint, ComplaintStatus
from app.extensions import db
from app.orgs.models import Organization
from app.service.hours import SHANGHAI, local_date
from app.tenancy.models import Area, Tenant

LIMIT = 300
#: Age bands of unsettled complaints, in days open: (from, to or None, words key).
BANDS = ((0, 2), (3, 6), (7, 14), (15, 29), (30, None))
_WAITING = [str(s) for s in WAITING]


def mine(tenant_id: int, user_id: int):
    return (select(Complaint).where(Complaint.tenant_id == tenant_id, Complaint.user_id == user_id)
            .order_by(Complaint.id.desc()).limit(LIMIT))


def queue(tenant_id: int, org_ids: set[int], bureau: bool):
    """Complaints the organizations (and, for a bureau officer, the bureau) handle that are
    not settled: waiting for an answer first, soonest due first, then those answered."""
    handled = [Complaint.org_id.in_(org_ids or {-1})]
    if bureau:
        handled += [Complaint.org_id.is_(None), Complaint.escalated_at.is_not(None)]
    return (select(Complaint).where(Complaint.tenant_id == tenant_id, or_(*handled),
                                    Complaint.status != ComplaintStatus.SATISFIED)
            .order_by(Complaint.status.not_in(_WAITING), Complaint.due_on, Complaint.id)
            .limit(LIMIT))


@dataclass(frozen=True)
class Filters:
    """The bureau's filters: ``org`` an organization's id, or -1 for the bureau's own;
    ``area_id`` an area and the areas in it; ``min_days`` open at least that many days;
    ``state`` one of ``STATES``."""

    org: int | None = None
    area_id: int | None = None
    min_days: int | None = None
    state: str = ""


STATES = ("waiting", "overdue", "escalated", "answered", "satisfied")


def _start_of(day: date) -> datetime:
    return datetime.combine(day, datetime.min.time(), tzinfo=SHANGHAI)


def listing(tenant: Tenant, filters: Filters, now: datetime):
    today = local_date(now)
    stmt = select(Complaint).where(Complaint.tenant_id == tenant.id)
    if filters.org == -1:
        stmt = stmt.where(Complaint.org_id.is_(None))
    elif filters.org:
        stmt = stmt.where(Complaint.org_id == filters.org)
    if filters.area_id:
        area = db.session.get(Area, filters.area_id)
        if area is None or area.tenant_id != tenant.id:
            return stmt.where(False)
        inside = select(Area.id).where(Area.tenant_id == tenant.id,
                                       Area.path.startswith(area.path, autoescape=True))
        stmt = stmt.where(Complaint.area_id.in_(inside))
    if filters.min_days:
        stmt = stmt.where(Complaint.status != ComplaintStatus.SATISFIED,
                          Complaint.created_at < _start_of(today - timedelta(
                              days=filters.min_days - 1)))
    if filters.state == "waiting":
        stmt = stmt.where(Complaint.status.in_(_WAITING))
    elif filters.state == "overdue":
        stmt = stmt.where(Complaint.status.in_(_WAITING), Complaint.due_on < today)
    elif filters.state == "escalated":
        stmt = stmt.where(Complaint.escalated_at.is_not(None),
                          Complaint.status != ComplaintStatus.SATISFIED)
    elif filters.state in ("answered", "satisfied"):
        stmt = stmt.where(Complaint.status == filters.state)
    return stmt.order_by(Complaint.created_at, Complaint.id).limit(LIMIT)


@dataclass(frozen=True)
class Line:
    """One organization's (``org_id`` None: the bureau's) or one area's complaints."""

    key: int | None
    name: str
    total: int
    waiting: int
    overdue: int
    escalated: int
    satisfied: int


def _counts(column, tenant: Tenant, today: date):
    waiting = Complaint.status.in_(_WAITING)
    return (select(column, func.count(Complaint.id),
                   func.sum(case((waiting, 1), else_=0)),
                   func.sum(case((waiting & (Complaint.due_on < today), 1), else_=0)),
                   func.sum(case((Complaint.escalated_at.is_not(None)
                                  & (Complaint.status != ComplaintStatus.SATISFIED), 1), else_=0)),
                   func.sum(case((Complaint.status == ComplaintStatus.SATISFIED, 1), else_=0)))
            .where(Complaint.tenant_id == tenant.id).group_by(column))


def by_org(tenant: Tenant, now: datetime, bureau_name: str) -> list[Line]:
    today = local_date(now)
    names = dict(db.session.execute(select(Organization.id, Organization.name).where(
        Organization.tenant_id == tenant.id)).all())
    lines = [Line(key, names.get(key, bureau_name) if key else bureau_name, n, *map(int, rest))
             for key, n, *rest in db.session.execute(_counts(Complaint.org_id, tenant, today))]
    return sorted(lines, key=lambda line: (-line.waiting, -line.total, line.name))


def by_area(tenant: Tenant, now: datetime, unknown: str) -> list[Line]:
    today = local_date(now)
    names = dict(db.session.execute(select(Area.id, Area.name).where(
        Area.tenant_id == tenant.id)).all())
    lines = [Line(key, names.get(key, unknown) if key else unknown, n, *map(int, rest))
             for key, n, *rest in db.session.execute(_counts(Complaint.area_id, tenant, today))]
    return sorted(lines, key=lambda line: (-line.waiting, -line.total, line.name))


def by_age(tenant: Tenant, now: datetime) -> list[tuple[int, int | None, int]]:
    """Unsettled complaints (waiting or answered) per band of days open:
    ``[(from, to, count)]``."""
    today = local_date(now)
    filed = db.session.scalars(select(Complaint.created_at).where(
        Complaint.tenant_id == tenant.id, Complaint.status != ComplaintStatus.SATISFIED))
    ages = [(today - local_date(at)).days for at in filed]
    return [(low, high, sum(1 for a in ages if a >= low and (high is None or a <= high)))
            for low, high in BANDS]
