"""The audit log: every state change, who made it, before and after. Append-only.

Rows are written automatically at flush time (``app.audit.capture``) and later
sealed into a hash chain in seal order (``app.audit.chain``), so a deleted or
edited entry is detected by ``flask audit verify``.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, BigInteger, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from app.db import utcnow
from app.extensions import db


class AuditEntry(db.Model):
    __tablename__ = "audit_entry"
    __table_args__ = (
        Index("ix_audit_entry_tenant_at", "tenant_id", "at"),
        Index("ix_audit_entry_actor", "actor_id", "at"),
        Index("ix_audit_entry_object", "object_type", "object_id"),
    )
    __audit__ = False

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    tenant_id: Mapped[int | None] = mapped_column(Integer)  # no FK: the log outlives what it records
    actor_id: Mapped[int | None] = mapped_column(Integer)
    actor_roles: Mapped[str] = mapped_column(String(200), default="")
    action: Mapped[str] = mapped_column(String(10))  # create / update / delete
    object_type: Mapped[str] = mapped_column(String(60))
    object_id: Mapped[str] = mapped_column(String(60))
    changes: Mapped[dict] = mapped_column(JSON, default=dict)  # {field: [before, after]}
    ip: Mapped[str | None] = mapped_column(String(45))
    endpoint: Mapped[str | None] = mapped_column(String(120))
    #: Set when sealed: position in the chain and the chained hash.
    seq: Mapped[int | None] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), unique=True)
    hash: Mapped[str | None] = mapped_column(String(64))
