"""Evaluation templates, evaluations and the provider's feedback on the bureau's process.

Scores are stored in tenths of a point (integers). An evaluation copies its template's
indicators when it is created, so later edits to the template never change a result.
"""

from __future__ import annotations

import enum
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.auth.models import User
from app.db import OrgScoped, TenantScoped, Timestamped
from app.extensions import db

if TYPE_CHECKING:
    from app.funding.models_contracts import Contract


class Dimension(enum.StrEnum):
    ECONOMY = "economy"              # 经济性
    EFFICIENCY = "efficiency"        # 效率性
    EFFECTIVENESS = "effectiveness"  # 效果性
    EQUITY = "equity"                # 公平性
    SATISFACTION = "satisfaction"    # 满意度


class Mode(enum.StrEnum):
    SELF = "self"                # 自评
    DEPARTMENT = "department"    # 部门评价
    THIRD_PARTY = "third_party"  # 第三方评价


class Tier(enum.StrEnum):
    EXCELLENT = "excellent"  # 优
    GOOD = "good"            # 良
    FAIR = "fair"            # 中
    POOR = "poor"            # 差


class EvalStatus(enum.StrEnum):
    DRAFT = "draft"
    FINAL = "final"


class EvaluationTemplate(TenantScoped, Timestamped, db.Model):
    """Indicators ``[{"code", "dimension", "name", "weight"}]`` whose weights add up to 100,
    tier thresholds ``{"excellent": 90, "good": 80, "fair": 60}`` and the process questions
    the provider answers about the bureau."""

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    indicators: Mapped[list] = mapped_column(JSON, default=list)
    tiers: Mapped[dict] = mapped_column(JSON, default=dict)
    process_questions: Mapped[list] = mapped_column(JSON, default=list)
    active: Mapped[bool] = mapped_column(default=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))

    def __repr__(self) -> str:
        return f"<EvaluationTemplate {self.id}>"


class Evaluation(OrgScoped, Timestamped, db.Model):
    __table_args__ = (
        CheckConstraint("total_tenths >= 0 AND total_tenths <= 1000", name="total_range"),
        CheckConstraint("status <> 'final' OR (tier IS NOT NULL AND finalized_at IS NOT NULL)",
                        name="final_has_tier"),
        CheckConstraint("mode <> 'third_party' OR length(evaluator_name) > 0",
                        name="third_party_named"),
        Index("ix_evaluation_org_final", "org_id", "status", "finalized_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    template_id: Mapped[int] = mapped_column(ForeignKey("evaluation_template.id",
                                                        ondelete="RESTRICT"))
    #: The contract evaluated, when there is one (purchased-service evaluations).
    contract_id: Mapped[int | None] = mapped_column(
        ForeignKey("contract.id", ondelete="RESTRICT"), index=True)
    mode: Mapped[str] = mapped_column(String(20))
    period: Mapped[str] = mapped_column(String(40))  # "2026年度", "2026年第一季度"
    #: The evaluating unit for third-party evaluations (entered by the bureau).
    evaluator_name: Mapped[str] = mapped_column(String(120), default="")
    indicators: Mapped[list] = mapped_column(JSON, default=list)  # snapshot of the template
    tiers: Mapped[dict] = mapped_column(JSON, default=dict)
    scores: Mapped[dict] = mapped_column(JSON, default=dict)  # code → tenths of a point
    notes: Mapped[dict] = mapped_column(JSON, default=dict)  # code → evidence / remark
    total_tenths: Mapped[int] = mapped_column(default=0)
    tier: Mapped[str | None] = mapped_column(String(20))
    comment: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(10), default=EvalStatus.DRAFT)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="RESTRICT"))
    finalized_at: Mapped[datetime | None]
    finalized_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))

    created_by: Mapped[User] = relationship(foreign_keys=[created_by_id])
    contract: Mapped[Contract | None] = relationship()
    feedback: Mapped[EvaluationFeedback | None] = relationship(back_populates="evaluation")

    @property
    def total(self) -> Decimal:
        return (Decimal(self.total_tenths) / 10).quantize(Decimal("0.1"))

    @property
    def is_final(self) -> bool:
        return self.status == EvalStatus.FINAL

    def __repr__(self) -> str:
        return f"<Evaluation {self.id}>"


class EvaluationFeedback(OrgScoped, Timestamped, db.Model):
    """The provider rates the bureau's process (1–5 per question): the two-way part."""

    id: Mapped[int] = mapped_column(primary_key=True)
    evaluation_id: Mapped[int] = mapped_column(
        ForeignKey("evaluation.id", ondelete="RESTRICT"), unique=True)
    ratings: Mapped[dict] = mapped_column(JSON, default=dict)  # question code → 1..5
    average_tenths: Mapped[int] = mapped_column(CheckConstraint(
        "average_tenths BETWEEN 10 AND 50", name="average_range"))
    comment: Mapped[str] = mapped_column(Text, default="")
    submitted_by_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="RESTRICT"))

    evaluation: Mapped[Evaluation] = relationship(back_populates="feedback")

    @property
    def average(self) -> Decimal:
        return (Decimal(self.average_tenths) / 10).quantize(Decimal("0.1"))
