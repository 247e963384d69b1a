"""Fixtures for the books: a fresh journal directory per test, events of every kind."""

from __future__ import annotations

import datetime
import os
import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

import ledger
from app.books.outbox import emit, original_event

D = Decimal
FUND, ORG, CONTRACT = 7, 5, 34


@pytest.fixture(autouse=True)
def books_dir(app, tmp_path):
    """Each test writes its own journals (the database is rolled back; files are not)."""
    before = app.config["LEDGER_DIR"]
    app.config["LEDGER_DIR"] = str(tmp_path / "ledger")
    yield tmp_path / "ledger"
    app.config["LEDGER_DIR"] = before


def day(month: int, dom: int, year: int = 2025) -> datetime.date:
    return datetime.date(year, month, dom)


def common(n: int, date: datetime.date, **fields) -> dict:
    fields.setdefault("narration", f"第{n}笔")
    fields.setdefault("source", f"test:{n}")
    fields.setdefault("approver", "user:3")
    return {"date": date, **fields}


def emit_every_kind(tenant, org: int = ORG, contract: int = CONTRACT, fund: int = FUND):
    """One contract's first quarter: every event kind once, January to March 2025."""
    rows = [
        emit(ledger.Appropriation, tenant=tenant, fund_id=fund, amount=D("100000.00"),
             **common(1, day(1, 5), source="fund:7")),
        emit(ledger.Commitment, tenant=tenant, fund_id=fund, org_id=org, contract_id=contract,
             amount=D("50000.00"), **common(2, day(1, 10), source="contract:34")),
        emit(ledger.Disbursement, tenant=tenant, fund_id=fund, org_id=org,
             contract_id=contract, amount=D("20000.00"), tranche_id=1,
             **common(3, day(2, 1), source="tranche:1")),
    ]
    spent = emit(ledger.Expenditure, tenant=tenant, org_id=org, contract_id=contract,
                 line="Materials", amount=D("1234.56"), payee="文具店",
                 **common(4, day(2, 3), source="expenditure:17"))
    rows += [
        spent,
        emit(ledger.IncentiveAccrual, tenant=tenant, org_id=org, points=120,
             **common(5, day(2, 10), source="hours:9")),
        emit(ledger.RedemptionSettlement, tenant=tenant, org_id=org, contract_id=contract,
             points=20, amount=D("20.00"), payee="爱心超市",
             **common(6, day(3, 4), source="redemption:2")),
        emit(ledger.CommitmentRelease, tenant=tenant, fund_id=fund, org_id=org,
             contract_id=contract, amount=D("5000.00"),
             **common(7, day(3, 20), source="contract:34")),
        emit(ledger.Refund, tenant=tenant, fund_id=fund, org_id=org, contract_id=contract,
             amount=D("100.00"), **common(8, day(3, 25), source="contract:34")),
        emit(ledger.Reversal, tenant=tenant, original=original_event(tenant, spent.txn_id),
             reason="发票重复报销", **common(9, day(3, 28), source="expenditure:17")),
    ]
    return rows


#: Balances after ``emit_every_kind`` with the default ids.
EVERY_KIND_BALANCES = {
    "Assets:FY2025:Fund:F7:Available": {"CNY": D("55000.00")},
    "Assets:FY2025:Fund:F7:Committed:C34": {"CNY": D("25000.00")},
    "Assets:FY2025:Fund:F7:Refunded": {"CNY": D("100.00")},
    "Equity:FY2025:Appropriation:F7": {"CNY": D("-100000.00")},
    "Assets:FY2025:Org:O5:C34:Cash": {"CNY": D("19880.00")},
    "Expenses:FY2025:Org:O5:C34:Incentives": {"CNY": D("20.00")},
    "Expenses:FY2025:Org:O5:Points:Issued": {"PTS": 120},
    "Liabilities:FY2025:Org:O5:Points": {"PTS": -100},
    "Income:FY2025:Org:O5:Points:Redeemed": {"PTS": -20},
}


def bean_check(path: Path) -> subprocess.CompletedProcess[str]:
    """Run the real bean-check executable on ``path`` (no load cache)."""
    exe = Path(sys.executable).with_name("bean-check")
    command = str(exe) if exe.exists() else shutil.which("bean-check")
    assert command, "bean-check is not installed"
    env = {**os.environ, "BEANCOUNT_DISABLE_LOAD_CACHE": "1"}
    return subprocess.run([command, str(path)], capture_output=True, text=True, env=env,
                          check=False)


def fava_balances(main: Path) -> dict[str, dict[str, Decimal]]:
    """Every account's balance as fava computes it when it opens ``main``."""
    from fava.core import FavaLedger

    fava = FavaLedger(str(main), poll_watcher=True)
    assert not fava.load_errors, [e.message for e in fava.load_errors]
    out: dict[str, dict[str, Decimal]] = {}
    for name, node in fava.get_filtered().root_tree.items():
        for (currency, cost), number in node.balance.items():
            assert cost is None
            if number:
                out.setdefault(name, {})[currency] = number
    return out
