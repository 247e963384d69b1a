"""A return-visit sample (one seeded draw of attendances) and the visits made from it.

Like a spot check, a draw records its seed, the population's size and a digest of it, and
the instant after which rows are not part of it, so anyone can draw again and get the same
residents. A visit is taken by one officer, who alone sees the resident's full phone number,
and records whether the resident was reached, confirms being served, and how satisfied they
are (1–5).
"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.attendance.models import SlotAttendance
from app.auth.models import User
from app.db import OrgScoped, TenantScoped, Timestamped
from app.extensions import db

REMARKS_MAX = 1000


class VisitMethod(enum.StrEnum):
    PHONE = "phone"        # 电话回访
    DOORSTEP = "doorstep"  # 上门回访


class ReturnVisitSample(TenantScoped, Timestamped, db.Model):
    __table_args__ = (CheckConstraint("sample_size > 0", name="sample_size_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Population criteria: {"start": "2026-01-01", "end": "2026-03-31", "org_id": 3}.
    params: Mapped[dict] = mapped_column(JSON, default=dict)
    sample_size: Mapped[int]
    seed: Mapped[str] = mapped_column(String(24))
    algorithm: Mapped[str] = mapped_column(String(60))
    population_count: Mapped[int]
    population_digest: Mapped[str] = mapped_column(String(64))
    #: Attendances recorded after this instant are not part of the population.
    cutoff_at: Mapped[datetime]
    drawn_by_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="RESTRICT"))

    drawn_by: Mapped[User] = relationship()
    visits: Mapped[list[ReturnVisit]] = relationship(back_populates="sample",
                                                     order_by="ReturnVisit.position")

    def __repr__(self) -> str:
        return f"<ReturnVisitSample {self.id}>"


class ReturnVisit(OrgScoped, Timestamped, db.Model):
    """One sampled resident's service (an attendance) and what the visit found. ``org_id`` is
    the organization that gave the service."""

    __table_args__ = (
        UniqueConstraint("sample_id", "position"),
        UniqueConstraint("sample_id", "attendance_id"),
        CheckConstraint("satisfaction IS NULL OR satisfaction BETWEEN 1 AND 5",
                        name="satisfaction_range"),
        CheckConstraint("method IS NULL OR method IN ('phone', 'doorstep')", name="method_known"),
        # Visited: how and whether the resident was reached; reached: what they said.
        CheckConstraint("(visited_at IS NULL) = (reached IS NULL)", name="visited_has_outcome"),
        CheckConstraint("visited_at IS NULL OR method IS NOT NULL", name="visited_has_method"),
        CheckConstraint("reached OR (confirmed IS NULL AND satisfaction IS NULL)",
                        name="unreached_says_nothing"),
        CheckConstraint("confirmed IS NOT NULL OR NOT reached", name="reached_answers"),
        Index("ix_return_visit_slot", "slot_id", "reached", "confirmed"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    sample_id: Mapped[int] = mapped_column(ForeignKey("return_visit_sample.id",
                                                      ondelete="CASCADE"), index=True)
    position: Mapped[int]  # order of the draw, from 1
    attendance_id: Mapped[int] = mapped_column(ForeignKey("slot_attendance.id",
                                                          ondelete="CASCADE"), index=True)
    slot_id: Mapped[int] = mapped_column(ForeignKey("service_slot.id", ondelete="CASCADE"))
    resident_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"),
                                             index=True)
    #: The officer doing the visit (the only one who sees the full phone number).
    visited_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    taken_at: Mapped[datetime | None]
    method: Mapped[str | None] = mapped_column(String(12))
    reached: Mapped[bool | None]
    #: The resident confirms being served (False: they say they were not).
    confirmed: Mapped[bool | None]
    satisfaction: Mapped[int | None]
    remarks: Mapped[str] = mapped_column(Text, default="")
    visited_at: Mapped[datetime | None]

    sample: Mapped[ReturnVisitSample] = relationship(back_populates="visits")
    attendance: Mapped[SlotAttendance] = relationship()
    resident: Mapped[User] = relationship(foreign_keys=[resident_id])
    visited_by: Mapped[User | None] = relationship(foreign_keys=[visited_by_id])

    @property
    def done(self) -> bool:
        return self.visited_at is not None

    @property
    def denied(self) -> bool:
        return bool(self.reached) and self.confirmed is False

    def __repr__(self) -> str:
        return f"<ReturnVisit {self.id}>"
