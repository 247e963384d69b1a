"""Column helpers shared by the funding models."""

from __future__ import annotations

from sqlalchemy import ForeignKey
from sqlalchemy.orm import Mapped, mapped_column


def user_fk(nullable: bool = True) -> Mapped:
    """Who did it: a person is never deleted while their acts are on record."""
    return mapped_column(ForeignKey("user.id", ondelete="RESTRICT"), nullable=nullable)


def event_fk() -> Mapped:
    """The ledger outbox row of the money event this row caused."""
    return mapped_column(ForeignKey("ledger_outbox.id", ondelete="RESTRICT"), nullable=True)
