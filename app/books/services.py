"""Reading the books: balances, statements and drill-down, from the SQL read index.

These are the functions other domains call (funding dashboards, audit pages,
public statements). None of them parses the journal. Amounts come back as
``Decimal`` yuan for CNY and ``int`` for points (PTS). Ids are plain integers
(``org_id``, ``contract_id``, ``fund_id`` as given to ``emit``).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import Select, func, or_, select

import ledger
from app.books.index import from_units
from app.books.models import (
    LedgerAccount,
    LedgerPosting,
    LedgerTxn,
    LedgerVerification,
    OutboxEvent,
)
from app.extensions import db

Amount = Decimal | int
Balances = dict[str, dict[str, Amount]]
MAX_PAGE = 200


@dataclass(frozen=True)
class StatementLine:
    """One posting with its transaction, and the account's balance right after it."""

    posting_id: int
    txn_id: str
    kind: str
    date: datetime.date
    event_date: datetime.date | None
    narration: str
    payee: str | None
    source: str
    account: str
    commodity: str
    amount: Amount
    balance_after: Amount
    org_id: int | None
    contract_id: int | None


@dataclass(frozen=True)
class StatementPage:
    """A page of postings in journal order; pass ``next_after``/``prev_before`` back as
    ``after``/``before`` for the next/previous page (keyset pagination)."""

    lines: list[StatementLine]
    next_after: int | None
    prev_before: int | None


@dataclass(frozen=True)
class AccountRow:
    account: str
    commodity: str
    year: int
    balance: Amount
    postings: int


@dataclass(frozen=True)
class OutboxStatus:
    pending: int
    failing: int
    last_error: str | None


def _prefix_filter(stmt: Select, prefix: str | None) -> Select:
    if prefix:
        like = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        stmt = stmt.where(LedgerAccount.account.like(like + "%", escape="\\"))
    return stmt


def accounts(tenant_id: int, year: int | None = None, prefix: str | None = None,
             *, include_zero: bool = False) -> list[AccountRow]:
    """Every account of the tenant (optionally one fiscal year / name prefix), by name."""
    stmt = select(LedgerAccount).where(LedgerAccount.tenant_id == tenant_id)
    if year is not None:
        stmt = stmt.where(LedgerAccount.year == year)
    if not include_zero:
        stmt = stmt.where(LedgerAccount.balance != 0)
    stmt = _prefix_filter(stmt, prefix).order_by(LedgerAccount.account, LedgerAccount.commodity)
    return [AccountRow(a.account, a.commodity, a.year, from_units(a.balance, a.commodity),
                       a.postings) for a in db.session.scalars(stmt)]


def account_balances(tenant_id: int, year: int | None = None,
                     prefix: str | None = None) -> Balances:
    """``{account: {commodity: balance}}`` for every account with a non-zero balance."""
    out: Balances = {}
    for row in accounts(tenant_id, year, prefix):
        out.setdefault(row.account, {})[row.commodity] = row.balance
    return out


def balance(tenant_id: int, account: str) -> dict[str, Amount]:
    """One account's balance per commodity (``{}`` for an unknown or zero account)."""
    rows = db.session.execute(select(LedgerAccount.commodity, LedgerAccount.balance).where(
        LedgerAccount.tenant_id == tenant_id, LedgerAccount.account == account))
    return {c: from_units(b, c) for c, b in rows if b}


def account_exists(tenant_id: int, account: str) -> bool:
    return db.session.scalar(select(LedgerAccount.id).where(
        LedgerAccount.tenant_id == tenant_id, LedgerAccount.account == account).limit(1)) is not None


def fiscal_years(tenant_id: int) -> list[int]:
    """Fiscal years that have postings, newest first."""
    return list(db.session.scalars(
        select(LedgerAccount.year).where(LedgerAccount.tenant_id == tenant_id)
        .group_by(LedgerAccount.year).order_by(LedgerAccount.year.desc())))


def _page(stmt: Select, after: int | None, before: int | None, limit: int) -> StatementPage:
    limit = max(1, min(int(limit), MAX_PAGE))
    if before is not None:
        rows = list(db.session.execute(
            stmt.where(LedgerPosting.id < before).order_by(LedgerPosting.id.desc())
            .limit(limit + 1)))
        more_before = len(rows) > limit
        rows = list(reversed(rows[:limit]))
        lines = [_line(r) for r in rows]
        return StatementPage(lines, lines[-1].posting_id if lines else None,
                             lines[0].posting_id if lines and more_before else None)
    if after is not None:
        stmt = stmt.where(LedgerPosting.id > after)
    rows = list(db.session.execute(stmt.order_by(LedgerPosting.id).limit(limit + 1)))
    lines = [_line(r) for r in rows[:limit]]
    return StatementPage(lines, lines[-1].posting_id if len(rows) > limit else None,
                         lines[0].posting_id if lines and after is not None else None)


def _postings() -> Select:
    return select(
        LedgerPosting.id, LedgerPosting.account, LedgerPosting.commodity,
        LedgerPosting.amount, LedgerPosting.balance_after, LedgerPosting.org_id,
        LedgerPosting.contract_id, LedgerTxn.txn_id, LedgerTxn.kind, LedgerTxn.date,
        LedgerTxn.event_date, LedgerTxn.narration, LedgerTxn.payee, LedgerTxn.source,
    ).join(LedgerTxn, LedgerTxn.id == LedgerPosting.ledger_txn_id)


def _line(r) -> StatementLine:
    return StatementLine(r.id, r.txn_id, r.kind, r.date, r.event_date, r.narration, r.payee,
                         r.source, r.account, r.commodity, from_units(r.amount, r.commodity),
                         from_units(r.balance_after, r.commodity), r.org_id, r.contract_id)


def statement(tenant_id: int, org_id: int, contract_id: int | None = None,
              year: int | None = None, *, after: int | None = None,
              before: int | None = None, limit: int = 50) -> StatementPage:
    """An organization's postings (one contract's, with ``contract_id``), journal order.

    Each line carries the account's balance right after it (running balance per
    account). Keyset pagination: at most ``limit`` (≤ 200) lines after ``after``
    or before ``before`` (posting ids).
    """
    stmt = _postings().where(LedgerPosting.tenant_id == tenant_id,
                             LedgerPosting.org_id == org_id)
    if contract_id is not None:
        stmt = stmt.where(LedgerPosting.contract_id == contract_id)
    if year is not None:
        stmt = stmt.where(LedgerPosting.year == year)
    return _page(stmt, after, before, limit)


def account_postings(tenant_id: int, account: str, *, after: int | None = None,
                     before: int | None = None, limit: int = 50) -> StatementPage:
    """One account's postings in journal order with the balance after each."""
    stmt = _postings().where(LedgerPosting.tenant_id == tenant_id,
                             LedgerPosting.account == account)
    return _page(stmt, after, before, limit)


@dataclass(frozen=True)
class TxnView:
    """A transaction of the index with its postings (amounts in Decimal yuan / int points)."""

    txn: LedgerTxn
    postings: list[tuple[str, Amount, str]]


def _views(txns: list[LedgerTxn]) -> list[TxnView]:
    if not txns:
        return []
    rows = db.session.execute(
        select(LedgerPosting.ledger_txn_id, LedgerPosting.account, LedgerPosting.amount,
               LedgerPosting.commodity)
        .where(LedgerPosting.ledger_txn_id.in_([t.id for t in txns]))
        .order_by(LedgerPosting.id))
    by_txn: dict[int, list[tuple[str, Amount, str]]] = {}
    for r in rows:
        by_txn.setdefault(r.ledger_txn_id, []).append(
            (r.account, from_units(r.amount, r.commodity), r.commodity))
    return [TxnView(t, by_txn.get(t.id, [])) for t in txns]


def transaction(tenant_id: int, txn_id: str) -> TxnView | None:
    """One transaction by its txn-id (``gz-<outbox id>`` or ``ledger:carry-…``)."""
    txn = db.session.scalar(select(LedgerTxn).where(
        LedgerTxn.tenant_id == tenant_id, LedgerTxn.txn_id == txn_id))
    return _views([txn])[0] if txn else None


def transactions_for_source(tenant_id: int, source: str) -> list[TxnView]:
    """Every posted transaction caused by one business object (e.g. ``expenditure:17``),
    including reversals of it, in journal order."""
    txns = list(db.session.scalars(select(LedgerTxn).where(
        LedgerTxn.tenant_id == tenant_id, LedgerTxn.source == source).order_by(LedgerTxn.id)))
    return _views(txns)


def rendered(tenant_id: int, view: TxnView) -> str | None:
    """The beancount text of an event transaction (from its outbox event), or None."""
    if view.txn.system:
        return None
    payload = db.session.scalar(select(OutboxEvent.payload).where(
        OutboxEvent.tenant_id == tenant_id, OutboxEvent.txn_id == view.txn.txn_id))
    if payload is None:
        return None
    return ledger.render(ledger.event_from_payload(payload), view.txn.date)


def last_verified(tenant_id: int) -> LedgerVerification | None:
    """The latest verification of the tenant's books (``checked_at``, ``ok``, ``message``)."""
    return db.session.scalar(select(LedgerVerification).where(
        LedgerVerification.tenant_id == tenant_id)
        .order_by(LedgerVerification.checked_at.desc(), LedgerVerification.id.desc()).limit(1))


def outbox_status(tenant_id: int) -> OutboxStatus:
    """Events stored but not yet in the journal; ``failing`` have a recorded error."""
    pending = db.session.scalar(select(func.count()).select_from(OutboxEvent).where(
        OutboxEvent.tenant_id == tenant_id, OutboxEvent.posted_at.is_(None))) or 0
    failing = db.session.execute(
        select(OutboxEvent.last_error).where(
            OutboxEvent.tenant_id == tenant_id, OutboxEvent.posted_at.is_(None),
            OutboxEvent.last_error.is_not(None)).order_by(OutboxEvent.id)).scalars().all()
    return OutboxStatus(pending, len(failing), failing[0] if failing else None)


def unverified_count(tenant_id: int) -> int:
    """Transactions posted since the books last passed verification (all, if they never did)."""
    passed = (select(func.max(LedgerVerification.checked_at))
              .where(LedgerVerification.tenant_id == tenant_id,
                     LedgerVerification.ok.is_(True)).scalar_subquery())
    return db.session.scalar(select(func.count(LedgerTxn.id)).where(
        LedgerTxn.tenant_id == tenant_id,
        or_(passed.is_(None), LedgerTxn.posted_at > passed))) or 0
