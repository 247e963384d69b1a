"""Service records (服务记录, 民政部令第67号), requests to add or correct hours, training and
award records, the points wallet, certificates (服务证明) and residents' ratings
(complaints live in ``app.complaints``).

Invariants live in the database: a record's minutes never exceed the shift's scheduled
minutes; nobody decides their own request (nor one about their own hours); a wallet's
balance and every entry's running balance are never negative; one rating per booking.
"""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import (
    JSON,
    CheckConstraint,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.auth.models import User
from app.db import OrgScoped, TenantScoped, Timestamped, utcnow
from app.extensions import db
from app.projects.models import Shift, SlotBooking


class RecordMethod(enum.StrEnum):
    """How a record was made; hours recorded automatically stay distinct from staff additions."""

    QR = "qr"                    # the volunteer scanned the coordinator's rotating code
    COORDINATOR = "coordinator"  # the coordinator marked arrival/departure on the spot
    MANUAL = "manual"            # hours added by staff afterwards, approved by another person
    CORRECTION = "correction"    # hours changed by an approved correction
    #: A past record brought in from a spreadsheet (67号令 Art. 4: records kept elsewhere keep
    #: their source); on no shift of ours, and counted once (``app.imports``).
    IMPORT = "import"


class RecordSource(enum.StrEnum):
    """Where an imported record came from (``method`` is ``import``): a spreadsheet filled in
    by hand, or the national volunteer system, whose own record number is kept."""

    SPREADSHEET = ""
    NATIONAL = "national"  # 全国志愿服务信息系统


class RecordStatus(enum.StrEnum):
    OPEN = "open"          # checked in, not (yet) checked out
    VERIFIED = "verified"  # counts towards hours, stars and points
    VOID = "void"          # corrected to "did not serve"


class RequestKind(enum.StrEnum):
    MANUAL = "manual"          # add hours for a volunteer who has no record on the shift
    CORRECTION = "correction"  # change (or complete) an existing record


class RequestStatus(enum.StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"


class ServiceRecord(OrgScoped, Timestamped, db.Model):
    """One volunteer's service on one shift, with the 67号令 fields copied at recording time
    (activity name, date, place, content, service time, organizing unit, activity leader).
    An imported past record has no shift; it is keyed by volunteer, organization and start."""

    __table_args__ = (
        UniqueConstraint("shift_id", "user_id"),
        CheckConstraint("shift_id IS NOT NULL OR method = 'import'", name="shift_unless_imported"),
        Index("uq_service_record_imported", "org_id", "user_id", "activity_date", "checked_in_at",
              unique=True, sqlite_where=text("method = 'import'"),
              postgresql_where=text("method = 'import'")),
        # A record of the national system is brought in once, whatever file it comes in.
        Index("uq_service_record_source_key", "tenant_id", "source", "source_key", unique=True,
              sqlite_where=text("source_key IS NOT NULL"),
              postgresql_where=text("source_key IS NOT NULL")),
        CheckConstraint("minutes >= 0 AND minutes <= scheduled_minutes", name="minutes_within_shift"),
        CheckConstraint("checked_out_at IS NULL OR checked_out_at >= checked_in_at",
                        name="out_after_in"),
        CheckConstraint("points >= 0", name="points_non_negative"),
        Index("ix_service_record_volunteer", "user_id", "status", "activity_date"),
        # A volunteer's history, newest first, without sorting all their records.
        Index("ix_service_record_history", "user_id", "activity_date", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    shift_id: Mapped[int | None] = mapped_column(ForeignKey("shift.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    activity_name: Mapped[str] = mapped_column(String(120))
    activity_date: Mapped[date]
    place: Mapped[str] = mapped_column(String(200))
    content: Mapped[str] = mapped_column(Text, default="")
    category: Mapped[str] = mapped_column(String(40), default="")
    organizing_unit: Mapped[str] = mapped_column(String(120))
    leader_name: Mapped[str] = mapped_column(String(60), default="")
    scheduled_minutes: Mapped[int]
    checked_in_at: Mapped[datetime | None]
    checked_out_at: Mapped[datetime | None]
    #: Served minutes by the hours rule (``app.service.hours.served_minutes``).
    minutes: Mapped[int] = mapped_column(default=0)
    method: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20), default=RecordStatus.OPEN)
    #: Completed after the working-day deadline (made through a bureau-approved request).
    is_late: Mapped[bool] = mapped_column(default=False)
    verified_at: Mapped[datetime | None]
    verified_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    marked_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    #: SHA-256 of the QR tokens used, so the same code never acts twice.
    checkin_ref: Mapped[str | None] = mapped_column(String(64))
    checkout_ref: Mapped[str | None] = mapped_column(String(64))
    #: Points currently credited for this record (the wallet entries hold the history).
    points: Mapped[int] = mapped_column(default=0)
    #: Where an imported record came from (``RecordSource``) and its number there.
    source: Mapped[str] = mapped_column(String(20), default=RecordSource.SPREADSHEET,
                                        server_default="")
    source_key: Mapped[str | None] = mapped_column(String(80))

    shift: Mapped[Shift | None] = relationship()
    user: Mapped[User] = relationship(foreign_keys=[user_id])

    @property
    def hours(self) -> float:
        return self.minutes / 60

    def __repr__(self) -> str:
        return f"<ServiceRecord {self.id}>"


class HoursRequest(OrgScoped, Timestamped, db.Model):
    """A proposal to add hours by hand or to correct a record (补录/更正申请); another
    authorized person decides it, the bureau when it is late."""

    __table_args__ = (
        CheckConstraint("minutes >= 0 AND minutes <= scheduled_minutes", name="minutes_within_shift"),
        CheckConstraint("decided_by_id IS NULL OR (decided_by_id <> proposed_by_id "
                        "AND decided_by_id <> user_id)", name="not_own_request"),
        CheckConstraint("kind = 'manual' OR record_id IS NOT NULL", name="correction_names_record"),
        Index("ix_hours_request_queue", "org_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    shift_id: Mapped[int] = mapped_column(ForeignKey("shift.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    record_id: Mapped[int | None] = mapped_column(ForeignKey("service_record.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(20))
    #: Proposed arrival and departure; both empty means "did not serve".
    starts_at: Mapped[datetime | None]
    ends_at: Mapped[datetime | None]
    minutes: Mapped[int]
    scheduled_minutes: Mapped[int]
    #: The record's minutes when the correction was proposed (kept for the audit trail).
    previous_minutes: Mapped[int | None]
    reason: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), default=RequestStatus.PENDING)
    is_late: Mapped[bool] = mapped_column(default=False)
    proposed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime | None]
    decision_reason: Mapped[str] = mapped_column(Text, default="")

    shift: Mapped[Shift] = relationship()
    record: Mapped[ServiceRecord | None] = relationship()
    user: Mapped[User] = relationship(foreign_keys=[user_id])
    proposed_by: Mapped[User | None] = relationship(foreign_keys=[proposed_by_id])

    def __repr__(self) -> str:
        return f"<HoursRequest {self.id}>"


class TrainingRecord(OrgScoped, Timestamped, db.Model):
    """Training record (培训记录): name, content, duration, organizer, date."""

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    content: Mapped[str] = mapped_column(Text, default="")
    minutes: Mapped[int] = mapped_column(CheckConstraint("minutes > 0", name="minutes_positive"))
    organizer: Mapped[str] = mapped_column(String(120))
    held_on: Mapped[date]
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))


class AwardRecord(OrgScoped, Timestamped, db.Model):
    """Award record (表彰奖励记录): name, date, grantor."""

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    awarded_on: Mapped[date]
    grantor: Mapped[str] = mapped_column(String(120))
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))


class ServiceNotice(TenantScoped, Timestamped, db.Model):
    """A reminder or deadline warning already sent, so jobs never send it twice."""

    __table_args__ = (UniqueConstraint("shift_id", "user_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    shift_id: Mapped[int] = mapped_column(ForeignKey("shift.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(20))


class VolunteerStanding(TenantScoped, db.Model):
    """Verified minutes and star level per volunteer, recomputed nightly in one statement."""

    __table_args__ = (
        UniqueConstraint("tenant_id", "user_id"),
        CheckConstraint("stars >= 0 AND verified_minutes >= 0", name="non_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    verified_minutes: Mapped[int] = mapped_column(default=0)
    stars: Mapped[int] = mapped_column(default=0)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class PointsWallet(TenantScoped, db.Model):
    """A volunteer's points balance; locked for update whenever an entry is appended."""

    __table_args__ = (
        UniqueConstraint("tenant_id", "user_id"),
        CheckConstraint("balance >= 0", name="balance_non_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    balance: Mapped[int] = mapped_column(default=0)


class PointsEntry(TenantScoped, Timestamped, db.Model):
    """Append-only wallet entry; a correction is a reversal entry, never an edit."""

    __table_args__ = (
        CheckConstraint("points <> 0", name="points_non_zero"),
        CheckConstraint("balance_after >= 0", name="balance_after_non_negative"),
        Index("ix_points_entry_wallet", "wallet_id", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    wallet_id: Mapped[int] = mapped_column(ForeignKey("points_wallet.id"))
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    org_id: Mapped[int | None] = mapped_column(ForeignKey("organization.id", ondelete="SET NULL"))
    record_id: Mapped[int | None] = mapped_column(
        ForeignKey("service_record.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))  # accrual / reversal
    points: Mapped[int]
    balance_after: Mapped[int]
    reverses_id: Mapped[int | None] = mapped_column(
        ForeignKey("points_entry.id"), unique=True)
    outbox_id: Mapped[int | None] = mapped_column(ForeignKey("ledger_outbox.id", ondelete="SET NULL"))
    memo: Mapped[str] = mapped_column(String(200), default="")


class Certificate(TenantScoped, Timestamped, db.Model):
    """A numbered proof of service (志愿服务证明). ``content`` is what is certified; its
    SHA-256 ``digest`` and the HMAC ``signature`` make any change detectable."""

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(32), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    date_from: Mapped[date]
    date_to: Mapped[date]
    total_minutes: Mapped[int]
    record_count: Mapped[int]
    content: Mapped[dict] = mapped_column(JSON)
    digest: Mapped[str] = mapped_column(String(64))
    signature: Mapped[str] = mapped_column(String(64))
    #: Where the verification page is served (for the QR code on the PDF).
    base_url: Mapped[str] = mapped_column(String(200), default="")
    pdf_status: Mapped[str] = mapped_column(String(10), default="pending")  # pending/ready
    pdf_rendered_at: Mapped[datetime | None]


class ServiceRating(OrgScoped, Timestamped, db.Model):
    """A resident's rating (1–5) of a service they received; the organization may reply."""

    __table_args__ = (CheckConstraint("score BETWEEN 1 AND 5", name="score_range"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    booking_id: Mapped[int] = mapped_column(
        ForeignKey("slot_booking.id", ondelete="CASCADE"), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    score: Mapped[int]
    comment: Mapped[str] = mapped_column(Text, default="")
    reply: Mapped[str] = mapped_column(Text, default="")
    replied_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    replied_at: Mapped[datetime | None]

    booking: Mapped[SlotBooking] = relationship()
