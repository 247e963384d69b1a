"""A change to one of the district's rules (规则变更): the rule, its value before and after,
the day it takes effect, who proposed it and, for a money rule, the second bureau officer who
approved it. Changes are never edited into the past: each takes effect from a day not before
the day it was proposed (or approved), and the rule's history is the list of changes."""

from __future__ import annotations

import enum
import json
from datetime import date, datetime
from typing import Any

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.auth.models import User
from app.db import TenantScoped, Timestamped
from app.extensions import db

REASON_MAX = 500


class ChangeStatus(enum.StrEnum):
    PENDING = "pending"    # a money rule waiting for a second bureau officer
    APPROVED = "approved"  # in force from ``effective_from``
    REJECTED = "rejected"  # turned down (or withdrawn by the proposer)


class RuleChange(TenantScoped, Timestamped, db.Model):
    __tablename__ = "rule_change"
    __table_args__ = (
        CheckConstraint("status IN ('pending', 'approved', 'rejected')", name="status_known"),
        # A money rule's approver is never its proposer (non-money rules have no approver).
        CheckConstraint("status <> 'approved' OR decided_by_id IS NULL "
                        "OR decided_by_id <> proposed_by_id", name="second_officer"),
        Index("ix_rule_change_tenant_rule", "tenant_id", "rule", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    rule: Mapped[str] = mapped_column(String(60))
    #: The values as JSON text (a JSON column would let SQLite turn a bare number into an
    #: integer); read them as ``before`` and ``after``.
    old_value: Mapped[str] = mapped_column(Text)
    new_value: Mapped[str] = mapped_column(Text)
    effective_from: Mapped[date]
    reason: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(10), default=ChangeStatus.PENDING)
    proposed_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    decided_at: Mapped[datetime | None]
    decision_reason: Mapped[str] = mapped_column(Text, default="")

    proposed_by: Mapped[User] = relationship(foreign_keys=[proposed_by_id])
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])

    @property
    def before(self) -> Any:
        return json.loads(self.old_value)

    @property
    def after(self) -> Any:
        return json.loads(self.new_value)

    @staticmethod
    def stored(value: Any) -> str:
        return json.dumps(value, ensure_ascii=False)

    def __repr__(self) -> str:
        return f"<RuleChange {self.rule} from {self.effective_from}>"
