"""Time accounts and their entries: the SQL side of the time bank's books.

A ``TimeAccount`` holds one person's time credits in a district, or the district's
community pool (``user_id`` NULL). Every movement is a ``TimeEntry`` on one account with the
balance after it; entries are never edited (a correction is a reversal), and every one of
them has its ledger event in the outbox (``outbox_id``), in the commodity HOUR. Minutes are
whole quarters of an hour, and no balance goes below zero (checked by the database too).
"""

from __future__ import annotations

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, text
from sqlalchemy.orm import Mapped, mapped_column

from app.db import TenantScoped, Timestamped
from app.extensions import db

DEPOSIT, DONATION, GIFT_OUT, GIFT_IN, PAYMENT, REFUND, REVERSAL = (
    "deposit", "donation", "gift_out", "gift_in", "payment", "refund", "reversal")
KINDS = (DEPOSIT, DONATION, GIFT_OUT, GIFT_IN, PAYMENT, REFUND, REVERSAL)


class TimeAccount(TenantScoped, Timestamped, db.Model):
    """One person's time credits (时间账户), or the community pool when ``user_id`` is NULL."""

    __tablename__ = "time_account"
    __table_args__ = (
        CheckConstraint("balance_minutes >= 0", name="balance_not_negative"),
        CheckConstraint("balance_minutes % 15 = 0", name="balance_in_quarters"),
        Index("uq_time_account_person", "tenant_id", "user_id", unique=True,
              sqlite_where=text("user_id IS NOT NULL"),
              postgresql_where=text("user_id IS NOT NULL")),
        Index("uq_time_account_pool", "tenant_id", unique=True,
              sqlite_where=text("user_id IS NULL"), postgresql_where=text("user_id IS NULL")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    balance_minutes: Mapped[int] = mapped_column(default=0)

    @property
    def is_pool(self) -> bool:
        return self.user_id is None


class TimeEntry(TenantScoped, Timestamped, db.Model):
    """One movement of time credits on one account, signed, with the balance after it."""

    __tablename__ = "time_entry"
    __table_args__ = (
        CheckConstraint("balance_after >= 0", name="balance_after_not_negative"),
        CheckConstraint("minutes <> 0 AND minutes % 15 = 0", name="minutes_in_quarters"),
        CheckConstraint("kind IN ('deposit','donation','gift_out','gift_in','payment',"
                        "'refund','reversal')", name="kind_known"),
        Index("ix_time_entry_account", "account_id", "id"),
        Index("ix_time_entry_record", "record_id"),
        Index("ix_time_entry_booking", "booking_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("time_account.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(12))
    minutes: Mapped[int]
    balance_after: Mapped[int]
    #: The organization that verified the hours, or whose service was paid for.
    org_id: Mapped[int | None] = mapped_column(ForeignKey("organization.id", ondelete="SET NULL"))
    record_id: Mapped[int | None] = mapped_column(
        ForeignKey("service_record.id", ondelete="SET NULL"))
    booking_id: Mapped[int | None] = mapped_column(
        ForeignKey("slot_booking.id", ondelete="SET NULL"))
    #: The other person of a gift, or the volunteer whose hours above the cap were donated.
    counterpart_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    reverses_id: Mapped[int | None] = mapped_column(ForeignKey("time_entry.id", ondelete="SET NULL"))
    outbox_id: Mapped[int] = mapped_column(ForeignKey("ledger_outbox.id"))
    memo: Mapped[str] = mapped_column(String(200), default="")
    by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
