"""Drill-down: the ledger postings behind a money figure, the records behind an hours figure.

The postings listed for a figure add up to it exactly (the same accounts, the same filters
as ``app.oversight.money``), so an auditor can follow any number to its vouchers.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Select, func, or_, select

from app.extensions import db

FIGURES = ("committed", "disbursed", "spent", "refunded", "points_issued", "points_redeemed")
PAGE = 100


@dataclass
class Posting:
    id: int
    txn_id: str
    kind: str
    date: date
    narration: str
    source: str
    account: str
    amount: int
    commodity: str
    contract_id: int | None


def _postings(tenant_id: int, figure: str, *, contract_id=None, org_id=None, fund_id=None,
              line=None) -> Select:
    from app.books.models import LedgerPosting as P
    from app.books.models import LedgerTxn as T
    from app.oversight.money import figure_accounts

    patterns = figure_accounts(figure, contract_id=contract_id, org_id=org_id, line=line)
    stmt = (select(P, T).join(T, T.id == P.ledger_txn_id)
            .where(P.tenant_id == tenant_id, or_(*[P.account.like(p) for p in patterns]),
                   T.kind.not_in(("carry-out", "carry-in"))))
    if figure == "disbursed":
        stmt = stmt.where(T.source.like("disbursement:%"))
    elif figure == "committed":
        stmt = stmt.where(~T.source.like("disbursement:%"))
    if figure in ("refunded", "committed") and contract_id:
        stmt = stmt.where(P.contract_id == contract_id)
    if figure == "refunded" and org_id and not contract_id:
        stmt = stmt.where(P.org_id == org_id)
    if fund_id:
        from app.funding.models import Contract

        stmt = stmt.where(P.contract_id.in_(select(Contract.id).where(Contract.fund_id == fund_id)))
    return stmt


def money_lines(tenant_id: int, figure: str, *, after: int | None = None, **filters
                ) -> tuple[list[Posting], int, int | None]:
    """A page of postings (journal order), the figure's total, and the next page's cursor."""
    from app.books.models import LedgerPosting as P

    stmt = _postings(tenant_id, figure, **filters)
    total = db.session.scalar(select(func.coalesce(func.sum(stmt.subquery().c.amount), 0)))
    if after:
        stmt = stmt.where(P.id > after)
    rows = db.session.execute(stmt.order_by(P.id).limit(PAGE + 1)).all()
    lines = [Posting(p.id, t.txn_id, t.kind, t.date, t.narration, t.source, p.account, p.amount,
                     p.commodity, p.contract_id) for p, t in rows[:PAGE]]
    sign = -1 if figure == "points_redeemed" else 1
    if sign < 0:
        for line in lines:
            line.amount = -line.amount
    nxt = lines[-1].id if len(rows) > PAGE else None
    return lines, sign * int(total or 0), nxt


def records(tenant_id: int, org_id: int | None, *, start: date | None = None,
            end: date | None = None, method: str | None = None, status: str = "verified",
            after: int | None = None):
    """A page of service records (id order) and the next cursor."""
    from app.service.models import ServiceRecord as R

    stmt = select(R).where(R.tenant_id == tenant_id)
    if org_id:
        stmt = stmt.where(R.org_id == org_id)
    if status:
        stmt = stmt.where(R.status == status)
    if method:
        stmt = stmt.where(R.method == method)
    if start:
        stmt = stmt.where(R.activity_date >= start)
    if end:
        stmt = stmt.where(R.activity_date <= end)
    if after:
        stmt = stmt.where(R.id > after)
    rows = db.session.scalars(stmt.order_by(R.id).limit(PAGE + 1)).all()
    return rows[:PAGE], (rows[PAGE - 1].id if len(rows) > PAGE else None)


def source_link(source: str) -> tuple[str, int] | None:
    """``expenditure:17`` / ``disbursement:3:reversal`` → ("expenditure", 17)."""
    parts = (source or "").split(":")
    if len(parts) >= 2 and parts[1].isdigit():
        kind = parts[0].replace("-", "_")
        return kind, int(parts[1])
    return None
