"""The books' SQL side: the outbox waiting for the journal, and the read index mirroring it.

Business code inserts an ``OutboxEvent`` in the same transaction as the change
that caused it (``app.books.outbox.emit``); after commit, the ledger worker
drains the outbox in id order into the beancount journal and, in the same
database transaction, mirrors every posted transaction into the read index
(``LedgerTxn``, ``LedgerPosting``, ``LedgerAccount``). Pages and reports read
the index; nothing in a request parses the journal. ``LedgerVerification``
records each reconciliation of journal against index.
"""

from __future__ import annotations

import datetime as dt
from datetime import datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from app.db import TenantScoped, Timestamped, utcnow
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


class LedgerTxn(TenantScoped, db.Model):
    """One transaction of the journal (记账凭证), mirrored for statements and drill-down.

    ``date`` is the posting date in the journal; ``event_date`` the voucher's own
    date (they differ for an event that arrived after its month was closed).
    Year-end carry-over transactions written by the ledger itself have
    ``txn_id`` ``ledger:carry-out:<year>`` / ``ledger:carry-in:<year>`` and no
    event date.
    """

    __tablename__ = "ledger_txn"
    __table_args__ = (
        UniqueConstraint("tenant_id", "txn_id"),
        Index("ix_ledger_txn_source", "tenant_id", "source"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # The unique (tenant_id, txn_id) index serves tenant lookups; no lone tenant index.
    tenant_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("tenant.id", ondelete="CASCADE"), nullable=False
    )
    txn_id: Mapped[str] = mapped_column(String(128))
    year: Mapped[int]
    date: Mapped[dt.date]
    event_date: Mapped[dt.date | None]
    kind: Mapped[str] = mapped_column(String(40))
    narration: Mapped[str] = mapped_column(String(500), default="")
    payee: Mapped[str | None] = mapped_column(String(200))
    fund_id: Mapped[int | None]
    org_id: Mapped[int | None]
    contract_id: Mapped[int | None]
    source: Mapped[str] = mapped_column(String(200), default="")
    approver: Mapped[str] = mapped_column(String(200), default="")
    hash: Mapped[str] = mapped_column(String(64))
    prev_hash: Mapped[str] = mapped_column(String(64))
    posted_at: Mapped[datetime] = mapped_column(default=utcnow)

    @property
    def system(self) -> bool:
        """Written by the ledger itself (year-end carry-over), not from an outbox event."""
        return self.txn_id.startswith("ledger:")


class LedgerPosting(TenantScoped, db.Model):
    """One posting line: an account, a signed amount in integer fen (CNY) or points (PTS).

    ``balance_after`` is the account's balance right after this posting, so a
    page of an account's postings or of a statement needs no running sums.
    ``org_id``/``contract_id`` come from the account name where it names them,
    else from the transaction.
    """

    __tablename__ = "ledger_posting"
    __table_args__ = (
        Index("ix_ledger_posting_account", "tenant_id", "account", "id"),
        Index("ix_ledger_posting_contract", "tenant_id", "org_id", "contract_id", "id"),
        Index("ix_ledger_posting_org", "tenant_id", "org_id", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # Every query leads with tenant_id in a composite index; no lone tenant index.
    tenant_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("tenant.id", ondelete="CASCADE"), nullable=False
    )
    ledger_txn_id: Mapped[int] = mapped_column(
        ForeignKey("ledger_txn.id", ondelete="CASCADE"), index=True
    )
    year: Mapped[int]
    account: Mapped[str] = mapped_column(String(200))
    commodity: Mapped[str] = mapped_column(String(8))
    amount: Mapped[int] = mapped_column(BigInteger)
    balance_after: Mapped[int] = mapped_column(BigInteger)
    org_id: Mapped[int | None]
    contract_id: Mapped[int | None]


class LedgerAccount(TenantScoped, db.Model):
    """Running balance of one account in one commodity (integer fen or points)."""

    __tablename__ = "ledger_account"
    __table_args__ = (UniqueConstraint("tenant_id", "account", "commodity"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    account: Mapped[str] = mapped_column(String(200))
    commodity: Mapped[str] = mapped_column(String(8))
    year: Mapped[int]
    balance: Mapped[int] = mapped_column(BigInteger, default=0)
    postings: Mapped[int] = mapped_column(default=0)


class LedgerVerification(TenantScoped, db.Model):
    """One run of ``verify``: journal loaded by beancount, chain checked, index reconciled."""

    __tablename__ = "ledger_verification"

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int | None]
    checked_at: Mapped[datetime] = mapped_column(default=utcnow)
    ok: Mapped[bool]
    transactions: Mapped[int] = mapped_column(default=0)
    problems: Mapped[int] = mapped_column(default=0)
    #: The findings, one per line (empty when everything reconciled).
    message: Mapped[str] = mapped_column(Text, default="")
    duration_ms: Mapped[int] = mapped_column(default=0)
