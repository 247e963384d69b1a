"""Helpers for the ledger tests: events, a known scenario, bean-check and fava."""

from __future__ import annotations

import datetime
import os
import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import ledger
from ledger import events as ev

TENANT = "xihu"
D = Decimal


def day(month: int, dom: int, year: int = 2025) -> datetime.date:
    return datetime.date(year, month, dom)


def make(cls: type[ev.MoneyEvent], n: int, date: datetime.date, **fields) -> ev.MoneyEvent:
    """An event with the usual common fields; ``n`` makes the txn-id."""
    fields.setdefault("narration", f"{cls.kind} 第{n}笔")
    fields.setdefault("source", f"{cls.kind}:{n}")
    fields.setdefault("approver", "user:3")
    fields.setdefault("txn_id", f"gz-{TENANT}-{n}")
    fields.setdefault("tenant", TENANT)
    return cls(date=date, **fields)


def scenario() -> list[ev.MoneyEvent]:
    """One contract's year: every event type once, across January to March 2025."""
    expenditure = make(
        ev.Expenditure,
        4,
        day(2, 3),
        org_id=5,
        contract_id=34,
        line="Materials",
        amount=D("1234.56"),
        payee="文具店",
    )
    return [
        make(ev.Appropriation, 1, day(1, 5), fund_id=1, amount=D("100000.00")),
        make(
            ev.Commitment, 2, day(1, 10), fund_id=1, org_id=5, contract_id=34, amount=D("50000.00")
        ),
        make(
            ev.Disbursement,
            3,
            day(2, 1),
            fund_id=1,
            org_id=5,
            contract_id=34,
            amount=D("20000.00"),
            tranche_id=1,
        ),
        expenditure,
        make(ev.IncentiveAccrual, 5, day(2, 10), org_id=5, points=120),
        make(
            ev.RedemptionSettlement,
            6,
            day(3, 4),
            org_id=5,
            contract_id=34,
            points=20,
            amount=D("20.00"),
            payee="爱心超市",
        ),
        make(
            ev.CommitmentRelease,
            7,
            day(3, 20),
            fund_id=1,
            org_id=5,
            contract_id=34,
            amount=D("5000.00"),
        ),
        make(ev.Refund, 8, day(3, 25), fund_id=1, org_id=5, contract_id=34, amount=D("100.00")),
        make(ev.Reversal, 9, day(3, 28), original=expenditure, reason="发票重复报销"),
    ]


SCENARIO_BALANCES = {
    "Assets:FY2025:Fund:F1:Available": {"CNY": D("55000.00")},
    "Assets:FY2025:Fund:F1:Committed:C34": {"CNY": D("25000.00")},
    "Assets:FY2025:Fund:F1:Refunded": {"CNY": D("100.00")},
    "Equity:FY2025:Appropriation:F1": {"CNY": D("-100000.00")},
    "Assets:FY2025:Org:O5:C34:Cash": {"CNY": D("19880.00")},
    "Expenses:FY2025:Org:O5:C34:Incentives": {"CNY": D("20.00")},
    "Expenses:FY2025:Org:O5:Points:Issued": {"PTS": D("120")},
    "Liabilities:FY2025:Org:O5:Points": {"PTS": D("-100")},
    "Income:FY2025:Org:O5:Points:Redeemed": {"PTS": D("-20")},
}


def bean_check(path: Path) -> subprocess.CompletedProcess[str]:
    """Run the real bean-check executable on ``path`` (no load cache)."""
    exe = Path(sys.executable).with_name("bean-check")
    command = str(exe) if exe.exists() else shutil.which("bean-check")
    assert command, "bean-check is not installed"
    env = {**os.environ, "BEANCOUNT_DISABLE_LOAD_CACHE": "1"}
    return subprocess.run(
        [command, str(path)], capture_output=True, text=True, env=env, check=False
    )


def fava_balances(main: Path) -> dict[str, dict[str, Decimal]]:
    """Account balances as fava computes them when it opens ``main``."""
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


def all_balances(ledger_dir: Path) -> dict[str, dict[str, Decimal]]:
    out: dict[str, dict[str, Decimal]] = {}
    for year in ledger.years(ledger_dir, TENANT):
        out.update(ledger.balances(ledger_dir, TENANT, year))
    return out
