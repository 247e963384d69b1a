"""Demo: the residents booked on past service slots are recorded — most scanned the code on
the spot, some were marked by staff, one confirmed afterwards, and one did not come (a no-show
the organization sees on its roster). Idempotent."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from app.attendance import services
from app.attendance.models import AttendanceSource, SlotAttendance
from app.auth.models import Role, RoleGrant, User
from app.db import utcnow
from app.extensions import db
from app.projects.models import ServiceSlot, SignupStatus, SlotBooking
from app.service import codes
from app.tenancy.models import Tenant

ORDER = 35  # after the past service slot and its bookings (service, 30)
#: How each booking of a past slot is recorded, in booking order; the last one is a no-show.
PATTERN = (AttendanceSource.QR, AttendanceSource.STAFF, AttendanceSource.QR,
           AttendanceSource.RESIDENT)


def _staff(tenant_id: int, org_id: int) -> User | None:
    return db.session.scalar(select(User).join(RoleGrant, RoleGrant.user_id == User.id).where(
        RoleGrant.tenant_id == tenant_id, RoleGrant.org_id == org_id,
        RoleGrant.role == Role.ORG_COORDINATOR.value).order_by(User.id).limit(1))


def step(tenant: Tenant) -> str | None:
    now = utcnow()
    slots = db.session.scalars(select(ServiceSlot).where(
        ServiceSlot.tenant_id == tenant.id, ServiceSlot.ends_at < now)
        .order_by(ServiceSlot.starts_at)).all()
    made = 0
    no_show_done = db.session.scalar(select(SlotAttendance.id).where(
        SlotAttendance.tenant_id == tenant.id, SlotAttendance.attended.is_(False)).limit(1))
    for slot in slots:
        bookings = db.session.scalars(select(SlotBooking).where(
            # Bookings made on a resident's behalf are the residents step's: one of them
            # still waits for the resident's word.
            SlotBooking.slot_id == slot.id, SlotBooking.status == SignupStatus.CONFIRMED,
            SlotBooking.proxy_id.is_(None))
            .order_by(SlotBooking.queued_at, SlotBooking.id)).all()
        staff = _staff(tenant.id, slot.org_id)
        for index, booking in enumerate(bookings):
            if services.of_booking(booking) is not None:
                continue
            last = index == len(bookings) - 1 and len(bookings) >= 3
            if last and not no_show_done and staff is not None:
                services.record(booking, slot, attended=False, source=AttendanceSource.STAFF,
                                 now=slot.starts_at + timedelta(minutes=30), marked_by=staff)
                no_show_done = True
            else:
                source = PATTERN[index % len(PATTERN)]
                if source == AttendanceSource.STAFF and staff is None:
                    source = AttendanceSource.RESIDENT
                at = {AttendanceSource.QR: slot.starts_at + timedelta(minutes=3 + index),
                      AttendanceSource.STAFF: slot.starts_at + timedelta(minutes=20),
                      AttendanceSource.RESIDENT: slot.ends_at + timedelta(hours=5)}[source]
                ref = (codes.ref(services.make_code(slot, at))
                       if source == AttendanceSource.QR else None)
                services.record(booking, slot, attended=True, source=source, now=at,
                                 marked_by=staff if source == AttendanceSource.STAFF else None,
                                 ref=ref)
            made += 1
    db.session.flush()
    return f"attendance: {made} recorded" if made else None
