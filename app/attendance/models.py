"""A resident's attendance at a service slot they booked (到场记录): one per booking.

``attended`` false is a no-show (未到场); only staff record one. ``source`` says how the
attendance is known, as volunteer service records say how they were recorded.
"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.auth.models import User
from app.db import OrgScoped, Timestamped
from app.extensions import db
from app.projects.models import ServiceSlot, SlotBooking


class AttendanceSource(enum.StrEnum):
    QR = "qr"              # the resident scanned the slot's rotating code on the spot
    STAFF = "staff"        # staff of the organization marked it on the slot's roster
    RESIDENT = "resident"  # the resident confirmed afterwards ("我已接受服务")


class SlotAttendance(OrgScoped, Timestamped, db.Model):
    """Whether the resident of a booking came to the slot (到场) or not (未到场), and how it is
    known; the slot and resident are copied from the booking so figures count without it."""

    __table_args__ = (
        UniqueConstraint("booking_id"),
        CheckConstraint("source IN ('qr', 'staff', 'resident')", name="source_known"),
        CheckConstraint("attended OR source = 'staff'", name="no_show_by_staff"),
        CheckConstraint("source <> 'qr' OR code_ref IS NOT NULL", name="scan_has_code"),
        # People served per organization: attended rows only, by slot.
        Index("ix_slot_attendance_served", "tenant_id", "attended", "org_id", "slot_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    booking_id: Mapped[int] = mapped_column(ForeignKey("slot_booking.id", ondelete="CASCADE"))
    slot_id: Mapped[int] = mapped_column(ForeignKey("service_slot.id", ondelete="CASCADE"),
                                         index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    attended: Mapped[bool]
    source: Mapped[str] = mapped_column(String(12))
    #: When it happened: the scan, the staff's mark, the resident's confirmation.
    recorded_at: Mapped[datetime]
    #: Staff who marked it (source ``staff``).
    marked_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    #: SHA-256 of the scanned code (source ``qr``).
    code_ref: Mapped[str | None] = mapped_column(String(64))
    #: Staff who passed on the resident's own confirmation for them (代办, source
    #: ``resident``): the resident said so to them; None when the resident confirmed.
    proxy_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))

    booking: Mapped[SlotBooking] = relationship()
    slot: Mapped[ServiceSlot] = relationship()
    user: Mapped[User] = relationship(foreign_keys=[user_id])

    @property
    def no_show(self) -> bool:
        return not self.attended

    def __repr__(self) -> str:
        return f"<SlotAttendance {self.id}>"
