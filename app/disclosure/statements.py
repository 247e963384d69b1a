"""Quarterly itemized statements (季度明细公示) of a contract, from the ledger's read index.

``movements`` reads any period the same way (the monthly reports, ``app/monthly``, use it
for a calendar month and for everything up to a month's end).

The items are the postings on the contract's cash account (money received, spent, settled,
returned) dated in the quarter; the opening and closing balances are the same account's sums
before and through the quarter, so the statement reconciles by construction. Free text is
scrubbed of mobile and ID numbers; payees are not shown.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, select

from app.extensions import db
from app.privacy import scrub

CARRY = ("carry-out", "carry-in")


def quarter_bounds(year: int, quarter: int) -> tuple[date, date]:
    first = date(year, 3 * quarter - 2, 1)
    last = date(year + (quarter == 4), (3 * quarter) % 12 + 1, 1)
    return first, date.fromordinal(last.toordinal() - 1)


def quarter_of(day: date) -> tuple[int, int]:
    return day.year, (day.month - 1) // 3 + 1


@dataclass
class Item:
    date: date
    kind: str
    narration: str
    amount: int  # fen; + into the organization's account, − out of it
    txn_id: str


@dataclass
class QuarterStatement:
    contract: object
    year: int
    quarter: int
    start: date
    end: date
    opening: int = 0
    closing: int = 0
    received: int = 0
    spent: int = 0
    returned: int = 0
    by_line: dict[str, int] = field(default_factory=dict)
    items: list[Item] = field(default_factory=list)
    service: object = None


def _cash(contract) -> str:
    return f"Assets:FY%:Org:O{contract.org_id}:C{contract.id}:Cash"


def quarters(tenant_id: int, contract) -> list[tuple[int, int]]:
    """Quarters with money movements on the contract, newest first."""
    from app.books.models import LedgerPosting as P
    from app.books.models import LedgerTxn as T

    first, last = db.session.execute(
        select(func.min(T.date), func.max(T.date)).join(P, P.ledger_txn_id == T.id)
        .where(P.tenant_id == tenant_id, P.contract_id == contract.id,
               T.kind.not_in(CARRY))).one()
    if first is None:
        return []
    out, (y, q) = [], quarter_of(first)
    end = quarter_of(last)
    while (y, q) <= end:
        out.append((y, q))
        y, q = (y + 1, 1) if q == 4 else (y, q + 1)
    return out[::-1]


def statement(tenant_id: int, contract, year: int, quarter: int,
              with_service: bool = True) -> QuarterStatement:
    start, end = quarter_bounds(year, quarter)
    out = QuarterStatement(contract, year, quarter, start, end)
    _fill(out, tenant_id, contract, start, end)
    if with_service:
        from app.oversight.service_figures import for_contract

        out.service = for_contract(tenant_id, contract.id, start, end)
    return out


def movements(tenant_id: int, contract, start: date, end: date) -> QuarterStatement:
    """The same reading for any period ``start``–``end`` (both days included); no service."""
    out = QuarterStatement(contract, 0, 0, start, end)
    _fill(out, tenant_id, contract, start, end)
    return out


def _fill(out: QuarterStatement, tenant_id: int, contract, start: date, end: date) -> None:
    from app.books.models import LedgerPosting as P
    from app.books.models import LedgerTxn as T
    from app.disclosure.lines import line_label

    base = (select(P, T).join(T, T.id == P.ledger_txn_id)
            .where(P.tenant_id == tenant_id, P.account.like(_cash(contract)),
                   T.kind.not_in(CARRY)))
    out.opening = int(db.session.scalar(
        select(func.coalesce(func.sum(P.amount), 0)).join(T, T.id == P.ledger_txn_id)
        .where(P.tenant_id == tenant_id, P.account.like(_cash(contract)),
               T.kind.not_in(CARRY), T.date < start)) or 0)
    for posting, txn in db.session.execute(base.where(T.date >= start, T.date <= end)
                                           .order_by(T.date, P.id)):
        out.items.append(Item(txn.date, txn.kind, scrub(txn.narration), posting.amount, txn.txn_id))
        source = txn.source or ""
        if source.startswith("disbursement:"):
            out.received += posting.amount
        elif source.startswith("contract:") and ":refund" in source:
            out.returned -= posting.amount
        else:
            out.spent -= posting.amount
    out.closing = out.opening + sum(i.amount for i in out.items)
    names = {line.code: line.name for line in contract.lines if line.code}
    for account, fen in db.session.execute(
            select(P.account, func.sum(P.amount)).join(T, T.id == P.ledger_txn_id)
            .where(P.tenant_id == tenant_id,
                   P.account.like(f"Expenses:FY%:Org:O{contract.org_id}:C{contract.id}:%"),
                   T.date >= start, T.date <= end).group_by(P.account)):
        code = account.rsplit(":", 1)[1]
        label = names.get(code) or line_label(code)
        out.by_line[label] = out.by_line.get(label, 0) + int(fen)
