"""The drain through a real Redis: commits enqueue it on ``ledger``, a burst worker posts."""

from __future__ import annotations

from sqlalchemy import func, select

import ledger
from app.books import services
from app.books.models import LedgerTxn, OutboxEvent
from app.books.outbox import emit
from app.db_commit import commit
from app.extensions import db as _db
from app.tenancy.models import Tenant
from tests.books.conftest import D, common, day, emit_every_kind
from workers import worker


def test_commits_enqueue_the_drain_and_a_worker_posts_exactly_once(committed_redis_app,
                                                                   books_dir):
    redis_app, _prefix = committed_redis_app
    redis_app.config["LEDGER_DIR"] = str(books_dir)
    from workers.queue import get_queue

    with redis_app.app_context():
        tenant = Tenant(slug="redis-books", name="队列区")
        _db.session.add(tenant)
        _db.session.commit()
        tenant_id = tenant.id
        emit_every_kind(tenant)
        commit()  # nine events, one drain job
        assert get_queue("ledger").count == 1
        emit(ledger.Appropriation, tenant=tenant, fund_id=9, amount=D("1.23"),
             **common(10, day(4, 1)))
        commit()
        assert get_queue("ledger").count == 2
        assert services.outbox_status(tenant_id).pending == 10
        assert not ledger.year_path(books_dir, "redis-books", 2025).exists()

    worker.run(redis_app, ["ledger"], burst=True)

    with redis_app.app_context():
        assert get_queue("ledger").count == 0
        assert len(get_queue("ledger").failed_job_registry) == 0
        rows = _db.session.scalars(select(OutboxEvent).where(
            OutboxEvent.tenant_id == tenant_id).order_by(OutboxEvent.id)).all()
        assert len(rows) == 10
        assert all(r.posted_at is not None and r.attempts == 0 for r in rows)
        text = ledger.year_path(books_dir, "redis-books", 2025).read_text(encoding="utf-8")
        assert [text.count(f'txn-id: "{r.txn_id}"') for r in rows] == [1] * 10
        assert _db.session.scalar(select(func.count()).select_from(LedgerTxn).where(
            LedgerTxn.tenant_id == tenant_id)) == 10
        assert services.balance(tenant_id, "Assets:FY2025:Fund:F9:Available") == {
            "CNY": D("1.23")}
