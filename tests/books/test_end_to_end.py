"""End to end: events through ``emit`` → commit → inline drain → journal that the real
``bean-check`` accepts and fava opens with exactly the balances the app shows."""

from __future__ import annotations

from decimal import Decimal

import ledger
from app.books import services
from app.books.outbox import emit
from app.db_commit import commit
from tests.books.conftest import (
    EVERY_KIND_BALANCES,
    D,
    bean_check,
    common,
    day,
    emit_every_kind,
    fava_balances,
)
from tests.factories import TenantFactory


def as_decimal(balances) -> dict[str, dict[str, Decimal]]:
    return {a: {c: Decimal(n) for c, n in per.items()} for a, per in balances.items()}


def test_journal_passes_bean_check_and_fava_shows_the_index_balances(db, books_dir):
    tenant = TenantFactory()
    emit_every_kind(tenant)
    commit()
    # A second organization and contract of the same fund, in another commit.
    emit(ledger.Commitment, tenant=tenant, fund_id=7, org_id=6, contract_id=35,
         amount=D("12345.67"), **common(10, day(3, 29)))
    emit(ledger.Disbursement, tenant=tenant, fund_id=7, org_id=6, contract_id=35,
         amount=D("0.01"), **common(11, day(4, 2)))
    emit(ledger.IncentiveAccrual, tenant=tenant, org_id=6, contract_id=35, points=7,
         **common(12, day(4, 3)))
    commit()
    # The next fiscal year: the balance sheet is carried forward.
    emit(ledger.Expenditure, tenant=tenant, org_id=5, contract_id=34, line="Transport",
         amount=D("99.99"), **common(13, day(1, 8, 2026)))
    commit()

    main = ledger.main_path(books_dir, tenant.slug)
    result = bean_check(main)
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")

    shown = services.account_balances(tenant.id)
    assert as_decimal(shown) == fava_balances(main)
    assert shown["Assets:FY2026:Org:O5:C34:Cash"] == {"CNY": D("19780.01")}
    assert shown["Assets:FY2026:Fund:F7:Available"] == {"CNY": D("42654.33")}
    assert shown["Liabilities:FY2026:Org:O6:Points"] == {"PTS": -7}
    year_2025 = services.account_balances(tenant.id, year=2025)
    assert all(a.startswith(("Income:", "Expenses:", "Equity:")) for a in year_2025)
    # Each year file stands on its own too.
    for year in (2025, 2026):
        result = bean_check(ledger.year_path(books_dir, tenant.slug, year))
        assert result.returncode == 0, result.stdout + result.stderr


def test_one_quarter_matches_fava_to_the_fen(db, books_dir):
    tenant = TenantFactory()
    emit_every_kind(tenant)
    commit()
    main = ledger.main_path(books_dir, tenant.slug)
    assert bean_check(main).returncode == 0
    assert fava_balances(main) == as_decimal(EVERY_KIND_BALANCES)
    assert as_decimal(services.account_balances(tenant.id)) == fava_balances(main)
