"""What the writer hands back: one ``Posted`` record per transaction in the journal.

The app mirrors these into its SQL read index (upsert by ``txn_id``) so that
statements and balances never need the journal parsed.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from beancount.core import data

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
