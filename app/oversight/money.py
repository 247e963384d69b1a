"""Money figures for the dashboards, read from the books' SQL index (never from the
business tables), so every figure equals the ledger's.

Account balances (``LedgerAccount``, one row per account) are enough: across fiscal years
the balance-sheet accounts of a closed year are zero and the next year's hold what was
carried in, so summing an account family over every year gives today's position, and the
expense and income families sum to the flows since the start:

- spent(contract)     = Σ Expenses:FY*:Org:O:C<c>:<line>
- cash(contract)      = Σ Assets:FY*:Org:O:C<c>:Cash
- refunded(contract)  = Σ postings on Assets:FY*:Fund:F:Refunded naming the contract
- disbursed           = cash + spent + refunded      (everything paid in went one of 3 ways)
- committed           = Σ Assets:FY*:Fund:F:Committed:C<c> + disbursed   (releases excluded)
- points issued / redeemed = Σ Expenses:…:Points:Issued / −Σ Income:…:Points:Redeemed (PTS)
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import func, select

from app.extensions import db

_COMMITTED = re.compile(r"^Assets:FY\d{4}:Fund:F(\d+):Committed:C(\d+)$")
_AVAILABLE = re.compile(r"^Assets:FY\d{4}:Fund:F(\d+):Available$")
_REFUNDED = re.compile(r"^Assets:FY\d{4}:Fund:F(\d+):Refunded$")
_APPROPRIATED = re.compile(r"^Equity:FY\d{4}:Appropriation:F(\d+)$")
_CASH = re.compile(r"^Assets:FY\d{4}:Org:O(\d+):C(\d+):Cash$")
_SPENT = re.compile(r"^Expenses:FY\d{4}:Org:O(\d+):C(\d+):([A-Za-z0-9]+)$")
_ISSUED = re.compile(r"^Expenses:FY\d{4}:Org:O(\d+):Points:Issued$")
_REDEEMED = re.compile(r"^Income:FY\d{4}:Org:O(\d+):Points:Redeemed$")


@dataclass
class Money:
    """Fen (CNY) and points (PTS) of one contract, organization, fund or the tenant."""

    committed: int = 0
    disbursed: int = 0
    spent: int = 0
    refunded: int = 0
    cash: int = 0
    outstanding: int = 0  # committed and not yet paid
    by_line: dict[str, int] = field(default_factory=dict)  # ledger line code → fen
    points_issued: int = 0
    points_redeemed: int = 0

    def add(self, other: Money) -> None:
        for name in ("committed", "disbursed", "spent", "refunded", "cash", "outstanding",
                     "points_issued", "points_redeemed"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        for line, fen in other.by_line.items():
            self.by_line[line] = self.by_line.get(line, 0) + fen


@dataclass
class Books:
    """Every contract's, organization's and fund's money in one tenant."""

    contracts: dict[int, Money] = field(default_factory=lambda: defaultdict(Money))
    contract_org: dict[int, int] = field(default_factory=dict)
    contract_fund: dict[int, int] = field(default_factory=dict)
    org_points: dict[int, Money] = field(default_factory=lambda: defaultdict(Money))
    appropriated: dict[int, int] = field(default_factory=lambda: defaultdict(int))
    available: dict[int, int] = field(default_factory=lambda: defaultdict(int))

    def contract(self, contract_id: int) -> Money:
        return self.contracts.get(contract_id) or Money()

    def org(self, org_id: int) -> Money:
        total = Money()
        for cid, money in self.contracts.items():
            if self.contract_org.get(cid) == org_id:
                total.add(money)
        points = self.org_points.get(org_id)
        if points:
            total.points_issued += points.points_issued
            total.points_redeemed += points.points_redeemed
        return total

    def fund(self, fund_id: int) -> Money:
        total = Money()
        for cid, money in self.contracts.items():
            if self.contract_fund.get(cid) == fund_id:
                total.add(money)
        return total

    def tenant(self) -> Money:
        total = Money()
        for money in self.contracts.values():
            total.add(money)
        for points in self.org_points.values():
            total.points_issued += points.points_issued
            total.points_redeemed += points.points_redeemed
        return total


def load(tenant_id: int) -> Books:
    """Read the tenant's account balances (and refund postings) from the index."""
    from app.books.models import LedgerAccount, LedgerPosting

    books = Books()
    rows = db.session.execute(
        select(LedgerAccount.account, LedgerAccount.commodity, func.sum(LedgerAccount.balance))
        .where(LedgerAccount.tenant_id == tenant_id)
        .group_by(LedgerAccount.account, LedgerAccount.commodity)).all()
    refund_accounts = []
    for account, commodity, balance in rows:
        balance = int(balance or 0)
        if commodity == "PTS":
            if m := _ISSUED.match(account):
                books.org_points[int(m[1])].points_issued += balance
            elif m := _REDEEMED.match(account):
                books.org_points[int(m[1])].points_redeemed -= balance
            continue
        if m := _SPENT.match(account):
            org, contract, line = int(m[1]), int(m[2]), m[3]
            money = books.contracts[contract]
            books.contract_org[contract] = org
            money.spent += balance
            money.by_line[line] = money.by_line.get(line, 0) + balance
        elif m := _CASH.match(account):
            books.contract_org[int(m[2])] = int(m[1])
            books.contracts[int(m[2])].cash += balance
        elif m := _COMMITTED.match(account):
            books.contract_fund[int(m[2])] = int(m[1])
            books.contracts[int(m[2])].outstanding += balance
        elif m := _AVAILABLE.match(account):
            books.available[int(m[1])] += balance
        elif m := _APPROPRIATED.match(account):
            books.appropriated[int(m[1])] -= balance
        elif _REFUNDED.match(account):
            refund_accounts.append(account)
    if refund_accounts:
        from app.books.models import LedgerTxn

        carry = ("carry-out", "carry-in")
        for contract_id, fen in db.session.execute(
                select(LedgerPosting.contract_id, func.sum(LedgerPosting.amount))
                .join(LedgerTxn, LedgerTxn.id == LedgerPosting.ledger_txn_id)
                .where(LedgerPosting.tenant_id == tenant_id,
                       LedgerPosting.account.in_(refund_accounts), LedgerTxn.kind.not_in(carry))
                .group_by(LedgerPosting.contract_id)):
            if contract_id is not None:
                books.contracts[contract_id].refunded += int(fen or 0)
    for money in books.contracts.values():
        money.disbursed = money.cash + money.spent + money.refunded
        money.committed = money.outstanding + money.disbursed
    return books


#: Which accounts make up a figure, for drill-down: (figure, contract) → LIKE patterns.
def figure_accounts(figure: str, *, contract_id: int | None = None, org_id: int | None = None,
                    line: str | None = None) -> list[str]:
    c = f"C{contract_id}" if contract_id else "C%"
    o = f"O{org_id}" if org_id else "O%"
    patterns = {
        "spent": [f"Expenses:FY%:Org:{o}:{c}:{line or '%'}"],
        "cash": [f"Assets:FY%:Org:{o}:{c}:Cash"],
        "disbursed": [f"Assets:FY%:Org:{o}:{c}:Cash"],
        "committed": [f"Assets:FY%:Fund:F%:Committed:{c}"],
        "refunded": ["Assets:FY%:Fund:F%:Refunded"],
        "points_issued": [f"Expenses:FY%:Org:{o}:Points:Issued"],
        "points_redeemed": [f"Income:FY%:Org:{o}:Points:Redeemed"],
    }
    return patterns.get(figure, [])
