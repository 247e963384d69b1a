"""The read index: posted journal transactions mirrored into SQL.

The ledger worker calls ``write`` with the records ``ledger.post`` returned, in
the same database transaction that marks the outbox rows posted; ``rebuild``
(in ``app.books.audit``) calls it with records read back from the journal.
Amounts are stored as integers: fen for CNY, whole points for PTS, hundredths of an
hour for HOUR (time credits).
"""

from __future__ import annotations

import datetime
import functools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import delete, insert, select, update

import ledger
from app.books import bulk
from app.books.models import LedgerAccount, LedgerPosting, LedgerTxn
from app.db import utcnow
from app.extensions import db

CNY, PTS, HOUR = ledger.accounts.CURRENCY, ledger.accounts.POINTS, ledger.accounts.HOURS
#: Commodities the index keeps in hundredths (fen; hundredths of an hour).
_HUNDREDTHS = (CNY, HOUR)
_ORG_RE = re.compile(r":O(\d+)(?=:|$)")
_CONTRACT_RE = re.compile(r":C(\d+)(?=:|$)")
_CHUNK = 500


class UnindexableAmount(ValueError):
    """An amount the index cannot hold exactly (more than two decimals, or fractional points)."""


@dataclass(frozen=True)
class TxnRecord:
    """What the index keeps of one journal transaction."""

    txn_id: str
    kind: str
    year: int
    date: datetime.date
    event_date: datetime.date | None
    hash: str
    prev_hash: str
    narration: str
    payee: str | None
    fund_id: int | None
    org_id: int | None
    contract_id: int | None
    source: str
    approver: str
    postings: tuple[tuple[str, Decimal, str], ...]  # account, signed amount, commodity


def to_units(amount: Decimal, commodity: str) -> int:
    """Decimal yuan → integer fen (CNY); Decimal points → integer points (PTS); Decimal
    hours → hundredths of an hour (HOUR)."""
    scaled = amount * 100 if commodity in _HUNDREDTHS else amount
    whole = int(scaled)
    if whole != scaled:
        raise UnindexableAmount(f"{amount} {commodity} is not a whole number of "
                          f"{'hundredths' if commodity in _HUNDREDTHS else 'points'}")
    return whole


def from_units(value: int, commodity: str) -> Decimal | int:
    """Integer fen → Decimal yuan for CNY (hundredths → Decimal hours for HOUR); points stay
    an int."""
    return ledger.yuan_from_fen(int(value)) if commodity in _HUNDREDTHS else int(value)


@functools.lru_cache(maxsize=65536)
def _ids_of(account: str) -> tuple[int | None, int | None]:
    """(org id, contract id) named in an account, e.g. ``Assets:FY2025:Org:O5:C34:Cash``."""
    org, contract = _ORG_RE.search(account), _CONTRACT_RE.search(account)
    return (int(org.group(1)) if org else None, int(contract.group(1)) if contract else None)


def record_from_posted(posted: ledger.Posted, event: ledger.MoneyEvent | None,
                       source: str | None = None) -> TxnRecord:
    """A record from what ``ledger.post`` returned (``event`` is None for system ones)."""
    rows = tuple((p.account, p.amount, p.currency) for p in posted.postings)
    if event is None:
        return TxnRecord(posted.txn_id, posted.kind, posted.year, posted.date, None,
                         posted.hash, posted.prev_hash, "", None, None, None, None,
                         source or "", "ledger", rows)
    return TxnRecord(posted.txn_id, posted.kind, posted.year, posted.date, event.date,
                     posted.hash, posted.prev_hash, event.narration, event.payee,
                     event.fund_id, event.org_id, event.contract_id, event.source,
                     event.approver, rows)


def records_from_posted(posted: Sequence[ledger.Posted],
                        events: dict[str, ledger.MoneyEvent]) -> list[TxnRecord]:
    """Records for a ``post``/``close_month`` result; system ones get a year-end source."""
    out = []
    last_closed: int | None = None
    for item in posted:
        if item.system:
            if item.kind == "carry-out":
                last_closed = item.year
            from_year = item.year if item.kind == "carry-out" else (last_closed or item.year - 1)
            out.append(record_from_posted(item, None, f"ledger:year-end:{from_year}"))
        else:
            out.append(record_from_posted(item, events[item.txn_id]))
    return out


def _existing(tenant_id: int, txn_ids: list[str]) -> set[str]:
    found: set[str] = set()
    for start in range(0, len(txn_ids), _CHUNK):
        chunk = txn_ids[start:start + _CHUNK]
        found.update(db.session.scalars(select(LedgerTxn.txn_id).where(
            LedgerTxn.tenant_id == tenant_id, LedgerTxn.txn_id.in_(chunk))))
    return found


def _balances(tenant_id: int, keys: set[tuple[str, str]]) -> dict[tuple[str, str], list[int]]:
    """Current [id, balance, postings] per (account, commodity) among ``keys``."""
    names = sorted({account for account, _ in keys})
    out: dict[tuple[str, str], list[int]] = {}
    if _postgresql():
        for row in bulk.account_rows(tenant_id, names):
            out[(row.account, row.commodity)] = [row.id, row.balance, row.postings]
        return out
    for start in range(0, len(names), _CHUNK):
        chunk = names[start:start + _CHUNK]
        rows = db.session.execute(select(
            LedgerAccount.id, LedgerAccount.account, LedgerAccount.commodity,
            LedgerAccount.balance, LedgerAccount.postings,
        ).where(LedgerAccount.tenant_id == tenant_id, LedgerAccount.account.in_(chunk)))
        for row in rows:
            out[(row.account, row.commodity)] = [row.id, row.balance, row.postings]
    return out


def write(tenant_id: int, records: Iterable[TxnRecord], *, skip_known: bool = True) -> int:
    """Insert ``records`` (journal order) not yet in the index; returns how many were new.

    ``skip_known`` looks up txn-ids already indexed (a replayed post, or an index
    rebuilt from the journal while rows were pending) so none is mirrored twice.
    """
    records = list(records)
    if skip_known and records:
        known = _existing(tenant_id, [r.txn_id for r in records])
        records = [r for r in records if r.txn_id not in known]
    if not records:
        return 0
    now = utcnow()
    txn_rows = [{
        "tenant_id": tenant_id, "txn_id": r.txn_id, "year": r.year, "date": r.date,
        "event_date": r.event_date, "kind": r.kind, "narration": r.narration,
        "payee": r.payee, "fund_id": r.fund_id, "org_id": r.org_id,
        "contract_id": r.contract_id, "source": r.source, "approver": r.approver,
        "hash": r.hash, "prev_hash": r.prev_hash, "posted_at": now,
    } for r in records]
    copying = _postgresql()
    if copying:
        pks = bulk.next_ids("ledger_txn", len(txn_rows))
        for pk, row in zip(pks, txn_rows, strict=True):
            row["id"] = pk
    else:
        pks = list(db.session.scalars(
            insert(LedgerTxn).returning(LedgerTxn.id, sort_by_parameter_order=True), txn_rows))

    keys = {(account, commodity) for r in records for account, _, commodity in r.postings}
    running = _balances(tenant_id, keys)
    new_keys: dict[tuple[str, str], int] = {}  # key -> year, for accounts first seen here
    posting_rows = []
    for pk, r in zip(pks, records, strict=True):
        # Beancount's booking regroups a mixed CNY/PTS transaction by currency; a stable
        # sort by commodity gives the journal's and the writer's order the same shape.
        for account, amount, commodity in sorted(r.postings, key=lambda p: p[2]):
            units = to_units(amount, commodity)
            state = running.get((account, commodity))
            if state is None:
                state = running[(account, commodity)] = [0, 0, 0]
                new_keys[(account, commodity)] = ledger.accounts.year_of(account)
            state[1] += units
            state[2] += 1
            org, contract = _ids_of(account)
            posting_rows.append({
                "tenant_id": tenant_id, "ledger_txn_id": pk, "year": r.year,
                "account": account, "commodity": commodity, "amount": units,
                "balance_after": state[1],
                "org_id": org if org is not None else r.org_id,
                "contract_id": contract if contract is not None else r.contract_id,
            })
    if copying:
        for table, rows in (("ledger_txn", txn_rows), ("ledger_posting", posting_rows)):
            if rows:
                columns = list(rows[0])
                bulk.copy_rows(table, columns, [[row[c] for c in columns] for row in rows])
    elif posting_rows:
        db.session.execute(insert(LedgerPosting), posting_rows)
    updates = [{"id": s[0], "balance": s[1], "postings": s[2]}
               for key, s in running.items() if key not in new_keys]
    if copying:
        bulk.update_balances([(u["id"], u["balance"], u["postings"]) for u in updates])
    elif updates:
        db.session.execute(update(LedgerAccount), updates)
    inserts = [{"tenant_id": tenant_id, "account": account, "commodity": commodity,
                "year": year, "balance": running[(account, commodity)][1],
                "postings": running[(account, commodity)][2]}
               for (account, commodity), year in new_keys.items()]
    if inserts:
        db.session.execute(insert(LedgerAccount), inserts)
    return len(records)


def _postgresql() -> bool:
    return db.session.connection().dialect.name == "postgresql"


def clear(tenant_id: int) -> None:
    """Empty a tenant's index (before a rebuild from the journal)."""
    for model in (LedgerPosting, LedgerTxn, LedgerAccount):
        db.session.execute(delete(model).where(model.tenant_id == tenant_id))
