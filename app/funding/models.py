"""Purchased-service funding (政府购买服务): funds, calls, applications, awards under public
notice (公示), contracts with tranches, and disbursements.

Money is integer fen. The invariants live in the database: a fund's outstanding commitments
never exceed its appropriation, a contract never pays out more than it committed nor spends or
refunds more than it received, and the person who asked for a payment is never the one who
approved it. Services also lock the rows they change (``SELECT … FOR UPDATE``). Every money
movement is also recorded as a ledger event through ``app.books.outbox.emit``; the ``*_event_id``
columns name that outbox row, so a correction can reverse exactly it.

Contracts, tranches and payments are in ``models_contracts``; spending, receipts and
incentives in ``models_spending``.
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db import OrgScoped, TenantScoped, Timestamped, utcnow
from app.extensions import db
from app.funding.columns import event_fk, user_fk
from app.orgs.models import Organization

if TYPE_CHECKING:
    from app.consultations.models import Consultation


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
    created_by_id: Mapped[int] = user_fk(False)
    appropriation_event_id: Mapped[int | None] = event_fk()

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
    created_by_id: Mapped[int] = user_fk(False)
    #: The published residents' consultation (居民议事) whose result set this call's priorities.
    consultation_id: Mapped[int | None] = mapped_column(
        ForeignKey("consultation.id", ondelete="SET NULL"), index=True)

    fund: Mapped[Fund] = relationship()
    consultation: Mapped[Consultation | None] = relationship("Consultation")

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
    submitted_by_id: Mapped[int] = user_fk(False)

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
    proposed_by_id: Mapped[int] = user_fk(False)

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
    answered_by_id: Mapped[int | None] = user_fk()

    award: Mapped[Award] = relationship(back_populates="objections")


from app.funding.models_contracts import *  # noqa: E402,F403  (contracts, tranches, payments)
from app.funding.models_spending import *  # noqa: E402,F403  (spending, receipts, incentives)
from app.funding.models_steps import *  # noqa: E402,F403  (assembly decisions, procurement)
