"""The journal writer: append events to a tenant's year files, chained and durable.

Guarantees, per tenant:

- **Order and exclusion.** ``post`` holds an exclusive ``flock`` on the tenant's
  lock file for the whole batch; transactions are appended in the order given,
  concurrent writers (threads or processes) are serialized.
- **Durability.** A batch first records its intent (see ``ledger.recovery``),
  then appends to the journal with ``flush`` + ``fsync``, then updates the txn
  index and replaces the state file atomically; ``post`` returns only after all.
- **Idempotency.** Every txn-id ever written is in the txn index. Posting a
  known txn-id writes nothing and returns the original record (``replayed``),
  after checking the event would hash to the same transaction (else
  ``TxnConflict``). This holds after a crash at any point: an interrupted
  batch is finished or undone on the next call (see ``ledger.recovery``).
  Callers need not post in txn-id order: any txn-id ever written for the
  tenant, in any year, is recognised. No call parses the journal (only the
  rebuild of lost sidecar files does).
- **Chain.** Each transaction's ``prev-hash`` is the hash of the one before it;
  a new year file continues from the last hash of the previous year.
- **Month-end assertions.** The *open month* is the month of the latest
  transaction. When an event dated in a later month arrives (or
  ``close_month`` is called), ``balance`` directives dated the 1st of the next
  month are written for every account touched in the open month, with three
  decimals for CNY (a one-fen difference fails bean-check), whole points and hours
  to the hundredth.
- **Back-dating rule.** Dates never go back into a closed month. An event
  dated before the open month is posted on the first day of the open month,
  and its own date is kept as ``event-date`` metadata (posting date vs. voucher
  date). So an assertion, once written, stays true.
- **Year change.** The first event of a later year (or ``close_month`` of
  December) closes the year: the balance sheet is carried into the new year
  (``carry-out`` / ``carry-in`` transactions, txn-ids ``ledger:carry-out:Y``
  and ``ledger:carry-in:Y``), and later events dated in the old year are posted
  on 1 January of the new one. These system transactions are returned as
  ``Posted`` records too, so the read index sees every posting.
"""

from __future__ import annotations

import datetime
import os
from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path

from beancount.core import data
from beancount.core.amount import Amount
from beancount.parser import printer

from ledger import accounts, chain, entries, layout, recovery
from ledger.events import MoneyEvent
from ledger.layout import check_tenant
from ledger.records import Posted, record, rows_of
from ledger.state import INDEXES, IndexEntry, State, month_start, next_month

_THREE_DECIMALS = Decimal("0.001")
#: Decimals of month-end assertions: CNY to a tenth of a fen, hours to the hundredth.
_PLACES = {accounts.CURRENCY: _THREE_DECIMALS, accounts.HOURS: Decimal("0.01")}
# format_entry() builds a new EntryPrinter per call; one shared printer writes the same text.
_format = printer.EntryPrinter()


class _Batch:
    """Directives of one call, buffered per year file, then committed at once."""

    def __init__(self, folder: Path, tenant: str) -> None:
        self.folder, self.tenant = folder, tenant
        self.state: State = recovery.open_state(folder, tenant)
        self.index = INDEXES.get(folder, self.state.index_size)
        self.index_start = self.state.index_size
        self.chunks: dict[int, tuple[int, list[str]]] = {}
        self.index_lines: list[str] = []
        self.new_year = False
        self.gap = True  # a blank line is due before the next open/balance group
        self.out: list[Posted] = []

    # -- writing -------------------------------------------------------------
    def _text(self, text: str) -> None:
        year = self.state.year
        assert year is not None
        self.chunks.setdefault(year, (self.state.size, []))[1].append(text)
        self.state.size += len(text.encode("utf-8"))

    def _emit(self, entry: data.Directive) -> None:
        text = _format(entry)
        is_txn = isinstance(entry, data.Transaction)
        self._text("\n" + text if is_txn or self.gap else text)
        self.gap = is_txn
        self.state.apply(entry)

    def _write_txn(self, txn: data.Transaction, event_date: datetime.date | None) -> Posted:
        for posting in txn.postings:
            if posting.account not in self.state.opened:
                commodity = accounts.commodity(posting.account)
                self._emit(
                    data.Open(
                        {},
                        self.state.period,
                        posting.account,
                        [commodity] if commodity else None,
                        None,
                    )
                )
        txn = chain.chained(txn, self.state.head)
        self._emit(txn)
        meta = txn.meta
        system = meta["txn-id"].startswith("ledger:")
        rows = rows_of(txn)
        entry = IndexEntry(
            meta["txn-id"],
            txn.date.year,
            txn.date,
            meta["hash"],
            meta["prev-hash"],
            meta["kind"],
            self.index.next_position(),
            rows if system else None,
        )
        self.index.add(entry)
        self.index_lines.append(entry.to_line())
        return record(entry, rows, event_date)

    def _start_year(self, year: int) -> None:
        self.state.switch_year(year)
        self._text(layout.year_header(self.tenant, year))
        self.new_year = self.gap = True

    def _close_month(self) -> None:
        state = self.state
        day = next_month(state.period)
        for account in sorted(state.touched):
            held = state.balances.get(account, {})
            commodity = accounts.commodity(account)
            for currency in [commodity] if commodity else sorted(held):
                number = held.get(currency, Decimal(0))
                number = number.quantize(_PLACES.get(currency, Decimal(1)))
                self._emit(data.Balance({}, day, account, Amount(number, currency), None, None))

    def _close_year(self, to_year: int) -> None:
        state = self.state
        year = state.year
        if state.period < datetime.date(year, 12, 1):
            self._close_month()
            state.period = datetime.date(year, 12, 1)
        closing, opening = entries.carry_forward(self.tenant, year, to_year, state.balances)
        if closing is not None:
            self.out.append(self._write_txn(closing, None))
        self._close_month()
        self._start_year(to_year)
        if opening is not None:
            self.out.append(self._write_txn(opening, None))

    def advance_to(self, day: datetime.date) -> None:
        """Close every month (and year) before the month of ``day``."""
        state = self.state
        target = month_start(day)
        if state.year is None:
            self._start_year(day.year)
        if target <= state.period:
            return
        if target.year > state.year:
            self._close_year(target.year)
        if target > state.period:
            self._close_month()
            state.period = target

    def post(self, event: MoneyEvent) -> None:
        known = self.index.by_id.get(event.txn_id)
        if known is not None:
            self.out.extend(self._replay(event, known))
            return
        self.advance_to(event.date)
        posted_on = max(event.date, self.state.period)
        self.out.append(self._write_txn(entries.transaction(event, posted_on), event.date))

    def _replay(self, event: MoneyEvent, known: IndexEntry) -> list[Posted]:
        txn = chain.chained(entries.transaction(event, known.date), known.prev_hash)
        if txn.meta["hash"] != known.hash:
            raise layout.TxnConflict(
                f"txn-id {event.txn_id} was already posted with different content"
            )
        records = [record(known, rows_of(txn), event.date, replayed=True)]
        position = known.position - 1
        while position >= 0 and self.index.order[position].lines is not None:
            system = self.index.order[position]
            records.insert(0, record(system, system.lines or (), None, replayed=True))
            position -= 1
        return records

    # -- committing ----------------------------------------------------------
    def commit(self) -> None:
        if not self.chunks:
            return
        files = {
            y: (start, "".join(parts).encode("utf-8")) for y, (start, parts) in self.chunks.items()
        }
        self.state.index_size = self.index_start + len("".join(self.index_lines).encode("utf-8"))
        recovery.save_intent(self.folder, files, self.state, self.index_start, self.index_lines)
        for year, (start, payload) in sorted(files.items()):
            _append_chunk(self.folder / f"{year}.beancount", start, payload)
        if self.new_year:
            recovery.write_main(
                self.folder, self.tenant, sorted({*self.state.years, self.state.year})
            )
        recovery.append_index(self.folder, self.index_start, self.index_lines)
        recovery.save_state(self.folder, self.state)
        recovery.clear_intent(self.folder)
        self.index.size = self.state.index_size


def _append_chunk(path: Path, start: int, payload: bytes) -> None:
    """Append one batch's bytes to a year file and make them durable."""
    with open(path, "ab") as fh:
        if fh.tell() != start:
            raise layout.LedgerCorrupt(f"{path.name} changed while the lock was held")
        fh.write(payload)
        fh.flush()
        os.fsync(fh.fileno())
    if start == 0:
        recovery.fsync_dir(path.parent)


def _run(ledger_dir: str | os.PathLike[str], tenant: str, work) -> list[Posted]:
    folder = layout.tenant_dir(ledger_dir, check_tenant(tenant))
    with layout.locked(folder):
        try:
            batch = _Batch(folder, tenant)
            work(batch)
            batch.commit()
        except BaseException:
            INDEXES.forget(folder)
            raise
    return batch.out


def post(
    ledger_dir: str | os.PathLike[str], tenant: str, events: Iterable[MoneyEvent]
) -> list[Posted]:
    """Append ``events`` in order; return a record per transaction, in journal order.

    Each event yields one record (``replayed=True`` if its txn-id was already
    in the journal); year-end carry-over transactions written on the way are
    returned too. Nothing is written unless the whole batch is.
    """
    batch_events = list(events)
    for event in batch_events:
        if not isinstance(event, MoneyEvent):
            raise TypeError(f"not a money event: {event!r}")
        if event.tenant != tenant:
            raise ValueError(f"event {event.txn_id} belongs to tenant {event.tenant}, not {tenant}")

    def work(batch: _Batch) -> None:
        for event in batch_events:
            batch.post(event)

    return _run(ledger_dir, tenant, work)


def close_month(
    ledger_dir: str | os.PathLike[str], tenant: str, year: int, month: int
) -> list[Posted]:
    """Close the books up to the end of ``year``-``month`` (a worker's month-end call).

    Writes the month-end assertions still due; closing December also closes the
    year. Returns the carry-over records written, if any. A no-op for months
    already closed or a tenant with no transactions.
    """
    target = next_month(datetime.date(year, month, 1))

    def work(batch: _Batch) -> None:
        if batch.state.year is not None:
            batch.advance_to(target)

    return _run(ledger_dir, tenant, work)
