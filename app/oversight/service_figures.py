"""Service figures: verified hours, volunteers, people served, no-shows, satisfaction,
complaints and return visits (回访).

People served (服务对象人数) count residents recorded as having come to a service slot — by
scanning its code, marked by staff, or confirming it themselves — never bookings alone;
``_served_stmt`` is the one definition every page and export reads.

``live`` computes them for one organization (optionally within a period) straight from the
records, ``for_projects`` for a contract's own projects, and ``compute`` every organization's
totals for the tenant dashboard, at read time; ``refresh_summary`` stores a copy.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import case, delete, distinct, func, insert, select

from app.audit.log import day_after, day_start
from app.db import utcnow
from app.extensions import db
from app.oversight.models import OrgServiceSummary


def tenth_hours(minutes: int) -> Decimal:
    """Minutes as hours to one decimal, halves rounded up (89 min: 1.5 h): the one rounding
    every page and spreadsheet of the service figures uses."""
    return (Decimal(minutes) / 60).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


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
    no_shows: int = 0
    visits_reached: int = 0
    visits_confirmed: int = 0
    visit_score_sum: int = 0
    visit_scores: int = 0

    @property
    def hours(self) -> Decimal:
        return tenth_hours(self.verified_minutes)

    @property
    def satisfaction(self) -> Decimal | None:
        if not self.ratings:
            return None
        return (Decimal(self.rating_sum) / self.ratings).quantize(Decimal("0.01"))

    @property
    def visits_denied(self) -> int:
        """Residents reached on return visits who said they were not served."""
        return self.visits_reached - self.visits_confirmed

    @property
    def visit_confirmation(self) -> Decimal | None:
        """回访确认率: the share (%) of residents reached who confirm being served."""
        if not self.visits_reached:
            return None
        return (Decimal(100 * self.visits_confirmed) / self.visits_reached).quantize(Decimal("0.1"))

    @property
    def visit_satisfaction(self) -> Decimal | None:
        if not self.visit_scores:
            return None
        return (Decimal(self.visit_score_sum) / self.visit_scores).quantize(Decimal("0.01"))

    def cost_per_hour(self, spent_fen: int) -> int | None:
        return round(spent_fen * 60 / self.verified_minutes) if self.verified_minutes else None

    def cost_per_person(self, spent_fen: int) -> int | None:
        return round(spent_fen / self.people_served) if self.people_served else None

    def add(self, other: Service) -> None:
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))


def available() -> bool:
    return {"service_record", "service_rating", "complaint", "slot_booking"} <= set(db.metadata.tables)


def _has(table: str) -> bool:
    return table in db.metadata.tables


def _models():
    from app.complaints.models import Complaint
    from app.projects.models import ServiceSlot, SlotBooking
    from app.service.models import ServiceRating, ServiceRecord

    return ServiceRecord, ServiceRating, Complaint, ServiceSlot, SlotBooking


def _record_stmt(tenant_id: int, per_org: bool = True):
    """Verified minutes (all, and those staff added), records and distinct volunteers, per
    organization (or in all, ``per_org=False``: a volunteer of two organizations is one)."""
    record = _models()[0]
    stmt = (select(record.org_id if per_org else func.min(record.org_id), func.sum(record.minutes),
                   func.sum(case((record.method.not_in(("qr", "import")), record.minutes), else_=0)),
                   func.count(record.id), func.count(distinct(record.user_id)))
            .where(record.tenant_id == tenant_id, record.status == "verified"))
    return stmt.group_by(record.org_id) if per_org else stmt


def _served_stmt(tenant_id: int, *where, per_org: bool = True):
    """People served and no-shows: distinct residents recorded as having come (``attended``)
    and the no-shows staff recorded, per organization (or in all, ``per_org=False``). ``where``
    may name the slot (``ServiceSlot``) for periods and contracts."""
    from app.attendance.models import SlotAttendance as attendance

    slot = _models()[3]
    came = func.count(distinct(case((attendance.attended.is_(True), attendance.user_id))))
    no_shows = func.sum(case((attendance.attended.is_(False), 1), else_=0))
    stmt = (select(*([attendance.org_id] if per_org else []), came, no_shows)
            .join(slot, slot.id == attendance.slot_id)
            .where(attendance.tenant_id == tenant_id, *where))
    return stmt.group_by(attendance.org_id) if per_org else stmt


def _visits_stmt(tenant_id: int, *where, per_org: bool = True):
    """Return visits made (回访): residents reached, of them those who confirm being served,
    and their satisfaction (sum and count of 1–5 scores), by the slot's organization."""
    from app.returnvisits.models import ReturnVisit as visit

    slot = _models()[3]
    reached = func.sum(case((visit.reached.is_(True), 1), else_=0))
    confirmed = func.sum(case((visit.confirmed.is_(True), 1), else_=0))
    stmt = (select(*([visit.org_id] if per_org else []), reached, confirmed,
                   func.sum(visit.satisfaction), func.count(visit.satisfaction))
            .join(slot, slot.id == visit.slot_id)
            .where(visit.tenant_id == tenant_id, visit.visited_at.is_not(None), *where))
    return stmt.group_by(visit.org_id) if per_org else stmt


def _put_served(out: Service, people, no_shows) -> None:
    out.people_served, out.no_shows = int(people or 0), int(no_shows or 0)


def _put_visits(out: Service, reached, confirmed, score_sum, scores) -> None:
    out.visits_reached, out.visits_confirmed = int(reached or 0), int(confirmed or 0)
    out.visit_score_sum, out.visit_scores = int(score_sum or 0), int(scores or 0)


def _residents_side(out: Service, tenant_id: int, *where) -> None:
    """People served, no-shows and return visits of the slots ``where`` names, in all."""
    if _has("slot_attendance"):
        _put_served(out, *db.session.execute(_served_stmt(tenant_id, *where,
                                                          per_org=False)).one())
    if _has("return_visit"):
        _put_visits(out, *db.session.execute(_visits_stmt(tenant_id, *where,
                                                          per_org=False)).one())


def live(tenant_id: int, org_id: int | None, start: date | None = None,
         end: date | None = None) -> Service:
    """One organization's figures (``org_id=None``: the whole district's, a person served or
    volunteering for two organizations counted once), within ``start``–``end`` (activity
    dates) if given."""
    if not available():
        return Service()
    record, rating, complaint, slot, booking = _models()
    out = Service()
    stmt = _record_stmt(tenant_id, per_org=org_id is not None)
    slots = []
    ratings = select(func.count(rating.id), func.sum(rating.score)).where(
        rating.tenant_id == tenant_id)
    complaints = select(func.count(complaint.id)).where(complaint.tenant_id == tenant_id)
    if org_id is not None:
        stmt = stmt.where(record.org_id == org_id)
        slots.append(slot.org_id == org_id)
        ratings = ratings.where(rating.org_id == org_id)
        complaints = complaints.where(complaint.org_id == org_id)
    if start:
        stmt = stmt.where(record.activity_date >= start)
        slots.append(slot.starts_at >= day_start(start))
        ratings = ratings.where(rating.created_at >= day_start(start))
        complaints = complaints.where(complaint.created_at >= day_start(start))
    if end:
        stmt = stmt.where(record.activity_date <= end)
        slots.append(slot.starts_at < day_after(end))
        ratings = ratings.where(rating.created_at < day_after(end))
        complaints = complaints.where(complaint.created_at < day_after(end))
    for _, minutes, staff, count, people in db.session.execute(stmt):
        out.verified_minutes, out.staff_minutes = int(minutes or 0), int(staff or 0)
        out.records, out.volunteers = int(count), int(people)
    _residents_side(out, tenant_id, *slots)
    count, total = db.session.execute(ratings).one()
    out.ratings, out.rating_sum = int(count or 0), int(total or 0)
    out.complaints = int(db.session.scalar(complaints) or 0)
    return out


_FIELDS = ("verified_minutes", "staff_minutes", "records", "volunteers", "people_served",
           "ratings", "rating_sum", "complaints", "no_shows", "visits_reached",
           "visits_confirmed", "visit_score_sum", "visit_scores")


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
    if _has("slot_attendance"):
        for org_id, people, no_shows in db.session.execute(_served_stmt(tenant_id)):
            _put_served(row(org_id), people, no_shows)
    if _has("return_visit"):
        for org_id, *visits in db.session.execute(_visits_stmt(tenant_id)):
            _put_visits(row(org_id), *visits)
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
    if _has("slot_attendance"):  # a resident served by two organizations is one person
        total.people_served = int(db.session.execute(
            _served_stmt(tenant_id, per_org=False)).one()[0] or 0)
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
        out[s.org_id] = Service(**{name: getattr(s, name) for name in _FIELDS})
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
    served = [slot.id.in_(slots)]
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
               func.sum(case((record.method.not_in(("qr", "import")), record.minutes), else_=0)),
               func.count(record.id), func.count(distinct(record.user_id)))
        .where(*records)).one()
    out.verified_minutes, out.staff_minutes = int(minutes or 0), int(staff or 0)
    out.records, out.volunteers = int(count or 0), int(people or 0)
    _residents_side(out, tenant_id, *served)
    n, total = db.session.execute(
        select(func.count(rating.id), func.sum(rating.score)).where(*rated)).one()
    out.ratings, out.rating_sum = int(n or 0), int(total or 0)
    out.complaints = int(db.session.scalar(select(func.count(complaint.id)).where(
        *complained)) or 0)
    return out
