"""The ledger outbox: money events waiting to be appended to the beancount journal.

Business code inserts an ``OutboxEvent`` in the same transaction as the change
that caused it (``app.books.outbox.emit``); after commit, the ledger worker
drains the outbox in id order. Nothing else writes the journal.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Timestamped
from app.extensions import db


class OutboxEvent(Timestamped, db.Model):
    __tablename__ = "ledger_outbox"
    __table_args__ = (Index("ix_ledger_outbox_pending", "tenant_id", "posted_at", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenant.id", ondelete="RESTRICT"))
    kind: Mapped[str] = mapped_column(String(40))
    #: ``ledger.MoneyEvent.to_payload()``; rebuilt with ``ledger.event_from_payload``.
    payload: Mapped[dict] = mapped_column(JSON, default=dict)
    txn_id: Mapped[str | None] = mapped_column(String(128), unique=True)
    #: The business object that caused it, e.g. ``expenditure:17`` (for drill-down).
    source: Mapped[str] = mapped_column(String(200), default="")
    posted_at: Mapped[datetime | None]
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
