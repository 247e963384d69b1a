"""What the funding flow leaves in the outbox posts as clean books: the events rebuilt from
their payloads pass bean-check, and the journal's balances equal the funding tables to the fen
(the drain job that does this in production belongs to the books domain)."""

from __future__ import annotations

from decimal import Decimal

import ledger
from app.funding import closing, incentives, spending
from app.funding.services import today
from tests.funding.factories import (
    accrue,
    funded_contract,
    make_merchant,
    make_volunteer,
    outbox,
    spend,
)
from tests.ledger.conftest import bean_check


def test_a_funding_cycle_posts_clean_books_equal_to_the_tables(fw, tmp_path):
    contract = funded_contract(fw)  # appropriation, commitment, disbursement
    taxi = spend(fw, contract, 86_000)
    spending.approve(taxi, fw.admin, as_bureau=False)
    wrong = spend(fw, contract, 20_000, line="物资")
    spending.approve(wrong, fw.admin, as_bureau=False)
    closing.reverse_expenditure(wrong, fw.officer, "重复报销")
    volunteer = make_volunteer(fw)
    accrue(fw, volunteer, 30)
    redemption = incentives.issue(volunteer, fw.org, make_merchant(fw), 12)
    incentives.consume(fw.org, redemption.code, fw.coordinator)
    incentives.settle(redemption, contract, fw.bookkeeper)
    closing.close_contract(contract, fw.officer)

    events = [ledger.event_from_payload(p) for p in outbox()]
    ledger.post(tmp_path, fw.tenant.slug, events)
    checked = bean_check(ledger.main_path(tmp_path, fw.tenant.slug))
    assert checked.returncode == 0, checked.stdout + checked.stderr

    year, fund = today().year, contract.fund
    books = ledger.balances(tmp_path, fw.tenant.slug, year)

    def cny(account: str) -> int:
        return int(books.get(account, {}).get("CNY", Decimal(0)) * 100)

    acc = ledger.accounts
    assert cny(acc.fund_available(year, fund.id)) == fund.uncommitted_fen == 50_000_000 - 2_400_000
    assert cny(acc.fund_committed(year, fund.id, contract.id)) == contract.undisbursed_fen == 0
    assert cny(acc.org_cash(year, fw.org.id, contract.id)) == contract.cash_fen == 0
    assert cny(acc.fund_refunded(year, fund.id)) == contract.refunded_fen == 2_400_000 - 87_200
    assert cny(acc.org_expense(year, fw.org.id, contract.id, "Transport")) == 86_000
    assert cny(acc.org_expense(year, fw.org.id, contract.id, "Materials")) == 0
    assert cny(acc.org_expense(year, fw.org.id, contract.id, "Incentives")) == 1_200
    assert books[acc.points_liability(year, fw.org.id)]["PTS"] == Decimal(-18)
