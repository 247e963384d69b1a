"""Chart of accounts (科目表) for one tenant's books.

Each tenant has its own journal files, so the tenant is not part of an account
name. Every name starts with its root and the fiscal year (``FY2025``): each
year file is a complete, self-balancing set of books that can be loaded on its
own, and ``main.beancount`` can include every year without two files opening
the same account. Ids from the database become components (``F12`` fund 12,
``O5`` organization 5, ``C34`` contract 34); budget lines are short ASCII codes
(``Transport``, ``Materials``, ``Incentives``, or ``L7`` for budget line 7).
Chinese text lives only in narration, payee and metadata.

Money (CNY) moves like this; the arrow points from the credited account to the
debited one::

    appropriation   Equity:FY:Appropriation:F12   -> Assets:FY:Fund:F12:Available
    commitment      Assets:FY:Fund:F12:Available  -> Assets:FY:Fund:F12:Committed:C34
    release         Assets:FY:Fund:F12:Committed:C34 -> Assets:FY:Fund:F12:Available
    disbursement    Assets:FY:Fund:F12:Committed:C34 -> Assets:FY:Org:O5:C34:Cash
    expenditure     Assets:FY:Org:O5:C34:Cash     -> Expenses:FY:Org:O5:C34:<Line>
    refund          Assets:FY:Org:O5:C34:Cash     -> Assets:FY:Fund:F12:Refunded

So the fund's sub-accounts always say where the appropriated money is: not yet
committed, committed to a contract but not paid, or returned; the org's cash
account per contract is what was paid and not yet spent or returned.

Volunteer points (PTS, their own commodity, never mixed with CNY) form a closed
loop per organization::

    accrual         Liabilities:FY:Org:O5:Points  -> Expenses:FY:Org:O5:Points:Issued
    redemption      Income:FY:Org:O5:Points:Redeemed -> Liabilities:FY:Org:O5:Points

The liability is the points still owed to volunteers; issued = outstanding +
redeemed. A redemption also pays the merchant in CNY from the contract's
incentive line (Cash -> Expenses:FY:Org:O5:C34:Incentives).

Time credits of the time bank (时间银行; HOUR, hours to the quarter, their own commodity)
are owed by the district to each person (``P12`` user 12) and to the community pool; they
cross organizations (通存通兑), so no organization is in the person's account::

    deposit         Liabilities:FY:TimeBank:P12  -> Expenses:FY:TimeBank:Deposited:O5
                    (above the cap: Liabilities:FY:TimeBank:Pool instead, a donation)
    transfer        Liabilities:FY:TimeBank:P12  -> Liabilities:FY:TimeBank:P15 (or Pool)
    payment         Income:FY:TimeBank:Received:O7 -> Liabilities:FY:TimeBank:P12

At a year change the balance-sheet accounts (Assets, Liabilities) are carried
forward: the old year closes them into ``Equity:FY2025:CarriedForward`` and the
new year opens them from ``Equity:FY2026:BroughtForward``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

CURRENCY = "CNY"
POINTS = "PTS"
HOURS = "HOUR"

_LINE_RE = re.compile(r"[A-Z][A-Za-z0-9]{0,39}")
_ACCOUNT_RE = re.compile(r"(Assets|Liabilities|Equity|Income|Expenses)(:[A-Z0-9][A-Za-z0-9-]*)+")
_FY_RE = re.compile(r"FY(\d{4})")


def _positive_id(value: int, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise ValueError(f"{what} must be a positive integer id, got {value!r}")
    return value


def fy(year: int) -> str:
    """The fiscal-year component of account names, e.g. ``FY2025``."""
    if isinstance(year, bool) or not isinstance(year, int) or not 1000 <= year <= 9999:
        raise ValueError(f"fiscal year must be a four-digit integer, got {year!r}")
    return f"FY{year}"


def line_code(budget_line_id: int) -> str:
    """Account component for a budget line known only by its database id: ``L7``."""
    return f"L{_positive_id(budget_line_id, 'budget line id')}"


def check_line(line: str) -> str:
    """Validate a budget line code (ASCII, starts with a capital letter)."""
    if not isinstance(line, str) or not _LINE_RE.fullmatch(line):
        raise ValueError(
            f"budget line must be an ASCII code starting with a capital letter, got {line!r}"
        )
    return line


def fund_available(year: int, fund_id: int) -> str:
    """Appropriated money not yet committed to any contract."""
    return f"Assets:{fy(year)}:Fund:F{_positive_id(fund_id, 'fund id')}:Available"


def fund_committed(year: int, fund_id: int, contract_id: int) -> str:
    """Money committed to a signed contract and not yet paid out."""
    f = _positive_id(fund_id, "fund id")
    c = _positive_id(contract_id, "contract id")
    return f"Assets:{fy(year)}:Fund:F{f}:Committed:C{c}"


def fund_refunded(year: int, fund_id: int) -> str:
    """Money an organization returned to the fund (unspent at close)."""
    return f"Assets:{fy(year)}:Fund:F{_positive_id(fund_id, 'fund id')}:Refunded"


def appropriation(year: int, fund_id: int) -> str:
    """Where appropriated money comes from: the budget (预算拨款)."""
    return f"Equity:{fy(year)}:Appropriation:F{_positive_id(fund_id, 'fund id')}"


def org_cash(year: int, org_id: int, contract_id: int) -> str:
    """Money paid to an organization under one contract and not yet spent."""
    o = _positive_id(org_id, "org id")
    c = _positive_id(contract_id, "contract id")
    return f"Assets:{fy(year)}:Org:O{o}:C{c}:Cash"


def org_expense(year: int, org_id: int, contract_id: int, line: str) -> str:
    """Spending of one contract on one budget line."""
    o = _positive_id(org_id, "org id")
    c = _positive_id(contract_id, "contract id")
    return f"Expenses:{fy(year)}:Org:O{o}:C{c}:{check_line(line)}"


def points_liability(year: int, org_id: int) -> str:
    """Points an organization owes its volunteers (PTS)."""
    return f"Liabilities:{fy(year)}:Org:O{_positive_id(org_id, 'org id')}:Points"


def points_issued(year: int, org_id: int) -> str:
    """Points an organization has granted (PTS)."""
    return f"Expenses:{fy(year)}:Org:O{_positive_id(org_id, 'org id')}:Points:Issued"


def points_redeemed(year: int, org_id: int) -> str:
    """Points retired by redemption at a merchant (PTS)."""
    return f"Income:{fy(year)}:Org:O{_positive_id(org_id, 'org id')}:Points:Redeemed"


def _holder(user_id: int | None) -> str:
    return "Pool" if user_id is None else f"P{_positive_id(user_id, 'user id')}"


def time_credits(year: int, user_id: int | None) -> str:
    """Time credits the district owes one person, or the community pool when ``None`` (HOUR)."""
    return f"Liabilities:{fy(year)}:TimeBank:{_holder(user_id)}"


def time_deposited(year: int, org_id: int) -> str:
    """Hours an organization verified into the time bank (HOUR)."""
    return f"Expenses:{fy(year)}:TimeBank:Deposited:O{_positive_id(org_id, 'org id')}"


def time_received(year: int, org_id: int) -> str:
    """Time credits an organization was paid with for services it gave (HOUR)."""
    return f"Income:{fy(year)}:TimeBank:Received:O{_positive_id(org_id, 'org id')}"


def carried_forward(year: int) -> str:
    """Closing balances of ``year`` handed to the next year."""
    return f"Equity:{fy(year)}:CarriedForward"


def brought_forward(year: int) -> str:
    """Opening balances of ``year`` received from the previous year."""
    return f"Equity:{fy(year)}:BroughtForward"


def is_valid(account: str) -> bool:
    """Whether ``account`` is an ASCII beancount account name of our chart."""
    if not _ACCOUNT_RE.fullmatch(account):
        return False
    return _FY_RE.fullmatch(account.split(":")[1]) is not None


def year_of(account: str) -> int:
    """The fiscal year an account belongs to."""
    match = _FY_RE.fullmatch(account.split(":")[1]) if ":" in account else None
    if match is None:
        raise ValueError(f"not an account of this chart: {account!r}")
    return int(match.group(1))


def in_year(account: str, year: int) -> str:
    """The same account in another fiscal year (used by carry-forward and reversals)."""
    root, _, rest = account.split(":", 2)
    year_of(account)
    return f"{root}:{fy(year)}:{rest}"


def commodity(account: str) -> str | None:
    """The one commodity an account may hold (CNY, PTS or HOUR); None if it holds several."""
    parts = account.split(":")
    if parts[0] == "Equity" and parts[2] in ("CarriedForward", "BroughtForward"):
        return None
    if len(parts) > 4 and parts[2] == "Org" and parts[4] == "Points":
        return POINTS
    if len(parts) > 3 and parts[2] == "TimeBank":
        return HOURS
    return CURRENCY


def is_balance_sheet(account: str) -> bool:
    """Assets and liabilities carry into the next year; income, expenses, equity do not."""
    return account.startswith(("Assets:", "Liabilities:"))


_KINDS = [  # (kind, pattern): what each account of the chart is, and the ids in its name
    ("fund_available", re.compile(r"Assets:FY(?P<year>\d{4}):Fund:F(?P<fund>\d+):Available")),
    ("fund_committed", re.compile(
        r"Assets:FY(?P<year>\d{4}):Fund:F(?P<fund>\d+):Committed:C(?P<contract>\d+)")),
    ("fund_refunded", re.compile(r"Assets:FY(?P<year>\d{4}):Fund:F(?P<fund>\d+):Refunded")),
    ("appropriation", re.compile(r"Equity:FY(?P<year>\d{4}):Appropriation:F(?P<fund>\d+)")),
    ("org_cash", re.compile(r"Assets:FY(?P<year>\d{4}):Org:O(?P<org>\d+):C(?P<contract>\d+):Cash")),
    ("points_issued", re.compile(r"Expenses:FY(?P<year>\d{4}):Org:O(?P<org>\d+):Points:Issued")),
    ("org_expense", re.compile(
        r"Expenses:FY(?P<year>\d{4}):Org:O(?P<org>\d+):C(?P<contract>\d+):(?P<line>[A-Z][A-Za-z0-9]*)")),
    ("points_liability", re.compile(r"Liabilities:FY(?P<year>\d{4}):Org:O(?P<org>\d+):Points")),
    ("points_redeemed", re.compile(r"Income:FY(?P<year>\d{4}):Org:O(?P<org>\d+):Points:Redeemed")),
    ("time_pool", re.compile(r"Liabilities:FY(?P<year>\d{4}):TimeBank:Pool")),
    ("time_credits", re.compile(r"Liabilities:FY(?P<year>\d{4}):TimeBank:P(?P<person>\d+)")),
    ("time_deposited", re.compile(
        r"Expenses:FY(?P<year>\d{4}):TimeBank:Deposited:O(?P<org>\d+)")),
    ("time_received", re.compile(r"Income:FY(?P<year>\d{4}):TimeBank:Received:O(?P<org>\d+)")),
    ("carried_forward", re.compile(r"Equity:FY(?P<year>\d{4}):CarriedForward")),
    ("brought_forward", re.compile(r"Equity:FY(?P<year>\d{4}):BroughtForward")),
]


@dataclass(frozen=True)
class Parts:
    """What an account name says: its kind (``org_expense``…), year and the ids it names."""

    kind: str
    year: int
    fund_id: int | None = None
    org_id: int | None = None
    contract_id: int | None = None
    line: str | None = None  # a budget line code: ``Transport`` or ``L7``
    person_id: int | None = None  # the time bank's account holder (``P12``)

    @property
    def line_id(self) -> int | None:
        """The budget line's database id when the line is known only by it (``L7``)."""
        return int(self.line[1:]) if self.line and re.fullmatch(r"L\d+", self.line) else None


def parse(account: str) -> Parts | None:
    """The parts of an account of this chart, or None for a name it does not make."""
    for kind, pattern in _KINDS:
        if match := pattern.fullmatch(account):
            ids = match.groupdict()
            return Parts(kind, int(ids["year"]), *(int(ids[k]) if ids.get(k) else None
                                                    for k in ("fund", "org", "contract")),
                         ids.get("line"),
                         int(ids["person"]) if ids.get("person") else None)
    return None
