"""What the writer hands back: one ``Posted`` record per transaction in the journal.

The app mirrors these into its SQL read index (upsert by ``txn_id``) so that
statements and balances never need the journal parsed.
"""

from __future__ import annotations

import datetime
import os
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from beancount.core import data
from beancount.parser import parser

from ledger import layout
from ledger.events import SYSTEM_PREFIX
from ledger.state import IndexEntry


@dataclass(frozen=True)
class PostedLine:
    """One posting as written: account, signed amount, currency (CNY or PTS)."""

    account: str
    amount: Decimal
    currency: str


@dataclass(frozen=True)
class Posted:
    """A transaction in the journal, for the app's read index (upsert by txn_id)."""

    txn_id: str
    kind: str
    year: int
    date: datetime.date  # the posting date in the journal
    event_date: datetime.date | None  # the event's own date; None for system transactions
    hash: str
    prev_hash: str
    postings: tuple[PostedLine, ...]
    replayed: bool = False  # True when nothing was written because the txn-id existed

    @property
    def system(self) -> bool:
        """Written by the ledger itself (year-end carry-over), not from an event."""
        return self.txn_id.startswith("ledger:")


def rows_of(txn: data.Transaction) -> tuple[tuple[str, Decimal, str], ...]:
    """(account, amount, currency) of each posting."""
    return tuple((p.account, p.units.number, p.units.currency) for p in txn.postings)


def record(
    entry: IndexEntry,
    rows: Iterable[tuple[str, Decimal, str]],
    event_date: datetime.date | None,
    replayed: bool = False,
) -> Posted:
    """The record of an indexed transaction with the given postings."""
    return Posted(
        entry.txn_id,
        entry.kind,
        entry.year,
        entry.date,
        event_date,
        entry.hash,
        entry.prev_hash,
        tuple(PostedLine(*row) for row in rows),
        replayed,
    )


def read_posted(ledger_dir: str | os.PathLike[str], tenant: str, year: int) -> list[Posted]:
    """Every transaction of a year file as ``Posted`` records, in file order.

    For rebuilding or repairing the app's read index from the system of record.
    """
    with layout.snapshot(ledger_dir, tenant) as root:
        # The bare parser keeps postings in written order (booking regroups them).
        entries, _, _ = parser.parse_file(str(layout.year_path(root, tenant, year)))
    txns = sorted(
        (e for e in entries if type(e) is data.Transaction), key=lambda e: e.meta["lineno"]
    )
    out = []
    for txn in txns:
        meta = txn.meta
        system = meta["txn-id"].startswith(SYSTEM_PREFIX)
        event_date = (
            None
            if system
            else datetime.date.fromisoformat(meta.get("event-date", txn.date.isoformat()))
        )
        entry = IndexEntry(
            meta["txn-id"],
            year,
            txn.date,
            meta.get("hash", ""),
            meta.get("prev-hash", ""),
            meta.get("kind", ""),
            len(out),
        )
        out.append(record(entry, rows_of(txn), event_date))
    return out
