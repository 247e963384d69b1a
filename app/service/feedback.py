"""Residents rate services they received and complain about a service or a volunteer
(followed through in ``app.complaints``); the organization answers; the bureau sees both
(两向评价: residents judge the provider)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import case, exists, func, select

from app.auth.models import User
from app.complaints.models import WAITING, Complaint
from app.db import first_rows, utcnow
from app.db_unique import claim
from app.extensions import db
from app.orgs.models import Organization
from app.projects.models import Project, ServiceSlot, Shift, SignupStatus, SlotBooking
from app.service.models import RecordStatus, ServiceRating, ServiceRecord
from app.service.services import ServiceError
from app.tenancy.models import Tenant


def received(tenant_id: int, user_id: int, now: datetime | None = None
             ) -> list[tuple[SlotBooking, ServiceSlot, Project, ServiceRating | None]]:
    """The resident's confirmed bookings whose slot has ended, newest first, with any rating."""
    now = now or utcnow()
    rows = db.session.execute(
        select(SlotBooking, ServiceSlot, Project, ServiceRating)
        .join(ServiceSlot, ServiceSlot.id == SlotBooking.slot_id)
        .join(Project, Project.id == ServiceSlot.project_id)
        .outerjoin(ServiceRating, ServiceRating.booking_id == SlotBooking.id)
        .where(SlotBooking.tenant_id == tenant_id, SlotBooking.user_id == user_id,
               SlotBooking.status == SignupStatus.CONFIRMED, ServiceSlot.ends_at <= now)
        .order_by(ServiceSlot.starts_at.desc())).all()
    return [tuple(row) for row in rows]


def check_received(booking: SlotBooking, resident: User, now: datetime) -> None:
    if booking.user_id != resident.id:
        raise ServiceError(_l("Only the resident who received this service can do this."), 403)
    if booking.status != SignupStatus.CONFIRMED or booking.slot.ends_at > now:
        raise ServiceError(_l("You can give feedback once you have received this service."))


def rate(booking: SlotBooking, resident: User, score: int, comment: str = "",
         now: datetime | None = None) -> ServiceRating:
    now = now or utcnow()
    check_received(booking, resident, now)
    if score not in range(1, 6):
        raise ServiceError(_l("Please choose from 1 to 5 stars."))
    rating = ServiceRating(tenant_id=booking.tenant_id, org_id=booking.slot.org_id,
                           booking_id=booking.id, user_id=resident.id, score=score,
                           comment=(comment or "").strip())
    with claim({"uq_service_rating_booking_id": ServiceError(
            _l("You have already rated this service."), 409)}):
        db.session.add(rating)
    return rating


def volunteers_of(booking: SlotBooking) -> list[User]:
    """Volunteers with verified service on the project the resident's service belonged to."""
    return list(db.session.scalars(
        select(User).join(ServiceRecord, ServiceRecord.user_id == User.id)
        .join(Shift, Shift.id == ServiceRecord.shift_id)
        .where(Shift.project_id == booking.slot.project_id,
               ServiceRecord.status == RecordStatus.VERIFIED)
        .distinct().order_by(User.name)))


def complain(booking: SlotBooking, resident: User, body: str, volunteer_id: int | None = None,
             now: datetime | None = None) -> Complaint:
    """A complaint about a service the resident received (or a volunteer who served on it)."""
    from app.complaints import services as complaints

    now = now or utcnow()
    check_received(booking, resident, now)
    if not (body or "").strip():
        raise ServiceError(_l("Please describe what happened."))
    if volunteer_id and volunteer_id not in {u.id for u in volunteers_of(booking)}:
        raise ServiceError(_l("Please choose a volunteer who served in this project."))
    tenant = db.session.get(Tenant, booking.tenant_id)
    try:
        return complaints.file(tenant, resident, kind="service", body=body, booking=booking,
                               volunteer_id=volunteer_id or None, now=now)
    except complaints.ComplaintError as exc:
        raise ServiceError(str(exc), exc.status) from exc


def reply(rating: ServiceRating, staff: User, text: str, now: datetime | None = None) -> None:
    text = (text or "").strip()
    if not text:
        raise ServiceError(_l("Please write an answer."))
    rating.reply, rating.replied_by_id, rating.replied_at = text, staff.id, now or utcnow()
    db.session.flush()


def answer(complaint: Complaint, staff: User, text: str, now: datetime | None = None) -> None:
    from app.complaints import services as complaints

    try:
        complaints.answer(complaint, staff, text, now)
    except complaints.ComplaintError as exc:
        raise ServiceError(str(exc), exc.status) from exc


def of_org(tenant_id: int, org_id: int) -> tuple[list[ServiceRating], list[Complaint]]:
    ratings = db.session.scalars(select(ServiceRating).where(
        ServiceRating.tenant_id == tenant_id, ServiceRating.org_id == org_id)
        .order_by(ServiceRating.id.desc()).limit(200)).all()
    complaints = db.session.scalars(select(Complaint).where(
        Complaint.tenant_id == tenant_id, Complaint.org_id == org_id)
        .order_by(Complaint.id.desc()).limit(200)).all()
    return list(ratings), list(complaints)


def about_volunteer(tenant_id: int, org_id: int, volunteer_id: int) -> list[Complaint]:
    return list(db.session.scalars(select(Complaint).where(
        Complaint.tenant_id == tenant_id, Complaint.org_id == org_id,
        Complaint.volunteer_id == volunteer_id).order_by(Complaint.id.desc())))


@dataclass
class OrgFeedback:
    org: Organization
    ratings: int
    average: float | None
    complaints: int
    unanswered: int


def overview(tenant_id: int) -> list[OrgFeedback]:
    """Per organization: ratings and their average, complaints and how many await an answer."""
    ratings = (select(ServiceRating.org_id, func.count(ServiceRating.id).label("n"),
                      func.avg(ServiceRating.score).label("avg"))
               .where(ServiceRating.tenant_id == tenant_id)
               .group_by(ServiceRating.org_id).subquery())
    complaints = (select(Complaint.org_id, func.count(Complaint.id).label("n"),
                         func.sum(case((Complaint.status.in_([str(w) for w in WAITING]), 1),
                                       else_=0)).label("open"))
                  .where(Complaint.tenant_id == tenant_id)
                  .group_by(Complaint.org_id).subquery())
    rows = db.session.execute(
        select(Organization, ratings.c.n, ratings.c.avg, complaints.c.n, complaints.c.open)
        .outerjoin(ratings, ratings.c.org_id == Organization.id)
        .outerjoin(complaints, complaints.c.org_id == Organization.id)
        .where(Organization.tenant_id == tenant_id,
               (ratings.c.n.is_not(None)) | (complaints.c.n.is_not(None)))
        .order_by(Organization.name)).all()
    return [OrgFeedback(org, int(n or 0), round(float(avg), 2) if avg is not None else None,
                        int(cn or 0), int(open_ or 0)) for org, n, avg, cn, open_ in rows]


def complaints_by(tenant_id: int, user_id: int) -> list[Complaint]:
    return list(db.session.scalars(select(Complaint).where(
        Complaint.tenant_id == tenant_id, Complaint.user_id == user_id)
        .order_by(Complaint.id.desc()).limit(50)))


def unrated(tenant_id: int, user_id: int, now: datetime | None = None, limit: int | None = None):
    """Services the resident received and has not rated yet, latest first:
    ``(count, [(booking, slot, project)])``."""
    now = now or utcnow()
    rated = exists().where(ServiceRating.booking_id == SlotBooking.id)
    return first_rows(
        select(SlotBooking, ServiceSlot, Project)
        .join(ServiceSlot, ServiceSlot.id == SlotBooking.slot_id)
        .join(Project, Project.id == ServiceSlot.project_id)
        .where(SlotBooking.tenant_id == tenant_id, SlotBooking.user_id == user_id,
               SlotBooking.status == SignupStatus.CONFIRMED, ServiceSlot.ends_at <= now,
               ~rated)
        .order_by(ServiceSlot.starts_at.desc(), SlotBooking.id.desc()), limit)


def unanswered(tenant_id: int, org_ids: set[int], limit: int | None = None):
    """Complaints the organizations have not answered yet (new or reopened), soonest due
    first: ``(count, [(complaint, project name, or the organization's)])``."""
    if not org_ids:
        return 0, []
    return first_rows(
        select(Complaint, func.coalesce(Project.name, Organization.name))
        .join(Organization, Organization.id == Complaint.org_id)
        .outerjoin(SlotBooking, SlotBooking.id == Complaint.booking_id)
        .outerjoin(ServiceSlot, ServiceSlot.id == SlotBooking.slot_id)
        .outerjoin(Project, Project.id == ServiceSlot.project_id)
        .where(Complaint.tenant_id == tenant_id, Complaint.org_id.in_(org_ids),
               Complaint.status.in_([str(w) for w in WAITING]))
        .order_by(Complaint.due_on, Complaint.created_at, Complaint.id), limit)
