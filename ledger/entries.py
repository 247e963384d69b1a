"""Pure functions from money events to beancount transactions.

Same input, same output, no I/O: the journal writer, a preview page and a test
all get the identical transaction. Accounts are those of the fiscal year of the
date the transaction is posted on (see ``ledger.journal`` for why that can be
later than the event's own date; the event's date is then kept as
``event-date`` metadata).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal

from beancount.core import data
from beancount.core.amount import Amount

from ledger import accounts as acc
from ledger.events import (
    Appropriation,
    Commitment,
    CommitmentRelease,
    Disbursement,
    Expenditure,
    IncentiveAccrual,
    MoneyEvent,
    RedemptionSettlement,
    Refund,
    Reversal,
    TimeDeposit,
    TimePayment,
    TimeTransfer,
)

Line = tuple[str, Decimal, str]  # account, signed amount, currency
CNY, PTS, HOUR = acc.CURRENCY, acc.POINTS, acc.HOURS
SYSTEM_APPROVER = "ledger"


def _pair(debit: str, credit: str, amount: Decimal, currency: str = CNY) -> list[Line]:
    return [(debit, amount, currency), (credit, -amount, currency)]


def _appropriation(e: Appropriation, y: int) -> list[Line]:
    return _pair(acc.fund_available(y, e.fund_id), acc.appropriation(y, e.fund_id), e.amount)


def _commitment(e: Commitment, y: int) -> list[Line]:
    return _pair(
        acc.fund_committed(y, e.fund_id, e.contract_id), acc.fund_available(y, e.fund_id), e.amount
    )


def _release(e: CommitmentRelease, y: int) -> list[Line]:
    return _pair(
        acc.fund_available(y, e.fund_id), acc.fund_committed(y, e.fund_id, e.contract_id), e.amount
    )


def _disbursement(e: Disbursement, y: int) -> list[Line]:
    return _pair(
        acc.org_cash(y, e.org_id, e.contract_id),
        acc.fund_committed(y, e.fund_id, e.contract_id),
        e.amount,
    )


def _expenditure(e: Expenditure, y: int) -> list[Line]:
    return _pair(
        acc.org_expense(y, e.org_id, e.contract_id, e.line),
        acc.org_cash(y, e.org_id, e.contract_id),
        e.amount,
    )


def _accrual(e: IncentiveAccrual, y: int) -> list[Line]:
    points = Decimal(e.points)
    return _pair(acc.points_issued(y, e.org_id), acc.points_liability(y, e.org_id), points, PTS)


def _redemption(e: RedemptionSettlement, y: int) -> list[Line]:
    points = Decimal(e.points)
    return [
        *_pair(acc.points_liability(y, e.org_id), acc.points_redeemed(y, e.org_id), points, PTS),
        *_pair(
            acc.org_expense(y, e.org_id, e.contract_id, e.line),
            acc.org_cash(y, e.org_id, e.contract_id),
            e.amount,
        ),
    ]


def _refund(e: Refund, y: int) -> list[Line]:
    return _pair(
        acc.fund_refunded(y, e.fund_id), acc.org_cash(y, e.org_id, e.contract_id), e.amount
    )


def _time_deposit(e: TimeDeposit, y: int) -> list[Line]:
    rows = [(acc.time_deposited(y, e.org_id), e.hours + e.donated, HOUR)]
    if e.hours:
        rows.append((acc.time_credits(y, e.person), -e.hours, HOUR))
    if e.donated:
        rows.append((acc.time_credits(y, None), -e.donated, HOUR))
    return rows


def _time_transfer(e: TimeTransfer, y: int) -> list[Line]:
    return _pair(acc.time_credits(y, e.giver), acc.time_credits(y, e.receiver), e.hours, HOUR)


def _time_payment(e: TimePayment, y: int) -> list[Line]:
    return _pair(acc.time_credits(y, e.person), acc.time_received(y, e.org_id), e.hours, HOUR)


def _reversal(e: Reversal, y: int) -> list[Line]:
    return [(account, -amount, currency) for account, amount, currency in lines(e.original, y)]


_LINES: dict[str, Callable[..., list[Line]]] = {
    "appropriation": _appropriation,
    "commitment": _commitment,
    "commitment-release": _release,
    "disbursement": _disbursement,
    "expenditure": _expenditure,
    "incentive-accrual": _accrual,
    "redemption-settlement": _redemption,
    "refund": _refund,
    "reversal": _reversal,
    "time-deposit": _time_deposit,
    "time-transfer": _time_transfer,
    "time-payment": _time_payment,
}


def lines(event: MoneyEvent, year: int) -> list[Line]:
    """The postings of ``event`` in the accounts of fiscal ``year``."""
    return _LINES[event.kind](event, year)


def _meta(event: MoneyEvent, posted_on: datetime.date) -> dict[str, str]:
    meta = {"txn-id": event.txn_id, "tenant": event.tenant, "kind": event.kind}
    for key, value in (
        ("fund", event.fund_id),
        ("org", event.org_id),
        ("contract", event.contract_id),
        ("tranche", getattr(event, "tranche_id", None)),
        ("points", getattr(event, "points", None)),
        ("hours", getattr(event, "hours", None)),
    ):
        if value is not None:
            meta[key] = str(value)
    meta["source"] = event.source
    meta["approver"] = event.approver
    if posted_on != event.date:
        meta["event-date"] = event.date.isoformat()
    if isinstance(event, Reversal):
        meta["reverses"] = event.original.txn_id
        meta["reason"] = event.reason
    return meta


def _postings(rows: Iterable[Line]) -> list[data.Posting]:
    return [
        data.Posting(account, Amount(amount, currency), None, None, None, None)
        for account, amount, currency in rows
    ]


def transaction(event: MoneyEvent, posted_on: datetime.date | None = None) -> data.Transaction:
    """The beancount transaction for ``event``, dated ``posted_on`` (default: its date)."""
    day = event.date if posted_on is None else posted_on
    return data.Transaction(
        _meta(event, day),
        day,
        "*",
        event.payee,
        event.narration,
        data.EMPTY_SET,
        data.EMPTY_SET,
        _postings(lines(event, day.year)),
    )


def carry_forward(
    tenant: str,
    from_year: int,
    to_year: int,
    balances: Mapping[str, Mapping[str, Decimal]],
) -> tuple[data.Transaction | None, data.Transaction | None]:
    """Year-end carry-over (结转): close ``from_year``'s balance sheet, open ``to_year``'s.

    Returns (closing transaction dated 31 December of ``from_year``, opening
    transaction dated 1 January of ``to_year``), or (None, None) when every
    asset and liability is zero.
    """
    rows = [
        (account, number, currency)
        for account in sorted(balances)
        if acc.is_balance_sheet(account)
        for currency, number in sorted(balances[account].items())
        if number
    ]
    if not rows:
        return None, None
    totals: dict[str, Decimal] = {}
    for _, number, currency in rows:
        totals[currency] = totals.get(currency, Decimal(0)) + number
    closing_rows = [(a, -n, c) for a, n, c in rows]
    closing_rows += [(acc.carried_forward(from_year), n, c) for c, n in sorted(totals.items()) if n]
    opening_rows = [(acc.in_year(a, to_year), n, c) for a, n, c in rows]
    opening_rows += [(acc.brought_forward(to_year), -n, c) for c, n in sorted(totals.items()) if n]

    def build(kind: str, year: int, day: datetime.date, text: str, rows: list[Line]):
        meta = {
            "txn-id": f"ledger:{kind}:{year}",
            "tenant": tenant,
            "kind": kind,
            "source": f"ledger:year-end:{from_year}",
            "approver": SYSTEM_APPROVER,
        }
        return data.Transaction(
            meta, day, "*", None, text, data.EMPTY_SET, data.EMPTY_SET, _postings(rows)
        )

    closing = build(
        "carry-out",
        from_year,
        datetime.date(from_year, 12, 31),
        f"{from_year} 年度结转：资产与负债余额转入 {to_year} 年度",
        closing_rows,
    )
    opening = build(
        "carry-in",
        to_year,
        datetime.date(to_year, 1, 1),
        f"{to_year} 年初余额：自 {from_year} 年度结转",
        opening_rows,
    )
    return closing, opening
