"""Isolation makers for the books: an indexed transaction and account per organization."""

from __future__ import annotations

import datetime

from sqlalchemy import select

from app.books.models import LedgerAccount, LedgerPosting, LedgerTxn
from app.extensions import db
from tests.isolation import maker


def indexed_txn(world, org) -> LedgerTxn:
    """A posted expenditure of ``org`` in the world's read index (made once per org)."""
    tenant = world.tenant
    txn_id = f"gz-iso-{tenant.slug}-{org.id}"
    txn = db.session.scalar(select(LedgerTxn).where(LedgerTxn.tenant_id == tenant.id,
                                                    LedgerTxn.txn_id == txn_id))
    if txn is not None:
        return txn
    txn = LedgerTxn(tenant_id=tenant.id, txn_id=txn_id, year=2025,
                    date=datetime.date(2025, 3, 1), event_date=datetime.date(2025, 3, 1),
                    kind="expenditure", narration=f"{org.name} 支出", payee=org.name,
                    org_id=org.id, contract_id=1, source=f"expenditure:{org.id}",
                    approver="user:1", hash="a" * 64, prev_hash="0" * 64)
    db.session.add(txn)
    db.session.flush()
    for account, amount in ((cash_account(org), -500), (f"Expenses:FY2025:Org:O{org.id}:C1:L1", 500)):
        db.session.add(LedgerPosting(tenant_id=tenant.id, ledger_txn_id=txn.id, year=2025,
                                     account=account, commodity="CNY", amount=amount,
                                     balance_after=amount, org_id=org.id, contract_id=1))
        db.session.add(LedgerAccount(tenant_id=tenant.id, account=account, commodity="CNY",
                                     year=2025, balance=amount, postings=1))
    db.session.flush()
    return txn


def cash_account(org) -> str:
    return f"Assets:FY2025:Org:O{org.id}:C1:Cash"


@maker("txn_id")
def _txn(world, org):
    return indexed_txn(world, org).txn_id


@maker("ledger_account")
def _account(world, org):
    indexed_txn(world, org)
    return cash_account(org)
