"""Purchased-service funding (政府购买服务): funds, calls, applications, awards under public
notice (公示), contracts with tranches, and disbursements.

Money is integer fen. The invariants live in the database: a fund's outstanding commitments
never exceed its appropriation, a contract never pays out more than it committed nor spends or
refunds more than it received, and the person who asked for a payment is never the one who
approved it. Services also lock the rows they change (``SELECT … FOR UPDATE``). Every money
movement is also recorded as a ledger event through ``app.books.outbox.emit``; the ``*_event_id``
columns name that outbox row, so a correction can reverse exactly it.

Spending, receipts and incentives are in ``models_spending``.
"""

from __future__ import annotations

import enum
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db import OrgScoped, TenantScoped, Timestamped, utcnow
from app.extensions import db
from app.orgs.models import Organization


def _user_fk(nullable: bool = True) -> Mapped:
    return mapped_column(ForeignKey("user.id", ondelete="RESTRICT"), nullable=nullable)


def _event_fk() -> Mapped:
    return mapped_column(ForeignKey("ledger_outbox.id", ondelete="RESTRICT"), nullable=True)


class CallStatus(enum.StrEnum):
    OPEN = "open"
    CLOSED = "closed"


class ApplicationStatus(enum.StrEnum):
    SUBMITTED = "submitted"
    PROPOSED = "proposed"  # an award is under public notice
    AWARDED = "awarded"  # the contract is signed
    DECLINED = "declined"


class AwardStatus(enum.StrEnum):
    NOTICE = "notice"  # published, objections possible until notice_ends_at
    CONTRACTED = "contracted"
    WITHDRAWN = "withdrawn"


class ContractStatus(enum.StrEnum):
    DRAFT = "draft"
    SIGNED = "signed"
    CLOSED = "closed"


class TrancheStatus(enum.StrEnum):
    PLANNED = "planned"
    REQUESTED = "requested"  # milestone marked achieved, payment asked for
    PAID = "paid"


class Fund(TenantScoped, Timestamped, db.Model):
    """Money the bureau appropriated for one fiscal year (专项资金)."""

    __table_args__ = (
        UniqueConstraint("tenant_id", "fiscal_year", "name"),
        CheckConstraint("amount_fen > 0", name="amount_positive"),
        CheckConstraint("committed_fen >= 0 AND committed_fen <= amount_fen", name="within_amount"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    fiscal_year: Mapped[int]
    name: Mapped[str] = mapped_column(String(120))
    source: Mapped[str] = mapped_column(String(120))  # 资金来源: 区级财政, 福彩公益金 …
    amount_fen: Mapped[int]
    #: Signed contracts' commitments less what closing released.
    committed_fen: Mapped[int] = mapped_column(default=0)
    created_by_id: Mapped[int] = _user_fk(False)
    appropriation_event_id: Mapped[int | None] = _event_fk()

    @property
    def uncommitted_fen(self) -> int:
        return self.amount_fen - self.committed_fen

    def __repr__(self) -> str:
        return f"<Fund {self.id}>"


class Call(TenantScoped, Timestamped, db.Model):
    """A published call for proposals (项目申报通知) for one catalogue item."""

    __table_args__ = (CheckConstraint("ceiling_fen > 0", name="ceiling_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    fund_id: Mapped[int] = mapped_column(ForeignKey("fund.id", ondelete="RESTRICT"), index=True)
    title: Mapped[str] = mapped_column(String(120))
    category: Mapped[str] = mapped_column(String(40))  # from the tenant's service categories
    description: Mapped[str] = mapped_column(Text, default="")
    ceiling_fen: Mapped[int]
    deadline_at: Mapped[datetime]
    status: Mapped[str] = mapped_column(String(20), default=CallStatus.OPEN)
    created_by_id: Mapped[int] = _user_fk(False)

    fund: Mapped[Fund] = relationship()

    @property
    def accepting(self) -> bool:
        return self.status == CallStatus.OPEN and utcnow() < self.deadline_at

    def __repr__(self) -> str:
        return f"<Call {self.id}>"


class Application(OrgScoped, Timestamped, db.Model):
    """An organization's proposal to a call: a project plan and a budget by line."""

    __table_args__ = (
        UniqueConstraint("call_id", "org_id"),
        CheckConstraint("total_fen > 0", name="total_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    call_id: Mapped[int] = mapped_column(ForeignKey("call.id", ondelete="RESTRICT"), index=True)
    title: Mapped[str] = mapped_column(String(120))
    plan: Mapped[str] = mapped_column(Text)
    total_fen: Mapped[int]
    status: Mapped[str] = mapped_column(String(20), default=ApplicationStatus.SUBMITTED)
    submitted_by_id: Mapped[int] = _user_fk(False)

    call: Mapped[Call] = relationship()
    org: Mapped[Organization] = relationship()
    lines: Mapped[list[ApplicationLine]] = relationship(
        order_by="ApplicationLine.position", cascade="all, delete-orphan")

    def __repr__(self) -> str:
        return f"<Application {self.id}>"


class ApplicationLine(TenantScoped, db.Model):
    """One budget line of an application (交通, 物资, 印刷 …)."""

    __table_args__ = (
        UniqueConstraint("application_id", "name"),
        CheckConstraint("amount_fen > 0", name="amount_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        ForeignKey("application.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(20))
    amount_fen: Mapped[int]
    position: Mapped[int] = mapped_column(default=0)


class Award(OrgScoped, Timestamped, db.Model):
    """A proposed award, published for public notice (公示) before a contract may be signed."""

    __table_args__ = (
        CheckConstraint("amount_fen > 0", name="amount_positive"),
        CheckConstraint("notice_ends_at > notice_starts_at", name="notice_period"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        ForeignKey("application.id", ondelete="RESTRICT"), unique=True)
    call_id: Mapped[int] = mapped_column(ForeignKey("call.id", ondelete="RESTRICT"), index=True)
    amount_fen: Mapped[int]
    reasons: Mapped[str] = mapped_column(Text, default="")  # why this organization (拟中标理由)
    status: Mapped[str] = mapped_column(String(20), default=AwardStatus.NOTICE)
    notice_starts_at: Mapped[datetime]
    notice_ends_at: Mapped[datetime]
    proposed_by_id: Mapped[int] = _user_fk(False)

    application: Mapped[Application] = relationship()
    call: Mapped[Call] = relationship()
    org: Mapped[Organization] = relationship()
    objections: Mapped[list[Objection]] = relationship(
        back_populates="award", order_by="Objection.id")

    @property
    def notice_open(self) -> bool:
        return self.status == AwardStatus.NOTICE and utcnow() < self.notice_ends_at

    @property
    def open_objections(self) -> list[Objection]:
        return [o for o in self.objections if o.answer is None]

    def __repr__(self) -> str:
        return f"<Award {self.id}>"


class Objection(TenantScoped, Timestamped, db.Model):
    """An objection anyone filed during the notice period; answered publicly by the bureau.

    Name and contact are optional; the contact is never shown on the public page.
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    award_id: Mapped[int] = mapped_column(ForeignKey("award.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(60), default="")
    contact: Mapped[str] = mapped_column(String(100), default="")
    text: Mapped[str] = mapped_column(Text)
    answer: Mapped[str | None] = mapped_column(Text)
    answered_at: Mapped[datetime | None]
    answered_by_id: Mapped[int | None] = _user_fk()

    award: Mapped[Award] = relationship(back_populates="objections")


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
    signed_by_id: Mapped[int | None] = _user_fk()
    closed_at: Mapped[datetime | None]
    closed_by_id: Mapped[int | None] = _user_fk()
    # Running totals, kept in the same transaction as the rows and events that move them.
    committed_fen: Mapped[int] = mapped_column(default=0)
    released_fen: Mapped[int] = mapped_column(default=0)
    disbursed_fen: Mapped[int] = mapped_column(default=0)
    #: Expenditures final or awaiting approval, and settled redemptions.
    spent_fen: Mapped[int] = mapped_column(default=0)
    refunded_fen: Mapped[int] = mapped_column(default=0)
    commitment_event_id: Mapped[int | None] = _event_fk()
    release_event_id: Mapped[int | None] = _event_fk()
    refund_event_id: Mapped[int | None] = _event_fk()

    award: Mapped[Award] = relationship()
    fund: Mapped[Fund] = relationship()
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
    requested_by_id: Mapped[int | None] = _user_fk()
    requested_at: Mapped[datetime | None]
    request_amount_fen: Mapped[int | None]
    request_note: Mapped[str] = mapped_column(Text, default="")
    approved_by_id: Mapped[int | None] = _user_fk()
    approved_at: Mapped[datetime | None]
    paid_on: Mapped[date | None]

    contract: Mapped[Contract] = relationship(back_populates="tranches")

    @property
    def percent_text(self) -> str:
        text = f"{Decimal(self.percent_bp) / 100:f}"
        return (text.rstrip("0").rstrip(".") if "." in text else text) + "%"


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
    requested_by_id: Mapped[int] = _user_fk(False)
    approved_by_id: Mapped[int] = _user_fk(False)
    status: Mapped[str] = mapped_column(String(20), default=DisbursementStatus.PAID)
    event_id: Mapped[int | None] = _event_fk()
    reversal_event_id: Mapped[int | None] = _event_fk()
    reversal_reason: Mapped[str] = mapped_column(Text, default="")
    reversed_by_id: Mapped[int | None] = _user_fk()
    reversed_at: Mapped[datetime | None]

    tranche: Mapped[Tranche] = relationship()
    contract: Mapped[Contract] = relationship()


from app.funding.models_spending import *  # noqa: E402,F403  (registers the remaining tables)
