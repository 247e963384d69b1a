"""The outbox drained into the journal and the read index (jobs inline, no Redis)."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

import ledger
from app.books import drain as posting
from app.books import services
from app.books.audit import verify_tenant
from app.books.models import LedgerPosting, LedgerTxn, OutboxEvent
from app.books.outbox import emit
from app.db_commit import commit
from tests.books.conftest import EVERY_KIND_BALANCES, D, common, day, emit_every_kind
from tests.factories import TenantFactory


def journal(books_dir, tenant, year=2025) -> str:
    return ledger.year_path(books_dir, tenant.slug, year).read_text(encoding="utf-8")


def test_committed_events_are_posted_once_and_indexed(db, books_dir):
    tenant = TenantFactory()
    rows = emit_every_kind(tenant)
    assert not ledger.year_path(books_dir, tenant.slug, 2025).exists()  # nothing before commit
    commit()
    assert all(row.posted_at is not None and row.attempts == 0 for row in rows)
    text = journal(books_dir, tenant)
    for row in rows:
        assert text.count(f'txn-id: "{row.txn_id}"') == 1
    assert services.account_balances(tenant.id) == EVERY_KIND_BALANCES
    assert services.balance(tenant.id, "Assets:FY2025:Org:O5:C34:Cash") == {"CNY": D("19880.00")}
    assert services.account_balances(tenant.id, prefix="Expenses:FY2025:Org:O5:Points") == {
        "Expenses:FY2025:Org:O5:Points:Issued": {"PTS": 120}}
    spent = services.transactions_for_source(tenant.id, "expenditure:17")
    assert [(v.txn.kind, v.txn.payee, v.postings) for v in spent] == [
        ("expenditure", "文具店", [("Expenses:FY2025:Org:O5:C34:Materials", D("1234.56"), "CNY"),
                                  ("Assets:FY2025:Org:O5:C34:Cash", D("-1234.56"), "CNY")]),
        ("reversal", None, [("Expenses:FY2025:Org:O5:C34:Materials", D("-1234.56"), "CNY"),
                            ("Assets:FY2025:Org:O5:C34:Cash", D("1234.56"), "CNY")]),
    ]
    first = spent[0].txn
    assert (first.org_id, first.contract_id, first.fund_id, first.approver, first.date) == (
        5, 34, None, "user:3", day(2, 3))
    assert verify_tenant(tenant.id).ok


def test_a_second_drain_posts_nothing(db, books_dir):
    tenant = TenantFactory()
    emit_every_kind(tenant)
    commit()
    before = journal(books_dir, tenant)
    assert posting.drain(tenant.id) == 0
    assert journal(books_dir, tenant) == before
    assert db.session.scalar(select(func.count()).select_from(LedgerTxn)
                             .where(LedgerTxn.tenant_id == tenant.id)) == 9


def test_retry_after_the_journal_was_written_but_the_database_was_not(app, db, books_dir):
    """A crash between the fsync and the database commit: the retry writes nothing twice."""
    tenant = TenantFactory()
    app.config["JOBS_INLINE"] = False  # no job: the rows stay pending after commit
    try:
        rows = emit_every_kind(tenant)
        db.session.commit()
    finally:
        app.config["JOBS_INLINE"] = True
    db.session.info.pop("gz_ready_jobs", None)
    events = [ledger.event_from_payload(r.payload) for r in rows[:5]]
    ledger.post(books_dir, tenant.slug, events)  # the journal got the first five
    assert posting.drain(tenant.id) == 9
    text = journal(books_dir, tenant)
    assert [text.count(f'txn-id: "{r.txn_id}"') for r in rows] == [1] * 9
    assert services.account_balances(tenant.id) == EVERY_KIND_BALANCES
    assert verify_tenant(tenant.id).ok


def test_emit_is_undone_with_its_transaction(db, books_dir):
    tenant = TenantFactory()
    db.session.commit()
    emit(ledger.Appropriation, tenant=tenant, fund_id=1, amount=D("10.00"), **common(1, day(1, 2)))
    db.session.rollback()
    commit()
    assert db.session.scalar(select(func.count()).select_from(OutboxEvent)
                             .where(OutboxEvent.tenant_id == tenant.id)) == 0
    assert not ledger.year_path(books_dir, tenant.slug, 2025).exists()


def test_a_refused_event_leaves_no_outbox_row(db):
    tenant = TenantFactory()
    with pytest.raises(ValueError, match="whole fen"):
        emit(ledger.Appropriation, tenant=tenant, fund_id=1, amount=D("10.001"),
             **common(1, day(1, 2)))
    assert db.session.scalar(select(func.count()).select_from(OutboxEvent)
                             .where(OutboxEvent.tenant_id == tenant.id)) == 0


def test_a_failing_row_stays_pending_with_its_error_and_blocks_later_ones(app, db, books_dir):
    tenant = TenantFactory()
    app.config["JOBS_INLINE"] = False
    try:
        good = emit(ledger.Appropriation, tenant=tenant, fund_id=1, amount=D("10.00"),
                    **common(1, day(1, 2)))
        bad = emit(ledger.Appropriation, tenant=tenant, fund_id=1, amount=D("20.00"),
                   **common(2, day(1, 3)))
        later = emit(ledger.Appropriation, tenant=tenant, fund_id=1, amount=D("30.00"),
                     **common(3, day(1, 4)))
        bad.payload = {**bad.payload, "amount": "20.005"}  # corrupted after it was stored
        db.session.commit()
    finally:
        app.config["JOBS_INLINE"] = True
    db.session.info.pop("gz_ready_jobs", None)
    with pytest.raises(posting.DrainError, match="whole fen"):
        posting.drain(tenant.id)
    db.session.expire_all()
    assert good.posted_at is not None
    assert (bad.posted_at, bad.attempts) == (None, 1)
    assert "amount must be whole fen" in bad.last_error
    assert (later.posted_at, later.attempts) == (None, 0)
    with pytest.raises(posting.DrainError):
        posting.drain(tenant.id)
    db.session.expire_all()
    assert bad.attempts == 2
    status = services.outbox_status(tenant.id)
    assert (status.pending, status.failing) == (2, 1)
    assert services.account_balances(tenant.id) == {
        "Assets:FY2025:Fund:F1:Available": {"CNY": D("10.00")},
        "Equity:FY2025:Appropriation:F1": {"CNY": D("-10.00")}}
    text = journal(books_dir, tenant)
    assert good.txn_id in text and bad.txn_id not in text


def test_many_events_drain_in_batches_in_outbox_order(app, db, books_dir, monkeypatch):
    monkeypatch.setattr(posting, "BATCH_SIZE", 7)
    tenant = TenantFactory()
    rows = [emit(ledger.IncentiveAccrual, tenant=tenant, org_id=3, points=n + 1,
                 **common(n, day(1 + n // 10, 1 + n % 10))) for n in range(30)]
    commit()
    assert all(r.posted_at is not None for r in rows)
    indexed = db.session.scalars(select(LedgerTxn.txn_id).where(LedgerTxn.tenant_id == tenant.id)
                                 .order_by(LedgerTxn.id)).all()
    assert indexed == [r.txn_id for r in rows]
    last = db.session.scalar(select(LedgerPosting).where(
        LedgerPosting.tenant_id == tenant.id,
        LedgerPosting.account == "Expenses:FY2025:Org:O3:Points:Issued")
        .order_by(LedgerPosting.id.desc()).limit(1))
    assert last.balance_after == sum(range(1, 31))
    assert verify_tenant(tenant.id).ok


def test_two_months_carry_three_decimal_assertions_and_pass_bean_check(db, books_dir):
    from tests.books.conftest import bean_check

    tenant = TenantFactory()
    emit(ledger.Appropriation, tenant=tenant, fund_id=2, amount=D("1000.10"),
         **common(1, day(1, 31)))
    emit(ledger.Appropriation, tenant=tenant, fund_id=2, amount=D("0.01"), **common(2, day(2, 1)))
    commit()
    text = journal(books_dir, tenant)
    assert "2025-02-01 balance Assets:FY2025:Fund:F2:Available" in text
    assert "1000.100 CNY" in text
    assert "2025-03-01 balance" not in text  # February is still open
    assert posting.close_due_months(tenant.id, today=day(3, 5)) == 0  # grace: 5 days
    assert "2025-03-01 balance" not in journal(books_dir, tenant)
    posting.close_due_months(tenant.id, today=day(3, 6))
    text = journal(books_dir, tenant)
    assert "2025-03-01 balance Assets:FY2025:Fund:F2:Available" in text
    assert "1000.110 CNY" in text
    result = bean_check(ledger.main_path(books_dir, tenant.slug))
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")
    assert verify_tenant(tenant.id).ok


def test_late_voucher_is_posted_in_the_open_month_with_its_own_date(db, books_dir):
    tenant = TenantFactory()
    emit(ledger.Appropriation, tenant=tenant, fund_id=2, amount=D("50.00"), **common(1, day(3, 2)))
    commit()
    emit(ledger.Appropriation, tenant=tenant, fund_id=2, amount=D("5.00"),
         **common(2, day(1, 20), source="fund:late"))
    commit()
    [late] = services.transactions_for_source(tenant.id, "fund:late")
    assert (late.txn.date, late.txn.event_date) == (day(3, 1), day(1, 20))


def test_year_end_carry_over_is_mirrored(db, books_dir):
    tenant = TenantFactory()
    emit(ledger.Appropriation, tenant=tenant, fund_id=2, amount=D("80.00"),
         **common(1, day(12, 30)))
    emit(ledger.Appropriation, tenant=tenant, fund_id=2, amount=D("1.00"),
         **common(2, day(1, 3, 2026)))
    commit()
    out = services.transaction(tenant.id, "ledger:carry-out:2025")
    into = services.transaction(tenant.id, "ledger:carry-in:2026")
    assert out.txn.source == into.txn.source == "ledger:year-end:2025"
    assert services.account_balances(tenant.id, year=2026) == {
        "Assets:FY2026:Fund:F2:Available": {"CNY": D("81.00")},
        "Equity:FY2026:Appropriation:F2": {"CNY": D("-1.00")},
        "Equity:FY2026:BroughtForward": {"CNY": D("-80.00")},
    }
    assert services.fiscal_years(tenant.id) == [2026, 2025]
    assert verify_tenant(tenant.id).ok


def test_text_is_mirrored_exactly(db, books_dir):
    """Backslashes and quotes survive the bulk path into the index."""
    tenant = TenantFactory()
    emit(ledger.Expenditure, tenant=tenant, org_id=2, contract_id=3, line="L9",
         amount=D("7.00"), payee='王\\五 "小店"', narration=r"C:\票据\N 第1张",
         source="expenditure:\\N", approver="user:1", date=day(4, 1))
    commit()
    [view] = services.transactions_for_source(tenant.id, "expenditure:\\N")
    assert (view.txn.payee, view.txn.narration) == ('王\\五 "小店"', r"C:\票据\N 第1张")
    assert verify_tenant(tenant.id).ok


def test_a_journal_edited_by_hand_stops_posting_until_someone_looks(db, books_dir):
    tenant = TenantFactory()
    emit(ledger.Appropriation, tenant=tenant, fund_id=1, amount=D("1.00"), **common(1, day(1, 2)))
    commit()
    path = ledger.year_path(books_dir, tenant.slug, 2025)
    path.write_text(journal(books_dir, tenant) + "; a note added by hand\n", encoding="utf-8")
    row = emit(ledger.Appropriation, tenant=tenant, fund_id=1, amount=D("2.00"),
               **common(2, day(1, 3)))
    with pytest.raises(posting.DrainError, match="changed outside the ledger writer"):
        commit()
    db.session.expire_all()
    assert (row.posted_at, row.attempts) == (None, 1)
    assert "LedgerCorrupt" in row.last_error
    assert services.outbox_status(tenant.id).failing == 1
    assert services.balance(tenant.id, "Assets:FY2025:Fund:F1:Available") == {"CNY": D("1.00")}
