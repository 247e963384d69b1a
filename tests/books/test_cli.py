"""``flask ledger``: verify (and tampering caught), balances, drain, rebuild-index."""

from __future__ import annotations

import json
import re

import pytest
from sqlalchemy import delete, func, select, update

import ledger
from app.books import services
from app.books.models import LedgerAccount, LedgerPosting, LedgerTxn, OutboxEvent
from app.books.outbox import emit
from app.db_commit import commit
from tests.books.conftest import EVERY_KIND_BALANCES, D, common, day, emit_every_kind
from tests.factories import TenantFactory


@pytest.fixture
def run(app, db):
    runner = app.test_cli_runner()

    def invoke(*args: str):
        return runner.invoke(args=["ledger", *args])

    return invoke


@pytest.fixture
def books(db):
    tenant = TenantFactory()
    emit_every_kind(tenant)
    commit()
    return tenant


def year_file(books_dir, tenant):
    return ledger.year_path(books_dir, tenant.slug, 2025)


def test_verify_passes_and_is_recorded(run, books):
    result = run("verify", "--tenant", books.slug)
    assert result.exit_code == 0, result.output
    assert result.output == f"{books.slug}：正常——2025 年度共 9 笔记账凭证，索引与账簿一致。\n"
    last = services.last_verified(books.id)
    assert (last.ok, last.transactions, last.problems, last.message) == (True, 9, 0, "")


def test_one_fen_tampering_fails_verify_naming_the_problem(run, books, books_dir):
    path = year_file(books_dir, books)
    text = path.read_text(encoding="utf-8")
    # A careful forger keeps the transaction balanced: both postings lose one fen.
    blocks = text.split("\n\n")
    [spent] = [i for i, b in enumerate(blocks) if 'kind: "expenditure"' in b]
    blocks[spent] = blocks[spent].replace("1234.56 CNY", "1234.55 CNY")
    tampered = "\n\n".join(blocks)
    assert tampered.count("1234.55 CNY") == 2 and len(tampered) == len(text)
    path.write_text(tampered, encoding="utf-8")

    result = run("verify", "--tenant", books.slug)
    assert result.exit_code == 1
    out = result.output
    assert f"{books.slug}：发现" in out
    assert re.search(r"哈希链断裂于 \S+/2025\.beancount:\d+（gz-\d+）：记账凭证写入后被修改", out)
    assert "Assets:FY2025:Org:O5:C34:Cash：账簿 19880.01 CNY，索引 19880.00 CNY" in out
    assert re.search(r"beancount：\S+/2025\.beancount:\d+: Balance failed for "
                     r"'Assets:FY2025:Org:O5:C34:Cash'", out)
    last = services.last_verified(books.id)
    assert not last.ok and "Assets:FY2025:Org:O5:C34:Cash" in last.message


def test_deleting_a_transaction_is_caught_by_the_chain(run, books, books_dir):
    path = year_file(books_dir, books)
    text = path.read_text(encoding="utf-8")
    # Remove the points accrual (and nothing else): the postings of February vanish.
    blocks = text.split("\n\n")
    [victim] = [b for b in blocks if 'kind: "incentive-accrual"' in b]
    path.write_text("\n\n".join(b for b in blocks if b is not victim), encoding="utf-8")

    result = run("verify", "--tenant", books.slug)
    assert result.exit_code == 1
    assert re.search(r"哈希链断裂于 \S+/2025\.beancount:\d+（gz-\d+）：有记账凭证被删除", result.output)


def test_an_index_that_drifted_fails_verify(run, books, db):
    db.session.execute(update(LedgerPosting).where(
        LedgerPosting.tenant_id == books.id,
        LedgerPosting.account == "Assets:FY2025:Fund:F7:Refunded").values(amount=10001))
    result = run("verify", "--tenant", books.slug)
    assert result.exit_code == 1
    assert "Assets:FY2025:Fund:F7:Refunded：账簿 100.00 CNY，索引 100.01 CNY" in result.output
    assert ("Assets:FY2025:Fund:F7:Refunded：索引余额 100.00 CNY 不等于其分录合计 100.01 CNY"
            in result.output)


def test_balances_prints_the_journal_as_json(run, books):
    result = run("balances", "--tenant", books.slug, "--year", "2025", "--json")
    assert result.exit_code == 0, result.output
    expected = {a: {c: (f"{n:.2f}" if c == "CNY" else str(n)) for c, n in per.items()}
                for a, per in EVERY_KIND_BALANCES.items()}
    assert json.loads(result.output) == expected


def test_balances_for_an_unknown_tenant(run, db):
    result = run("balances", "--tenant", "nope", "--year", "2025")
    assert result.exit_code == 1
    assert "没有租户 nope。" in result.output


def test_rebuild_index_restores_a_lost_index(run, books, db):
    before = services.account_balances(books.id)
    narrations = db.session.execute(select(LedgerTxn.txn_id, LedgerTxn.narration, LedgerTxn.event_date)
                                    .where(LedgerTxn.tenant_id == books.id)
                                    .order_by(LedgerTxn.id)).all()
    for model in (LedgerPosting, LedgerTxn, LedgerAccount):
        db.session.execute(delete(model).where(model.tenant_id == books.id))
    assert services.account_balances(books.id) == {}
    result = run("rebuild-index", "--tenant", books.slug)
    assert result.exit_code == 0, result.output
    assert result.output == f"{books.slug}：已根据账簿重建索引，共 9 笔记账凭证。\n"
    assert services.account_balances(books.id) == before
    assert db.session.execute(select(LedgerTxn.txn_id, LedgerTxn.narration, LedgerTxn.event_date)
                              .where(LedgerTxn.tenant_id == books.id)
                              .order_by(LedgerTxn.id)).all() == narrations
    assert run("verify", "--tenant", books.slug).exit_code == 0


def test_rebuild_index_refuses_a_tampered_journal(run, books, books_dir):
    path = year_file(books_dir, books)
    path.write_text(path.read_text(encoding="utf-8").replace('"第3笔"', '"第3笔（改）"'),
                    encoding="utf-8")
    result = run("rebuild-index", "--tenant", books.slug)
    assert result.exit_code == 1
    assert "账簿未通过核验，索引未重建" in result.output
    assert "记账凭证写入后被修改" in result.output
    assert services.account_balances(books.id) == EVERY_KIND_BALANCES


def test_drain_posts_what_was_left_pending(app, run, db, books_dir):
    tenant = TenantFactory()
    app.config["JOBS_INLINE"] = False  # as if Redis were down at commit time
    try:
        emit(ledger.Appropriation, tenant=tenant, fund_id=3, amount=D("12.00"),
             **common(1, day(5, 1)))
        db.session.commit()
    finally:
        app.config["JOBS_INLINE"] = True
    db.session.info.pop("gz_ready_jobs", None)
    assert services.outbox_status(tenant.id).pending == 1
    result = run("drain", "--tenant", tenant.slug)
    assert result.exit_code == 0, result.output
    assert result.output == f"{tenant.slug}：已记账 1 笔事件。\n"
    assert services.outbox_status(tenant.id).pending == 0
    assert run("drain").output == "没有等待记账的事件。\n"
    assert db.session.scalar(select(func.count()).select_from(OutboxEvent).where(
        OutboxEvent.tenant_id == tenant.id, OutboxEvent.posted_at.is_(None))) == 0


def test_close_month_writes_the_assertions(run, db, books_dir):
    tenant = TenantFactory()
    emit(ledger.Appropriation, tenant=tenant, fund_id=3, amount=D("12.34"), **common(1, day(5, 1)))
    commit()
    result = run("close-month", "--tenant", tenant.slug, "--year", "2025", "--month", "5")
    assert result.exit_code == 0, result.output
    text = ledger.year_path(books_dir, tenant.slug, 2025).read_text(encoding="utf-8")
    assert "2025-06-01 balance Assets:FY2025:Fund:F3:Available" in text
    assert "12.340 CNY" in text


def test_status_shows_what_waits_and_the_last_verification(run, books):
    assert run("status", "--tenant", books.slug).output == (
        f"{books.slug}：等待记账 0 笔，出错 0 笔；从未核验\n")
    run("verify", "--tenant", books.slug)
    assert re.fullmatch(rf"{books.slug}：等待记账 0 笔，出错 0 笔；\d{{4}}-\d\d-\d\d \d\d:\d\d 核验：正常\n",
                        run("status", "--tenant", books.slug).output)


def test_rebuilt_index_equals_the_one_the_drain_wrote(run, db):
    """Across a year change (carry-over transactions) and a late voucher."""
    tenant = TenantFactory()
    emit_every_kind(tenant)
    commit()
    emit(ledger.Expenditure, tenant=tenant, org_id=5, contract_id=34, line="Transport",
         amount=D("9.99"), **common(10, day(1, 9, 2026)))
    emit(ledger.Expenditure, tenant=tenant, org_id=5, contract_id=34, line="Transport",
         amount=D("0.01"), **common(11, day(12, 30)))  # arrives after 2025 was closed
    commit()

    def snapshot():
        txns = db.session.execute(select(
            LedgerTxn.txn_id, LedgerTxn.kind, LedgerTxn.year, LedgerTxn.date,
            LedgerTxn.event_date, LedgerTxn.narration, LedgerTxn.payee, LedgerTxn.fund_id,
            LedgerTxn.org_id, LedgerTxn.contract_id, LedgerTxn.source, LedgerTxn.approver,
            LedgerTxn.hash, LedgerTxn.prev_hash).where(LedgerTxn.tenant_id == tenant.id)
            .order_by(LedgerTxn.id)).all()
        postings = db.session.execute(select(
            LedgerPosting.account, LedgerPosting.commodity, LedgerPosting.amount,
            LedgerPosting.balance_after, LedgerPosting.org_id, LedgerPosting.contract_id,
            LedgerPosting.year).where(LedgerPosting.tenant_id == tenant.id)
            .order_by(LedgerPosting.id)).all()
        accounts = db.session.execute(select(
            LedgerAccount.account, LedgerAccount.commodity, LedgerAccount.year,
            LedgerAccount.balance, LedgerAccount.postings)
            .where(LedgerAccount.tenant_id == tenant.id)
                .order_by(LedgerAccount.account, LedgerAccount.commodity, LedgerAccount.year)).all()
        return txns, postings, accounts

    before = snapshot()
    assert [(t.txn_id[:3], t.kind) for t in before[0]][-4:] == [
        ("led", "carry-out"), ("led", "carry-in"), ("gz-", "expenditure"), ("gz-", "expenditure")]
    late = before[0][-1]
    assert (late.date, late.event_date, late.year) == (day(1, 1, 2026), day(12, 30), 2026)
    result = run("rebuild-index", "--tenant", tenant.slug)
    assert result.exit_code == 0, result.output
    assert snapshot() == before


def test_verify_every_tenant_fails_if_one_fails(run, books, books_dir, db):
    empty = TenantFactory()
    path = year_file(books_dir, books)
    path.write_text(path.read_text(encoding="utf-8").replace('"第1笔"', '"第一笔"'),
                    encoding="utf-8")
    result = run("verify")
    assert result.exit_code == 1
    assert f"{empty.slug}：尚未记账。\n" in result.output
    assert f"{books.slug}：发现 1 个问题：" in result.output
