"""The books of Gongzhi (共治): beancount journals of purchased-service money and points.

This package is the only place that imports beancount. The app uses this
surface and nothing deeper:

- events (``Appropriation`` ... ``Reversal``, and the time bank's ``TimeDeposit``,
  ``TimeTransfer``, ``TimePayment``), ``event_from_payload`` and the
  fen/yuan helpers, to store events in its outbox and rebuild them;
- ``post`` and ``close_month`` (the ledger worker), which return ``Posted``
  records to mirror into the SQL read index;
- ``verify`` and ``balances`` (nightly verification, the audit page) and
  ``read_posted`` (rebuild the read index from the journal);
- ``years``, ``main_path``, ``year_path`` (exports) and ``render`` (display);
- ``accounts`` (the chart of accounts).
"""

from __future__ import annotations

import datetime

from beancount.parser import printer

from ledger import accounts
from ledger.entries import transaction as _transaction
from ledger.events import (
    EVENT_TYPES,
    Appropriation,
    Commitment,
    CommitmentRelease,
    Disbursement,
    Expenditure,
    IncentiveAccrual,
    MoneyEvent,
    RedemptionSettlement,
    Refund,
    Reversal,
    TimeDeposit,
    TimePayment,
    TimeTransfer,
    event_from_payload,
    fen_from_yuan,
    yuan_from_fen,
)
from ledger.journal import close_month, post
from ledger.layout import (
    LedgerCorrupt,
    LedgerError,
    TxnConflict,
    main_path,
    year_path,
    years,
)
from ledger.records import Posted, PostedLine, read_posted
from ledger.verify import ChainBreak, Mismatch, VerifyReport, balances, verify


def render(event: MoneyEvent, posted_on: datetime.date | None = None) -> str:
    """The beancount text ``event`` will be written as (without its chain hashes)."""
    return printer.format_entry(_transaction(event, posted_on))


__all__ = [
    "EVENT_TYPES",
    "Appropriation",
    "ChainBreak",
    "Commitment",
    "CommitmentRelease",
    "Disbursement",
    "Expenditure",
    "IncentiveAccrual",
    "LedgerCorrupt",
    "LedgerError",
    "Mismatch",
    "MoneyEvent",
    "Posted",
    "PostedLine",
    "RedemptionSettlement",
    "Refund",
    "Reversal",
    "TimeDeposit",
    "TimePayment",
    "TimeTransfer",
    "TxnConflict",
    "VerifyReport",
    "accounts",
    "balances",
    "close_month",
    "event_from_payload",
    "fen_from_yuan",
    "main_path",
    "post",
    "read_posted",
    "render",
    "verify",
    "year_path",
    "years",
    "yuan_from_fen",
]
