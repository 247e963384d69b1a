"""The rules of attendance at service slots: the resident scans the slot's rotating code on the
spot, staff mark the roster (attended or no-show), or the resident confirms afterwards (我已接受
服务). One attendance per booking, held by the database; services ``flush()``, callers commit.

Time windows: scanning is open from an hour before the slot starts to two hours after it ends
(as volunteers' check-in and check-out); staff mark until the tenant's record deadline
(``record_deadline_working_days`` working days after the slot), a no-show only once the slot
has begun; the resident confirms from the slot's end for ``attendance_confirm_days`` days.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import case, func, select

from app.attendance.models import AttendanceSource, SlotAttendance
from app.auth.models import User
from app.db import utcnow
from app.db_unique import claim
from app.extensions import db
from app.projects.models import Project, ServiceSlot, SignupStatus, SlotBooking
from app.service import codes
from app.service.hours import SHANGHAI, record_deadline
from app.service.services import CHECKIN_OPENS_BEFORE, CHECKOUT_CLOSES_AFTER
from app.tenancy.models import Tenant

SLOT_CODES = codes.RotatingCode("gz-slot-attendance", ("in",))
#: Days after the slot's end a resident may still say they received it, when the tenant does
#: not say (``attendance_confirm_days``).
CONFIRM_DAYS = 3


class AttendanceError(ValueError):
    """A refused action, with a message for the person and an HTTP status."""

    def __init__(self, message, status: int = 422):
        super().__init__(str(message))
        self.status = status


def make_code(slot: ServiceSlot, now: datetime | None = None) -> str:
    return SLOT_CODES.make(slot.tenant_id, slot.id, "in", now)


def booking_of(slot: ServiceSlot, user_id: int) -> SlotBooking | None:
    """The person's confirmed booking of the slot, if they hold one."""
    return db.session.scalar(select(SlotBooking).where(
        SlotBooking.slot_id == slot.id, SlotBooking.user_id == user_id,
        SlotBooking.status == SignupStatus.CONFIRMED))


def of_booking(booking: SlotBooking) -> SlotAttendance | None:
    return db.session.scalar(select(SlotAttendance).where(SlotAttendance.booking_id == booking.id))


def of_bookings(booking_ids: list[int]) -> dict[int, SlotAttendance]:
    if not booking_ids:
        return {}
    return {a.booking_id: a for a in db.session.scalars(select(SlotAttendance).where(
        SlotAttendance.booking_id.in_(booking_ids)))}


def confirm_days(tenant_id: int) -> int:
    tenant = db.session.get(Tenant, tenant_id)
    return int(tenant.setting("attendance_confirm_days") or CONFIRM_DAYS)


def confirm_until(slot: ServiceSlot) -> datetime:
    return slot.ends_at + timedelta(days=confirm_days(slot.tenant_id))


def may_confirm(booking: SlotBooking, slot: ServiceSlot, attendance: SlotAttendance | None,
                now: datetime) -> bool:
    """Whether "我已接受服务" is offered: the slot is over, within the days to confirm, and
    nothing is recorded yet."""
    return (attendance is None and booking.status == SignupStatus.CONFIRMED
            and slot.ends_at <= now <= confirm_until(slot))


def mark_until(slot: ServiceSlot) -> datetime:
    """The end of the last day staff may mark the roster (the record deadline, Beijing time)."""
    tenant = db.session.get(Tenant, slot.tenant_id)
    last = record_deadline(slot.ends_at, int(tenant.setting("record_deadline_working_days")))
    return datetime.combine(last + timedelta(days=1), datetime.min.time(), tzinfo=SHANGHAI)


def record(booking: SlotBooking, slot: ServiceSlot, *, attended: bool, source: str,
           now: datetime, marked_by: User | None = None, ref: str | None = None,
           proxy: User | None = None) -> SlotAttendance:
    """Write the attendance as given (the rules above have been applied, or it is the demo's);
    a second one for the booking is refused by the database."""
    row = SlotAttendance(tenant_id=slot.tenant_id, org_id=slot.org_id, booking_id=booking.id,
                         slot_id=slot.id, user_id=booking.user_id, attended=attended,
                         source=source, recorded_at=now, code_ref=ref,
                         marked_by_id=marked_by.id if marked_by else None,
                         proxy_id=proxy.id if proxy else None)
    with claim({"uq_slot_attendance_booking_id": AttendanceError(
            _l("Attendance at this service is already recorded."), 409)}):
        db.session.add(row)
    return row


def _refuse_if_recorded(booking: SlotBooking, ref: str | None = None, *,
                        resident: bool = True) -> None:
    found = of_booking(booking)
    if found is None:
        return
    if ref is not None and found.code_ref == ref:
        raise AttendanceError(_l("This code has already been used. Nothing was recorded "
                                 "again."), 409)
    if resident and not found.attended:
        raise AttendanceError(_l("The organization recorded that you did not come. If that is "
                                 "wrong, please file a complaint about this service."), 409)
    raise AttendanceError(_l("Attendance at this service is already recorded."), 409)


def scan(slot: ServiceSlot, resident: User, token: str, now: datetime | None = None
         ) -> SlotAttendance:
    """The resident's phone opened the slot's code: they are here."""
    now = now or utcnow()
    try:
        SLOT_CODES.read(token, slot.tenant_id, slot.id, now)
    except codes.CodeRefused as exc:
        raise AttendanceError({
            "invalid": _l("This code is not valid. Please scan the code the staff show."),
            "elsewhere": _l("This code belongs to another service. Please scan the code of "
                            "the service you are at."),
            "expired": _l("This code has expired. Please scan the code the staff show "
                          "again."),
        }[exc.reason]) from exc
    booking = booking_of(slot, resident.id)
    if booking is None:
        raise AttendanceError(_l("You have no confirmed booking for this service."), 403)
    ref = codes.ref(token)
    _refuse_if_recorded(booking, ref)
    if now < slot.starts_at - CHECKIN_OPENS_BEFORE:
        raise AttendanceError(_l("You can scan from one hour before the service starts."))
    if now > slot.ends_at + CHECKOUT_CLOSES_AFTER:
        raise AttendanceError(_l("This service is over. You can confirm it under My sign-ups."))
    return record(booking, slot, attended=True, source=AttendanceSource.QR, now=now, ref=ref)


def mark(slot: ServiceSlot, booking: SlotBooking, attended: bool, staff: User,
         now: datetime | None = None) -> SlotAttendance:
    """Staff mark a booked resident as come (到场) or not (未到场) from the slot's roster."""
    now = now or utcnow()
    if booking.slot_id != slot.id or booking.status != SignupStatus.CONFIRMED:
        raise AttendanceError(_l("Choose a resident booked on this service."), 404)
    _refuse_if_recorded(booking, resident=False)
    if now < slot.starts_at - CHECKIN_OPENS_BEFORE or (not attended and now < slot.starts_at):
        raise AttendanceError(_l("Attendance is marked once the service begins."))
    if now >= mark_until(slot):
        raise AttendanceError(_l("The deadline for recording this service has passed."))
    return record(booking, slot, attended=attended, source=AttendanceSource.STAFF, now=now,
                   marked_by=staff)


def confirm(booking: SlotBooking, resident: User, now: datetime | None = None, *,
            proxy: User | None = None) -> SlotAttendance:
    """The resident says afterwards that they received the service (我已接受服务); ``proxy``
    is the staff member passing it on for a resident who is not online (代办)."""
    now = now or utcnow()
    if booking.user_id != resident.id:
        raise AttendanceError(_l("Only the resident who booked this service can confirm it."),
                              403)
    slot = booking.slot
    _refuse_if_recorded(booking)
    if booking.status != SignupStatus.CONFIRMED or now < slot.ends_at:
        raise AttendanceError(_l("You can confirm once the service is over."))
    if now > confirm_until(slot):
        raise AttendanceError(_l("It is too late to confirm this service."))
    return record(booking, slot, attended=True, source=AttendanceSource.RESIDENT, now=now,
                  proxy=proxy)


def roster(slot: ServiceSlot) -> list[tuple[SlotBooking, User, SlotAttendance | None]]:
    """The slot's confirmed bookings in booking order, each with its attendance if any."""
    rows = db.session.execute(
        select(SlotBooking, User, SlotAttendance)
        .join(User, User.id == SlotBooking.user_id)
        .outerjoin(SlotAttendance, SlotAttendance.booking_id == SlotBooking.id)
        .where(SlotBooking.slot_id == slot.id, SlotBooking.status == SignupStatus.CONFIRMED)
        .order_by(SlotBooking.queued_at, SlotBooking.id)).all()
    return [tuple(row) for row in rows]


@dataclass
class SlotLine:
    slot: ServiceSlot
    project_name: str
    booked: int
    attended: int
    no_shows: int

    @property
    def unmarked(self) -> int:
        return self.booked - self.attended - self.no_shows


def recent_slots(tenant_id: int, org_ids: set[int], now: datetime, past_days: int = 30,
                 ahead_days: int = 7) -> list[SlotLine]:
    """Service slots of these organizations from ``past_days`` ago to ``ahead_days`` ahead,
    with their bookings, attendance and no-shows (one query), latest first."""
    if not org_ids:
        return []
    counts = (select(SlotAttendance.slot_id,
                     func.sum(case((SlotAttendance.attended.is_(True), 1), else_=0)).label("came"),
                     func.sum(case((SlotAttendance.attended.is_(False), 1), else_=0)).label("no"))
              .where(SlotAttendance.tenant_id == tenant_id)
              .group_by(SlotAttendance.slot_id).subquery())
    rows = db.session.execute(
        select(ServiceSlot, Project.name, counts.c.came, counts.c.no)
        .join(Project, Project.id == ServiceSlot.project_id)
        .outerjoin(counts, counts.c.slot_id == ServiceSlot.id)
        .where(ServiceSlot.tenant_id == tenant_id, ServiceSlot.org_id.in_(org_ids),
               ServiceSlot.ends_at >= now - timedelta(days=past_days),
               ServiceSlot.starts_at <= now + timedelta(days=ahead_days))
        .order_by(ServiceSlot.starts_at.desc())).all()
    return [SlotLine(slot, name, slot.confirmed_count, int(came or 0), int(no or 0))
            for slot, name, came, no in rows]
