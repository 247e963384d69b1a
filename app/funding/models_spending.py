"""Spending of contract money: expenditures with receipts, overseers' objections, partner
merchants and volunteer point redemptions.

An expenditure is charged to its contract and line as soon as it is recorded (so two pending
ones cannot together overspend); it becomes final, and reaches the ledger, only after its
approvals and, for spending in the overseers' scope, an objection window without an open
objection; overseers sign off (签字确认) what they reviewed.
The recorder can never be an approver (CHECK constraints).
"""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db import OrgScoped, TenantScoped, Timestamped
from app.extensions import db
from app.funding.columns import event_fk, user_fk


class PaymentMethod(enum.StrEnum):
    TRANSFER = "transfer"  # 银行转账
    ONLINE = "online"  # 公务卡 / 线上支付
    CASH = "cash"  # 现金 (only up to the petty-cash cap)


class ExpenditureStatus(enum.StrEnum):
    PENDING = "pending"  # waiting for approvals
    WINDOW = "window"  # approved; overseers may object until window_ends_at
    OBJECTED = "objected"  # an overseer objected; the bureau must resolve it
    FINAL = "final"  # recorded in the books
    REJECTED = "rejected"
    REVERSED = "reversed"


#: States in which an expenditure holds its amount on the contract and line.
CHARGED = (ExpenditureStatus.PENDING, ExpenditureStatus.WINDOW, ExpenditureStatus.OBJECTED,
           ExpenditureStatus.FINAL)


class Expenditure(OrgScoped, Timestamped, db.Model):
    """Spending of one contract on one budget line (支出), with its receipts."""

    __table_args__ = (
        CheckConstraint("amount_fen > 0", name="amount_positive"),
        CheckConstraint("org_approved_by_id IS NULL OR org_approved_by_id <> recorded_by_id",
                        name="recorder_not_org_approver"),
        CheckConstraint("bureau_approved_by_id IS NULL OR bureau_approved_by_id <> recorded_by_id",
                        name="recorder_not_bureau_approver"),
        # The second officer's approval is a second person's: not the recorder, not the first.
        CheckConstraint("leader_approved_by_id IS NULL OR (leader_approved_by_id <> recorded_by_id"
                        " AND (bureau_approved_by_id IS NULL"
                        " OR leader_approved_by_id <> bureau_approved_by_id))",
                        name="leader_is_a_second_person"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(
        ForeignKey("contract.id", ondelete="RESTRICT"), index=True)
    line_id: Mapped[int] = mapped_column(ForeignKey("contract_line.id", ondelete="RESTRICT"))
    amount_fen: Mapped[int]
    spent_on: Mapped[date]
    payee: Mapped[str] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(Text)
    method: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20), default=ExpenditureStatus.PENDING, index=True)
    #: Index into the tenant's approval tiers: 0 = below the first bound (org decides).
    tier: Mapped[int] = mapped_column(default=0)
    needs_bureau: Mapped[bool] = mapped_column(default=False)
    needs_window: Mapped[bool] = mapped_column(default=False)
    #: The steps of its tier (``app.funding.ladder``) as on the day it was recorded, "org,bureau".
    steps: Mapped[str] = mapped_column(String(80), default="org", server_default="org")
    recorded_by_id: Mapped[int] = user_fk(False)
    org_approved_by_id: Mapped[int | None] = user_fk()
    org_approved_at: Mapped[datetime | None]
    bureau_approved_by_id: Mapped[int | None] = user_fk()
    bureau_approved_at: Mapped[datetime | None]
    leader_approved_by_id: Mapped[int | None] = user_fk()
    leader_approved_at: Mapped[datetime | None]
    window_ends_at: Mapped[datetime | None]
    final_at: Mapped[datetime | None]
    rejected_by_id: Mapped[int | None] = user_fk()
    rejection_reason: Mapped[str] = mapped_column(Text, default="")
    event_id: Mapped[int | None] = event_fk()
    #: A correction: this entry replaces the reversed one.
    corrects_id: Mapped[int | None] = mapped_column(
        ForeignKey("expenditure.id", ondelete="RESTRICT"))
    reversal_event_id: Mapped[int | None] = event_fk()
    reversal_reason: Mapped[str] = mapped_column(Text, default="")
    reversed_by_id: Mapped[int | None] = user_fk()
    reversed_at: Mapped[datetime | None]

    contract = relationship("Contract")
    line = relationship("ContractLine")
    org = relationship("Organization")
    receipts: Mapped[list[Receipt]] = relationship(order_by="Receipt.id")
    objections: Mapped[list[OverseerObjection]] = relationship(
        order_by="OverseerObjection.id", back_populates="expenditure")
    signoffs: Mapped[list[OverseerSignoff]] = relationship(
        order_by="OverseerSignoff.id", back_populates="expenditure")

    @property
    def step_list(self) -> list[str]:
        return [step for step in (self.steps or "").split(",") if step]

    @property
    def open_objections(self) -> list[OverseerObjection]:
        return [o for o in self.objections if o.resolved_at is None]

    def __repr__(self) -> str:
        return f"<Expenditure {self.id}>"


class Receipt(OrgScoped, Timestamped, db.Model):
    """An original receipt (image or PDF) stored outside the static folder."""

    __table_args__ = (CheckConstraint("size > 0", name="size_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    expenditure_id: Mapped[int] = mapped_column(
        ForeignKey("expenditure.id", ondelete="RESTRICT"), index=True)
    #: Its key in the uploads area of ``app.storage``; never derived from the uploaded name.
    stored_name: Mapped[str] = mapped_column(String(200))
    original_name: Mapped[str] = mapped_column(String(200), default="")
    content_type: Mapped[str] = mapped_column(String(60))
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64))
    uploaded_by_id: Mapped[int] = user_fk(False)


class OverseerObjection(TenantScoped, Timestamped, db.Model):
    """A resident overseer's (居务监督) objection to an expenditure in its window."""

    id: Mapped[int] = mapped_column(primary_key=True)
    expenditure_id: Mapped[int] = mapped_column(
        ForeignKey("expenditure.id", ondelete="CASCADE"), index=True)
    overseer_id: Mapped[int] = user_fk(False)
    text: Mapped[str] = mapped_column(Text)
    #: "upheld" (the expenditure is refused) or "dismissed" (it goes ahead).
    resolution: Mapped[str | None] = mapped_column(String(20))
    resolution_note: Mapped[str] = mapped_column(Text, default="")
    resolved_by_id: Mapped[int | None] = user_fk()
    resolved_at: Mapped[datetime | None]

    expenditure: Mapped[Expenditure] = relationship(back_populates="objections")


class OverseerSignoff(TenantScoped, Timestamped, db.Model):
    """A resident overseer's signature (签字确认) on an expenditure they reviewed: once per
    overseer and expenditure."""

    __table_args__ = (UniqueConstraint("expenditure_id", "overseer_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    expenditure_id: Mapped[int] = mapped_column(
        ForeignKey("expenditure.id", ondelete="CASCADE"), index=True)
    overseer_id: Mapped[int] = user_fk(False)

    expenditure: Mapped[Expenditure] = relationship(back_populates="signoffs")
    overseer = relationship("User", foreign_keys=[overseer_id])


class MerchantKind(enum.StrEnum):
    CHARITY_STORE = "charity_store"  # 爱心超市
    MERCHANT = "merchant"  # 商户


class Merchant(TenantScoped, Timestamped, db.Model):
    """A partner where volunteers redeem points in kind."""

    __table_args__ = (UniqueConstraint("tenant_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(20), default=MerchantKind.MERCHANT)
    address: Mapped[str] = mapped_column(String(200), default="")
    active: Mapped[bool] = mapped_column(default=True)


class RedemptionStatus(enum.StrEnum):
    ISSUED = "issued"  # the volunteer holds a code; points are set aside
    CONSUMED = "consumed"  # the code was used at the merchant (exactly once)
    SETTLED = "settled"  # the organization paid the merchant from a contract's 激励 line
    CANCELLED = "cancelled"


#: States in which a redemption uses up the volunteer's points.
HOLDING = (RedemptionStatus.ISSUED, RedemptionStatus.CONSUMED, RedemptionStatus.SETTLED)


class Redemption(OrgScoped, Timestamped, db.Model):
    """Points a volunteer redeems at a merchant, owed by the organization that granted them."""

    __table_args__ = (
        CheckConstraint("points > 0", name="points_positive"),
        CheckConstraint("value_fen > 0", name="value_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="RESTRICT"), index=True)
    merchant_id: Mapped[int] = mapped_column(ForeignKey("merchant.id", ondelete="RESTRICT"))
    points: Mapped[int]
    value_fen: Mapped[int]
    code: Mapped[str] = mapped_column(String(20), unique=True)
    status: Mapped[str] = mapped_column(String(20), default=RedemptionStatus.ISSUED, index=True)
    consumed_at: Mapped[datetime | None]
    consumed_by_id: Mapped[int | None] = user_fk()
    contract_id: Mapped[int | None] = mapped_column(
        ForeignKey("contract.id", ondelete="RESTRICT"), index=True)
    line_id: Mapped[int | None] = mapped_column(
        ForeignKey("contract_line.id", ondelete="RESTRICT"))
    settled_at: Mapped[datetime | None]
    settled_by_id: Mapped[int | None] = user_fk()
    event_id: Mapped[int | None] = event_fk()

    merchant: Mapped[Merchant] = relationship()
    org = relationship("Organization")
    user = relationship("User", foreign_keys=[user_id])

    def __repr__(self) -> str:  # never the code
        return f"<Redemption {self.id}>"


__all__ = ["CHARGED", "HOLDING", "Expenditure", "ExpenditureStatus", "Merchant", "MerchantKind",
           "OverseerObjection", "OverseerSignoff", "PaymentMethod", "Receipt", "Redemption",
           "RedemptionStatus"]
