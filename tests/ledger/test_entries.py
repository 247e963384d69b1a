"""Events become the transactions the chart of accounts promises, by pure functions."""

from __future__ import annotations

import pytest
from beancount.core import account as bc_account

from ledger import accounts, entries
from ledger import events as ev
from tests.ledger.support import D, day, make, scenario


def rows(txn):
    return [(p.account, str(p.units.number), p.units.currency) for p in txn.postings]


EXPECTED = {
    "appropriation": [
        ("Assets:FY2025:Fund:F1:Available", "100000.00", "CNY"),
        ("Equity:FY2025:Appropriation:F1", "-100000.00", "CNY"),
    ],
    "commitment": [
        ("Assets:FY2025:Fund:F1:Committed:C34", "50000.00", "CNY"),
        ("Assets:FY2025:Fund:F1:Available", "-50000.00", "CNY"),
    ],
    "disbursement": [
        ("Assets:FY2025:Org:O5:C34:Cash", "20000.00", "CNY"),
        ("Assets:FY2025:Fund:F1:Committed:C34", "-20000.00", "CNY"),
    ],
    "expenditure": [
        ("Expenses:FY2025:Org:O5:C34:Materials", "1234.56", "CNY"),
        ("Assets:FY2025:Org:O5:C34:Cash", "-1234.56", "CNY"),
    ],
    "incentive-accrual": [
        ("Expenses:FY2025:Org:O5:Points:Issued", "120", "PTS"),
        ("Liabilities:FY2025:Org:O5:Points", "-120", "PTS"),
    ],
    "redemption-settlement": [
        ("Liabilities:FY2025:Org:O5:Points", "20", "PTS"),
        ("Income:FY2025:Org:O5:Points:Redeemed", "-20", "PTS"),
        ("Expenses:FY2025:Org:O5:C34:Incentives", "20.00", "CNY"),
        ("Assets:FY2025:Org:O5:C34:Cash", "-20.00", "CNY"),
    ],
    "commitment-release": [
        ("Assets:FY2025:Fund:F1:Available", "5000.00", "CNY"),
        ("Assets:FY2025:Fund:F1:Committed:C34", "-5000.00", "CNY"),
    ],
    "refund": [
        ("Assets:FY2025:Fund:F1:Refunded", "100.00", "CNY"),
        ("Assets:FY2025:Org:O5:C34:Cash", "-100.00", "CNY"),
    ],
    "reversal": [
        ("Expenses:FY2025:Org:O5:C34:Materials", "-1234.56", "CNY"),
        ("Assets:FY2025:Org:O5:C34:Cash", "1234.56", "CNY"),
    ],
}


@pytest.mark.parametrize("event", scenario(), ids=lambda e: e.kind)
def test_each_event_posts_to_its_accounts(event):
    txn = entries.transaction(event)
    assert rows(txn) == EXPECTED[event.kind]
    assert all(bc_account.is_valid(p.account) for p in txn.postings)
    assert txn.date == event.date and txn.flag == "*" and txn.narration == event.narration
    assert txn == entries.transaction(event)  # pure: same input, same output


def test_metadata_says_who_what_and_why():
    expenditure, reversal = scenario()[3], scenario()[8]
    assert entries.transaction(expenditure).meta == {
        "txn-id": "gz-xihu-4",
        "tenant": "xihu",
        "kind": "expenditure",
        "org": "5",
        "contract": "34",
        "source": "expenditure:4",
        "approver": "user:3",
    }
    assert entries.transaction(expenditure).payee == "文具店"
    meta = entries.transaction(reversal, posted_on=day(4, 1)).meta
    assert meta["reverses"] == "gz-xihu-4"
    assert meta["reason"] == "发票重复报销"
    assert meta["event-date"] == "2025-03-28"
    assert "event-date" not in entries.transaction(reversal).meta


def test_posting_date_decides_the_fiscal_year_of_the_accounts():
    late = make(
        ev.Expenditure, 1, day(12, 30), org_id=5, contract_id=34, line="Transport", amount=D("8.00")
    )
    txn = entries.transaction(late, posted_on=day(1, 1, 2026))
    assert rows(txn) == [
        ("Expenses:FY2026:Org:O5:C34:Transport", "8.00", "CNY"),
        ("Assets:FY2026:Org:O5:C34:Cash", "-8.00", "CNY"),
    ]
    assert txn.meta["event-date"] == "2025-12-30"


def test_carry_forward_moves_only_the_balance_sheet():
    held = {
        "Assets:FY2025:Org:O5:C34:Cash": {"CNY": D("10.00")},
        "Liabilities:FY2025:Org:O5:Points": {"PTS": D("-7")},
        "Expenses:FY2025:Org:O5:C34:Materials": {"CNY": D("990.00")},
        "Assets:FY2025:Fund:F1:Refunded": {"CNY": D("0.00")},
    }
    closing, opening = entries.carry_forward("xihu", 2025, 2026, held)
    assert rows(closing) == [
        ("Assets:FY2025:Org:O5:C34:Cash", "-10.00", "CNY"),
        ("Liabilities:FY2025:Org:O5:Points", "7", "PTS"),
        ("Equity:FY2025:CarriedForward", "10.00", "CNY"),
        ("Equity:FY2025:CarriedForward", "-7", "PTS"),
    ]
    assert rows(opening) == [
        ("Assets:FY2026:Org:O5:C34:Cash", "10.00", "CNY"),
        ("Liabilities:FY2026:Org:O5:Points", "-7", "PTS"),
        ("Equity:FY2026:BroughtForward", "-10.00", "CNY"),
        ("Equity:FY2026:BroughtForward", "7", "PTS"),
    ]
    assert (closing.date, opening.date) == (day(12, 31), day(1, 1, 2026))
    assert entries.carry_forward("xihu", 2025, 2026, {}) == (None, None)


def test_chart_names_and_commodities():
    assert (
        accounts.org_expense(2025, 5, 34, accounts.line_code(7)) == "Expenses:FY2025:Org:O5:C34:L7"
    )
    assert accounts.commodity("Liabilities:FY2025:Org:O5:Points") == "PTS"
    assert accounts.commodity("Income:FY2025:Org:O5:Points:Redeemed") == "PTS"
    assert accounts.commodity("Expenses:FY2025:Org:O5:C34:Incentives") == "CNY"
    assert accounts.commodity("Equity:FY2025:CarriedForward") is None
    assert (
        accounts.in_year("Assets:FY2025:Org:O5:C34:Cash", 2026) == "Assets:FY2026:Org:O5:C34:Cash"
    )
    assert accounts.is_valid("Assets:FY2025:Fund:F1:Available")
    assert not accounts.is_valid("Assets:Fund:F1:Available")
    with pytest.raises(ValueError, match="fund id must be a positive integer id"):
        accounts.fund_available(2025, -1)
