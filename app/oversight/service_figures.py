"""Service figures: verified hours, volunteers, people served, satisfaction, complaints.

``live`` computes them for one organization (optionally within a period) straight from the
records, ``for_projects`` for a contract's own projects, and ``compute`` every organization's
totals for the tenant dashboard, at read time; ``refresh_summary`` stores a copy.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import case, delete, distinct, func, insert, select

from app.audit.log import day_after, day_start
from app.db import utcnow
from app.extensions import db
from app.oversight.models import OrgServiceSummary


@dataclass
class Service:
    verified_minutes: int = 0
    staff_minutes: int = 0
    records: int = 0
    volunteers: int = 0
    people_served: int = 0
    ratings: int = 0
    rating_sum: int = 0
    complaints: int = 0

    @property
    def hours(self) -> Decimal:
        return (Decimal(self.verified_minutes) / 60).quantize(Decimal("0.1"))

    @property
    def satisfaction(self) -> Decimal | None:
        if not self.ratings:
            return None
        return (Decimal(self.rating_sum) / self.ratings).quantize(Decimal("0.01"))

    def cost_per_hour(self, spent_fen: int) -> int | None:
        return round(spent_fen * 60 / self.verified_minutes) if self.verified_minutes else None

    def cost_per_person(self, spent_fen: int) -> int | None:
        return round(spent_fen / self.people_served) if self.people_served else None

    def add(self, other: Service) -> None:
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))


def available() -> bool:
    return {"service_record", "service_rating", "complaint", "slot_booking"} <= set(db.metadata.tables)


def _models():
    from app.complaints.models import Complaint
    from app.projects.models import ServiceSlot, SlotBooking
    from app.service.models import ServiceRating, ServiceRecord

    return ServiceRecord, ServiceRating, Complaint, ServiceSlot, SlotBooking


def _record_stmt(tenant_id: int):
    record = _models()[0]
    return (select(record.org_id, func.sum(record.minutes),
                   func.sum(case((record.method != "qr", record.minutes), else_=0)),
                   func.count(record.id), func.count(distinct(record.user_id)))
            .where(record.tenant_id == tenant_id, record.status == "verified")
            .group_by(record.org_id))


def _served_stmt(tenant_id: int):
    *_, slot, booking = _models()
    return (select(slot.org_id, func.count(distinct(booking.user_id)))
            .join(slot, slot.id == booking.slot_id)
            .where(booking.tenant_id == tenant_id, booking.status == "confirmed",
                   slot.starts_at <= utcnow())
            .group_by(slot.org_id))


def live(tenant_id: int, org_id: int, start: date | None = None, end: date | None = None) -> Service:
    """One organization's figures, within ``start``–``end`` (activity dates) if given."""
    if not available():
        return Service()
    record, rating, complaint, slot, booking = _models()
    out = Service()
    stmt = _record_stmt(tenant_id).where(record.org_id == org_id)
    served = _served_stmt(tenant_id).where(slot.org_id == org_id)
    ratings = select(func.count(rating.id), func.sum(rating.score)).where(
        rating.tenant_id == tenant_id, rating.org_id == org_id)
    complaints = select(func.count(complaint.id)).where(complaint.tenant_id == tenant_id,
                                                        complaint.org_id == org_id)
    if start:
        stmt = stmt.where(record.activity_date >= start)
        served = served.where(slot.starts_at >= day_start(start))
        ratings = ratings.where(rating.created_at >= day_start(start))
        complaints = complaints.where(complaint.created_at >= day_start(start))
    if end:
        stmt = stmt.where(record.activity_date <= end)
        served = served.where(slot.starts_at < day_after(end))
        ratings = ratings.where(rating.created_at < day_after(end))
        complaints = complaints.where(complaint.created_at < day_after(end))
    for _, minutes, staff, count, people in db.session.execute(stmt):
        out.verified_minutes, out.staff_minutes = int(minutes or 0), int(staff or 0)
        out.records, out.volunteers = int(count), int(people)
    for _, people in db.session.execute(served):
        out.people_served = int(people)
    count, total = db.session.execute(ratings).one()
    out.ratings, out.rating_sum = int(count or 0), int(total or 0)
    out.complaints = int(db.session.scalar(complaints) or 0)
    return out


_FIELDS = ("verified_minutes", "staff_minutes", "records", "volunteers", "people_served",
           "ratings", "rating_sum", "complaints")


def compute(tenant_id: int) -> dict[int | None, Service]:
    """Every organization's totals and the tenant's (``None``), from the tables as they are now,
    in a handful of set-based statements. The dashboard calls this on every read, so a complaint
    filed, a record verified, a rating or a booking attended shows at once."""
    if not available():
        return {}
    record, rating, complaint, slot, booking = _models()
    rows: dict[int | None, Service] = {}

    def row(org_id: int | None) -> Service:
        return rows.setdefault(org_id, Service())

    for org_id, minutes, staff, count, people in db.session.execute(_record_stmt(tenant_id)):
        r = row(org_id)
        r.verified_minutes, r.staff_minutes = int(minutes or 0), int(staff or 0)
        r.records, r.volunteers = int(count), int(people)
    for org_id, people in db.session.execute(_served_stmt(tenant_id)):
        row(org_id).people_served = int(people)
    for org_id, count, total in db.session.execute(
            select(rating.org_id, func.count(rating.id), func.sum(rating.score))
            .where(rating.tenant_id == tenant_id).group_by(rating.org_id)):
        row(org_id).ratings, row(org_id).rating_sum = int(count), int(total or 0)
    for org_id, count in db.session.execute(
            select(complaint.org_id, func.count(complaint.id))
            .where(complaint.tenant_id == tenant_id).group_by(complaint.org_id)):
        row(org_id).complaints = int(count)
    total = Service()
    for r in rows.values():
        total.add(r)
    total.volunteers = int(db.session.scalar(select(func.count(distinct(record.user_id))).where(
        record.tenant_id == tenant_id, record.status == "verified")) or 0)
    total.people_served = int(db.session.scalar(
        select(func.count(distinct(booking.user_id))).join(slot, slot.id == booking.slot_id)
        .where(booking.tenant_id == tenant_id, booking.status == "confirmed",
               slot.starts_at <= utcnow())) or 0)
    rows[None] = total
    return rows


def refresh_summary(tenant_id: int) -> int:
    """Store ``compute`` in ``OrgServiceSummary`` (for the API and the nightly history);
    returns how many rows. Pages do not wait for it: they call ``compute``."""
    if not available():
        return 0
    rows = compute(tenant_id)
    now = utcnow()
    db.session.execute(delete(OrgServiceSummary).where(OrgServiceSummary.tenant_id == tenant_id))
    if len(rows) > 1:
        db.session.execute(insert(OrgServiceSummary), [
            {"tenant_id": tenant_id, "org_id": org_id, "refreshed_at": now,
             **{name: getattr(r, name) for name in _FIELDS}} for org_id, r in rows.items()])
    return len(rows) if len(rows) > 1 else 0


def summary(tenant_id: int) -> tuple[dict[int | None, Service], object]:
    """Per organization figures (``None``: the tenant's) from the last refresh, and when."""
    out, when = {}, None
    for s in db.session.scalars(select(OrgServiceSummary).where(
            OrgServiceSummary.tenant_id == tenant_id)):
        out[s.org_id] = Service(s.verified_minutes, s.staff_minutes, s.records, s.volunteers,
                                s.people_served, s.ratings, s.rating_sum, s.complaints)
        when = s.refreshed_at if when is None or s.refreshed_at < when else when
    return out, when


def for_contract(tenant_id: int, contract_id: int, start: date | None = None,
                 end: date | None = None) -> Service:
    """The figures of the projects a contract names (``project.contract_id``): what the
    contract's money bought. Records, bookings, ratings and complaints of other projects of
    the same organization do not count here."""
    if not available():
        return Service()
    from app.projects.models import Project, Shift

    record, rating, complaint, slot, booking = _models()
    projects = select(Project.id).where(Project.tenant_id == tenant_id,
                                        Project.contract_id == contract_id)
    shifts = select(Shift.id).where(Shift.project_id.in_(projects))
    slots = select(slot.id).where(slot.project_id.in_(projects))
    bookings = select(booking.id).where(booking.slot_id.in_(slots))
    records = [record.tenant_id == tenant_id, record.status == "verified",
               record.shift_id.in_(shifts)]
    served = [booking.tenant_id == tenant_id, booking.status == "confirmed",
              slot.starts_at <= utcnow(), slot.id.in_(slots)]
    rated = [rating.tenant_id == tenant_id, rating.booking_id.in_(bookings)]
    complained = [complaint.tenant_id == tenant_id, complaint.booking_id.in_(bookings)]
    if start:
        records.append(record.activity_date >= start)
        served.append(slot.starts_at >= day_start(start))
        rated.append(rating.created_at >= day_start(start))
        complained.append(complaint.created_at >= day_start(start))
    if end:
        records.append(record.activity_date <= end)
        served.append(slot.starts_at < day_after(end))
        rated.append(rating.created_at < day_after(end))
        complained.append(complaint.created_at < day_after(end))
    out = Service()
    minutes, staff, count, people = db.session.execute(
        select(func.sum(record.minutes),
               func.sum(case((record.method != "qr", record.minutes), else_=0)),
               func.count(record.id), func.count(distinct(record.user_id)))
        .where(*records)).one()
    out.verified_minutes, out.staff_minutes = int(minutes or 0), int(staff or 0)
    out.records, out.volunteers = int(count or 0), int(people or 0)
    out.people_served = int(db.session.scalar(
        select(func.count(distinct(booking.user_id))).join(slot, slot.id == booking.slot_id)
        .where(*served)) or 0)
    n, total = db.session.execute(
        select(func.count(rating.id), func.sum(rating.score)).where(*rated)).one()
    out.ratings, out.rating_sum = int(n or 0), int(total or 0)
    out.complaints = int(db.session.scalar(select(func.count(complaint.id)).where(
        *complained)) or 0)
    return out
