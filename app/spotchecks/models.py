"""A spot check (one seeded draw) and the sampled items with their outcomes.

A draw records its seed, the population size and a digest of the population, so anyone
can draw again and get the same sample. A re-draw is a new check that names the one it
replaces and why; the first draw and any outcomes already recorded stay as they were.
"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.auth.models import User
from app.db import TenantScoped, Timestamped
from app.extensions import db

ALGORITHM = "python-random-mt19937-sample-v1"


class CheckStatus(enum.StrEnum):
    OPEN = "open"
    COMPLETED = "completed"
    SUPERSEDED = "superseded"  # re-drawn; kept on record with whatever was checked


class Outcome(enum.StrEnum):
    PENDING = "pending"
    MATCHES = "matches"            # the evidence supports the record
    DISCREPANCY = "discrepancy"    # the evidence contradicts it
    NO_EVIDENCE = "no_evidence"    # no evidence could be produced


class SpotCheck(TenantScoped, Timestamped, db.Model):
    __table_args__ = (
        CheckConstraint("sample_size > 0", name="sample_size_positive"),
        CheckConstraint("supersedes_id IS NULL OR length(redraw_reason) > 0",
                        name="redraw_has_reason"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))  # the sampler: service_record / expenditure
    #: Population criteria: {"start": "2026-01-01", "end": "2026-03-31", "org_id": 3}.
    params: Mapped[dict] = mapped_column(JSON, default=dict)
    sample_size: Mapped[int]
    seed: Mapped[str] = mapped_column(String(24))
    algorithm: Mapped[str] = mapped_column(String(60), default=ALGORITHM)
    population_count: Mapped[int]
    population_digest: Mapped[str] = mapped_column(String(64))
    #: Rows created after this instant are not part of the population.
    cutoff_at: Mapped[datetime]
    drawn_by_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="RESTRICT"))
    status: Mapped[str] = mapped_column(String(20), default=CheckStatus.OPEN)
    completed_at: Mapped[datetime | None]
    supersedes_id: Mapped[int | None] = mapped_column(
        ForeignKey("spot_check.id", ondelete="RESTRICT"), unique=True)
    redraw_reason: Mapped[str] = mapped_column(Text, default="")

    drawn_by: Mapped[User] = relationship()
    items: Mapped[list[SpotCheckItem]] = relationship(
        back_populates="check", order_by="SpotCheckItem.position")

    def __repr__(self) -> str:
        return f"<SpotCheck {self.id}>"


class SpotCheckItem(TenantScoped, db.Model):
    __table_args__ = (
        UniqueConstraint("spot_check_id", "position"),
        UniqueConstraint("spot_check_id", "object_id"),
        CheckConstraint("outcome = 'pending' OR checked_at IS NOT NULL", name="checked_has_time"),
        Index("ix_spot_check_item_outcome", "tenant_id", "outcome"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    spot_check_id: Mapped[int] = mapped_column(ForeignKey("spot_check.id", ondelete="RESTRICT"),
                                               index=True)
    position: Mapped[int]  # order of the draw, from 1
    object_type: Mapped[str] = mapped_column(String(40))
    object_id: Mapped[int]
    org_id: Mapped[int | None] = mapped_column(ForeignKey("organization.id", ondelete="SET NULL"))
    outcome: Mapped[str] = mapped_column(String(20), default=Outcome.PENDING)
    note: Mapped[str] = mapped_column(Text, default="")
    checked_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    checked_at: Mapped[datetime | None]

    check: Mapped[SpotCheck] = relationship(back_populates="items")
    checked_by: Mapped[User | None] = relationship()
