"""Contracts (财政部令第102号) with their budget lines and tranches, and the payments
(disbursements) made on them. The CHECK constraints keep a contract's money straight: never
paid beyond its commitment, never spent or refunded beyond what it received, and never
approved by the officer who asked for the payment."""

from __future__ import annotations

import enum
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db import OrgScoped, Timestamped
from app.extensions import db
from app.funding.columns import event_fk, user_fk
from app.orgs.models import Organization

if TYPE_CHECKING:
    from app.auth.models import User
    from app.funding.models import Award, Fund


class ContractStatus(enum.StrEnum):
    DRAFT = "draft"
    SIGNED = "signed"
    CLOSED = "closed"


class TrancheStatus(enum.StrEnum):
    PLANNED = "planned"
    REQUESTED = "requested"  # milestone marked achieved, payment asked for
    PAID = "paid"


class Contract(OrgScoped, Timestamped, db.Model):
    """A purchase contract with the fields 财政部令第102号 asks for, its lines and tranches."""

    __table_args__ = (
        CheckConstraint("price_fen > 0", name="price_positive"),
        CheckConstraint("ends_on >= starts_on", name="term_order"),
        CheckConstraint("committed_fen >= 0 AND committed_fen <= price_fen", name="commitment"),
        CheckConstraint("released_fen >= 0 AND disbursed_fen >= 0", name="nonnegative"),
        CheckConstraint("disbursed_fen + released_fen <= committed_fen", name="within_commitment"),
        CheckConstraint("spent_fen >= 0 AND refunded_fen >= 0", name="spent_nonnegative"),
        CheckConstraint("spent_fen + refunded_fen <= disbursed_fen", name="within_received"),
        # A project names its contract with its own district and organization (composite key).
        UniqueConstraint("tenant_id", "org_id", "id", name="uq_contract_tenant_id_org_id_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    award_id: Mapped[int] = mapped_column(ForeignKey("award.id", ondelete="RESTRICT"), unique=True)
    fund_id: Mapped[int] = mapped_column(ForeignKey("fund.id", ondelete="RESTRICT"), index=True)
    number: Mapped[str] = mapped_column(String(40), default="")
    title: Mapped[str] = mapped_column(String(120))
    content: Mapped[str] = mapped_column(Text)  # 服务内容
    starts_on: Mapped[date]
    ends_on: Mapped[date]
    quantity: Mapped[str] = mapped_column(Text)  # 服务数量
    quality: Mapped[str] = mapped_column(Text)  # 质量标准
    price_fen: Mapped[int]
    settlement: Mapped[str] = mapped_column(Text)  # 结算方式
    duties: Mapped[str] = mapped_column(Text)  # 双方权利义务
    liability: Mapped[str] = mapped_column(Text)  # 违约责任
    status: Mapped[str] = mapped_column(String(20), default=ContractStatus.DRAFT, index=True)
    signed_at: Mapped[datetime | None]
    signed_by_id: Mapped[int | None] = user_fk()
    closed_at: Mapped[datetime | None]
    closed_by_id: Mapped[int | None] = user_fk()
    # Running totals, kept in the same transaction as the rows and events that move them.
    committed_fen: Mapped[int] = mapped_column(default=0)
    released_fen: Mapped[int] = mapped_column(default=0)
    disbursed_fen: Mapped[int] = mapped_column(default=0)
    #: Expenditures final or awaiting approval, and settled redemptions.
    spent_fen: Mapped[int] = mapped_column(default=0)
    refunded_fen: Mapped[int] = mapped_column(default=0)
    commitment_event_id: Mapped[int | None] = event_fk()
    release_event_id: Mapped[int | None] = event_fk()
    refund_event_id: Mapped[int | None] = event_fk()

    award: Mapped[Award] = relationship("Award")
    fund: Mapped[Fund] = relationship("Fund")
    org: Mapped[Organization] = relationship()
    lines: Mapped[list[ContractLine]] = relationship(
        order_by="ContractLine.position", cascade="all, delete-orphan")
    tranches: Mapped[list[Tranche]] = relationship(
        order_by="Tranche.seq", cascade="all, delete-orphan")

    @property
    def is_published(self) -> bool:
        return self.status in (ContractStatus.SIGNED, ContractStatus.CLOSED)

    @property
    def cash_fen(self) -> int:
        """Received and not yet spent, reserved or refunded."""
        return self.disbursed_fen - self.spent_fen - self.refunded_fen

    @property
    def undisbursed_fen(self) -> int:
        return self.committed_fen - self.disbursed_fen - self.released_fen

    def __repr__(self) -> str:
        return f"<Contract {self.id}>"


class ContractLine(OrgScoped, db.Model):
    """A contract's budget line; a capped line never has more charged than its budget."""

    __table_args__ = (
        UniqueConstraint("contract_id", "name"),
        CheckConstraint("budget_fen >= 0 AND spent_fen >= 0", name="nonnegative"),
        CheckConstraint("NOT capped OR spent_fen <= budget_fen", name="within_budget"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(
        ForeignKey("contract.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(20))
    #: The ledger's ASCII code for the line (``Transport``…, or ``L<id>``).
    code: Mapped[str] = mapped_column(String(40), default="")
    budget_fen: Mapped[int]
    spent_fen: Mapped[int] = mapped_column(default=0)
    capped: Mapped[bool] = mapped_column(default=True)
    position: Mapped[int] = mapped_column(default=0)

    @property
    def remaining_fen(self) -> int:
        return self.budget_fen - self.spent_fen


class Tranche(OrgScoped, db.Model):
    """A planned payment with its milestone; paid when a second officer approves it."""

    __table_args__ = (
        UniqueConstraint("contract_id", "seq"),
        CheckConstraint("percent_bp > 0 AND percent_bp <= 10000", name="percent_range"),
        CheckConstraint("amount_fen > 0", name="amount_positive"),
        CheckConstraint("approved_by_id IS NULL OR approved_by_id <> requested_by_id",
                        name="maker_is_not_checker"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(
        ForeignKey("contract.id", ondelete="CASCADE"), index=True)
    seq: Mapped[int]
    #: Share of the price in basis points (1 % = 100); a contract's tranches add up to 10000.
    percent_bp: Mapped[int]
    amount_fen: Mapped[int]
    planned_on: Mapped[date]
    milestone: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), default=TrancheStatus.PLANNED)
    requested_by_id: Mapped[int | None] = user_fk()
    requested_at: Mapped[datetime | None]
    request_amount_fen: Mapped[int | None]
    #: What shows the milestone is met (the description of the evidence).
    request_note: Mapped[str] = mapped_column(Text, default="")
    #: Why it is paid before its planned date or without an evidence file ("" when neither).
    request_reason: Mapped[str] = mapped_column(Text, default="")
    approved_by_id: Mapped[int | None] = user_fk()
    approved_at: Mapped[datetime | None]
    paid_on: Mapped[date | None]

    contract: Mapped[Contract] = relationship(back_populates="tranches")
    requested_by: Mapped[User | None] = relationship(foreign_keys=[requested_by_id])
    evidence_files: Mapped[list[TrancheEvidence]] = relationship(
        order_by="TrancheEvidence.id", back_populates="tranche")

    def days_early(self, on: date | None = None) -> int:
        """How many days before its planned date the tranche is (or would be, ``on``) paid."""
        paid = self.paid_on or on
        return max(0, (self.planned_on - paid).days) if paid else 0

    @property
    def percent_text(self) -> str:
        text = f"{Decimal(self.percent_bp) / 100:f}"
        return (text.rstrip("0").rstrip(".") if "." in text else text) + "%"


class TrancheEvidence(OrgScoped, Timestamped, db.Model):
    """A file showing a tranche's milestone is met (report, sign-in sheet, photo), checked by
    its content and stored outside the static folder."""

    __table_args__ = (CheckConstraint("size > 0", name="size_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    tranche_id: Mapped[int] = mapped_column(
        ForeignKey("tranche.id", ondelete="RESTRICT"), index=True)
    #: Its key in the uploads area of ``app.storage``; never derived from the uploaded name.
    file_key: Mapped[str] = mapped_column(String(200))
    mime: Mapped[str] = mapped_column(String(60))
    original_name: Mapped[str] = mapped_column(String(200), default="")
    size: Mapped[int]
    uploaded_by_id: Mapped[int] = user_fk(False)

    tranche: Mapped[Tranche] = relationship(back_populates="evidence_files")


class DisbursementStatus(enum.StrEnum):
    PAID = "paid"
    REVERSED = "reversed"


class Disbursement(OrgScoped, Timestamped, db.Model):
    """A tranche paid to the organization (拨付). Reversed, never edited."""

    __table_args__ = (
        CheckConstraint("amount_fen > 0", name="amount_positive"),
        CheckConstraint("approved_by_id <> requested_by_id", name="maker_is_not_checker"),
        Index("ix_disbursement_one_paid_per_tranche", "tranche_id", unique=True,
              sqlite_where=text("status = 'paid'"),
              postgresql_where=text("status = 'paid'")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(
        ForeignKey("contract.id", ondelete="RESTRICT"), index=True)
    tranche_id: Mapped[int] = mapped_column(ForeignKey("tranche.id", ondelete="RESTRICT"))
    amount_fen: Mapped[int]
    paid_on: Mapped[date]
    requested_by_id: Mapped[int] = user_fk(False)
    approved_by_id: Mapped[int] = user_fk(False)
    status: Mapped[str] = mapped_column(String(20), default=DisbursementStatus.PAID)
    event_id: Mapped[int | None] = event_fk()
    reversal_event_id: Mapped[int | None] = event_fk()
    reversal_reason: Mapped[str] = mapped_column(Text, default="")
    reversed_by_id: Mapped[int | None] = user_fk()
    reversed_at: Mapped[datetime | None]

    tranche: Mapped[Tranche] = relationship()
    contract: Mapped[Contract] = relationship()


__all__ = ["Contract", "ContractLine", "ContractStatus", "Disbursement",
           "DisbursementStatus", "Tranche", "TrancheEvidence", "TrancheStatus"]
